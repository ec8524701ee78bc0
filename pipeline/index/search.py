"""Search indexed statements: free text plus filters on label, speaker, party and date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from elasticsearch import Elasticsearch

RELATIVE_TIME = re.compile(r"^(\d+)([mhdwMy])$")


@dataclass
class StatementQuery:
    text: str | None = None
    labels: list[str] | None = None
    speaker: str | None = None
    party: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 20


def date_bound(value: str) -> str:
    """'7d' -> 'now-7d'; dates and date-times pass through (Elasticsearch parses them)."""
    return f"now-{value}" if RELATIVE_TIME.match(value) else value


def build_query(q: StatementQuery) -> dict:
    must = [{"multi_match": {"query": q.text, "fields": ["text^2", "title", "speaker"]}}] if q.text else []
    filters = []
    if q.labels:
        filters.append({"terms": {"label": q.labels}})
    if q.speaker:
        filters.append({"match_phrase": {"speaker": q.speaker}})
    if q.party:
        filters.append({"term": {"parties": q.party}})
    if q.since or q.until:
        bounds = {key: date_bound(value) for key, value in (("gte", q.since), ("lte", q.until)) if value}
        filters.append({"range": {"published_at": bounds}})
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}


def search_statements(client: Elasticsearch, index: str, q: StatementQuery) -> list[dict]:
    sort = ["_score", {"published_at": {"order": "desc", "missing": "_last"}}] if q.text else [
        {"published_at": {"order": "desc", "missing": "_last"}}, {"confidence": "desc"}
    ]
    response = client.search(index=index, query=build_query(q), size=q.limit, sort=sort)
    return [hit["_source"] for hit in response["hits"]["hits"]]


def format_statement(doc: dict) -> str:
    when = (doc.get("published_at") or "")[:10] or "undated"
    speaker = doc.get("speaker") or "(outlet)"
    parties = ", ".join(doc.get("parties") or []) or "-"
    return (
        f"{when}  {doc['label'].upper():<11} {doc['confidence']:.2f}  {speaker}  [{parties}]\n"
        f"    {doc['text']}\n"
        f"    {doc.get('title') or ''} - {doc.get('source') or ''} - {doc.get('url') or ''}"
    )
