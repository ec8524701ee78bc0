"""Write article results to Elasticsearch with the bulk helpers, idempotently.

A batch either lands or is retried: connection failures are retried with backoff
until Elasticsearch is back (the caller has not acknowledged the Kafka records
yet), while documents Elasticsearch rejects are reported per article so the
caller can dead-letter just those.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch
from elasticsearch.exceptions import ConnectionError as ESConnectionError
from elasticsearch.exceptions import ConnectionTimeout
from elasticsearch.helpers import async_streaming_bulk

from pipeline.index.documents import bulk_actions, indexed_statements, statement_id
from pipeline.schema import Article, ArticleResult
from pipeline.settings import IndexSettings

log = logging.getLogger(__name__)

TRANSIENT = (ESConnectionError, ConnectionTimeout)


@dataclass
class IndexOutcome:
    indexed_articles: int
    indexed_statements: int
    deleted_stale: int
    failures: dict[str, str]  # article id -> reason


class ResultIndexer:
    def __init__(self, client: AsyncElasticsearch, indices: IndexSettings, max_backoff_s: float = 30.0) -> None:
        self.client = client
        self.indices = indices
        self.max_backoff_s = max_backoff_s

    async def write(self, pairs: list[tuple[ArticleResult, Article]]) -> IndexOutcome:
        """Index the results; retry until Elasticsearch answers, then report per-article rejections."""
        delay = 0.5
        while True:
            try:
                return await self._write_once(pairs)
            except TRANSIENT as error:
                log.warning("elasticsearch unavailable, retrying", extra={"error": str(error), "retry_in_s": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_backoff_s)

    async def _write_once(self, pairs: list[tuple[ArticleResult, Article]]) -> IndexOutcome:
        actions = [a for result, article in pairs for a in bulk_actions(result, article, self.indices.articles, self.indices.statements)]
        stale = await self._stale_statement_ids(pairs)
        actions += [{"_op_type": "delete", "_index": self.indices.statements, "_id": sid} for sid in stale]
        failures: dict[str, str] = {}
        statements = articles = 0
        async for ok, item in async_streaming_bulk(
            self.client, actions, raise_on_error=False, raise_on_exception=True, max_retries=5, initial_backoff=1, chunk_size=500
        ):
            operation, details = next(iter(item.items()))
            if operation == "delete":
                continue
            if not ok:
                article_id = str(details.get("_id", "")).split(":")[0]
                failures.setdefault(article_id, f"{details.get('status')}: {details.get('error')}")
            elif details["_index"].startswith(self.indices.statements):
                statements += 1
            else:
                articles += 1
        return IndexOutcome(articles, statements, len(stale), failures)

    async def _stale_statement_ids(self, pairs: list[tuple[ArticleResult, Article]]) -> list[str]:
        """Statements left from an earlier version of an article (a sentence now `none`, or gone)."""
        wanted = {statement_id(r.id, s.index) for r, _ in pairs for s in indexed_statements(r)}
        response = await self.client.options(ignore_status=404).search(
            index=self.indices.statements,
            query={"terms": {"article_id": [r.id for r, _ in pairs]}},
            source=False,
            size=10_000,
        )
        existing = [hit["_id"] for hit in response.get("hits", {}).get("hits", [])]
        return [sid for sid in existing if sid not in wanted]
