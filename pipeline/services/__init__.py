"""Local Kafka and Elasticsearch for development and tests, from Maven Central, without Docker."""

from __future__ import annotations

import logging
import time

from pipeline.services.elasticsearch import LocalElasticsearch
from pipeline.services.kafka import LocalKafka
from pipeline.services.local import LocalService, ServiceError, ServiceStatus
from pipeline.settings import LOOPBACK_HOSTS, Settings

log = logging.getLogger(__name__)

__all__ = ["ServiceError", "ServiceStatus", "ensure_local_services", "local_services", "up", "down", "status"]


def local_services(settings: Settings) -> list[LocalService]:
    return [LocalKafka(settings), LocalElasticsearch(settings)]


def up(settings: Settings) -> dict[str, float]:
    """Start both services (reusing ours if running) and return seconds until each was healthy."""
    began = time.monotonic()
    services = local_services(settings)
    for service in services:
        service.launch()
    timings = {}
    for service in services:
        service.wait_until_healthy(began)
        timings[service.name] = time.monotonic() - began
        log.info("service healthy", extra={"service": service.name, "endpoint": service.endpoint, "seconds": round(timings[service.name], 1)})
    return timings


def ensure_local_services(settings: Settings) -> list[LocalService]:
    """Start the local Kafka/Elasticsearch that are configured on loopback and not already answering.

    Returns the services started here (the caller stops them); endpoints elsewhere are left alone.
    """
    wanted = [s for s in local_services(settings) if s.address[0] in LOOPBACK_HOSTS and not s.answering()]
    began = time.monotonic()
    for service in wanted:
        service.launch()
    for service in wanted:
        service.wait_until_healthy(began)
        log.info("service healthy", extra={"service": service.name, "endpoint": service.endpoint, "seconds": round(time.monotonic() - began, 1)})
    return wanted


def down(settings: Settings) -> list[str]:
    """Stop the services this launcher started; return the names that were running."""
    return [service.name for service in reversed(local_services(settings)) if service.stop()]


def status(settings: Settings) -> list[ServiceStatus]:
    return [service.status() for service in local_services(settings)]
