"""The Faust app and its agents.

* ``classify-articles``: takes article events in time-bounded batches
  (``take_events``) so the model always runs batched; Faust acknowledges a batch's
  offsets only after the agent asks for the next one, i.e. after the batch is
  indexed and its results published. Exactly-once *effects* come from
  deterministic Elasticsearch ids, not from Faust's transactions.
* ``route-ledger`` and ``dispute-ledger``: claims and denials go to a one-partition
  topic whose agent keeps, per pair of parties, a Faust table (changelog-backed,
  so it survives restarts) and emits disputes.
* ``index-disputes``: writes disputes to Elasticsearch.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import faust
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk
from pydantic import ValidationError

from pipeline.index.writer import ResultIndexer
from pipeline.logs import logging_config
from pipeline.nlp.classifier import CeasefireClassifier
from pipeline.schema import ArticleResult, Dispute, LedgerEntry
from pipeline.settings import Settings
from pipeline.stream.ledger import ledger_entries, record_statement, settle_expired
from pipeline.stream.processor import BatchProcessor, RawRecord, send_dead_letter

log = logging.getLogger(__name__)

TICK = b'{"tick": true}'


@dataclass
class Topics:
    articles: faust.TopicT
    classified: faust.TopicT
    dead_letters: faust.TopicT
    ledger: faust.TopicT
    disputes: faust.TopicT


def broker_urls(bootstrap_servers: str) -> str:
    return ";".join(f"kafka://{server.strip()}" for server in bootstrap_servers.split(","))


def create_app(settings: Settings) -> faust.App:
    app = faust.App(
        settings.worker.app_id,
        broker=broker_urls(settings.kafka_bootstrap_servers),
        value_serializer="raw",
        key_serializer="raw",
        store="memory://",
        datadir=str(settings.state_path() / "faust"),
        web_enabled=False,
        topic_partitions=settings.topics.partitions,
        topic_replication_factor=settings.topics.replication_factor,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_max_request_size=4 * 1024 * 1024,
        broker_commit_interval=1.0,
        # A rebalance waits until the batch in hand is indexed and acknowledged: without
        # this, offsets acknowledged after the partitions changed hands can skip records.
        stream_wait_empty=True,
    )
    t = settings.topics
    topics = Topics(
        articles=app.topic(t.articles, value_type=bytes, key_type=bytes),
        classified=app.topic(t.classified, value_type=bytes, key_type=bytes),
        dead_letters=app.topic(t.dead_letter, value_type=bytes, key_type=bytes),
        ledger=app.topic(t.ledger, value_type=bytes, key_type=bytes, partitions=1),
        disputes=app.topic(t.disputes, value_type=bytes, key_type=bytes),
    )
    register_article_agent(app, settings, topics)
    register_ledger(app, settings, topics)
    register_assignment_log(app, t.articles)
    return app


def register_assignment_log(app: faust.App, articles_topic: str) -> None:
    """Log each rebalance's share of the articles topic, so operators see workers join and leave."""

    @app.on_partitions_assigned.connect
    async def log_assignment(sender, assigned, **kwargs) -> None:
        partitions = sorted(tp.partition for tp in assigned if tp.topic == articles_topic)
        log.info("partitions assigned", extra={"topic": articles_topic, "partitions": partitions})


async def publish(topic: faust.TopicT, key: str, value: bytes) -> None:
    """Send now (not attached to the current event) and wait until the broker has it."""
    delivery = await topic.send(key=key.encode(), value=value, force=True)
    await delivery


def register_article_agent(app: faust.App, settings: Settings, topics: Topics) -> None:
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classifier")

    @app.agent(topics.articles, name="classify-articles")
    async def classify_articles_agent(stream):
        async with AsyncElasticsearch(settings.elasticsearch_url, request_timeout=60) as client:
            processor = await build_processor(
                settings, client, executor, lambda k, v: publish(topics.classified, k, v), lambda k, v: publish(topics.dead_letters, k, v)
            )
            async for events in stream.take_events(settings.worker.batch_articles, within=settings.worker.batch_within_s):
                stats = await processor.process([RawRecord.from_event(event) for event in events])
                log.info(
                    "batch done",
                    extra={
                        "records": stats.records, "articles": stats.articles, "sentences": stats.sentences,
                        "statements": stats.statements, "dead_lettered": stats.dead_lettered, "seconds": round(stats.seconds, 3),
                        "classify_seconds": round(stats.classify_seconds, 3), "index_seconds": round(stats.index_seconds, 3),
                    },
                )


async def build_processor(
    settings: Settings, client: AsyncElasticsearch, executor: ThreadPoolExecutor, publish_result, publish_dead_letter
) -> BatchProcessor:
    loop = asyncio.get_running_loop()
    classifier = await loop.run_in_executor(executor, CeasefireClassifier.from_settings, settings.model)
    return BatchProcessor(
        classifier=classifier,
        indexer=ResultIndexer(client, settings.indices),
        executor=executor,
        publish_result=publish_result,
        publish_dead_letter=publish_dead_letter,
        context_sentences=settings.model.context_sentences,
        max_dead_letter_payload_bytes=settings.worker.max_dead_letter_payload_bytes,
    )


def register_ledger(app: faust.App, settings: Settings, topics: Topics) -> None:
    window = timedelta(days=settings.ledger.window_days)
    schema = faust.Schema(key_serializer="json", value_serializer="json")
    table = app.Table("dispute-ledger", partitions=1, schema=schema)

    async def dead_letter(event, error: Exception) -> None:
        await send_dead_letter(
            lambda k, v: publish(topics.dead_letters, k, v), "ledger", f"{type(error).__name__}: {error}",
            RawRecord.from_event(event), settings.worker.max_dead_letter_payload_bytes,
        )

    @app.agent(topics.classified, name="route-ledger")
    async def route_ledger(stream):
        async for event in stream.events():
            try:
                entries = ledger_entries(ArticleResult.model_validate_json(event.value))
            except ValidationError as error:
                await dead_letter(event, error)
                continue
            for entry in entries:
                await publish(topics.ledger, entry.statement_id, entry.model_dump_json().encode())

    @app.timer(interval=settings.ledger.check_every_s)
    async def tick() -> None:
        await publish(topics.ledger, "tick", TICK)

    @app.agent(topics.ledger, name="dispute-ledger")
    async def dispute_ledger(stream):
        async for event in stream.events():
            try:
                # Claims are settled on the timer's ticks, not on every statement: a pass visits every pair.
                if event.value == TICK:
                    disputes = settle_expired(table, window)
                else:
                    disputes = record_statement(table, LedgerEntry.model_validate_json(event.value), window)
            except ValidationError as error:
                await dead_letter(event, error)
                continue
            for dispute in disputes:
                log.info("dispute", extra={"status": dispute.status, "pair": dispute.pair, "claim": dispute.claim.statement_id})
                await publish(topics.disputes, dispute.dispute_id, dispute.model_dump_json().encode())

    @app.agent(topics.disputes, name="index-disputes")
    async def index_disputes(stream):
        async with AsyncElasticsearch(settings.elasticsearch_url, request_timeout=60) as client:
            async for values in stream.take(100, within=1.0):
                disputes = [Dispute.model_validate_json(v) for v in values]
                actions = [{"_index": settings.indices.disputes, "_id": d.dispute_id, "_source": d.model_dump(mode="json")} for d in disputes]
                await async_bulk(client, actions, max_retries=5, initial_backoff=1)


def run_worker(settings: Settings, log_level: str = "INFO") -> None:
    """Run the worker until SIGINT/SIGTERM (Faust handles both and stops cleanly)."""
    app = create_app(settings)
    worker = app.Worker(loglevel=log_level, logging_config=logging_config(log_level), redirect_stdouts=False)
    worker.execute_from_commandline()
