"""Start, find and stop the JVM processes the launcher owns, by pid file.

A pid file records the pid and a marker that must appear in that process's
command line, so a recycled pid never gets a signal meant for our service.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ManagedProcess:
    name: str
    home: Path

    @property
    def pid_file(self) -> Path:
        return self.home / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.home / f"{self.name}.log"

    @property
    def marker(self) -> str:
        return f"-Dceasefire.service={self.name}@{self.home}"

    def start(self, command: list[str]) -> int:
        """Start ``command`` detached in its own session; the marker goes right after ``java``."""
        self.home.mkdir(parents=True, exist_ok=True)
        argv = [command[0], self.marker, *command[1:]]
        with self.log_file.open("ab") as log:
            child = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self.pid_file.write_text(json.dumps({"pid": child.pid, "started": time.time()}))
        wait_for(lambda: self.marker in read_cmdline(child.pid) or child.poll() is not None, timeout_s=10)
        return child.pid

    def pid(self) -> int | None:
        """The pid of our running process, or None when the pid file is missing or stale."""
        try:
            pid = json.loads(self.pid_file.read_text())["pid"]
        except (FileNotFoundError, ValueError, KeyError):
            return None
        return pid if self.marker in read_cmdline(pid) else None

    def started_at(self) -> float | None:
        try:
            return json.loads(self.pid_file.read_text())["started"]
        except (FileNotFoundError, ValueError, KeyError):
            return None

    def stop(self, timeout_s: float = 30.0) -> bool:
        """SIGTERM our process, SIGKILL it after ``timeout_s``; True if one was running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        if not wait_for(lambda: self.marker not in read_cmdline(pid), timeout_s):
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def resident_mb(self) -> float | None:
        pid = self.pid()
        if pid is None:
            return None
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


def read_cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ""
    if not raw:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def wait_for(condition, timeout_s: float, interval_s: float = 0.1) -> bool:
    """Poll ``condition`` until it holds or ``timeout_s`` passes; return whether it held."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval_s)
    return True
