"""A local Apache Kafka broker in KRaft mode (one combined broker and controller)."""

from __future__ import annotations

import base64
import string
import subprocess
import uuid

from kafka import KafkaAdminClient
from kafka.errors import RetriableError

from pipeline.services.artifacts import materialise
from pipeline.services.local import LocalService, ServiceError, cache_dir
from pipeline.settings import CONFIG_DIR

SERVER_PROPERTIES_TEMPLATE = CONFIG_DIR / "kafka" / "server.properties"
UNREACHABLE = RetriableError  # connection refused, bootstrap or request timed out


class LocalKafka(LocalService):
    name = "kafka"

    @property
    def version(self) -> str:
        return self.settings.services.kafka_version

    @property
    def heap(self) -> str:
        return self.settings.services.kafka_heap

    @property
    def address(self) -> tuple[str, int]:
        return self.settings.kafka_address()

    @property
    def endpoint(self) -> str:
        return self.settings.kafka_bootstrap_servers

    def prepare(self) -> list[str]:
        lib = materialise(cache_dir(self.settings), "kafka", self.version)
        properties = self.write_properties()
        classpath = ["-cp", f"{lib}/*"]
        base = [self.java(), "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", *classpath]
        if not (self.home / "data" / "meta.properties").exists():
            self.run_tool(base + ["kafka.tools.StorageTool", "format", "-t", new_cluster_id(), "-c", str(properties), "--ignore-formatted"])
        return [
            self.java(), *self.jvm_options(self.heap),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            *classpath, "kafka.Kafka", str(properties),
        ]

    def write_properties(self):
        host, port = self.address
        text = string.Template(SERVER_PROPERTIES_TEMPLATE.read_text()).substitute(
            host=host,
            port=port,
            controller_port=self.settings.services.kafka_controller_port,
            data_dir=self.home / "data",
        )
        path = self.home / "server.properties"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def run_tool(self, command: list[str]) -> None:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise ServiceError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")

    def is_healthy(self) -> bool:
        """Ready means the broker answers a metadata request, not only that its port is open."""
        try:
            admin = KafkaAdminClient(
                bootstrap_servers=self.endpoint, request_timeout_ms=3000, bootstrap_timeout_ms=3000
            )
        except UNREACHABLE:
            return False
        try:
            admin.list_topics()
            return True
        except UNREACHABLE:
            return False
        finally:
            admin.close()


def new_cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes in URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
