"""Producers: articles from files and RSS/Atom feeds into the Kafka articles topic (kafka-python)."""
