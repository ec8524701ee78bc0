"""Elasticsearch: index templates, idempotent bulk writes of results, and search."""
