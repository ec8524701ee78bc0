"""Send articles to Kafka: idempotent producer, acks=all, keyed by article id.

Articles already delivered in an earlier run (or earlier in this one) are
skipped; rejected records are reported with where they were and why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable

from kafka import KafkaProducer
from kafka.errors import KafkaError
from tqdm import tqdm

from pipeline.ingest.sources import Rejected
from pipeline.state import StateStore
from pipeline.schema import Article
from pipeline.settings import Settings

log = logging.getLogger(__name__)

FLUSH_EVERY = 500


@dataclass
class ProduceSummary:
    sent: int = 0
    skipped_duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    undelivered: int = 0  # of the rejected: valid articles Kafka did not acknowledge

    def line(self) -> str:
        return f"sent {self.sent}, skipped as duplicates {self.skipped_duplicates}, rejected {len(self.rejected)}"


class ArticleProducer:
    def __init__(self, settings: Settings, state: StateStore, force: bool = False) -> None:
        self.topic = settings.topics.articles
        self.state = state
        self.force = force
        self.kafka = KafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            client_id="ceasefire-producer",
            key_serializer=str.encode,
            **settings.producer,
        )
        self.seen: set[str] = set()

    def send_all(
        self, items: Iterable[Article | Rejected], summary: ProduceSummary | None = None, progress: bool = True, flush_every: int = FLUSH_EVERY
    ) -> ProduceSummary:
        summary = summary or ProduceSummary()
        pending: list[tuple[Article, object]] = []
        for item in tqdm(items, desc="producing", unit="article", disable=not progress, leave=False):
            if isinstance(item, Rejected):
                summary.rejected.append(item)
                log.error("rejected record", extra={"where": item.where, "reason": item.reason})
                continue
            if item.id in self.seen or (not self.force and self.state.was_sent(item.id, self.topic)):
                summary.skipped_duplicates += 1
                continue
            self.seen.add(item.id)
            pending.append((item, self.kafka.send(self.topic, key=item.id, value=item.model_dump_json().encode("utf-8"))))
            if len(pending) >= flush_every:
                self._settle(pending, summary)
        self._settle(pending, summary)
        return summary

    def _settle(self, pending: list, summary: ProduceSummary) -> None:
        """Wait for delivery; only delivered articles are remembered as sent."""
        self.kafka.flush()
        delivered = []
        for article, future in pending:
            try:
                future.get(timeout=0)
            except KafkaError as error:
                summary.rejected.append(Rejected(f"article {article.id}", f"delivery failed: {error}"))
                summary.undelivered += 1
                self.seen.discard(article.id)
                continue
            delivered.append(article.id)
        self.state.mark_all_sent(delivered, self.topic)
        summary.sent += len(delivered)
        pending.clear()

    def close(self) -> None:
        self.kafka.close()
