import io

from pipeline.jsonl import ErrorLog, decode_line, read_objects


def test_each_kind_of_bad_line_is_named():
    assert decode_line(b'{"text": "ok"}') == ({"text": "ok"}, None)
    assert decode_line(b"   ")[1] == "empty line"
    assert decode_line(b"{nope")[1].startswith("invalid JSON")
    assert decode_line(b"[1, 2]")[1] == "expected a JSON object, got list"
    assert decode_line(b'\xff{"text": 1}')[1] == "not valid UTF-8 (byte 0xff at position 0)"
    assert decode_line(b"x" * 20, max_line_bytes=10)[1].startswith("oversized line (20 bytes")


def test_good_lines_survive_bad_neighbours():
    source = io.BytesIO(b'{"a": 1}\nnot json\n\n{"a": 2}\n\xfe\n')
    errors = ErrorLog(stream=io.StringIO())
    assert list(read_objects(source, errors)) == [(1, {"a": 1}), (4, {"a": 2})]
    assert [(e.line, e.message.split(" ")[0]) for e in errors.errors] == [(2, "invalid"), (3, "empty"), (5, "not")]
