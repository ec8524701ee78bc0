"""Create topics and index templates; every step is safe to repeat."""

from __future__ import annotations

import logging

from elasticsearch import Elasticsearch

from pipeline.index.templates import install_templates
from pipeline.ingest.topics import ensure_topics
from pipeline.settings import Settings

log = logging.getLogger(__name__)


def setup(settings: Settings) -> dict[str, list[str]]:
    topics = ensure_topics(settings)
    client = Elasticsearch(settings.elasticsearch_url, request_timeout=30)
    try:
        indices = install_templates(client, settings.indices)
    finally:
        client.close()
    log.info("setup done", extra={"topics_created": topics, "indices_created": indices})
    return {"topics_created": topics, "indices_created": indices}
