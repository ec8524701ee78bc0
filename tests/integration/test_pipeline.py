"""The service end to end against the real broker and node: produce -> Kafka -> Faust worker -> Elasticsearch."""

from __future__ import annotations

import json
import os
import signal

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from pipeline.settings import PROJECT_ROOT
from tests.integration.helpers import wait_until

EXAMPLES = PROJECT_ROOT / "examples" / "articles.jsonl"


def example_lines(count: int) -> list[str]:
    return EXAMPLES.read_text(encoding="utf-8").splitlines()[:count]


def write_articles(path, lines: list[str]):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def indexed_count(es, index: str) -> int:
    es.indices.refresh(index=index)
    return es.count(index=index)["count"]


def topic_records(bootstrap: str, topic: str) -> list:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=3000)
    partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
    consumer.assign(partitions)
    consumer.seek_to_beginning()
    records = list(consumer)
    consumer.close()
    return records


def distinct_copies(name: str, copies: int) -> list[str]:
    """The first ten examples repeated under distinct URLs, so every copy is a new article."""
    lines = example_lines(10) * copies
    return [json.dumps({**json.loads(line), "url": f"https://example.org/{name}/{i}"}) for i, line in enumerate(lines)]


def wait_for_articles(isolated, es, expected: int, timeout_s: float = 180, logs: tuple[str, ...] = ()) -> None:
    """Wait until ``expected`` articles are searchable; on timeout, show the tails of the named workers' logs."""
    index = isolated.settings.indices.articles

    def describe() -> str:
        tails = "".join(f"\n--- worker {name} ---\n{isolated.worker_log(name)[-3000:]}" for name in logs)
        return f"{expected} indexed articles{tails}"

    wait_until(lambda: es.indices.exists(index=index) and indexed_count(es, index) >= expected, timeout_s, describe)


def assert_indexed_once(isolated, es, kafka_bootstrap: str, articles: int) -> None:
    """Every article and each of its statements is in the index exactly once, however often it was processed."""
    published = [json.loads(r.value) for r in topic_records(kafka_bootstrap, isolated.settings.topics.classified)]
    latest = {a["id"]: a for a in published}
    statements = sum(len(a["statements"]) for a in latest.values())
    wait_until(lambda: indexed_count(es, isolated.settings.indices.statements) == statements, 30, "statements to settle")
    assert len(latest) == articles
    assert indexed_count(es, isolated.settings.indices.articles) == articles


def test_produced_articles_are_classified_and_indexed_exactly_once(isolated, es, workers, kafka_bootstrap):
    articles = write_articles(isolated.tmp / "articles.jsonl", example_lines(8))
    assert isolated.cli("setup").returncode == 0
    produced = isolated.cli("produce", str(articles))
    assert produced.returncode == 0, produced.stderr
    assert b"sent 8, skipped as duplicates 0, rejected 0" in produced.stdout

    workers.append(isolated.start_worker())
    wait_for_articles(isolated, es, 8)

    # Exactly the statements the worker published (every non-`none` sentence) are searchable, under deterministic ids.
    published = [json.loads(r.value) for r in topic_records(kafka_bootstrap, isolated.settings.topics.classified)]
    expected_ids = {f"{a['id']}:{s['index']}" for a in published for s in a["statements"]}
    assert len({a["id"] for a in published}) == 8
    wait_until(lambda: indexed_count(es, isolated.settings.indices.statements) == len(expected_ids), 30, "all statements")
    hits = es.search(index=isolated.settings.indices.statements, size=1000, source=["label", "article_id", "title", "url"])["hits"]["hits"]
    assert {h["_id"] for h in hits} == expected_ids
    assert all(h["_source"]["label"] != "none" and h["_source"]["url"] for h in hits)

    # Producing the same file again sends nothing; forcing it resends, and the index still holds each article once.
    again = isolated.cli("produce", str(articles))
    assert b"sent 0, skipped as duplicates 8" in again.stdout
    forced = isolated.cli("produce", "--force", str(articles))
    assert b"sent 8, skipped as duplicates 0" in forced.stdout
    wait_until(lambda: len(topic_records(kafka_bootstrap, isolated.settings.topics.classified)) >= 16, 120, "the resent batch to be processed")
    assert indexed_count(es, isolated.settings.indices.articles) == 8
    assert indexed_count(es, isolated.settings.indices.statements) == len(expected_ids)

    # The search command finds them.
    found = isolated.cli("search", "--json", "--limit", "500")
    assert found.returncode == 0, found.stderr
    assert len(found.stdout.decode().splitlines()) == len(expected_ids)


def test_poison_records_are_dead_lettered_and_good_neighbours_indexed(isolated, es, workers, kafka_bootstrap):
    assert isolated.cli("setup").returncode == 0
    good = [line.encode() for line in example_lines(4)]
    poison = {
        "invalid JSON": b'{"title": "broken", "body": ',
        "missing body": json.dumps({"title": "no body here", "url": "https://example.org/nobody"}).encode(),
        "5 MB body": json.dumps({"title": "huge", "body": "word " * 1_048_576}).encode(),
        "non-UTF-8": b'{"title": "bad bytes", "body": "caf\xe9 \xff\xfe"}',
        "wrong types": json.dumps({"title": ["not", "a", "string"], "body": 42}).encode(),
    }
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", max_request_size=8 * 1024 * 1024)
    topic = isolated.settings.topics.articles
    for value in [good[0], poison["invalid JSON"], good[1], poison["missing body"], poison["5 MB body"], good[2], poison["non-UTF-8"], poison["wrong types"], good[3]]:
        producer.send(topic, value=value, key=b"same-partition")
    producer.flush()
    producer.close()

    workers.append(isolated.start_worker())
    wait_for_articles(isolated, es, 4)
    letters = wait_until(
        lambda: (r := topic_records(kafka_bootstrap, isolated.settings.topics.dead_letter)) and len(r) >= 5 and r, 60, "5 dead letters"
    )
    decoded = [json.loads(r.value) for r in letters]
    assert len(decoded) == 5
    assert all(d["stage"] == "validate" and d["source_topic"] == topic and d["offset"] is not None for d in decoded)
    errors = " | ".join(d["error"] for d in decoded)
    assert "invalid JSON" in errors and "body: missing" in errors and "not valid UTF-8" in errors
    assert "at most 1000000 characters" in errors, errors
    huge = next(d for d in decoded if d["payload_bytes"] > 5_000_000)
    assert huge["payload_truncated"] and len(huge["payload"]) == isolated.settings.worker.max_dead_letter_payload_bytes
    binary = next(d for d in decoded if "UTF-8" in d["error"])
    assert binary["payload_encoding"] == "base64"
    assert indexed_count(es, isolated.settings.indices.articles) == 4


def test_worker_killed_mid_stream_loses_and_duplicates_nothing(isolated, es, workers, kafka_bootstrap):
    articles = write_articles(isolated.tmp / "many.jsonl", distinct_copies("killtest", 4))
    assert isolated.cli("setup").returncode == 0
    assert b"sent 40" in isolated.cli("produce", str(articles)).stdout

    first = isolated.start_worker("first")
    workers.append(first)
    index = isolated.settings.indices.articles
    wait_until(lambda: es.indices.exists(index=index) and 0 < indexed_count(es, index), 180, "the first articles")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    after_kill = indexed_count(es, index)
    assert after_kill < 40, "the worker was killed too late to test a restart"

    workers.append(isolated.start_worker("second"))
    wait_for_articles(isolated, es, 40, logs=("second",))
    assert_indexed_once(isolated, es, kafka_bootstrap, 40)


def articles_done(log: str) -> int:
    return sum(json.loads(line).get("articles", 0) for line in log.splitlines() if '"batch done"' in line)


def assignments(log: str) -> list[list[int]]:
    return [json.loads(line)["partitions"] for line in log.splitlines() if '"partitions assigned"' in line]


def test_two_workers_share_partitions_and_index_everything_once(make_isolated, tmp_path, es, workers, kafka_bootstrap):
    pipeline = make_isolated(partitions=4)
    articles = write_articles(tmp_path / "shared.jsonl", distinct_copies("shared", 4))
    assert pipeline.cli("setup").returncode == 0

    workers.append(pipeline.start_worker("a"))
    workers.append(pipeline.start_worker("b"))
    wait_until(lambda: assignments(pipeline.worker_log("a")) and assignments(pipeline.worker_log("b")), 120, "both workers to join")
    wait_until(
        lambda: sorted(assignments(pipeline.worker_log("a"))[-1] + assignments(pipeline.worker_log("b"))[-1]) == [0, 1, 2, 3],
        120,
        "the two workers to split the four partitions",
    )
    assert b"sent 40" in pipeline.cli("produce", str(articles)).stdout
    wait_for_articles(pipeline, es, 40, logs=("a", "b"))

    done_a, done_b = articles_done(pipeline.worker_log("a")), articles_done(pipeline.worker_log("b"))
    assert done_a > 0 and done_b > 0, (done_a, done_b)
    assert done_a + done_b >= 40
    assert_indexed_once(pipeline, es, kafka_bootstrap, 40)


def test_a_worker_joining_mid_stream_loses_and_duplicates_nothing(make_isolated, tmp_path, es, workers, kafka_bootstrap):
    """Scaling out while busy: partitions change hands in the middle of a batch, and every article still lands once."""
    pipeline = make_isolated(partitions=4)
    articles = write_articles(tmp_path / "busy.jsonl", distinct_copies("busy", 16))
    assert pipeline.cli("setup").returncode == 0
    workers.append(pipeline.start_worker("a"))
    assert b"sent 160" in pipeline.cli("produce", str(articles)).stdout
    wait_until(lambda: articles_done(pipeline.worker_log("a")) > 0, 180, "worker a's first batch")

    workers.append(pipeline.start_worker("b"))
    wait_until(lambda: assignments(pipeline.worker_log("b")), 120, "worker b to join")
    assert articles_done(pipeline.worker_log("a")) < 160, "worker a finished before b joined: nothing was handed over"
    wait_for_articles(pipeline, es, 160, logs=("a", "b"))
    assert len(assignments(pipeline.worker_log("a"))) >= 2
    assert_indexed_once(pipeline, es, kafka_bootstrap, 160)
