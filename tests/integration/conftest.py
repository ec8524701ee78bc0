"""Integration fixtures: fail loudly (never skip) when the real services are not up."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest
from elasticsearch import Elasticsearch

from pipeline.services.local import port_open
from pipeline.settings import Settings
from tests.integration.helpers import Isolated, isolated_env


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


@pytest.fixture
def make_isolated(unique, tmp_path, monkeypatch, kafka_bootstrap, es):
    """Build the private pipeline of this test; its settings also apply in this process."""

    def build(partitions: int = 2) -> Isolated:
        env = isolated_env(unique, tmp_path, partitions)
        for key, value in env.items():
            if key.startswith("CEASEFIRE_"):
                monkeypatch.setenv(key, value)
        return Isolated(env, Settings(), tmp_path)

    return build


@pytest.fixture
def isolated(make_isolated) -> Isolated:
    return make_isolated()


@pytest.fixture
def workers():
    """Worker processes started by a test, stopped at its end whatever happens."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
