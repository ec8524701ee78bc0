"""The CLI contracts that checks outside this repository rely on."""

from __future__ import annotations

import json
import subprocess
import sys

from pipeline.schema import LABELS
from pipeline.settings import PROJECT_ROOT


def classify(*args: str, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "classify", *args], input=stdin, capture_output=True, cwd=PROJECT_ROOT, timeout=300)


def test_sentence_mode_adds_fields_and_passes_others_through():
    lines = [
        {"text": "Thailand's foreign ministry denied that any truce had been agreed.", "id": "s1", "meta": {"k": [1, 2]}},
        {"text": "He said talks would resume on Monday.", "context": "Anwar Ibrahim met both delegations.", "id": "s2"},
    ]
    result = classify("--sentences", stdin="".join(json.dumps(l) + "\n" for l in lines).encode())
    assert result.returncode == 0, result.stderr.decode()
    out = [json.loads(l) for l in result.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["s1", "s2"]
    assert out[0]["meta"] == {"k": [1, 2]} and out[1]["context"] == lines[1]["context"]
    for o in out:
        assert {"label", "confidence", "scores", "speaker", "parties"} <= set(o)
        assert o["label"] in LABELS and isinstance(o["speaker"], str) and isinstance(o["parties"], list)
        assert 0 <= o["confidence"] <= 1 and set(o["scores"]) == set(LABELS)
        assert "speaker_mention" not in o


def test_bad_lines_are_named_on_stderr_and_good_lines_still_come_out():
    stdin = b"".join(
        [
            b'{"text": "Both sides agreed to a truce that took effect at midnight."}\n',
            b"this is not json\n",
            b'{"context": "no text here"}\n',
            b"\n",
            b'{"text": "' + b"x" * 6000 + b'"}\n',
            b'{"text": "caf\xe9 \xff"}\n',
            b'{"text": 42}\n',
            b'{"text": "The army denied breaching the ceasefire."}\n',
        ]
    )
    result = classify("--sentences", stdin=stdin)
    assert result.returncode == 1
    out = [json.loads(l) for l in result.stdout.decode().splitlines()]
    assert [o["text"][:9] for o in out] == ["Both side", "The army "]
    stderr = result.stderr.decode()
    for line in (2, 3, 4, 5, 6, 7):
        assert f"line {line}:" in stderr, (line, stderr)
    assert "line 2: invalid JSON" in stderr
    assert "line 3: text: missing" in stderr
    assert "line 4: empty line" in stderr
    assert "line 5: text: String should have at most 5000 characters" in stderr
    assert "line 6: not valid UTF-8" in stderr
    assert "6 line(s) failed, 2 classified" in stderr


def test_article_mode_returns_statements_and_roll_up():
    article = {
        "id": "a-1",
        "url": "https://example.org/a1",
        "title": "Trump says Thailand and Cambodia agree to halt fighting",
        "body": "Thailand's foreign ministry said no such deal had been reached.\n\nThe fighting has displaced thousands.",
        "published_at": "2025-07-26T09:00:00Z",
        "source": "Example Wire",
    }
    result = classify(stdin=(json.dumps(article) + "\n{broken\n").encode())
    assert result.returncode == 1 and "line 2: invalid JSON" in result.stderr.decode()
    [out] = [json.loads(l) for l in result.stdout.decode().splitlines()]
    assert out["id"] == "a-1" and out["url"] == article["url"] and out["source"] == "Example Wire"
    assert [s["index"] for s in out["statements"]] == [0, 1, 2]
    assert out["statements"][0]["text"] == article["title"]
    for s in out["statements"]:
        assert {"text", "index", "label", "confidence", "scores", "speaker", "parties"} <= set(s)
    assert sum(out["counts"].values()) == 3
    assert out["disputed"] == (out["counts"]["claim"] > 0 and out["counts"]["denial"] > 0)
    assert {"strongest_claim", "strongest_denial", "stance", "model_version"} <= set(out)


def test_eval_prints_metrics_for_model_and_baseline(tmp_path):
    data = tmp_path / "gold.jsonl"
    rows = [
        {"text": "Both sides agreed to a ceasefire that took effect at midnight.", "label": "claim", "speaker": "", "parties": []},
        {"text": "The Thai foreign ministry denied any truce had been agreed.", "label": "denial", "speaker": "the Thai foreign ministry", "parties": ["Thailand"]},
        {"text": "Floods displaced thousands in the north.", "label": "none", "speaker": "", "parties": []},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows) + "oops\n")
    for extra in ([], ["--baseline"]):
        result = subprocess.run([sys.executable, "-m", "pipeline", "eval", "--data", str(data), "--json", *extra], capture_output=True, cwd=PROJECT_ROOT, timeout=300)
        assert result.returncode == 1 and "line 4: invalid JSON" in result.stderr.decode()
        report = json.loads(result.stdout)
        assert report["sentences"] == 3
        assert set(report["per_label"]) == set(LABELS)
        assert len(report["confusion"]) == len(LABELS) and sum(map(sum, report["confusion"])) == 3
        assert 0 <= report["macro_f1"] <= 1 and 0 <= report["speaker_exact_match"] <= 1 and report["sentences_per_second"] > 0


def test_classifier_benchmark_reports_both_speeds():
    result = subprocess.run([sys.executable, "-m", "pipeline", "bench", "--sentences", "64", "--json"], capture_output=True, cwd=PROJECT_ROOT, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["sentences"] == 64
    assert report["classify_sentences_per_s"] > 0 and report["forward_only_sentences_per_s"] > 0
    assert 0 < report["ratio"] and report["model_load_s"] > 0
