"""The disputed-ceasefire ledger and alerts, end to end on the real broker and node."""

from __future__ import annotations

import json
import os
import signal
import pytest

from tests.integration.helpers import LocalHTTPServer, QuietHandler, wait_until

CLAIM = {
    "url": "https://example.org/ledger/claim",
    "title": "Trump says Thailand and Cambodia agree to halt fighting",
    "body": "US President Donald Trump said on Saturday that Thailand and Cambodia had agreed to an immediate ceasefire.",
    "source": "Example Wire",
    "published_at": "2025-07-26T10:00:00Z",
}
DENIAL = {
    "url": "https://example.org/ledger/denial",
    "title": "Thailand denies ceasefire deal with Cambodia",
    "body": "Thailand's foreign ministry denied that any ceasefire agreement had been reached with Cambodia.",
    "source": "Example Wire",
    "published_at": "2025-07-28T08:00:00Z",
}
OLD_CLAIM = {
    "url": "https://example.org/ledger/old",
    "title": "Israel and Hamas agree to a ceasefire",
    "body": "Israel and Hamas agreed to a ceasefire that took effect at dawn, Qatar's foreign ministry said.",
    "source": "Example Wire",
    "published_at": "2025-06-01T06:00:00Z",
}


class Webhook(LocalHTTPServer):
    """A webhook receiver that fails its first requests, like a flaky endpoint."""

    def __init__(self, failures: int) -> None:
        self.received: list[dict] = []
        self.keys: list[str] = []
        self.failures = failures
        hook = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if hook.failures > 0:
                    hook.failures -= 1
                    self.reply(503)
                    return
                hook.received.append(json.loads(body))
                hook.keys.append(self.headers["Idempotency-Key"])
                self.reply(204)

        super().__init__(Handler)


@pytest.fixture
def webhook():
    hook = Webhook(failures=2)
    yield hook
    hook.close()


def produce(isolated, *articles):
    path = isolated.tmp / f"ledger-{len(list(isolated.tmp.iterdir()))}.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    result = isolated.cli("produce", str(path))
    assert result.returncode == 0, result.stderr


def disputes(es, isolated) -> list[dict]:
    index = isolated.settings.indices.disputes
    if not es.indices.exists(index=index):
        return []
    es.indices.refresh(index=index)
    return [hit["_source"] for hit in es.search(index=index, size=100)["hits"]["hits"]]


def test_claim_contradicted_by_denial_is_a_dispute_and_alerted_once(isolated, es, workers, webhook):
    assert isolated.cli("setup").returncode == 0
    workers.append(isolated.start_worker())
    produce(isolated, CLAIM, DENIAL, OLD_CLAIM)

    found = wait_until(lambda: (d := disputes(es, isolated)) and len(d) >= 2 and d, 240, lambda: f"two ledger records: {disputes(es, isolated)}")
    by_status = {d["status"]: d for d in found}
    dispute = by_status["disputed"]
    assert dispute["parties"] == ["Cambodia", "Thailand"]
    assert dispute["claim"]["speaker"] in {"Donald Trump", "Trump"} and dispute["claim"]["url"] == CLAIM["url"]
    assert dispute["denial"]["speaker"] in {"Thailand", "Thailand's foreign ministry"} and dispute["denial"]["url"] == DENIAL["url"]
    assert dispute["gap_hours"] == pytest.approx(46.0)
    assert (dispute["claim_statement_id"], dispute["denial_statement_id"]) == (dispute["claim"]["statement_id"], dispute["denial"]["statement_id"])
    assert dispute["claim_statement_id"].startswith(dispute["claim"]["article_id"] + ":")
    assert by_status["uncontested"]["parties"] == ["Hamas", "Israel"] and by_status["uncontested"]["denial"] is None
    assert len(found) == 2, "headline and lead of one article make one dispute, not one per sentence pair"

    # Alerts: the flaky webhook gets the dispute once (after two 503s), the file gets it too,
    # and the watched party's claim is alerted as well.
    alerts_file = isolated.tmp / "alerts.jsonl"
    args = ["alerts", "--webhook", webhook.url, "--jsonl", str(alerts_file), "--party", "Cambodia", "--exit-when-idle", "4"]
    first = isolated.cli(*args)
    assert first.returncode == 0, first.stderr
    kinds = sorted(a["kind"] for a in webhook.received)
    assert kinds == ["claim", "dispute"], webhook.received
    assert webhook.keys == [a["alert_id"] for a in webhook.received]
    assert b"webhook delivery failed; retrying" in first.stderr
    assert sorted(json.loads(l)["kind"] for l in alerts_file.read_text().splitlines()) == ["claim", "dispute"]

    # A restart delivers nothing again.
    second = isolated.cli(*args)
    assert b"alerts delivered: 0" in second.stdout
    assert len(webhook.received) == 2 and len(alerts_file.read_text().splitlines()) == 2


def test_ledger_table_survives_a_worker_restart(isolated, es, workers):
    assert isolated.cli("setup").returncode == 0
    first = isolated.start_worker("first")
    workers.append(first)
    produce(isolated, CLAIM)
    wait_until(lambda: _changelog_has_records(isolated), 240, "the claim to reach the ledger's changelog")
    os.killpg(first.pid, signal.SIGTERM)
    first.wait(timeout=60)
    assert disputes(es, isolated) == []

    workers.append(isolated.start_worker("second"))
    produce(isolated, DENIAL)
    found = wait_until(lambda: disputes(es, isolated), 240, "the dispute after the restart")
    assert [d["status"] for d in found] == ["disputed"]
    assert found[0]["claim"]["url"] == CLAIM["url"], "the claim came from the table restored from its changelog"


def _changelog_has_records(isolated) -> bool:
    from kafka import KafkaConsumer, TopicPartition

    topic = f"{isolated.settings.worker.app_id}-dispute-ledger-changelog"
    consumer = KafkaConsumer(bootstrap_servers=isolated.settings.kafka_bootstrap_servers)
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            return False
        ends = consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
        return sum(ends.values()) > 0
    finally:
        consumer.close()
