"""One typed settings object for every command.

Defaults live in ``config/defaults.yaml`` (data, not code); environment variables
override them: ``KAFKA_BOOTSTRAP_SERVERS``, ``ELASTICSEARCH_URL`` and
``CEASEFIRE_<SECTION>__<KEY>`` for everything else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_ROOT / "config"
DEFAULTS_FILE = CONFIG_DIR / "defaults.yaml"

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class TopicSettings(BaseModel):
    articles: str
    classified: str
    dead_letter: str
    disputes: str
    ledger: str
    partitions: int = Field(ge=1)
    replication_factor: int = Field(ge=1)


class IndexSettings(BaseModel):
    articles: str
    statements: str
    disputes: str


class LocalServiceSettings(BaseModel):
    cache_dir: Path
    data_dir: Path
    kafka_version: str
    elasticsearch_version: str
    kafka_heap: str
    elasticsearch_heap: str
    kafka_controller_port: int
    elasticsearch_transport_port: int
    start_timeout_s: float = Field(gt=0)

    def cache_path(self) -> Path:
        return self.cache_dir.expanduser()

    def data_path(self) -> Path:
        return self.data_dir.expanduser()


class ModelSettings(BaseModel):
    path: Path
    batch_size: int = Field(ge=1)
    context_sentences: int = Field(ge=0)
    threads: int = Field(ge=1)
    precision: Literal["auto", "bf16", "fp32"]



class FeedSettings(BaseModel):
    file: Path
    interval_s: float = Field(gt=0)
    timeout_s: float = Field(gt=0)


class WorkerSettings(BaseModel):
    app_id: str
    batch_articles: int = Field(ge=1)
    batch_within_s: float = Field(gt=0)
    max_dead_letter_payload_bytes: int = Field(ge=1024)


class LedgerSettings(BaseModel):
    window_days: float = Field(gt=0)
    check_every_s: float = Field(gt=0)


class AlertSettings(BaseModel):
    webhook_url: str | None = None
    jsonl_path: Path | None = None
    parties: list[str] = Field(default_factory=list)
    include_uncontested: bool = False
    timeout_s: float = Field(gt=0)
    max_backoff_s: float = Field(gt=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CEASEFIRE_",
        env_nested_delimiter="__",
        yaml_file=DEFAULTS_FILE,
        populate_by_name=True,
        extra="forbid",
    )

    kafka_bootstrap_servers: str = Field(
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap_servers")
    )
    elasticsearch_url: str = Field(validation_alias=AliasChoices("ELASTICSEARCH_URL", "elasticsearch_url"))
    topics: TopicSettings
    indices: IndexSettings
    services: LocalServiceSettings
    model: ModelSettings
    producer: dict[str, Any]
    state_dir: Path
    feeds: FeedSettings
    worker: WorkerSettings
    ledger: LedgerSettings
    alerts: AlertSettings

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, YamlConfigSettingsSource(settings_cls))

    def kafka_address(self) -> tuple[str, int]:
        """Host and port of the first bootstrap server."""
        first = self.kafka_bootstrap_servers.split(",")[0].strip()
        host, _, port = first.rpartition(":")
        return host.strip("[]"), int(port)

    def elasticsearch_address(self) -> tuple[str, int]:
        parts = urlsplit(self.elasticsearch_url)
        return parts.hostname or "127.0.0.1", parts.port or 9200

    def kafka_is_local(self) -> bool:
        return self.kafka_address()[0] in LOOPBACK_HOSTS

    def elasticsearch_is_local(self) -> bool:
        return self.elasticsearch_address()[0] in LOOPBACK_HOSTS

    def state_path(self) -> Path:
        path = self.state_dir.expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path


def namespace_env(prefix: str) -> dict[str, str]:
    """Environment giving one run its own topics, indices and consumer group (benchmarks, tests)."""
    topics = [name for name, field in TopicSettings.model_fields.items() if field.annotation is str]
    env = {f"CEASEFIRE_TOPICS__{name.upper()}": f"{prefix}.{name.replace('_', '-')}" for name in topics}
    env.update({f"CEASEFIRE_INDICES__{name.upper()}": f"{prefix}-{name}" for name in IndexSettings.model_fields})
    env["CEASEFIRE_WORKER__APP_ID"] = prefix
    return env


def project_path(path: Path) -> Path:
    """A path from the settings: relative ones are relative to the project root."""
    path = path.expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
