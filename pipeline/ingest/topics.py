"""Create the project's Kafka topics with the configured partitions; safe to repeat."""

from __future__ import annotations

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from pipeline.settings import Settings


def project_topics(settings: Settings) -> list[str]:
    t = settings.topics
    return [t.articles, t.classified, t.dead_letter, t.disputes]


def ensure_topics(settings: Settings) -> list[str]:
    """Create missing topics; return the names created."""
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers, client_id="ceasefire-setup")
    try:
        existing = set(admin.list_topics())
        missing = [name for name in project_topics(settings) if name not in existing]
        if missing:
            new = [NewTopic(name, settings.topics.partitions, settings.topics.replication_factor) for name in missing]
            try:
                admin.create_topics(new)
            except TopicAlreadyExistsError:
                pass  # another process created them meanwhile
        return missing
    finally:
        admin.close()
