"""Poll RSS/Atom feeds and turn new entries into articles.

Each poll is a conditional GET (If-None-Match / If-Modified-Since from the last
response), so an unchanged feed costs one 304; entries already delivered are
skipped by the producer's memory of sent article ids.
"""

from __future__ import annotations

import calendar
import logging
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import yaml
from kafka.errors import KafkaError
from pydantic import ValidationError

from pipeline import __version__
from pipeline.ingest.producer import ArticleProducer, ProduceSummary
from pipeline.ingest.sources import Rejected
from pipeline.state import StateStore
from pipeline.jsonl import describe_validation_error
from pipeline.schema import Article

log = logging.getLogger(__name__)

USER_AGENT = f"ceasefire-watch/{__version__} (+https://github.com/ceasefire-watch)"


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    interval_s: float


def load_feeds(path: Path, default_interval_s: float) -> list[Feed]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    feeds = []
    for position, item in enumerate(data.get("feeds") or []):
        if not isinstance(item, dict) or not item.get("url"):
            raise ValueError(f"{path}: feed {position} needs at least a url")
        feeds.append(Feed(item.get("name") or item["url"], item["url"], float(item.get("interval_s", default_interval_s))))
    return feeds


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "li", "h1", "h2", "h3"}
    HIDDEN = {"script", "style"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":  # a void element: it never has an end tag
            self.parts.append("\n")
        elif tag in self.HIDDEN:
            self.hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in self.HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    lines = ("".join(extractor.parts)).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def entry_article(entry, feed: Feed) -> Article | Rejected:
    """An article from a feed entry: full content when the feed carries it, else the summary."""
    content = entry.get("content") or []
    html = content[0].get("value", "") if content else entry.get("summary", "")
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        return Article(
            url=entry.get("link") or None,
            title=html_to_text(entry.get("title", "")),
            body=html_to_text(html) or html_to_text(entry.get("title", "")),
            source=feed.name,
            published_at=datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc) if parsed else None,
        )
    except ValidationError as error:
        return Rejected(f"{feed.name}: entry {entry.get('link') or entry.get('id') or '?'}", describe_validation_error(error))


def fetch_feed(feed: Feed, state: StateStore, timeout_s: float) -> tuple[list[Article | Rejected], str | None, str | None]:
    """The feed's entries (none when the server says nothing changed) and its new ETag and Last-Modified."""
    etag, modified = state.feed_validators(feed.url)
    request = urllib.request.Request(feed.url, headers={"User-Agent": USER_AGENT})
    if etag:
        request.add_header("If-None-Match", etag)
    if modified:
        request.add_header("If-Modified-Since", modified)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read()
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return [], etag, modified
        raise
    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a readable RSS/Atom feed: {parsed.bozo_exception}")
    return [entry_article(entry, feed) for entry in parsed.entries], etag, modified


def poll_feeds(
    feeds: list[Feed], producer: ArticleProducer, state: StateStore, timeout_s: float,
    stop: threading.Event, once: bool = False,
) -> ProduceSummary:
    """Poll every feed when due until ``stop`` is set (or once); a failing feed never stops the others."""
    summary = ProduceSummary()
    due = {feed.url: 0.0 for feed in feeds}
    while not stop.is_set():
        for feed in feeds:
            if time.monotonic() < due[feed.url]:
                continue
            due[feed.url] = time.monotonic() + feed.interval_s
            sent, undelivered = summary.sent, summary.undelivered
            try:
                items, etag, modified = fetch_feed(feed, state, timeout_s)
                producer.send_all(items, summary, progress=False)
            except (OSError, ValueError, KafkaError) as error:
                log.error("feed poll failed; will retry at the next interval", extra={"feed": feed.name, "url": feed.url, "error": str(error)})
                continue
            # The validators move on only once every entry is in Kafka; otherwise the next poll fetches them again.
            if summary.undelivered == undelivered:
                state.remember_feed(feed.url, etag, modified, len(items))
            log.info("feed polled", extra={"feed": feed.name, "entries": len(items), "sent": summary.sent - sent})
        if once:
            break
        stop.wait(max(0.5, min(due.values()) - time.monotonic()))
    return summary
