"""Deliver alerts: POST to a webhook with retries, append to a JSON Lines file.

A webhook that fails is retried with backoff until it answers (the Kafka offset is
not committed meanwhile, so nothing is lost). Each alert carries its id in the body
and in an ``Idempotency-Key`` header, so a receiver can drop the rare repeat after a
crash between delivery and bookkeeping.
"""

from __future__ import annotations

import logging
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

from pipeline import __version__
from pipeline.alerts.messages import Alert

log = logging.getLogger(__name__)


class WebhookSink:
    name = "webhook"

    def __init__(self, url: str, timeout_s: float, max_backoff_s: float) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self.max_backoff_s = max_backoff_s

    def deliver(self, alert: Alert, stop=lambda: False) -> bool:
        """POST until a 2xx answer; False only if asked to stop first. 4xx other than 408/429 are not retried."""
        body = alert.model_dump_json().encode()
        delay = 0.5
        while not stop():
            request = urllib.request.Request(
                self.url, data=body, method="POST",
                headers={"Content-Type": "application/json", "Idempotency-Key": alert.alert_id, "User-Agent": f"ceasefire-watch/{__version__}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s):
                    return True
            except urllib.error.HTTPError as error:
                if 400 <= error.code < 500 and error.code not in (408, 429):
                    log.error("webhook refused alert; not retrying", extra={"alert": alert.alert_id, "status": error.code})
                    return True
                problem = f"HTTP {error.code}"
            except OSError as error:
                problem = str(error)
            log.warning("webhook delivery failed; retrying", extra={"alert": alert.alert_id, "error": problem, "retry_in_s": delay})
            time.sleep(delay)
            delay = min(delay * 2, self.max_backoff_s)
        return False


class JsonLinesSink:
    name = "jsonl"

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def deliver(self, alert: Alert, stop=lambda: False) -> bool:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(alert.model_dump_json() + "\n")
            out.flush()
            os.fsync(out.fileno())
        return True
