"""Integration fixtures: fail loudly (never skip) when the real services are not up."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from pipeline.services.local import port_open
from pipeline.settings import Settings


def pytest_collection_modifyitems(items):
    for item in items:
        if "integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def kafka_bootstrap(settings: Settings) -> str:
    if not port_open(*settings.kafka_address()):
        pytest.fail(f"Kafka is not reachable at {settings.kafka_bootstrap_servers}: run the suite with `make test`")
    return settings.kafka_bootstrap_servers


@pytest.fixture(scope="session")
def es(settings: Settings) -> Elasticsearch:
    if not port_open(*settings.elasticsearch_address()):
        pytest.fail(f"Elasticsearch is not reachable at {settings.elasticsearch_url}: run the suite with `make test`")
    client = Elasticsearch(settings.elasticsearch_url, request_timeout=30)
    yield client
    client.close()
