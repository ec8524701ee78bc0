"""The label contract: five labels, calibrated scores, attribution only for statements."""

from __future__ import annotations

import json

import pytest

from pipeline.nlp.classifier import DEFAULT_MODEL_DIR
from pipeline.schema import LABELS

SENTENCES = [
    "US President Donald Trump said Thailand and Cambodia had agreed to halt the fighting.",
    "Thailand's foreign ministry denied that any ceasefire deal had been reached with Cambodia.",
    "Malaysia urged both sides to stop shooting and hold talks in Kuala Lumpur on Monday.",
    "Cambodia accused Thai troops of violating the truce hours after it took effect.",
    "The clashes have displaced more than 130,000 people on both sides of the border.",
]


def test_model_files_ship_in_the_repository():
    for name in ("config.json", "model.safetensors", "tokenizer.json", "README.md", "training.json"):
        assert (DEFAULT_MODEL_DIR / name).exists(), name
    config = json.loads((DEFAULT_MODEL_DIR / "config.json").read_text())
    assert [config["id2label"][str(i)] for i in range(len(LABELS))] == list(LABELS)
    assert config["calibration_temperature"] > 0 and config["model_version"]
    assert (DEFAULT_MODEL_DIR / "model.safetensors").stat().st_size < 60_000_000, "fp16 weights stay small"


def test_every_prediction_honours_the_contract(classifier):
    predictions = classifier.predict(SENTENCES)
    for prediction in predictions:
        assert prediction.label in LABELS
        assert set(prediction.scores) == set(LABELS)
        assert sum(prediction.scores.values()) == pytest.approx(1.0, abs=1e-3)
        assert prediction.confidence == max(prediction.scores.values())
        assert 0 <= prediction.confidence <= 1
        if prediction.label == "none":
            assert prediction.speaker == "" and prediction.parties == []


def test_clear_cases_get_their_labels(classifier):
    assert [p.label for p in classifier.predict(SENTENCES)] == ["claim", "denial", "negotiation", "violation", "none"]


def test_predictions_do_not_depend_on_batch_neighbours(classifier):
    together = classifier.predict(SENTENCES)
    alone = [classifier.predict([s])[0] for s in SENTENCES]
    assert [p.label for p in together] == [p.label for p in alone]
    for a, b in zip(together, alone):
        assert a.confidence == pytest.approx(b.confidence, abs=1e-3)
