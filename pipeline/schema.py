"""The record types every stage shares: ingest -> stream -> nlp -> index.

Each record validates itself at the edges, so a bad article is rejected with a
message that names the field, and every stage can trust what it receives.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

LABELS: tuple[str, ...] = ("claim", "denial", "negotiation", "violation", "none")
Label = Literal["claim", "denial", "negotiation", "violation", "none"]
Stance = Literal["claim", "denial", "negotiation", "violation", "disputed", "none"]

MAX_TITLE_CHARS = 1_000
MAX_BODY_CHARS = 1_000_000
MAX_SENTENCE_CHARS = 5_000
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragments, tracking parameters and trailing slashes."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(TRACKING_PARAMS)]
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    netloc = host + (f":{parts.port}" if parts.port and parts.port not in (80, 443) else "")
    return urlunsplit((parts.scheme.lower() or "https", netloc, parts.path.rstrip("/") or "/", urlencode(sorted(query)), ""))


def article_id_for(url: str | None, source: str, title: str, body: str) -> str:
    """A stable id: the hash of the canonical URL, or of source + title + body when there is no URL."""
    basis = canonical_url(url) if url else "\x1f".join((source.strip().lower(), title.strip(), body.strip()))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


class Article(BaseModel):
    """A news article as producers send it and the worker reads it."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = ""
    url: str | None = None
    title: str = Field(default="", max_length=MAX_TITLE_CHARS)
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS)
    source: str = ""
    published_at: datetime | None = None
    language: str = "en"
    ingested_at: datetime = Field(default_factory=utc_now)

    @field_validator("url")
    @classmethod
    def url_is_http(cls, url: str | None) -> str | None:
        if url in (None, ""):
            return None
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("url must start with http:// or https://")
        return url

    @field_validator("published_at", "ingested_at")
    @classmethod
    def dates_are_utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value

    @model_validator(mode="after")
    def fill_id(self) -> "Article":
        if not self.id:
            self.id = article_id_for(self.url, self.source, self.title, self.body)
        return self


class SentenceInput(BaseModel):
    """One sentence to classify, with the article text before it when known."""

    model_config = ConfigDict(extra="allow")

    text: str = Field(min_length=1, max_length=MAX_SENTENCE_CHARS)
    context: str = ""

    @field_validator("text")
    @classmethod
    def text_not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("text is blank")
        return text


class Prediction(BaseModel):
    """What the classifier says about one sentence."""

    label: Label
    confidence: float = Field(ge=0, le=1)
    scores: dict[str, float]
    speaker: str = ""
    parties: list[str] = Field(default_factory=list)
    speaker_mention: str = Field(default="", exclude=True)  # a pronoun left for the article to resolve


class Statement(Prediction):
    """A classified sentence of an article."""

    index: int = Field(ge=0)
    text: str


class Evidence(BaseModel):
    index: int
    text: str
    speaker: str
    confidence: float


class ArticleResult(BaseModel):
    """An article with its statements and what it amounts to."""

    id: str
    url: str | None = None
    title: str = ""
    source: str = ""
    published_at: datetime | None = None
    language: str = "en"
    ingested_at: datetime | None = None
    classified_at: datetime = Field(default_factory=utc_now)
    model_version: str
    statements: list[Statement]
    counts: dict[str, int]
    stance: Stance
    disputed: bool
    strongest_claim: Evidence | None = None
    strongest_denial: Evidence | None = None
    speakers: list[str] = Field(default_factory=list)
    parties: list[str] = Field(default_factory=list)


class LedgerEntry(BaseModel):
    """A claim or denial as the dispute ledger remembers it: the evidence and when it was published."""

    statement_id: str
    article_id: str
    label: Literal["claim", "denial"]
    time: datetime
    speaker: str = ""
    text: str
    confidence: float
    parties: list[str]
    url: str | None = None
    title: str = ""
    source: str = ""


class Dispute(BaseModel):
    """A claim contradicted by a denial about the same parties, or a claim nobody denied in time."""

    dispute_id: str
    status: Literal["disputed", "uncontested"]
    pair: str
    parties: list[str]
    claim: LedgerEntry
    denial: LedgerEntry | None = None
    gap_hours: float | None = None
    window_days: float
    detected_at: datetime = Field(default_factory=utc_now)

    # Flat copies of the evidence's key facts, for filters and table columns.
    @computed_field
    def claim_statement_id(self) -> str:
        return self.claim.statement_id

    @computed_field
    def denial_statement_id(self) -> str | None:
        return self.denial.statement_id if self.denial else None

    @computed_field
    def claim_time(self) -> datetime:
        return self.claim.time

    @computed_field
    def denial_time(self) -> datetime | None:
        return self.denial.time if self.denial else None

    @computed_field
    def speakers(self) -> list[str]:
        return [e.speaker for e in (self.claim, self.denial) if e is not None and e.speaker]


class DeadLetter(BaseModel):
    """A record a stage could not handle: the error, the stage, and the original bytes.

    Text payloads stay readable; other bytes are base64. A payload over the size
    limit keeps its head, with its full size and SHA-256 to find the original.
    """

    stage: Literal["ingest", "validate", "classify", "index", "ledger", "alert"]
    error: str
    payload: str
    payload_encoding: Literal["utf-8", "base64"] = "utf-8"
    payload_bytes: int
    payload_sha256: str
    payload_truncated: bool = False
    source_topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    failed_at: datetime = Field(default_factory=utc_now)

    @classmethod
    def for_payload(cls, stage: str, error: str, payload: bytes, max_bytes: int = 262_144, **where: Any) -> "DeadLetter":
        head = payload[:max_bytes]
        try:
            text, encoding = head.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as decode_error:
            if decode_error.start >= len(head) - 3 and len(payload) > max_bytes:  # cut inside a character
                text, encoding = head[: decode_error.start].decode("utf-8"), "utf-8"
            else:
                text, encoding = base64.b64encode(head).decode("ascii"), "base64"
        return cls(
            stage=stage,
            error=error,
            payload=text,
            payload_encoding=encoding,
            payload_bytes=len(payload),
            payload_sha256=hashlib.sha256(payload).hexdigest(),
            payload_truncated=len(payload) > max_bytes,
            **where,
        )
