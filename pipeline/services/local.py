"""The shape every local service shares: prepare, start, wait until healthy, stop."""

from __future__ import annotations

import logging
import shutil
import socket
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from pipeline.services.process import ManagedProcess
from pipeline.settings import LOOPBACK_HOSTS, Settings

log = logging.getLogger(__name__)


class ServiceError(RuntimeError):
    pass


@dataclass
class ServiceStatus:
    name: str
    endpoint: str
    running: bool
    healthy: bool
    pid: int | None
    resident_mb: float | None
    heap: str
    version: str
    log_file: str
    data_dir: str

    def as_dict(self) -> dict:
        return dict(vars(self))


class LocalService(ABC):
    name: str

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.services.data_path() / self.name
        self.process = ManagedProcess(self.name, self.home)

    @property
    @abstractmethod
    def version(self) -> str: ...

    @property
    @abstractmethod
    def heap(self) -> str: ...

    @property
    @abstractmethod
    def address(self) -> tuple[str, int]: ...

    @property
    @abstractmethod
    def endpoint(self) -> str: ...

    @abstractmethod
    def prepare(self) -> list[str]:
        """Fetch artifacts, write configuration, and return the java command line."""

    @abstractmethod
    def is_healthy(self) -> bool: ...

    def java(self) -> str:
        java = shutil.which("java")
        if java is None:
            raise ServiceError("'java' was not found on PATH. Install a JDK 17 or newer.")
        return java

    def launch(self) -> None:
        """Start the service unless ours is already running."""
        host, port = self.address
        if host not in LOOPBACK_HOSTS:
            raise ServiceError(
                f"{self.name} endpoint {self.endpoint} is not on loopback; the local launcher only "
                "starts services on 127.0.0.1. Unset the endpoint to use the local default."
            )
        if self.process.pid() is not None:
            return
        if port_open(host, port):
            raise ServiceError(
                f"port {port} is already in use by another process; stop it or point "
                f"{self.name} at another port (see README, Configuration)"
            )
        pid = self.process.start(self.prepare())
        log.info("service starting", extra={"service": self.name, "pid": pid, "log": str(self.process.log_file)})

    def answering(self) -> bool:
        """Healthy, probing the protocol only once the port listens: clients log errors for refused connections."""
        return port_open(*self.address) and self.is_healthy()

    def wait_until_healthy(self, began: float) -> None:
        deadline = began + self.settings.services.start_timeout_s
        while time.monotonic() < deadline:
            if self.process.pid() is None:
                raise ServiceError(f"{self.name} exited during start-up. Last log lines:\n{self.process.log_tail()}")
            if self.answering():
                return
            time.sleep(0.5)
        raise ServiceError(
            f"{self.name} was not healthy after {self.settings.services.start_timeout_s:.0f}s. "
            f"Log: {self.process.log_file}\n{self.process.log_tail()}"
        )

    def stop(self) -> bool:
        return self.process.stop()

    def status(self) -> ServiceStatus:
        pid = self.process.pid()
        return ServiceStatus(
            name=self.name,
            endpoint=self.endpoint,
            running=pid is not None,
            healthy=self.answering(),
            pid=pid,
            resident_mb=self.process.resident_mb(),
            heap=self.heap,
            version=self.version,
            log_file=str(self.process.log_file),
            data_dir=str(self.home),
        )

    def jvm_options(self, heap: str) -> list[str]:
        tmp = self.home / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        return [f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true", f"-Djava.io.tmpdir={tmp}"]


def port_open(host: str, port: int, timeout_s: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def cache_dir(settings: Settings) -> Path:
    path = settings.services.cache_path()
    path.mkdir(parents=True, exist_ok=True)
    return path
