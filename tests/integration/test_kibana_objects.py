"""Kibana cannot run here: validate the saved objects statically, against the live Elasticsearch mapping.

Kibana 8.19 itself is not available on this machine (no Docker, no Kibana download), so
these checks stand in for an import: every line parses, ids are unique, references
resolve, embedded JSON strings parse, Lens layers and dashboard panels are consistent,
and every field the objects use exists in the real mapping, aggregatable where aggregated.
"""

from __future__ import annotations

import json
import re

import pytest

from pipeline.index.kibana import SAVED_OBJECTS, KibanaImportError, import_saved_objects
from pipeline.index.templates import mapping_fields
from tests.integration.helpers import LocalHTTPServer, QuietHandler

OBJECTS = [json.loads(line) for line in SAVED_OBJECTS.read_text(encoding="utf-8").splitlines()]
BY_KEY = {(o["type"], o["id"]): o for o in OBJECTS}
AGGREGATABLE = {"keyword", "date", "float", "integer", "long", "double", "boolean"}
KQL_FIELD = re.compile(r"(?:^|\(|\s|not\s)([a-z_][\w.]*)\s*(?::|>=|<=|>|<)")
VIEW_KIND = {"ceasefire-statements*": "statements", "ceasefire-articles*": "articles", "ceasefire-disputes*": "disputes"}


def test_every_line_is_one_object_with_a_unique_id_and_safe_versions():
    assert len(OBJECTS) == len(BY_KEY), "ids must be unique per type"
    for o in OBJECTS:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", o["id"]), o["id"]
        assert o["coreMigrationVersion"] == "8.8.0" and o["typeMigrationVersion"] <= "8.9.0"
    assert {o["type"] for o in OBJECTS} == {"index-pattern", "search", "lens", "dashboard"}


def test_references_resolve_to_objects_in_the_file():
    for o in OBJECTS:
        for ref in o["references"]:
            assert (ref["type"], ref["id"]) in BY_KEY, (o["id"], ref)


def test_embedded_json_strings_parse():
    for o in OBJECTS:
        attributes = o["attributes"]
        meta = attributes.get("kibanaSavedObjectMeta", {})
        if "searchSourceJSON" in meta:
            source = json.loads(meta["searchSourceJSON"])
            if o["type"] == "search":
                assert source["indexRefName"] in {r["name"] for r in o["references"]}
        if o["type"] == "dashboard":
            json.loads(attributes["optionsJSON"])
            assert isinstance(json.loads(attributes["panelsJSON"]), list)
        if o["type"] == "lens":
            assert isinstance(attributes["state"], dict), "Lens state is an object, not a string"


def test_lens_layers_are_consistent_and_referenced():
    for o in (o for o in OBJECTS if o["type"] == "lens"):
        layers = o["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
        visual = o["attributes"]["state"]["visualization"]
        for layer_id, layer in layers.items():
            assert f"indexpattern-datasource-layer-{layer_id}" in {r["name"] for r in o["references"]}
            assert sorted(layer["columnOrder"]) == sorted(layer["columns"])
            for column in layer["columns"].values():
                order = column.get("params", {}).get("orderBy", {})
                if order.get("type") == "column":
                    assert not layer["columns"][order["columnId"]]["isBucketed"]
        for vis_layer in visual["layers"]:
            columns = layers[vis_layer["layerId"]]["columns"]
            for accessor in [vis_layer["xAccessor"], vis_layer.get("splitAccessor"), *vis_layer["accessors"]]:
                assert accessor is None or accessor in columns


def test_dashboard_panels_match_their_references():
    dashboard = BY_KEY[("dashboard", "ceasefire-dashboard")]
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    references = {r["name"]: r for r in dashboard["references"]}
    titles = set()
    for panel in panels:
        assert panel["gridData"]["i"] == panel["panelIndex"]
        assert panel["gridData"]["x"] + panel["gridData"]["w"] <= 48
        reference = references[f"{panel['panelIndex']}:{panel['panelRefName']}"]
        assert reference["type"] == panel["type"]
        titles.add(BY_KEY[(reference["type"], reference["id"])]["attributes"]["title"])
    assert {"Claims vs denials over time", "Top speakers per label", "Top parties", "Disputed articles", "Latest statements"} <= titles


def test_saved_searches_cover_what_analysts_asked_for():
    searches = {o["attributes"]["title"] for o in OBJECTS if o["type"] == "search"}
    assert {"All ceasefire claims", "All ceasefire denials", "Disputed articles", "Statements by speaker"} <= searches
    views = {o["attributes"]["title"]: o["attributes"]["timeFieldName"] for o in OBJECTS if o["type"] == "index-pattern"}
    assert views["ceasefire-statements*"] == views["ceasefire-articles*"] == "published_at"


def used_fields(o: dict) -> list[tuple[str, bool]]:
    """(field, must be aggregatable) for everything an object reads."""
    fields = []
    attributes = o["attributes"]
    if o["type"] == "index-pattern":
        fields.append((attributes["timeFieldName"], True))
    if o["type"] == "search":
        fields += [(c, False) for c in attributes["columns"]]
        fields += [(s[0], True) for s in attributes["sort"]]
        query = json.loads(attributes["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"]
        fields += [(f, False) for f in KQL_FIELD.findall(query)]
    if o["type"] == "lens":
        state = attributes["state"]
        for layer in state["datasourceStates"]["formBased"]["layers"].values():
            fields += [(c["sourceField"], True) for c in layer["columns"].values() if c["sourceField"] != "___records___"]
        fields += [(f, False) for f in KQL_FIELD.findall(state["query"]["query"])]
    return fields


def view_of(o: dict) -> str:
    if o["type"] == "index-pattern":
        return o["attributes"]["title"]
    view_id = next(r["id"] for r in o["references"] if r["type"] == "index-pattern")
    return BY_KEY[("index-pattern", view_id)]["attributes"]["title"]


def test_every_field_exists_in_the_live_mapping_and_is_aggregatable_where_aggregated(isolated, es):
    assert isolated.cli("setup").returncode == 0
    live = {}
    for kind in ("statements", "articles", "disputes"):
        index = getattr(isolated.settings.indices, kind)
        live[kind] = mapping_fields(es.indices.get_mapping(index=index)[index]["mappings"])
    checked = 0
    for o in OBJECTS:
        if o["type"] == "dashboard":
            continue
        fields = live[VIEW_KIND[view_of(o)]]
        for field, aggregated in used_fields(o):
            assert field in fields, f"{o['id']} uses {field}, absent from the {view_of(o)} mapping"
            if aggregated:
                assert fields[field] in AGGREGATABLE, f"{o['id']} aggregates or sorts on {field} ({fields[field]})"
            checked += 1
    assert checked > 40


class FakeKibanaImport(LocalHTTPServer):
    """Stands in for Kibana's import endpoint only to check the request the CLI sends."""

    def __init__(self, answer: dict) -> None:
        self.requests: list[dict] = []
        server = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append({"path": self.path, "xsrf": self.headers.get("kbn-xsrf"), "type": self.headers["Content-Type"], "body": body})
                self.reply(200, json.dumps(answer).encode())

        super().__init__(Handler)


def test_import_request_has_the_shape_kibana_requires():
    fake = FakeKibanaImport({"success": True, "successCount": len(OBJECTS)})
    try:
        assert import_saved_objects(fake.url) == len(OBJECTS)
        [request] = fake.requests
        assert request["path"] == "/api/saved_objects/_import?overwrite=true"
        assert request["xsrf"] == "true" and request["type"].startswith("multipart/form-data")
        assert b'name="file"; filename="ceasefire.ndjson"' in request["body"]
        assert SAVED_OBJECTS.read_bytes() in request["body"]
    finally:
        fake.close()


def test_import_errors_are_reported_with_their_objects():
    fake = FakeKibanaImport({"success": False, "errors": [{"type": "lens", "id": "x", "error": {"type": "missing_references"}}]})
    try:
        with pytest.raises(KibanaImportError, match="lens/x: missing_references"):
            import_saved_objects(fake.url)
    finally:
        fake.close()
