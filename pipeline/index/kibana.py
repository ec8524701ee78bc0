"""Import the Kibana saved objects in config/kibana/ (data views, searches, dashboard)."""

from __future__ import annotations

from pathlib import Path

import httpx

from pipeline.settings import CONFIG_DIR

SAVED_OBJECTS = CONFIG_DIR / "kibana" / "ceasefire.ndjson"


class KibanaImportError(RuntimeError):
    pass


def import_saved_objects(kibana_url: str, path: Path = SAVED_OBJECTS, timeout_s: float = 60) -> int:
    """POST the NDJSON to Kibana's import API, overwriting earlier copies; return how many objects it took."""
    response = httpx.post(
        f"{kibana_url.rstrip('/')}/api/saved_objects/_import",
        params={"overwrite": "true"},
        headers={"kbn-xsrf": "true"},
        files={"file": (path.name, path.read_bytes(), "application/ndjson")},
        timeout=timeout_s,
    )
    if response.status_code != 200:
        raise KibanaImportError(f"Kibana answered {response.status_code}: {response.text[:500]}")
    result = response.json()
    if not result.get("success"):
        problems = "; ".join(f"{e.get('type')}/{e.get('id')}: {e.get('error', {}).get('type')}" for e in result.get("errors", []))
        raise KibanaImportError(f"Kibana rejected some saved objects: {problems}")
    return int(result.get("successCount", 0))
