from __future__ import annotations

from pipeline.settings import Settings


def test_defaults_come_from_config_file(monkeypatch):
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "ELASTICSEARCH_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.kafka_bootstrap_servers == "127.0.0.1:9092"
    assert settings.elasticsearch_url == "http://127.0.0.1:9200"
    assert settings.kafka_is_local() and settings.elasticsearch_is_local()


def test_environment_overrides_endpoints_and_nested_keys(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker-a:19092,broker-b:19092")
    monkeypatch.setenv("ELASTICSEARCH_URL", "https://search.example.org:9243")
    monkeypatch.setenv("CEASEFIRE_TOPICS__PARTITIONS", "12")
    settings = Settings()
    assert settings.kafka_address() == ("broker-a", 19092)
    assert settings.elasticsearch_address() == ("search.example.org", 9243)
    assert settings.topics.partitions == 12
    assert settings.topics.articles == "ceasefire.articles", "other keys keep their defaults"
    assert not settings.kafka_is_local()
