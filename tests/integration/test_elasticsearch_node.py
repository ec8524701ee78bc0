"""The local node accepts the unmodified official client and the features the project uses."""

from __future__ import annotations

from elasticsearch import helpers


def test_client_product_check_info_and_ping(es):
    assert es.ping()
    info = es.info()
    assert info["version"]["number"].startswith("8.")
    health = es.cluster.health()
    assert health["status"] in {"green", "yellow"}


def test_template_bulk_refresh_search_and_aggregations(es, unique):
    pattern = f"it-{unique}"
    es.indices.put_index_template(
        name=f"tpl-{unique}",
        index_patterns=[f"{pattern}-*"],
        template={
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": {
                "dynamic": "strict",
                "properties": {
                    "label": {"type": "keyword"},
                    "text": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 512}}},
                    "published_at": {"type": "date"},
                    "confidence": {"type": "float"},
                },
            },
        },
    )
    index = f"{pattern}-2025"
    labels = ["claim", "denial", "negotiation"]
    actions = (
        {
            "_index": index,
            "_id": f"doc-{i}",
            "_source": {
                "label": labels[i % 3],
                "text": f"statement number {i} about a truce",
                "published_at": f"2025-07-{1 + i % 10:02d}T12:00:00Z",
                "confidence": i / 60,
            },
        }
        for i in range(60)
    )
    indexed, errors = helpers.bulk(es, actions, stats_only=True)
    assert (indexed, errors) == (60, 0)
    es.indices.refresh(index=index)

    mapping = es.indices.get_mapping(index=index)[index]["mappings"]
    assert mapping["properties"]["label"]["type"] == "keyword", "the template must have applied"

    result = es.search(
        index=index,
        query={"match": {"text": "truce"}},
        size=0,
        aggs={
            "labels": {"terms": {"field": "label"}},
            "per_day": {"date_histogram": {"field": "published_at", "calendar_interval": "day"}},
            "mean_confidence": {"avg": {"field": "confidence"}},
        },
    )
    assert result["hits"]["total"]["value"] == 60
    assert {b["key"]: b["doc_count"] for b in result["aggregations"]["labels"]["buckets"]} == {l: 20 for l in labels}
    assert len(result["aggregations"]["per_day"]["buckets"]) == 10
    assert abs(result["aggregations"]["mean_confidence"]["value"] - sum(range(60)) / 60 / 60) < 1e-6

    # Indexing the same ids again replaces documents instead of adding new ones.
    helpers.bulk(es, ({"_index": index, "_id": f"doc-{i}", "_source": {"label": "none", "text": "x", "published_at": "2025-07-01", "confidence": 0}} for i in range(60)))
    es.indices.refresh(index=index)
    assert es.count(index=index)["count"] == 60
    es.indices.delete(index=index)
    es.indices.delete_index_template(name=f"tpl-{unique}")
