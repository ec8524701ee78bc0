"""`services status` sees the running services; the launcher only ever signals its own pids."""

from __future__ import annotations

import os
import subprocess
import sys

from pipeline import services
from pipeline.services.process import ManagedProcess


def test_status_reports_both_services_healthy(settings):
    report = {item.name: item for item in services.status(settings)}
    assert set(report) == {"kafka", "elasticsearch"}
    for item in report.values():
        assert item.running and item.healthy, item
        assert item.resident_mb and item.resident_mb > 50
    assert report["kafka"].endpoint == settings.kafka_bootstrap_servers
    assert report["elasticsearch"].endpoint == settings.elasticsearch_url


def test_status_command_exit_code_and_json(settings):
    result = subprocess.run([sys.executable, "-m", "pipeline", "services", "status", "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert '"healthy": true' in result.stdout


def test_stop_leaves_unrelated_processes_alone(tmp_path):
    sleeper_source = tmp_path / "Sleeper.java"
    sleeper_source.write_text("public class Sleeper { public static void main(String[] a) throws Exception { Thread.sleep(60000); } }")
    process = ManagedProcess("sleeper", tmp_path)
    pid = process.start(["java", str(sleeper_source)])
    assert process.pid() == pid

    # A pid file that points at another process (here: this test runner) is stale, not ours.
    other = ManagedProcess("other", tmp_path / "other")
    other.home.mkdir()
    other.pid_file.write_text(f'{{"pid": {os.getpid()}, "started": 0}}')
    assert other.pid() is None
    assert other.stop() is False
    assert not other.pid_file.exists()

    assert process.stop(timeout_s=10) is True
    assert process.pid() is None
