"""Tests of the shipped model: it must load from the repository with no training step."""

from __future__ import annotations

import pytest

from pipeline.nlp.classifier import DEFAULT_MODEL_DIR, CeasefireClassifier


@pytest.fixture(scope="session")
def classifier() -> CeasefireClassifier:
    return CeasefireClassifier.load(DEFAULT_MODEL_DIR)
