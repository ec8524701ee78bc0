"""What the producers remember between runs, in one SQLite file.

* which article ids were delivered to Kafka, so a re-run skips them;
* each feed's ETag and Last-Modified, so polling asks only for what changed.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (article_id TEXT PRIMARY KEY, topic TEXT NOT NULL, sent_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, modified TEXT, polled_at REAL, entries INTEGER DEFAULT 0);
"""


class ProducerState:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def was_sent(self, article_id: str, topic: str) -> bool:
        row = self.db.execute("SELECT 1 FROM sent WHERE article_id = ? AND topic = ?", (article_id, topic)).fetchone()
        return row is not None

    def mark_sent(self, article_id: str, topic: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO sent VALUES (?, ?, ?)", (article_id, topic, time.time()))

    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def remember_feed(self, url: str, etag: str | None, modified: str | None, entries: int) -> None:
        self.db.execute(
            "INSERT INTO feeds VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "etag = excluded.etag, modified = excluded.modified, polled_at = excluded.polled_at, entries = feeds.entries + excluded.entries",
            (url, etag, modified, time.time(), entries),
        )

    def close(self) -> None:
        with closing(self.db):
            pass
