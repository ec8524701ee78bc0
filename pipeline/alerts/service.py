"""`python -m pipeline alerts`: read disputes and classified articles, deliver each alert once.

Offsets are committed only after every alert of a record is delivered, and each
(alert, sink) pair is remembered in the state store, so a restart neither loses nor
repeats alerts.
"""

from __future__ import annotations

import json
import logging
import threading

from kafka import KafkaConsumer
from pydantic import ValidationError

from pipeline.alerts.delivery import JsonLinesSink, WebhookSink
from pipeline.alerts.messages import Alert, claim_alerts, dispute_alert
from pipeline.schema import ArticleResult, Dispute
from pipeline.settings import Settings
from pipeline.state import StateStore

log = logging.getLogger(__name__)


def build_sinks(settings: Settings) -> list:
    config = settings.alerts
    sinks = []
    if config.webhook_url:
        sinks.append(WebhookSink(config.webhook_url, config.timeout_s, config.max_backoff_s))
    if config.jsonl_path:
        sinks.append(JsonLinesSink(config.jsonl_path))
    if not sinks:
        raise ValueError("no alert destination: set CEASEFIRE_ALERTS__WEBHOOK_URL and/or CEASEFIRE_ALERTS__JSONL_PATH (or --webhook / --jsonl)")
    return sinks


def alerts_for(topic: str, value: bytes, settings: Settings) -> list[Alert]:
    if topic == settings.topics.disputes:
        dispute = Dispute.model_validate_json(value)
        wanted = dispute.status == "disputed" or settings.alerts.include_uncontested
        return [dispute_alert(dispute)] if wanted else []
    watched = set(settings.alerts.parties)
    return claim_alerts(ArticleResult.model_validate_json(value), watched) if watched else []


def run_alerts(settings: Settings, stop: threading.Event, idle_exit_s: float | None = None) -> int:
    """Deliver alerts until ``stop`` is set (or after ``idle_exit_s`` without records); return how many were sent."""
    sinks = build_sinks(settings)
    state = StateStore(settings.state_path() / "alerts.sqlite")
    topics = [settings.topics.disputes] + ([settings.topics.classified] if settings.alerts.parties else [])
    consumer = KafkaConsumer(
        *topics, bootstrap_servers=settings.kafka_bootstrap_servers, group_id=f"{settings.worker.app_id}-alerts",
        enable_auto_commit=False, auto_offset_reset="earliest",
    )
    delivered = 0
    idle = 0.0
    try:
        while not stop.is_set():
            batches = consumer.poll(timeout_ms=1000)
            if not batches:
                idle += 1
                if idle_exit_s is not None and idle >= idle_exit_s:
                    break
                continue
            idle = 0.0
            for records in batches.values():
                for record in records:
                    delivered += deliver_record(record, settings, sinks, state, stop)
            if not stop.is_set():
                consumer.commit()
    finally:
        consumer.close()
        state.close()
    return delivered


def deliver_record(record, settings: Settings, sinks: list, state: StateStore, stop: threading.Event) -> int:
    try:
        alerts = alerts_for(record.topic, record.value, settings)
    except (ValidationError, json.JSONDecodeError) as error:
        log.error("unreadable record skipped", extra={"topic": record.topic, "offset": record.offset, "error": str(error)[:300]})
        return 0
    sent = 0
    for alert in alerts:
        for sink in sinks:
            if state.was_sent(alert.alert_id, sink.name):
                continue
            if sink.deliver(alert, stop.is_set):
                state.mark_sent(alert.alert_id, sink.name)
                sent += 1
                log.info("alert delivered", extra={"alert": alert.alert_id, "sink": sink.name, "kind": alert.kind})
    return sent
