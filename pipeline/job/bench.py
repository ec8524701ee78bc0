"""`python -m pipeline bench --articles K`: the real pipeline's speed, measured end to end.

K articles go through real Kafka -> the Faust worker -> Elasticsearch, in topics and
indices of their own. Latency is produce time to searchable time. The classifier's
standalone speed is measured in the same run, so the pipeline's overhead is a ratio.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from elasticsearch import Elasticsearch
from kafka import KafkaAdminClient
from tqdm import tqdm

from pipeline import services
from pipeline.ingest.producer import ArticleProducer
from pipeline.ingest.sources import read_articles
from pipeline.ingest.topics import project_topics
from pipeline.state import StateStore
from pipeline.job.run import DEFAULT_EXAMPLES
from pipeline.job.setup import setup
from pipeline.nlp.article import classify_articles
from pipeline.nlp.classifier import CeasefireClassifier
from pipeline.nlp.segment import article_sentences
from pipeline.schema import Article
from pipeline.settings import Settings, namespace_env

log = logging.getLogger(__name__)


@dataclass
class BenchReport:
    articles: int
    sentences: int
    statements: int
    seconds: float
    articles_per_s: float
    sentences_per_s: float
    statements_per_s: float
    latency_p50_s: float
    latency_p95_s: float
    latency_max_s: float
    classifier_sentences_per_s: float
    pipeline_to_classifier_ratio: float
    worker_batch_articles: int
    produce_rate: float | None
    worker_time_shares: dict

    def format(self) -> str:
        return "\n".join(
            [
                f"articles            {self.articles} ({self.sentences} sentences, {self.statements} statements indexed) in {self.seconds:.1f}s",
                f"throughput          {self.articles_per_s:.2f} articles/s, {self.sentences_per_s:.1f} sentences/s, {self.statements_per_s:.1f} statements/s",
                f"latency (produce -> searchable)  p50 {self.latency_p50_s:.2f}s  p95 {self.latency_p95_s:.2f}s  max {self.latency_max_s:.2f}s",
                f"classifier alone    {self.classifier_sentences_per_s:.1f} sentences/s (same articles, same process settings)",
                f"pipeline / classifier ratio      {self.pipeline_to_classifier_ratio:.2f}",
                f"produced            {'all at once' if not self.produce_rate else f'{self.produce_rate:g} articles/s'}; worker batches of {self.worker_batch_articles}",
                "worker batch time   " + ", ".join(f"{k} {v:.0%}" for k, v in self.worker_time_shares.items()),
            ]
        )


def bench_articles(count: int, source: Path = DEFAULT_EXAMPLES) -> list[Article]:
    """``count`` articles cycling through the examples, each with a URL (so an id) of its own."""
    with source.open("rb") as stream:
        templates = [a for a in read_articles(stream, str(source)) if isinstance(a, Article)]
    run = uuid.uuid4().hex[:8]
    return [
        Article(**{**t.model_dump(exclude={"id", "ingested_at"}), "url": f"https://bench.example/{run}/{i}"})
        for i, t in ((i, templates[i % len(templates)]) for i in range(count))
    ]


def bench_settings(settings: Settings, run: str, state_dir: Path) -> tuple[Settings, dict[str, str]]:
    env = {**namespace_env(f"bench-{run}"), "CEASEFIRE_STATE_DIR": str(state_dir)}
    os.environ.update(env)
    try:
        return Settings(), env
    finally:
        for key in env:
            del os.environ[key]


def measure_classifier(settings: Settings, articles: list[Article]) -> float:
    classifier = CeasefireClassifier.from_settings(settings.model)
    sentences = sum(len(article_sentences(a.title, a.body)) for a in articles)
    began = time.perf_counter()
    classify_articles(classifier, articles, settings.model.context_sentences)
    return sentences / (time.perf_counter() - began)


def run_bench(settings: Settings, count: int, rate: float | None = None, sample: int = 300) -> BenchReport:
    started = services.ensure_local_services(settings)
    run = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory(prefix="ceasefire-bench-") as state_dir:
        bench, env = bench_settings(settings, run, Path(state_dir))
        worker = None
        try:
            setup(bench)
            articles = bench_articles(count)
            print(f"measuring the classifier alone on {min(sample, count)} articles ...", flush=True)
            classifier_rate = measure_classifier(bench, articles[:sample])
            worker_log = Path(state_dir) / "worker.log"
            worker = subprocess.Popen(
                [sys.executable, "-m", "pipeline", "worker"], env={**os.environ, **env},
                stdout=worker_log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
            )
            wait_for_line(worker_log, "model loaded", timeout_s=180)
            produced_at: dict[str, float] = {}
            producing = threading.Thread(target=produce, args=(bench, articles, Path(state_dir), rate, produced_at))
            producing.start()
            seen_at = watch_until_searchable(bench, {a.id for a in articles}, count)
            producing.join()
            return report(bench, articles, produced_at, seen_at, classifier_rate, rate, worker_time_shares(worker_log))
        finally:
            if worker and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=60)
            clean_up(bench)
            for service in reversed(started):
                service.stop()


def wait_for_line(path: Path, text: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"the worker did not start within {timeout_s:.0f}s; see {path}")


def produce(settings: Settings, articles: list[Article], state_dir: Path, rate: float | None, produced_at: dict[str, float]) -> None:
    """Send the articles (all at once, or ``rate`` per second), noting each one's produce time in ``produced_at``."""
    state = StateStore(state_dir / "producer.sqlite")
    producer = ArticleProducer(settings, state)

    began = time.monotonic()

    def stamped():
        for position, article in enumerate(articles):
            if rate:
                time.sleep(max(0.0, began + position / rate - time.monotonic()))
            produced_at[article.id] = time.time()
            yield article

    try:
        summary = producer.send_all(stamped(), progress=False, flush_every=1 if rate else 500)
    finally:
        producer.close()
        state.close()
    if summary.sent != len(articles):
        raise RuntimeError(f"only {summary.line()}")


def watch_until_searchable(settings: Settings, ids: set[str], count: int, timeout_s: float = 3600) -> dict[str, float]:
    """Poll the articles index for newly classified ids; the first poll that returns an id is when it became searchable."""
    client = Elasticsearch(settings.elasticsearch_url, request_timeout=30)
    seen_at: dict[str, float] = {}
    since = "1970-01-01T00:00:00Z"
    deadline = time.monotonic() + timeout_s
    with tqdm(total=count, desc="searchable", unit="article") as bar:
        while len(seen_at) < count and time.monotonic() < deadline:
            response = client.search(
                index=settings.indices.articles, size=5_000, source=False, docvalue_fields=["classified_at"],
                query={"range": {"classified_at": {"gte": since}}}, sort=[{"classified_at": "asc"}],
            )
            now = time.time()
            hits = response["hits"]["hits"]
            fresh = [hit["_id"] for hit in hits if hit["_id"] in ids and hit["_id"] not in seen_at]
            for article_id in fresh:
                seen_at[article_id] = now
            if hits:
                since = hits[-1]["fields"]["classified_at"][0]
            bar.update(len(fresh))
            time.sleep(0.5)
    client.close()
    if len(seen_at) < count:
        raise RuntimeError(f"only {len(seen_at)} of {count} articles became searchable")
    return seen_at


def worker_time_shares(log: Path) -> dict[str, float]:
    """How the worker spent its batch time: classifying, indexing, the rest (validation, publishing)."""
    totals = {"seconds": 0.0, "classify_seconds": 0.0, "index_seconds": 0.0}
    for line in log.read_text(errors="replace").splitlines():
        if '"batch done"' in line:
            record = json.loads(line)
            for key in totals:
                totals[key] += record.get(key, 0.0)
    whole = totals["seconds"] or 1.0
    return {"classify": totals["classify_seconds"] / whole, "index": totals["index_seconds"] / whole,
            "other": 1 - (totals["classify_seconds"] + totals["index_seconds"]) / whole}


def report(
    settings: Settings, articles: list[Article], produced_at: dict[str, float], seen_at: dict[str, float],
    classifier_rate: float, rate: float | None, shares: dict[str, float],
) -> BenchReport:
    client = Elasticsearch(settings.elasticsearch_url, request_timeout=30)
    client.indices.refresh(index=settings.indices.statements)
    statements = client.count(index=settings.indices.statements)["count"]
    client.close()
    latencies = sorted(seen_at[i] - produced_at[i] for i in seen_at)
    seconds = max(seen_at.values()) - min(produced_at.values())
    sentences = sum(len(article_sentences(a.title, a.body)) for a in articles)
    return BenchReport(
        articles=len(articles),
        sentences=sentences,
        statements=statements,
        seconds=seconds,
        articles_per_s=len(articles) / seconds,
        sentences_per_s=sentences / seconds,
        statements_per_s=statements / seconds,
        latency_p50_s=statistics.median(latencies),
        latency_p95_s=latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
        latency_max_s=latencies[-1],
        classifier_sentences_per_s=classifier_rate,
        pipeline_to_classifier_ratio=(sentences / seconds) / classifier_rate,
        worker_batch_articles=settings.worker.batch_articles,
        produce_rate=rate,
        worker_time_shares=shares,
    )


def clean_up(settings: Settings) -> None:
    client = Elasticsearch(settings.elasticsearch_url, request_timeout=30)
    for index in settings.indices.model_dump().values():
        client.options(ignore_status=404).indices.delete(index=index)
        client.options(ignore_status=404).indices.delete_index_template(name=f"{index}-template")
    client.close()
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    ours = set(project_topics(settings))
    faust_internal = f"{settings.worker.app_id}-"  # the ledger's changelog, the assignor's leader topic
    admin.delete_topics([t for t in admin.list_topics() if t in ours or t.startswith(faust_internal)])
    admin.close()


def print_report(result: BenchReport, as_json: bool) -> None:
    print(json.dumps(asdict(result), indent=2) if as_json else result.format())
