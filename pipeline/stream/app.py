"""The Faust app and its article agent.

The agent takes events in time-bounded batches (``take_events``) so the model
always runs batched; Faust acknowledges a batch's offsets only after the agent
asks for the next one, i.e. after the batch is indexed and its results published.
Exactly-once *effects* come from deterministic Elasticsearch ids, not from
Faust's transactions.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import faust
from elasticsearch import AsyncElasticsearch

from pipeline.index.writer import ResultIndexer
from pipeline.logs import logging_config
from pipeline.nlp.classifier import CeasefireClassifier
from pipeline.settings import Settings
from pipeline.stream.processor import BatchProcessor, RawRecord

log = logging.getLogger(__name__)


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
        stream_wait_empty=False,
    )
    register_article_agent(app, settings)
    return app


def register_article_agent(app: faust.App, settings: Settings) -> None:
    articles = app.topic(settings.topics.articles, value_type=bytes, key_type=bytes)
    classified = app.topic(settings.topics.classified, value_type=bytes, key_type=bytes)
    dead_letters = app.topic(settings.topics.dead_letter, value_type=bytes, key_type=bytes)
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classifier")

    async def publish_to(topic, key: str, value: bytes) -> None:
        delivery = await topic.send(key=key.encode(), value=value, force=True)
        await delivery

    @app.agent(articles, name="classify-articles")
    async def classify_articles_agent(stream):
        processor = await build_processor(settings, executor, lambda k, v: publish_to(classified, k, v), lambda k, v: publish_to(dead_letters, k, v))
        async for events in stream.take_events(settings.worker.batch_articles, within=settings.worker.batch_within_s):
            records = [
                RawRecord(
                    value=event.value or b"",
                    topic=event.message.topic,
                    partition=event.message.partition,
                    offset=event.message.offset,
                    key=event.message.key.decode("utf-8", "replace") if event.message.key else None,
                )
                for event in events
            ]
            stats = await processor.process(records)
            log.info(
                "batch done",
                extra={
                    "records": stats.records, "articles": stats.articles, "sentences": stats.sentences,
                    "statements": stats.statements, "dead_lettered": stats.dead_lettered, "seconds": round(stats.seconds, 3),
                },
            )


async def build_processor(settings: Settings, executor: ThreadPoolExecutor, publish_result, publish_dead_letter) -> BatchProcessor:
    loop = asyncio.get_running_loop()
    model = settings.model
    classifier = await loop.run_in_executor(executor, CeasefireClassifier.from_settings, model)
    client = AsyncElasticsearch(settings.elasticsearch_url, request_timeout=60)
    return BatchProcessor(
        classifier=classifier,
        indexer=ResultIndexer(client, settings.indices),
        executor=executor,
        publish_result=publish_result,
        publish_dead_letter=publish_dead_letter,
        context_sentences=model.context_sentences,
        max_dead_letter_payload_bytes=settings.worker.max_dead_letter_payload_bytes,
    )


def run_worker(settings: Settings, log_level: str = "INFO") -> None:
    """Run the worker until SIGINT/SIGTERM (Faust handles both and stops cleanly)."""
    app = create_app(settings)
    worker = app.Worker(loglevel=log_level, logging_config=logging_config(log_level), redirect_stdouts=False)
    worker.execute_from_commandline()
