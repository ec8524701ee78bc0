"""Install the index templates from config/elasticsearch/templates and create the indices.

The template files hold mappings and settings; which index names they apply to
comes from the settings, so renamed or per-run indices get the same mappings.
"""

from __future__ import annotations

import json
from pathlib import Path

from elasticsearch import Elasticsearch

from pipeline.settings import CONFIG_DIR, IndexSettings

TEMPLATE_DIR = CONFIG_DIR / "elasticsearch" / "templates"


def load_template(kind: str) -> dict:
    return json.loads((TEMPLATE_DIR / f"{kind}.json").read_text())


def index_kinds(indices: IndexSettings) -> dict[str, str]:
    """Template kind -> index name, for every template file present."""
    names = indices.model_dump()
    return {path.stem: names[path.stem] for path in sorted(TEMPLATE_DIR.glob("*.json")) if path.stem in names}


def install_templates(client: Elasticsearch, indices: IndexSettings) -> list[str]:
    """Put one template per index and create each index if missing; safe to repeat."""
    created = []
    for kind, index in index_kinds(indices).items():
        body = load_template(kind)
        client.indices.put_index_template(name=f"{index}-template", index_patterns=[f"{index}*"], **body)
        if not client.indices.exists(index=index):
            client.options(ignore_status=400).indices.create(index=index)
            created.append(index)
    return created


def mapping_fields(mapping: dict, prefix: str = "") -> dict[str, str]:
    """Flatten a mapping into {dotted field name: type}, including multi-fields."""
    fields = {}
    for name, spec in mapping.get("properties", {}).items():
        path = f"{prefix}{name}"
        if "properties" in spec:
            fields.update(mapping_fields(spec, f"{path}."))
        else:
            fields[path] = spec.get("type", "object")
        for sub, sub_spec in spec.get("fields", {}).items():
            fields[f"{path}.{sub}"] = sub_spec["type"]
    return fields
