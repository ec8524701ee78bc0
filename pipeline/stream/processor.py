"""What the worker does with one batch of article records, independent of Faust.

validate -> classify (off the event loop) -> index (bulk, idempotent) -> publish.
A record that fails any stage goes to the dead-letter topic with the stage, the
error and its original bytes; the rest of the batch carries on.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from pydantic import ValidationError

from pipeline.index.documents import indexed_statements
from pipeline.index.writer import ResultIndexer
from pipeline.jsonl import decode_line, describe_validation_error
from pipeline.nlp.article import classify_articles
from pipeline.nlp.classifier import CeasefireClassifier
from pipeline.schema import Article, ArticleResult, DeadLetter

log = logging.getLogger(__name__)

Publish = Callable[[str, bytes], Awaitable[None]]


@dataclass
class RawRecord:
    value: bytes
    topic: str
    partition: int
    offset: int
    key: str | None = None

    @classmethod
    def from_event(cls, event) -> "RawRecord":
        """A Faust event's bytes and coordinates."""
        message = event.message
        key = message.key.decode("utf-8", "replace") if message.key else None
        return cls(value=event.value or b"", topic=message.topic, partition=message.partition, offset=message.offset, key=key)


async def send_dead_letter(publish: Publish, stage: str, reason: str, record: RawRecord, max_payload_bytes: int) -> None:
    """Log the failure and publish it, with the original bytes, to the dead-letter topic."""
    letter = DeadLetter.for_payload(
        stage, reason, record.value, max_payload_bytes,
        source_topic=record.topic, partition=record.partition, offset=record.offset, key=record.key,
    )
    where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
    log.warning("dead-lettered record", extra={"stage": stage, "error": reason, **where})
    await publish(record.key or f"{record.topic}:{record.partition}:{record.offset}", letter.model_dump_json().encode())


@dataclass
class BatchStats:
    records: int = 0
    articles: int = 0
    sentences: int = 0
    statements: int = 0
    dead_lettered: int = 0
    seconds: float = 0.0
    classify_seconds: float = 0.0
    index_seconds: float = 0.0
    results: list[ArticleResult] = field(default_factory=list)


class BatchProcessor:
    def __init__(
        self,
        classifier: CeasefireClassifier,
        indexer: ResultIndexer,
        executor: Executor,
        publish_result: Publish,
        publish_dead_letter: Publish,
        context_sentences: int,
        max_dead_letter_payload_bytes: int,
    ) -> None:
        self.classifier = classifier
        self.indexer = indexer
        self.executor = executor
        self.publish_result = publish_result
        self.publish_dead_letter = publish_dead_letter
        self.context_sentences = context_sentences
        self.max_payload = max_dead_letter_payload_bytes

    async def process(self, records: list[RawRecord]) -> BatchStats:
        began = time.perf_counter()
        stats = BatchStats(records=len(records))
        parsed: list[tuple[RawRecord, Article]] = []
        for record in records:
            article = await self._validate(record, stats)
            if article is not None:
                parsed.append((record, article))
        began_classify = time.perf_counter()
        classified = await self._classify(parsed, stats)
        stats.classify_seconds = time.perf_counter() - began_classify
        if classified:
            began_index = time.perf_counter()
            outcome = await self.indexer.write([(result, article) for _, article, result in classified])
            stats.index_seconds = time.perf_counter() - began_index
            indexed = []
            for record, article, result in classified:
                if article.id in outcome.failures:
                    await self._dead_letter("index", outcome.failures[article.id], record, stats)
                else:
                    indexed.append(result)
            # All sends are in flight at once; the batch's offsets advance only when every one is acknowledged.
            await asyncio.gather(*(self.publish_result(result.id, published_form(result)) for result in indexed))
            for result in indexed:
                stats.results.append(result)
                stats.articles += 1
                stats.sentences += len(result.statements)
                stats.statements += len(indexed_statements(result))
        stats.seconds = time.perf_counter() - began
        return stats

    async def _validate(self, record: RawRecord, stats: BatchStats) -> Article | None:
        # Kafka's message size limit bounds a record; the schema bounds the body.
        payload, problem = decode_line(record.value, max_line_bytes=sys.maxsize)
        if payload is not None:
            try:
                return Article.model_validate(payload)
            except ValidationError as error:
                problem = describe_validation_error(error)
        await self._dead_letter("validate", problem, record, stats)
        return None

    async def _classify(self, parsed: list[tuple[RawRecord, Article]], stats: BatchStats) -> list[tuple[RawRecord, Article, ArticleResult]]:
        """Classify the batch in one go; if that fails, article by article to isolate the culprit."""
        if not parsed:
            return []
        loop = asyncio.get_running_loop()
        articles = [article for _, article in parsed]
        try:
            results = await loop.run_in_executor(self.executor, classify_articles, self.classifier, articles, self.context_sentences)
            return [(record, article, result) for (record, article), result in zip(parsed, results)]
        except Exception:
            log.exception("batch classification failed; retrying article by article")
        classified = []
        for record, article in parsed:
            try:
                [result] = await loop.run_in_executor(self.executor, classify_articles, self.classifier, [article], self.context_sentences)
                classified.append((record, article, result))
            except Exception as error:
                await self._dead_letter("classify", f"{type(error).__name__}: {error}", record, stats)
        return classified

    async def _dead_letter(self, stage: str, reason: str, record: RawRecord, stats: BatchStats) -> None:
        await send_dead_letter(self.publish_dead_letter, stage, reason, record, self.max_payload)
        stats.dead_lettered += 1


def published_form(result: ArticleResult) -> bytes:
    """The classified-topic record: the roll-up and the statements that matter (not every `none` sentence)."""
    compact = result.model_copy(update={"statements": indexed_statements(result)})
    return compact.model_dump_json().encode()
