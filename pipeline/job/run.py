"""`python -m pipeline run`: the whole service in one command.

Starts local Kafka and Elasticsearch when the endpoints are on loopback and
nothing answers there (the embedded default), runs setup, starts the Faust
worker and the producers, prints live progress, and on Ctrl-C or SIGTERM stops
everything it started, in order.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from elasticsearch.exceptions import ApiError, TransportError
from kafka.errors import KafkaError

from pipeline import services
from pipeline.alerts.service import run_alerts
from pipeline.ingest.feeds import load_feeds, poll_feeds
from pipeline.ingest.producer import ArticleProducer
from pipeline.ingest.sources import open_source, read_articles
from pipeline.state import StateStore
from pipeline.job.progress import ProgressReader
from pipeline.job.setup import setup
from pipeline.settings import PROJECT_ROOT, Settings, project_path
from pipeline.shutdown import stop_on_signals

log = logging.getLogger(__name__)

PROGRESS_UNAVAILABLE = (KafkaError, ApiError, TransportError)

DEFAULT_EXAMPLES = PROJECT_ROOT / "examples" / "articles.jsonl"


@dataclass
class RunOptions:
    inputs: list[Path]
    feeds: bool
    progress_every_s: float
    log_level: str
    worker_restart_limit: int = 5


class Service:
    def __init__(self, settings: Settings, options: RunOptions) -> None:
        self.settings = settings
        self.options = options
        self.stop = threading.Event()
        self.worker: subprocess.Popen | None = None
        self.worker_restarts = 0
        self.started_services: list = []

    def run(self) -> int:
        stop_on_signals(self.stop)
        try:
            self.started_services = services.ensure_local_services(self.settings)
            setup(self.settings)
            self._start_worker()
            threading.Thread(target=self._produce, name="producers", daemon=True).start()
            if self.settings.alerts.webhook_url or self.settings.alerts.jsonl_path:
                threading.Thread(target=self._alert, name="alerts", daemon=True).start()
            return self._watch()
        finally:
            self._shutdown()

    def _start_worker(self) -> None:
        command = [sys.executable, "-m", "pipeline", "--log-level", self.options.log_level, "worker"]
        self.worker = subprocess.Popen(command, start_new_session=True)
        log.info("worker started", extra={"pid": self.worker.pid})

    def _produce(self) -> None:
        """Send the input files once, then poll feeds until stopped; a failure here never stops the worker."""
        state = StateStore(self.settings.state_path() / "producer.sqlite")
        producer = ArticleProducer(self.settings, state)
        try:
            for path in self.options.inputs:
                with open_source(str(path)) as source:
                    summary = producer.send_all(read_articles(source, str(path)), progress=False)
                log.info("input produced", extra={"file": str(path), "summary": summary.line()})
            if self.options.feeds:
                feeds = load_feeds(project_path(self.settings.feeds.file), self.settings.feeds.interval_s)
                poll_feeds(feeds, producer, state, self.settings.feeds.timeout_s, self.stop)
        except Exception:
            log.exception("producer failed; the worker keeps running")
        finally:
            producer.close()
            state.close()

    def _alert(self) -> None:
        try:
            run_alerts(self.settings, self.stop)
        except Exception:
            log.exception("alerts stopped; the worker keeps running")

    def _watch(self) -> int:
        reader = ProgressReader(self.settings)
        began = time.monotonic()
        last = None
        try:
            while not self.stop.wait(self.options.progress_every_s):
                if self.worker and self.worker.poll() is not None:
                    if self.worker_restarts >= self.options.worker_restart_limit:
                        log.error("worker keeps exiting; giving up", extra={"exit_code": self.worker.returncode})
                        return 1
                    self.worker_restarts += 1
                    log.error("worker exited; restarting", extra={"exit_code": self.worker.returncode, "restart": self.worker_restarts})
                    self._start_worker()
                try:
                    progress = reader.read()
                except PROGRESS_UNAVAILABLE as error:  # e.g. the group coordinator is still starting
                    log.warning("progress unavailable; retrying", extra={"error": str(error)})
                    continue
                if progress != last:
                    elapsed = int(time.monotonic() - began)
                    print(f"[{elapsed // 3600:02d}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}] {progress.line()}", flush=True)
                    last = progress
            return 0
        finally:
            reader.close()

    def _shutdown(self) -> None:
        self.stop.set()
        if self.worker and self.worker.poll() is None:
            self.worker.send_signal(signal.SIGTERM)
            try:
                self.worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        for service in reversed(self.started_services):
            service.stop()
            log.info("service stopped", extra={"service": service.name})
