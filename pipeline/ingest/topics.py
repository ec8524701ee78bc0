"""Create the project's Kafka topics with the configured partitions; safe to repeat."""

from __future__ import annotations

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from pipeline.settings import Settings


def project_topics(settings: Settings) -> dict[str, int]:
    """Topic name -> partitions. The ledger topic has one partition: the ledger sees every pair."""
    t = settings.topics
    return {t.articles: t.partitions, t.classified: t.partitions, t.dead_letter: t.partitions, t.disputes: t.partitions, t.ledger: 1}


def ensure_topics(settings: Settings) -> list[str]:
    """Create missing topics; return the names created."""
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers, client_id="ceasefire-setup")
    try:
        existing = set(admin.list_topics())
        missing = {name: parts for name, parts in project_topics(settings).items() if name not in existing}
        if missing:
            new = [NewTopic(name, parts, settings.topics.replication_factor) for name, parts in missing.items()]
            try:
                admin.create_topics(new)
            except TopicAlreadyExistsError:
                pass  # another process created them meanwhile
        return list(missing)
    finally:
        admin.close()
