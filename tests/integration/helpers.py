"""Helpers for integration tests: a private pipeline per test (topics, indices, group, state)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pipeline.settings import PROJECT_ROOT, Settings, namespace_env


@dataclass
class Isolated:
    """Environment and settings of one test's private pipeline."""

    env: dict[str, str]
    settings: Settings
    tmp: Path

    def cli(self, *args: str, stdin: bytes | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pipeline", *args], env=self.env, input=stdin, capture_output=True, timeout=timeout, cwd=PROJECT_ROOT
        )

    def start_worker(self, name: str = "worker") -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("wb")
        return subprocess.Popen([sys.executable, "-m", "pipeline", "worker"], env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT, start_new_session=True)

    def worker_log(self, name: str = "worker") -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")


def isolated_env(unique: str, tmp: Path, partitions: int = 2) -> dict[str, str]:
    env = dict(os.environ)
    env.update(namespace_env(f"t-{unique}"))
    env.update(
        {
            "CEASEFIRE_TOPICS__PARTITIONS": str(partitions),
            "CEASEFIRE_WORKER__BATCH_WITHIN_S": "0.5",
            "CEASEFIRE_LEDGER__CHECK_EVERY_S": "2",
            "CEASEFIRE_STATE_DIR": str(tmp / "state"),
        }
    )
    return env


def wait_until(condition, timeout_s: float, what, interval_s: float = 0.5):
    """Poll until ``condition()`` is truthy; ``what`` (a string, or a callable for late detail) names it on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval_s)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what() if callable(what) else what}")


class LocalHTTPServer:
    """A real HTTP server on a free loopback port, serving ``handler`` in a background thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def reply(self, status: int, body: bytes = b"", content_type: str = "application/json", headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)
