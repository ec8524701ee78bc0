"""Elasticsearch documents for article results, with deterministic ids.

Ids are the article id and ``<article id>:<sentence index>``: replaying a batch
or restarting the worker overwrites the same documents instead of adding copies.
"""

from __future__ import annotations

from pipeline.schema import Article, ArticleResult, Statement

ARTICLE_COPY_FIELDS = ("url", "title", "source", "published_at", "ingested_at", "classified_at")


def statement_id(article_id: str, index: int) -> str:
    return f"{article_id}:{index}"


def article_document(result: ArticleResult, article: Article) -> dict:
    doc = result.model_dump(mode="json", exclude={"statements"})
    doc["body"] = article.body
    doc["sentence_count"] = len(result.statements)
    return doc


def statement_document(result: ArticleResult, statement: Statement) -> dict:
    copied = result.model_dump(mode="json", include=set(ARTICLE_COPY_FIELDS))
    return {
        "statement_id": statement_id(result.id, statement.index),
        "article_id": result.id,
        "sentence_index": statement.index,
        "text": statement.text,
        "label": statement.label,
        "confidence": statement.confidence,
        "scores": statement.scores,
        "speaker": statement.speaker,
        "parties": statement.parties,
        "article_disputed": result.disputed,
        "model_version": result.model_version,
        **copied,
    }


def indexed_statements(result: ArticleResult) -> list[Statement]:
    """Statements worth a document: every sentence whose label is not ``none``."""
    return [s for s in result.statements if s.label != "none"]


def bulk_actions(result: ArticleResult, article: Article, article_index: str, statement_index: str) -> list[dict]:
    actions = [{"_op_type": "index", "_index": article_index, "_id": result.id, "_source": article_document(result, article)}]
    actions += [
        {"_op_type": "index", "_index": statement_index, "_id": statement_id(result.id, s.index), "_source": statement_document(result, s)}
        for s in indexed_statements(result)
    ]
    return actions
