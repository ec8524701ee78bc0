"""A keyword-rule baseline, to show what the fine-tuned model adds over word lists."""

from __future__ import annotations

import re

from pipeline.schema import LABELS, Prediction

TRUCE = re.compile(
    r"cease-?fire|truce|armistice|cessation of hostilities|(halt|stop|end)\w* (to )?(the )?(fighting|hostilities|shooting)|"
    r"guns (fell|fall) silent|lull|moratorium|pause in (the )?fighting",
    re.IGNORECASE,
)
RULES: list[tuple[str, re.Pattern]] = [
    ("violation", re.compile(r"violat|breach|broke|broken|shatter|collaps|flout|suspend|despite the|since the truce", re.I)),
    ("denial", re.compile(r"\bden(y|ied|ies)\b|no (such )?(deal|agreement|ceasefire|truce)|premature|false|dismiss|refut|not (been )?agreed|there is no", re.I)),
    ("negotiation", re.compile(r"talks|negotiat|propos|urg|call(s|ed)? for|mediat|demand|offer|hope|push|press|condition", re.I)),
    ("claim", re.compile(r"agreed|took (effect|hold)|in (effect|force)|declared|announced|accepted|held|holding|began|begins", re.I)),
]


def classify_by_keywords(text: str) -> str:
    if not TRUCE.search(text):
        return "none"
    for label, pattern in RULES:
        if pattern.search(text):
            return label
    return "claim"


def keyword_predict(texts: list[str], contexts: list[str] | None = None) -> list[Prediction]:
    """Same interface as the classifier's ``predict``; confidence is 1 for the rule's label."""
    predictions = []
    for text in texts:
        label = classify_by_keywords(text)
        scores = {l: float(l == label) for l in LABELS}
        predictions.append(Prediction(label=label, confidence=1.0, scores=scores))
    return predictions
