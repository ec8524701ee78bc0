"""Read articles from JSON Lines or JSON files (or stdin), validating each one.

A JSON file may hold one article object or an array of them; anything else is
read as JSON Lines. Every problem is reported with its line (or array position).
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from pydantic import ValidationError

from pipeline.jsonl import decode_line, describe_validation_error
from pipeline.schema import Article


@dataclass
class Rejected:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def open_source(path: str) -> BinaryIO:
    return sys.stdin.buffer if path == "-" else Path(path).open("rb")


def read_articles(source: io.BufferedReader, name: str = "-") -> Iterator[Article | Rejected]:
    """Articles from a ``.json`` document, a JSON array, or JSON Lines (the default)."""
    if name.endswith(".json") or source.peek(256).lstrip()[:1] == b"[":
        yield from read_json_document(source.read())
    else:
        for number, raw in enumerate(source, 1):
            payload, problem = decode_line(raw.rstrip(b"\r\n"))
            yield Rejected(f"line {number}", problem) if problem else validate(payload, f"line {number}")


def read_json_document(data: bytes) -> Iterator[Article | Rejected]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        yield Rejected("document", f"not valid JSON: {error}")
        return
    items = document if isinstance(document, list) else [document]
    for position, item in enumerate(items):
        if isinstance(item, dict):
            yield validate(item, f"item {position}")
        else:
            yield Rejected(f"item {position}", f"expected a JSON object, got {type(item).__name__}")


def validate(payload: dict, where: str) -> Article | Rejected:
    try:
        return Article.model_validate(payload)
    except ValidationError as error:
        return Rejected(where, describe_validation_error(error))
