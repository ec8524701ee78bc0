"""Score a classifier (or the keyword baseline) on an annotated JSON Lines file."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable

from pipeline.nlp.corpus import Record
from pipeline.nlp.metrics import (
    LabelScore,
    confusion_matrix,
    expected_calibration_error,
    format_report,
    macro_f1,
    normalise_name,
    per_label_scores,
)
from pipeline.schema import LABELS, Prediction

Predictor = Callable[[list[str], list[str]], list[Prediction]]


@dataclass
class EvalReport:
    sentences: int
    macro_f1: float
    per_label: dict
    confusion: list[list[int]]
    labels: tuple[str, ...]
    speaker_exact_match: float
    speaker_exact_match_strict: float
    speaker_evaluated: int
    ece: float
    sentences_per_second: float

    def as_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        scores = {label: LabelScore(**values) for label, values in self.per_label.items()}
        return "\n".join(
            [
                format_report(scores, self.confusion, self.labels),
                "",
                f"speaker exact match: {self.speaker_exact_match:.3f} (case/article-insensitive), "
                f"{self.speaker_exact_match_strict:.3f} strict, on {self.speaker_evaluated} non-none sentences",
                f"expected calibration error: {self.ece:.3f}",
                f"sentences/s: {self.sentences_per_second:.1f} ({self.sentences} sentences)",
            ]
        )


def evaluate(predict: Predictor, records: list[Record]) -> tuple[EvalReport, list[Prediction]]:
    texts = [r.text for r in records]
    contexts = [r.context for r in records]
    began = time.perf_counter()
    predictions = predict(texts, contexts)
    elapsed = time.perf_counter() - began
    gold = [r.label for r in records]
    predicted = [p.label for p in predictions]
    scores = per_label_scores(gold, predicted)
    attributed = [(r, p) for r, p in zip(records, predictions) if r.label != "none"]
    report = EvalReport(
        sentences=len(records),
        macro_f1=macro_f1(scores),
        per_label={label: asdict(score) for label, score in scores.items()},
        confusion=confusion_matrix(gold, predicted),
        labels=LABELS,
        speaker_exact_match=share(normalise_name(r.speaker) == normalise_name(p.speaker) for r, p in attributed),
        speaker_exact_match_strict=share(r.speaker == p.speaker for r, p in attributed),
        speaker_evaluated=len(attributed),
        ece=expected_calibration_error([p.confidence for p in predictions], [g == q for g, q in zip(gold, predicted)]),
        sentences_per_second=len(records) / elapsed if elapsed else 0.0,
    )
    return report, predictions


def share(flags) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 0.0
