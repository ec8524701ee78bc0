"""docker-compose.yml cannot run here (no Docker engine): check it against the code instead."""

from __future__ import annotations

import re
import shlex
from urllib.parse import urlsplit

import pytest
import yaml

from pipeline.cli import build_parser
from pipeline.settings import PROJECT_ROOT, Settings

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_stack_has_its_services_with_healthchecks():
    assert set(SERVICES) == {"kafka", "elasticsearch", "kibana", "worker", "kibana-setup"}
    for name in ("kafka", "elasticsearch", "kibana"):
        assert SERVICES[name]["healthcheck"]["test"], name


def test_images_are_kafka_4_and_elastic_8_19():
    assert re.fullmatch(r"apache/kafka:4\.\d+\.\d+", SERVICES["kafka"]["image"])
    assert re.fullmatch(r"docker\.elastic\.co/elasticsearch/elasticsearch:8\.19\.\d+", SERVICES["elasticsearch"]["image"])
    kibana_version = SERVICES["kibana"]["image"].rsplit(":", 1)[1]
    assert kibana_version == SERVICES["elasticsearch"]["image"].rsplit(":", 1)[1], "Kibana must match Elasticsearch"


def test_kafka_is_a_single_kraft_node():
    env = SERVICES["kafka"]["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    for key, value in env.items():
        if key.endswith("REPLICATION_FACTOR") or key.endswith("MIN_ISR"):
            assert int(value) == 1, key


def test_published_ports_are_the_conventional_ones():
    def host_ports(service):
        return {int(p.split(":")[0]) for p in SERVICES[service]["ports"]}

    assert 9092 in host_ports("kafka")
    assert 9200 in host_ports("elasticsearch")
    assert 5601 in host_ports("kibana")


def test_elasticsearch_security_is_off_for_local_use_only():
    assert SERVICES["elasticsearch"]["environment"]["xpack.security.enabled"] == "false"


def test_named_volumes_are_declared_and_used():
    declared = set(COMPOSE["volumes"])
    used = {v.split(":")[0] for s in SERVICES.values() for v in s.get("volumes", [])}
    assert used and used <= declared


def test_worker_environment_points_at_the_compose_services(monkeypatch):
    worker = SERVICES["worker"]
    env = worker["environment"]
    kafka_env = SERVICES["kafka"]["environment"]
    advertised = dict(
        (listener.split("://")[0], listener.split("://")[1]) for listener in kafka_env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    )
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == advertised[kafka_env["KAFKA_INTER_BROKER_LISTENER_NAME"]]
    es_url = urlsplit(env["ELASTICSEARCH_URL"])
    assert es_url.hostname == "elasticsearch" and es_url.port == 9200
    assert set(worker["depends_on"]) >= {"kafka", "elasticsearch"}
    assert all(dep["condition"] == "service_healthy" for dep in worker["depends_on"].values())

    # The variable names are the ones the settings object reads.
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert settings.kafka_bootstrap_servers == env["KAFKA_BOOTSTRAP_SERVERS"]
    assert settings.elasticsearch_url == env["ELASTICSEARCH_URL"]
    assert not settings.kafka_is_local() and not settings.elasticsearch_is_local()


@pytest.mark.parametrize("service", ["worker", "kibana-setup"])
def test_commands_are_real_cli_commands(service):
    command = SERVICES[service]["command"]
    assert command[:3] == ["python", "-m", "pipeline"]
    build_parser().parse_args(command[3:])


def test_kibana_setup_runs_once_kibana_is_healthy_and_targets_it():
    setup = SERVICES["kibana-setup"]
    assert setup["depends_on"]["kibana"]["condition"] == "service_healthy"
    assert setup["restart"] == "no" and setup["image"] == SERVICES["worker"]["image"]
    kibana_url = setup["command"][setup["command"].index("--kibana") + 1]
    assert urlsplit(kibana_url).hostname == "kibana" and urlsplit(kibana_url).port == 5601


@pytest.mark.parametrize("line", [l for l in (PROJECT_ROOT / "Dockerfile").read_text().splitlines() if l.startswith("COPY")])
def test_dockerfile_copies_files_that_exist(line):
    sources = shlex.split(line)[1:-1]
    for source in sources:
        assert (PROJECT_ROOT / source).exists(), source
