"""Producers against the real broker: files with bad records, and RSS/Atom feeds from a local HTTP server."""

from __future__ import annotations

import json
from email.utils import formatdate

import pytest
from kafka import KafkaConsumer, TopicPartition

from tests.integration.helpers import LocalHTTPServer, QuietHandler

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Border Desk</title><link>http://localhost/</link><description>x</description>
<item><title>Thailand and Cambodia agree to halt fighting</title><link>http://localhost/news/1</link>
<guid>http://localhost/news/1</guid><pubDate>Sat, 26 Jul 2025 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Both governments said a truce would take effect at midnight.&lt;/p&gt;&lt;p&gt;Malaysia hosted the talks.&lt;/p&gt;</description></item>
<item><title>Bangkok denies any deal</title><link>http://localhost/news/2?utm_source=rss</link>
<guid>http://localhost/news/2</guid><pubDate>Sun, 27 Jul 2025 09:00:00 GMT</pubDate>
<description>The Thai foreign ministry said no agreement had been reached.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Levant Desk</title><id>urn:x</id><updated>2025-01-16T00:00:00Z</updated>
<entry><title>Gaza deal announced</title><id>urn:e1</id><link href="http://localhost/atom/1"/>
<updated>2025-01-16T10:00:00Z</updated><content type="html">&lt;p&gt;Qatar said a ceasefire deal had been reached.&lt;/p&gt;</content></entry>
</feed>"""


class FeedServer(LocalHTTPServer):
    """Serves RSS and Atom with conditional GET, like a real feed host."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, int]] = []
        documents = {"/rss.xml": (RSS, "application/rss+xml", '"rss-v1"'), "/atom.xml": (ATOM, "application/atom+xml", None)}
        modified = formatdate(usegmt=True)
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                if self.path not in documents:
                    server.requests.append((self.path, 500))
                    self.reply(500)
                    return
                body, kind, etag = documents[self.path]
                validator = {"ETag": etag} if etag else {"Last-Modified": modified}
                unchanged = self.headers.get("If-None-Match") == etag if etag else self.headers.get("If-Modified-Since") == modified
                server.requests.append((self.path, 304 if unchanged else 200))
                if unchanged:
                    self.reply(304, headers=validator)
                else:
                    self.reply(200, body.encode(), kind, validator)

        super().__init__(Handler)


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


def articles_in_topic(bootstrap: str, topic: str) -> list[dict]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, consumer_timeout_ms=3000)
    consumer.assign([TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []])
    consumer.seek_to_beginning()
    records = [(r.key.decode(), json.loads(r.value)) for r in consumer]
    consumer.close()
    for key, value in records:
        assert key == value["id"], "records are keyed by article id"
    return [value for _, value in records]


def test_file_producer_reports_bad_records_and_sends_the_rest(isolated, kafka_bootstrap):
    source = isolated.tmp / "mixed.jsonl"
    source.write_bytes(
        b'{"url": "https://example.org/1", "title": "One", "body": "Truce holds.", "source": "W"}\n'
        b"{not json\n"
        b'{"url": "https://example.org/2", "title": "No body"}\n'
        b'{"url": "https://example.org/3", "title": "Three", "body": "Talks resume.", "source": "W", "published_at": "not a date"}\n'
        b'{"url": "https://example.org/1", "title": "One again", "body": "Same URL, same id.", "source": "W"}\n'
        b'{"title": "Four", "body": "No URL: id from source, title and body.", "source": "W"}\n'
    )
    result = isolated.cli("produce", str(source))
    assert result.returncode == 1
    assert b"sent 2, skipped as duplicates 1, rejected 3" in result.stdout
    stderr = result.stderr.decode()
    assert "rejected: line 2: invalid JSON" in stderr
    assert "rejected: line 3: body: missing" in stderr
    assert "rejected: line 4: published_at:" in stderr
    sent = articles_in_topic(kafka_bootstrap, isolated.settings.topics.articles)
    assert sorted(a["title"] for a in sent) == ["Four", "One"]


def test_stdin_json_array_is_accepted(isolated, kafka_bootstrap):
    stdin = json.dumps([{"url": "https://example.org/a", "body": "x", "title": "A"}, {"url": "https://example.org/b", "body": "y", "title": "B"}]).encode()
    result = isolated.cli("produce", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert b"sent 2, skipped as duplicates 0, rejected 0" in result.stdout


def test_feeds_are_polled_conditionally_and_not_resent_after_restart(isolated, kafka_bootstrap, feed_server):
    feeds = isolated.tmp / "feeds.yaml"
    feeds.write_text(
        f"feeds:\n  - name: Border Desk\n    url: {feed_server.url}/rss.xml\n  - name: Levant Desk\n    url: {feed_server.url}/atom.xml\n"
        f"  - name: Broken\n    url: {feed_server.url}/broken.xml\n"
    )
    first = isolated.cli("produce", "--feeds", str(feeds), "--once")
    assert b"sent 3, skipped as duplicates 0, rejected 0" in first.stdout, first.stderr
    assert b"feed poll failed" in first.stderr, "a broken feed is reported, the others still produce"
    articles = {a["title"]: a for a in articles_in_topic(kafka_bootstrap, isolated.settings.topics.articles)}
    assert set(articles) == {"Thailand and Cambodia agree to halt fighting", "Bangkok denies any deal", "Gaza deal announced"}
    halt = articles["Thailand and Cambodia agree to halt fighting"]
    assert halt["body"] == "Both governments said a truce would take effect at midnight.\nMalaysia hosted the talks."
    assert halt["source"] == "Border Desk" and halt["published_at"].startswith("2025-07-26T09:00:00")

    # A new process (a restart) sends conditional requests, gets 304s, and sends nothing again.
    second = isolated.cli("produce", "--feeds", str(feeds), "--once")
    assert b"sent 0, skipped as duplicates 0" in second.stdout, second.stdout
    assert [status for path, status in feed_server.requests if path != "/broken.xml"] == [200, 200, 304, 304]
    assert len(articles_in_topic(kafka_bootstrap, isolated.settings.topics.articles)) == 3
