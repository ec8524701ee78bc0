"""A local single Elasticsearch node, embedded in a small launcher of ours.

Only the server jar and the netty4 transport are on Maven Central, so the node has
no modules (painless, reindex, analysis-common ...). Everything the project sends
to Elasticsearch is chosen to work on such a core-only node and on a full cluster.
"""

from __future__ import annotations

import yaml
from elasticsearch import Elasticsearch
from elasticsearch.exceptions import ApiError, TransportError

from pipeline.services.artifacts import compile_launcher, materialise
from pipeline.services.local import LocalService, cache_dir
from pipeline.settings import CONFIG_DIR

NODE_SETTINGS = CONFIG_DIR / "elasticsearch" / "node.yml"
LAUNCHER_CLASS = "ceasefire.local.EmbeddedElasticsearch"


class LocalElasticsearch(LocalService):
    name = "elasticsearch"

    @property
    def version(self) -> str:
        return self.settings.services.elasticsearch_version

    @property
    def heap(self) -> str:
        return self.settings.services.elasticsearch_heap

    @property
    def address(self) -> tuple[str, int]:
        return self.settings.elasticsearch_address()

    @property
    def endpoint(self) -> str:
        return self.settings.elasticsearch_url

    def prepare(self) -> list[str]:
        lib = materialise(cache_dir(self.settings), "elasticsearch", self.version)
        classes = compile_launcher(lib)
        return [
            self.java(), *self.jvm_options(self.heap),
            "-Dlog4j2.disable.jmx=true", "-Dlog4j2.formatMsgNoLookups=true",
            "-cp", f"{classes}:{lib}/*", LAUNCHER_CLASS,
            *(f"{key}={value}" for key, value in self.node_settings().items()),
        ]

    def node_settings(self) -> dict[str, str]:
        settings = yaml.safe_load(NODE_SETTINGS.read_text())
        host, port = self.address
        for sub in ("home", "data", "logs"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        settings.update(
            {
                "network.host": host,
                "http.port": port,
                "transport.port": self.settings.services.elasticsearch_transport_port,
                "path.home": self.home / "home",
                "path.data": self.home / "data",
                "path.logs": self.home / "logs",
            }
        )
        return {key: str(value).lower() if isinstance(value, bool) else str(value) for key, value in settings.items()}

    def is_healthy(self) -> bool:
        client = Elasticsearch(self.endpoint, request_timeout=3)
        try:
            return client.cluster.health(wait_for_status="yellow", timeout="2s")["status"] in {"yellow", "green"}
        except (ApiError, TransportError):
            return False
        finally:
            client.close()
