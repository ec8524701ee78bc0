"""Read JSON Lines tolerantly: a bad line is reported with its number, the rest still flow.

Used wherever the project reads records a person or another program wrote:
``classify``, ``eval`` and ``produce``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

MAX_LINE_BYTES = 2_000_000


@dataclass
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ErrorLog:
    """Collects bad lines and reports each on stderr as it happens."""

    errors: list[LineError] = field(default_factory=list)
    stream: object = sys.stderr

    def add(self, line: int, message: str) -> None:
        error = LineError(line, message)
        self.errors.append(error)
        print(f"error: {error}", file=self.stream, flush=True)

    def __len__(self) -> int:
        return len(self.errors)


def read_objects(source: BinaryIO, errors: ErrorLog, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, dict]]:
    """Yield (line number, object) for every good line; report the others to ``errors``."""
    for number, raw in enumerate(source, 1):
        payload, problem = decode_line(raw, max_line_bytes)
        if problem:
            errors.add(number, problem)
        else:
            yield number, payload


def decode_line(raw: bytes, max_line_bytes: int = MAX_LINE_BYTES) -> tuple[dict | None, str | None]:
    """(object, None) for a good line, (None, reason) for a bad one."""
    if len(raw) > max_line_bytes:
        return None, f"oversized line ({len(raw):,} bytes; the limit is {max_line_bytes:,})"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at position {error.start})"
    if not text.strip():
        return None, "empty line"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"invalid JSON ({error.msg} at column {error.colno})"
    if not isinstance(value, dict):
        return None, f"expected a JSON object, got {type(value).__name__}"
    return value, None


def describe_validation_error(error) -> str:
    """One line from a pydantic ValidationError: 'body: field required; url: ...'."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "record"
        message = "missing" if item["type"] == "missing" else item["msg"]
        parts.append(f"{where}: {message}")
    return "; ".join(parts)
