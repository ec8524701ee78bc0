import io

from pipeline.ingest.sources import Rejected, read_articles


def reader(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data))


def test_json_lines_with_bad_records_reports_each_with_its_line():
    data = b'{"title": "t", "body": "b"}\nnot json\n{"title": "no body"}\n\xff\n{"body": "second"}\n'
    items = list(read_articles(reader(data), "x.jsonl"))
    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Rejected", "Rejected", "Article"]
    assert str(items[2]) == "line 3: body: missing"
    assert str(items[3]).startswith("line 4: not valid UTF-8")


def test_json_array_and_single_document():
    items = list(read_articles(reader(b' [{"body": "a"}, 5, {"body": "b"}]'), "-"))
    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Article"]
    assert isinstance(items[1], Rejected) and items[1].where == "item 1"
    [single] = read_articles(reader(b'{\n  "body": "pretty printed"\n}'), "one.json")
    assert single.body == "pretty printed"
