"""Live figures for the running service, read from Kafka and Elasticsearch themselves."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from pipeline.settings import Settings


@dataclass
class Progress:
    articles_in: int
    classified: int
    indexed_articles: int
    indexed_statements: int
    dead_lettered: int
    consumer_lag: int

    def line(self) -> str:
        return (
            f"articles in {self.articles_in} | classified {self.classified} | indexed {self.indexed_articles} articles, "
            f"{self.indexed_statements} statements | dead-lettered {self.dead_lettered} | lag {self.consumer_lag}"
        )


class ProgressReader:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.consumer = KafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers, client_id="ceasefire-progress", enable_auto_commit=False
        )
        self.admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers, client_id="ceasefire-progress")
        self.es = Elasticsearch(settings.elasticsearch_url, request_timeout=10)

    def end_offsets(self, topic: str) -> dict[TopicPartition, int]:
        partitions = self.consumer.partitions_for_topic(topic) or set()
        return self.consumer.end_offsets([TopicPartition(topic, p) for p in partitions]) if partitions else {}

    def lag(self, topic: str, ends: dict[TopicPartition, int]) -> int:
        group = self.settings.worker.app_id
        committed = self.admin.list_group_offsets({group: list(ends)}).get(group, {}) if ends else {}
        return sum(end - max(committed[tp].offset, 0) if tp in committed else end for tp, end in ends.items())

    def count(self, index: str) -> int:
        return self.es.options(ignore_status=404).count(index=index).get("count", 0)

    def read(self) -> Progress:
        topics, indices = self.settings.topics, self.settings.indices
        article_ends = self.end_offsets(topics.articles)
        return Progress(
            articles_in=sum(article_ends.values()),
            classified=sum(self.end_offsets(topics.classified).values()),
            indexed_articles=self.count(indices.articles),
            indexed_statements=self.count(indices.statements),
            dead_lettered=sum(self.end_offsets(topics.dead_letter).values()),
            consumer_lag=self.lag(topics.articles, article_ends),
        )

    def close(self) -> None:
        self.consumer.close()
        self.admin.close()
        self.es.close()
