"""The one command line: ``python -m pipeline <command>`` (also installed as ``ceasefire-watch``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.logs import configure_logging
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

    model = get_settings().model
    return CeasefireClassifier.load(args.model or model.resolved_path(), batch_size=model.batch_size, threads=model.threads)


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ceasefire-watch", description=__doc__)
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    services = commands.add_parser("services", help="start, stop or inspect the local Kafka and Elasticsearch")
    services.add_argument("action", choices=["up", "down", "status"])
    services.add_argument("--json", action="store_true", help="status as JSON")
    services.set_defaults(handler=services_command)

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
    training.add_argument("--epochs", type=int, default=4)
    training.add_argument("--seed", type=int, default=13)
    training.add_argument("--limit", type=int, help="train on the first N sentences only (smoke test)")
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
