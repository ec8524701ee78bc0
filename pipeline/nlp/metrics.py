"""Classification metrics without extra dependencies: per-label P/R/F1, confusion, calibration."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.schema import LABELS


@dataclass
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int


def per_label_scores(gold: list[str], predicted: list[str], labels: tuple[str, ...] = LABELS) -> dict[str, LabelScore]:
    scores = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = LabelScore(precision, recall, f1, tp + fn)
    return scores


def macro_f1(scores: dict[str, LabelScore]) -> float:
    present = [s.f1 for s in scores.values() if s.support]
    return sum(present) / len(present) if present else 0.0


def confusion_matrix(gold: list[str], predicted: list[str], labels: tuple[str, ...] = LABELS) -> list[list[int]]:
    """Rows are gold labels, columns predicted labels, both in ``labels`` order."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted):
        matrix[index[g]][index[p]] += 1
    return matrix


def expected_calibration_error(confidences: list[float], correct: list[bool], bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    total = len(confidences)
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [i for i, c in enumerate(confidences) if low < c <= high or (b == 0 and c == 0)]
        if members:
            accuracy = sum(correct[i] for i in members) / len(members)
            confidence = sum(confidences[i] for i in members) / len(members)
            error += len(members) / total * abs(accuracy - confidence)
    return error


def normalise_name(name: str) -> str:
    """Compare speakers case-insensitively, ignoring a leading article and surrounding punctuation."""
    name = " ".join(name.lower().replace("\u2019", "'").split()).strip(" .,'\"")
    return name[4:] if name.startswith("the ") else name


def format_report(scores: dict[str, LabelScore], matrix: list[list[int]], labels: tuple[str, ...] = LABELS) -> str:
    lines = [f"{'label':<12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label in labels:
        s = scores[label]
        lines.append(f"{label:<12}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}{s.support:>10d}")
    lines.append(f"{'macro-F1':<12}{'':>20}{macro_f1(scores):>10.3f}")
    lines.append("")
    lines.append("confusion (rows gold, columns predicted)")
    lines.append(" " * 12 + "".join(f"{label[:10]:>12}" for label in labels))
    for label, row in zip(labels, matrix):
        lines.append(f"{label:<12}" + "".join(f"{n:>12d}" for n in row))
    return "\n".join(lines)
