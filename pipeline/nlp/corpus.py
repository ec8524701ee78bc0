"""The annotated corpus: reading, checking, and the context each sentence had in its article.

Records follow the annotation guide's JSON Lines format
(``text``, ``label``, ``speaker``, ``parties``) plus optional ``context`` (the
article text just before the sentence), ``speaker_mention`` (the words in the
sentence that refer to a speaker named only in the context), and provenance
fields (``doc``, ``conflict``, ``style``) that the classifier ignores.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.nlp.attribution import Gazetteer, gazetteer
from pipeline.schema import LABELS
from pipeline.settings import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT / "data" / "corpus"
SPLITS = {name: CORPUS_DIR / f"{name}.jsonl" for name in ("train", "dev", "challenge")}
CONTEXT_SENTENCES = 2  # how many preceding sentences of an article the model sees


@dataclass
class Record:
    text: str
    label: str
    speaker: str = ""
    parties: list[str] = field(default_factory=list)
    context: str = ""
    speaker_mention: str = ""
    meta: dict = field(default_factory=dict)


class CorpusError(ValueError):
    pass


def parse_record(raw: dict, where: str) -> Record:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: expected a JSON object")
    text, label = raw.get("text"), raw.get("label")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' must be a non-empty string")
    if label not in LABELS:
        raise CorpusError(f"{where}: 'label' must be one of {', '.join(LABELS)}, got {label!r}")
    speaker, parties = raw.get("speaker", "") or "", raw.get("parties", []) or []
    if not isinstance(speaker, str) or not isinstance(parties, list) or not all(isinstance(p, str) for p in parties):
        raise CorpusError(f"{where}: 'speaker' must be a string and 'parties' a list of strings")
    known = {"text", "label", "speaker", "parties", "context", "speaker_mention"}
    return Record(
        text=text,
        label=label,
        speaker=speaker,
        parties=parties,
        context=raw.get("context", "") or "",
        speaker_mention=raw.get("speaker_mention", "") or "",
        meta={k: v for k, v in raw.items() if k not in known},
    )


def read_records(path: Path) -> list[Record]:
    records = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as error:
                    raise CorpusError(f"{path}:{number}: invalid JSON ({error.msg})") from error
                records.append(parse_record(raw, f"{path}:{number}"))
    return records


def with_article_context(records: list[Record], sentences: int = CONTEXT_SENTENCES) -> list[Record]:
    """Give each sentence of a mini-article (same ``doc``, in order) the sentences before it as context."""
    previous: list[str] = []
    current_doc = None
    for record in records:
        doc = record.meta.get("doc")
        if doc is None or doc != current_doc:
            previous = []
        current_doc = doc
        if doc is not None and not record.context:
            record.context = " ".join(previous[-sentences:])
        if doc is not None:
            previous.append(record.text)
    return records


def write_records(records: list[Record], path: Path) -> None:
    with Path(path).open("w", encoding="utf-8") as out:
        for r in records:
            line = {"text": r.text, "label": r.label, "speaker": r.speaker, "parties": r.parties}
            if r.context:
                line["context"] = r.context
            if r.speaker_mention:
                line["speaker_mention"] = r.speaker_mention
            line.update(r.meta)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


# -- where the speaker and the parties are written: the token head's targets ----------------

SENTENCE, CONTEXT = 1, 0


@dataclass(frozen=True)
class CharSpan:
    segment: int  # SENTENCE or CONTEXT
    start: int
    end: int
    kind: str  # "SPK" or "PTY"


def find_all(needle: str, haystack: str, ignore_case: bool = True) -> list[tuple[int, int]]:
    """Whole-word occurrences. Names of parties match case-sensitively ("US" is not "us")."""
    if not needle:
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", re.IGNORECASE if ignore_case else 0)
    return [(m.start(), m.end()) for m in pattern.finditer(haystack)]


def speaker_spans(record: Record) -> list[CharSpan] | None:
    """Where the speaker is written; None when it cannot be located (the example then teaches no tags)."""
    if record.label == "none" or not record.speaker:
        return []
    in_sentence = find_all(record.speaker, record.text)
    if in_sentence:
        return [CharSpan(SENTENCE, s, e, "SPK") for s, e in in_sentence]
    mention = find_all(record.speaker_mention, record.text)[:1]
    antecedent = find_all(record.speaker, record.context)[-1:]
    if mention and antecedent:
        return [CharSpan(SENTENCE, *mention[0], "SPK"), CharSpan(CONTEXT, *antecedent[0], "SPK")]
    return None


def party_spans(record: Record, names: Gazetteer) -> list[CharSpan]:
    """Mentions of each party in the sentence, else (for "both sides") in the context."""
    if record.label == "none":
        return []
    spans = []
    for party in record.parties:
        aliases = set(names.aliases_of(party)) | {party}
        hits = [(s, e) for alias in aliases for s, e in find_all(alias, record.text, ignore_case=False)]
        segment = SENTENCE
        if not hits:
            hits = [(s, e) for alias in aliases for s, e in find_all(alias, record.context, ignore_case=False)]
            segment = CONTEXT
        spans += [CharSpan(segment, s, e, "PTY") for s, e in hits]
    return spans


def target_spans(record: Record) -> list[CharSpan] | None:
    speakers = speaker_spans(record)
    if speakers is None:
        return None
    taken = [(s.segment, s.start, s.end) for s in speakers]
    parties = [
        p for p in party_spans(record, gazetteer())
        if not any(seg == p.segment and p.start < end and start < p.end for seg, start, end in taken)
    ]
    return speakers + parties
