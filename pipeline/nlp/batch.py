"""Classify JSON Lines streams: sentences (with optional context) or whole articles.

Input is read in chunks so output starts early and memory stays flat, while the
model still sees full batches.
"""

from __future__ import annotations

import json
from typing import BinaryIO, TextIO

from pydantic import BaseModel, ValidationError

from pipeline.jsonl import ErrorLog, describe_validation_error, read_objects
from pipeline.nlp.article import classify_articles
from pipeline.nlp.classifier import CeasefireClassifier
from pipeline.schema import Article, SentenceInput


def validated(source: BinaryIO, errors: ErrorLog, model: type[BaseModel], chunk: int):
    """Yield lists of (original object, validated record), reporting invalid lines by number."""
    pending = []
    for number, obj in read_objects(source, errors):
        try:
            pending.append((obj, model.model_validate(obj)))
        except ValidationError as error:
            errors.add(number, describe_validation_error(error))
            continue
        if len(pending) >= chunk:
            yield pending
            pending = []
    if pending:
        yield pending


def classify_sentence_stream(classifier: CeasefireClassifier, source: BinaryIO, sink: TextIO, errors: ErrorLog, chunk: int = 1024) -> int:
    written = 0
    for group in validated(source, errors, SentenceInput, chunk):
        predictions = classifier.predict([item.text for _, item in group], [item.context for _, item in group])
        for (obj, _), prediction in zip(group, predictions):
            sink.write(json.dumps({**obj, **prediction.model_dump()}, ensure_ascii=False) + "\n")
        written += len(group)
    return written


def classify_article_stream(classifier: CeasefireClassifier, source: BinaryIO, sink: TextIO, errors: ErrorLog, context_sentences: int, chunk: int = 32) -> int:
    written = 0
    for group in validated(source, errors, Article, chunk):
        for result in classify_articles(classifier, [article for _, article in group], context_sentences):
            sink.write(result.model_dump_json() + "\n")
        written += len(group)
    return written
