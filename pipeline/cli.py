"""The one command line: ``python -m pipeline <command>`` (also installed as ``ceasefire-watch``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.logs import configure_logging
from pipeline.shutdown import stop_on_signals
from pipeline.settings import get_settings


def services_command(args: argparse.Namespace) -> int:
    from pipeline import services

    settings = get_settings()
    if args.action == "up":
        timings = services.up(settings)
        for item in services.status(settings):
            print(
                f"{item.name:<14} {item.endpoint:<26} healthy after {timings[item.name]:5.1f}s  "
                f"pid {item.pid}  heap {item.heap}  rss {item.resident_mb:.0f} MB\n"
                f"{'':<14} log {item.log_file}\n{'':<14} data {item.data_dir}"
            )
    elif args.action == "down":
        stopped = services.down(settings)
        print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    else:
        report = [item.as_dict() for item in services.status(settings)]
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            for item in report:
                state = "healthy" if item["healthy"] else ("running" if item["running"] else "stopped")
                rss = f"{item['resident_mb']:.0f} MB" if item["resident_mb"] else "-"
                print(f"{item['name']:<14} {state:<8} {item['endpoint']:<26} pid {item['pid'] or '-'}  heap {item['heap']}  rss {rss}  {item['version']}")
        return 0 if all(item["healthy"] for item in report) else 1
    return 0


def load_classifier(args: argparse.Namespace):
    from pipeline.nlp.classifier import CeasefireClassifier

    return CeasefireClassifier.from_settings(get_settings().model, args.model)


def classify_command(args: argparse.Namespace) -> int:
    from pipeline.jsonl import ErrorLog
    from pipeline.nlp.batch import classify_article_stream, classify_sentence_stream

    classifier = load_classifier(args)
    errors = ErrorLog()
    if args.sentences:
        written = classify_sentence_stream(classifier, sys.stdin.buffer, sys.stdout, errors)
    else:
        written = classify_article_stream(classifier, sys.stdin.buffer, sys.stdout, errors, get_settings().model.context_sentences)
    sys.stdout.flush()
    if errors:
        print(f"error: {len(errors)} line(s) failed, {written} classified", file=sys.stderr)
        return 1
    return 0


def eval_command(args: argparse.Namespace) -> int:
    from pipeline.jsonl import ErrorLog, read_objects
    from pipeline.nlp.baseline import keyword_predict
    from pipeline.nlp.corpus import CorpusError, parse_record
    from pipeline.nlp.evaluate import evaluate

    errors = ErrorLog()
    records = []
    with open(args.data, "rb") as source:
        for number, obj in read_objects(source, errors):
            try:
                records.append(parse_record(obj, f"line {number}"))
            except CorpusError as error:
                errors.add(number, str(error).removeprefix(f"line {number}: "))
    if not records:
        print("error: no valid records to evaluate", file=sys.stderr)
        return 1
    predict = keyword_predict if args.baseline else load_classifier(args).predict
    report, _ = evaluate(predict, records)
    print(json.dumps(report.as_dict(), indent=2) if args.json else report.format())
    return 1 if errors else 0


def train_command(args: argparse.Namespace) -> int:
    from pipeline.nlp.train import TrainConfig, train

    config = TrainConfig(epochs=args.epochs, seed=args.seed, limit=args.limit)
    for name in ("learning_rate", "label_smoothing"):
        if getattr(args, name) is not None:
            setattr(config, name, getattr(args, name))
    if args.train_embeddings:
        config.freeze_embeddings = False
    for name in ("train_file", "dev_file", "output"):
        if getattr(args, name):
            setattr(config, name, getattr(args, name))
    summary = train(config)
    print(
        f"dev macro-F1 {summary['dev']['macro_f1']:.3f}; temperature {summary['temperature']:.2f}; "
        f"ECE {summary['dev_ece_before_scaling']:.3f} -> {summary['dev_ece_after_scaling']:.3f}; "
        f"{summary['train_minutes']:.1f} min; saved to {config.output}"
    )
    return 0


def setup_command(args: argparse.Namespace) -> int:
    from pipeline.job.setup import setup

    result = setup(get_settings())
    print(f"topics created: {', '.join(result['topics_created']) or 'none (all existed)'}")
    print(f"indices created: {', '.join(result['indices_created']) or 'none (all existed)'}; templates installed")
    if args.kibana:
        from pipeline.index.kibana import import_saved_objects

        print(f"kibana: imported {import_saved_objects(args.kibana)} saved objects into {args.kibana}")
    return 0


def produce_command(args: argparse.Namespace) -> int:

    from pipeline.ingest.feeds import load_feeds, poll_feeds
    from pipeline.ingest.producer import ArticleProducer
    from pipeline.ingest.sources import open_source, read_articles
    from pipeline.state import StateStore
    from pipeline.ingest.topics import ensure_topics

    settings = get_settings()
    if not args.file and not args.feeds:
        print("error: give a FILE (or - for stdin), or --feeds FEEDS.yaml", file=sys.stderr)
        return 2
    ensure_topics(settings)
    state = StateStore(settings.state_path() / "producer.sqlite")
    producer = ArticleProducer(settings, state, force=args.force)
    try:
        if args.file:
            with open_source(args.file) as source:
                summary = producer.send_all(read_articles(source, args.file))
        else:
            feeds = load_feeds(args.feeds, settings.feeds.interval_s)
            summary = poll_feeds(feeds, producer, state, settings.feeds.timeout_s, stop_on_signals(), once=args.once)
    finally:
        producer.close()
        state.close()
    for rejected in summary.rejected:
        print(f"rejected: {rejected}", file=sys.stderr)
    print(summary.line())
    return 1 if summary.rejected else 0


def worker_command(args: argparse.Namespace) -> int:
    from pipeline.stream.app import run_worker

    run_worker(get_settings(), args.log_level)
    return 0


def run_command(args: argparse.Namespace) -> int:
    from pipeline.job.run import DEFAULT_EXAMPLES, RunOptions, Service

    inputs = args.input if args.input is not None else [DEFAULT_EXAMPLES]
    options = RunOptions(inputs=inputs, feeds=args.feeds, progress_every_s=args.progress_every, log_level=args.log_level)
    return Service(get_settings(), options).run()


def search_command(args: argparse.Namespace) -> int:
    from elasticsearch import Elasticsearch

    from pipeline.index.search import StatementQuery, format_statement, search_statements
    from pipeline.nlp.attribution import gazetteer

    settings = get_settings()
    query = StatementQuery(
        text=" ".join(args.query) or None,
        labels=args.label,
        speaker=args.speaker,
        party=gazetteer().canonical(args.party) if args.party else None,
        since=args.since,
        until=args.until,
        limit=args.limit,
    )
    client = Elasticsearch(settings.elasticsearch_url, request_timeout=30)
    try:
        hits = search_statements(client, settings.indices.statements, query)
    finally:
        client.close()
    if args.json:
        for hit in hits:
            print(json.dumps(hit, ensure_ascii=False))
    else:
        print("\n".join(format_statement(hit) for hit in hits) if hits else "no matching statements")
    return 0


def bench_command(args: argparse.Namespace) -> int:
    if args.sentences:
        return bench_classifier(args)
    from pipeline.job.bench import print_report, run_bench

    print_report(run_bench(get_settings(), args.articles, args.rate), args.json)
    return 0


def bench_classifier(args: argparse.Namespace) -> int:
    """`bench --sentences N`: the classifier alone, JSON path vs bare forward pass."""
    from pipeline.nlp.corpus import SPLITS, read_records
    from pipeline.nlp.speed import measure

    records = [r for split in ("dev", "train") for r in read_records(SPLITS[split])][: args.sentences]
    lines = [{"text": r.text, **({"context": r.context} if r.context else {})} for r in records]
    report = measure(load_classifier(args), lines)
    print(json.dumps(report.as_dict(), indent=2) if args.json else report.format())
    return 0


def alerts_command(args: argparse.Namespace) -> int:

    from pipeline.alerts.service import run_alerts

    settings = get_settings()
    overrides = {
        "webhook_url": args.webhook or settings.alerts.webhook_url,
        "jsonl_path": args.jsonl or settings.alerts.jsonl_path,
        "parties": args.party or settings.alerts.parties,
        "include_uncontested": args.include_uncontested or settings.alerts.include_uncontested,
    }
    settings = settings.model_copy(update={"alerts": settings.alerts.model_copy(update=overrides)})
    delivered = run_alerts(settings, stop_on_signals(), idle_exit_s=args.exit_when_idle)
    print(f"alerts delivered: {delivered}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ceasefire-watch", description=__doc__)
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    services = commands.add_parser("services", help="start, stop or inspect the local Kafka and Elasticsearch")
    services.add_argument("action", choices=["up", "down", "status"])
    services.add_argument("--json", action="store_true", help="status as JSON")
    services.set_defaults(handler=services_command)

    setup = commands.add_parser("setup", help="create Kafka topics and Elasticsearch templates/indices (idempotent)")
    setup.add_argument("--kibana", metavar="URL", help="also import the dashboard and saved searches into this Kibana")
    setup.set_defaults(handler=setup_command)

    produce = commands.add_parser("produce", help="send articles to Kafka from a JSONL/JSON file, stdin, or RSS/Atom feeds")
    produce.add_argument("file", nargs="?", help="a .jsonl or .json file of articles, or - for stdin")
    produce.add_argument("--feeds", type=Path, help="poll the feeds listed in this YAML file (e.g. config/feeds.yaml)")
    produce.add_argument("--once", action="store_true", help="with --feeds: poll each feed once and exit")
    produce.add_argument("--force", action="store_true", help="send articles again even if they were sent before")
    produce.set_defaults(handler=produce_command)

    worker = commands.add_parser("worker", help="run the Faust worker: classify articles from Kafka and index them")
    worker.set_defaults(handler=worker_command)

    run = commands.add_parser("run", help="the whole service: local services if needed, setup, worker, producers, progress")
    run.add_argument("--input", type=Path, action="append", help="article file(s) to produce (default: examples/articles.jsonl)")
    run.add_argument("--no-input", dest="input", action="store_const", const=[], help="produce no files")
    run.add_argument("--feeds", action="store_true", help="also poll the feeds in the settings' feeds.file")
    run.add_argument("--progress-every", type=float, default=5.0, metavar="SECONDS")
    run.set_defaults(handler=run_command)

    search = commands.add_parser("search", help="search indexed statements")
    search.add_argument("query", nargs="*", help="free text (matches sentence, title and speaker)")
    search.add_argument("--label", action="append", choices=["claim", "denial", "negotiation", "violation"])
    search.add_argument("--speaker", help="e.g. Trump, 'the Thai foreign ministry'")
    search.add_argument("--party", help="a country or group; demonyms and capitals work (Thai, Phnom Penh)")
    search.add_argument("--since", help="a date (2025-07-24) or a span back from now (7d, 12h)")
    search.add_argument("--until", help="a date or a span back from now")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help="one JSON document per line")
    search.set_defaults(handler=search_command)

    alerts = commands.add_parser("alerts", help="deliver new disputes (and claims about watched parties) to a webhook and/or a JSONL file")
    alerts.add_argument("--webhook", help="POST each alert as JSON to this URL (retried until it answers)")
    alerts.add_argument("--jsonl", type=Path, help="append each alert to this JSON Lines file")
    alerts.add_argument("--party", action="append", help="also alert on new claims naming this party (repeatable)")
    alerts.add_argument("--include-uncontested", action="store_true", help="also alert when a claim goes undenied for the window")
    alerts.add_argument("--exit-when-idle", type=float, metavar="SECONDS", help="stop after this long without new records")
    alerts.set_defaults(handler=alerts_command)

    bench = commands.add_parser("bench", help="measure the pipeline end to end: articles/s, latency, overhead vs the classifier")
    bench.add_argument("--articles", type=int, default=2000, help="how many articles to push through")
    bench.add_argument("--rate", type=float, metavar="PER_S", help="produce at this many articles/s (default: all at once)")
    bench.add_argument("--sentences", type=int, metavar="N", help="instead: the classifier alone on N corpus sentences (classify path vs bare forward)")
    bench.add_argument("--model", type=Path, help="with --sentences: model directory")
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(handler=bench_command)

    classify = commands.add_parser("classify", help="classify JSON Lines from stdin: articles, or sentences with --sentences")
    classify.add_argument("--sentences", action="store_true", help="input lines are {text, context?} sentences, not articles")
    classify.add_argument("--model", type=Path, help="model directory (default: settings model.path)")
    classify.set_defaults(handler=classify_command)

    evaluation = commands.add_parser("eval", help="score the classifier on an annotated JSON Lines file")
    evaluation.add_argument("--data", type=Path, required=True, help="records with text, label, speaker (and context)")
    evaluation.add_argument("--model", type=Path, help="model directory (default: settings model.path)")
    evaluation.add_argument("--baseline", action="store_true", help="score the keyword-rule baseline instead")
    evaluation.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluation.set_defaults(handler=eval_command)

    training = commands.add_parser("train", help="fine-tune the classifier on data/corpus (fixed seed, CPU)")
    training.add_argument("--epochs", type=int, default=5)
    training.add_argument("--seed", type=int, default=13)
    training.add_argument("--limit", type=int, help="train on the first N sentences only (smoke test)")
    training.add_argument("--learning-rate", type=float)
    training.add_argument("--label-smoothing", type=float)
    training.add_argument("--train-embeddings", action="store_true", help="also fine-tune the word embeddings (slower)")
    training.add_argument("--train-file", type=Path)
    training.add_argument("--dev-file", type=Path)
    training.add_argument("--output", type=Path, help="where to write the model (default: models/ceasefire-minilm)")
    training.set_defaults(handler=train_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.log_level)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # every command ends with one clear line, not a traceback
        if args.log_level.upper() == "DEBUG":
            raise
        print(f"error: {error}", file=sys.stderr)
        return 1
