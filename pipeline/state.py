"""What the service remembers between runs, in one SQLite file per process kind.

* which items were delivered where (article ids to a Kafka topic, alerts to a
  webhook or file), so a re-run or restart skips them;
* each feed's ETag and Last-Modified, so polling asks only for what changed.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (item_id TEXT NOT NULL, scope TEXT NOT NULL, sent_at REAL NOT NULL, PRIMARY KEY (item_id, scope));
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, modified TEXT, polled_at REAL, entries INTEGER DEFAULT 0);
"""


class StateStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def was_sent(self, item_id: str, scope: str) -> bool:
        row = self.db.execute("SELECT 1 FROM sent WHERE item_id = ? AND scope = ?", (item_id, scope)).fetchone()
        return row is not None

    def mark_sent(self, item_id: str, scope: str) -> None:
        self.mark_all_sent([item_id], scope)

    def mark_all_sent(self, item_ids: list[str], scope: str) -> None:
        """One transaction for the lot: a commit per item costs a disk sync each."""
        now = time.time()
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO sent VALUES (?, ?, ?)", [(item_id, scope, now) for item_id in item_ids])

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
