"""The main job: `python -m pipeline run` from start to a clean stop, and setup."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

from pipeline.index.templates import load_template, mapping_fields
from pipeline.services.local import port_open
from pipeline.settings import PROJECT_ROOT
from tests.integration.helpers import wait_until

EXAMPLES = PROJECT_ROOT / "examples" / "articles.jsonl"


class RunningService:
    """`python -m pipeline run` in the background, its stdout collected line by line."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "run", "--progress-every", "1", *args],
            env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def saw(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def stop(self, timeout_s: float = 120) -> int:
        os.killpg(self.process.pid, signal.SIGTERM)
        return self.process.wait(timeout=timeout_s)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)


def small_input(tmp, count: int = 5):
    path = tmp / "input.jsonl"
    path.write_text("\n".join(EXAMPLES.read_text().splitlines()[:count]) + "\n")
    return path


def test_setup_is_idempotent_and_mappings_match_the_templates(isolated, es):
    first, second = isolated.cli("setup"), isolated.cli("setup")
    assert first.returncode == second.returncode == 0
    assert b"topics created: t-" in first.stdout
    assert b"none (all existed)" in second.stdout
    for kind in ("articles", "statements"):
        index = getattr(isolated.settings.indices, kind)
        live = mapping_fields(es.indices.get_mapping(index=index)[index]["mappings"])
        assert live == mapping_fields(load_template(kind)["template"]["mappings"])


def test_run_uses_running_services_shows_progress_and_stops_cleanly(isolated, es):
    run = RunningService(isolated.env, "--input", str(small_input(isolated.tmp)))
    try:
        wait_until(lambda: run.saw("indexed 5 articles") and run.saw("lag 0"), 240, lambda: f"progress to show 5 indexed articles: {run.lines[-8:]}")
        assert run.stop() == 0
    finally:
        run.kill()
    assert not run.saw('"service starting"'), "services already answering must be reused, not started"
    assert port_open(*isolated.settings.kafka_address()) and port_open(*isolated.settings.elasticsearch_address())


def test_run_starts_the_embedded_services_when_nothing_answers_and_stops_them(isolated, tmp_path):
    env = {
        **isolated.env,
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:39092",
        "ELASTICSEARCH_URL": "http://127.0.0.1:39200",
        "CEASEFIRE_SERVICES__KAFKA_CONTROLLER_PORT": "39093",
        "CEASEFIRE_SERVICES__ELASTICSEARCH_TRANSPORT_PORT": "39300",
        "CEASEFIRE_SERVICES__DATA_DIR": str(tmp_path / "embedded"),
    }
    run = RunningService(env, "--input", str(small_input(isolated.tmp, 3)))
    try:
        wait_until(lambda: run.saw("indexed 3 articles"), 300, lambda: f"the embedded pipeline to index 3 articles: {run.lines[-8:]}")
        assert port_open("127.0.0.1", 39092) and port_open("127.0.0.1", 39200)
        assert run.stop() == 0
    finally:
        run.kill()
    started = [json.loads(line) for line in run.lines if line.startswith("{") and '"service starting"' in line]
    assert {line["service"] for line in started} == {"kafka", "elasticsearch"}
    assert not port_open("127.0.0.1", 39092) and not port_open("127.0.0.1", 39200), "run stops what it started"
