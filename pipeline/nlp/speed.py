"""How fast `classify --sentences` is, next to the bare model forward pass on the same batches.

Both run in one process on the same sentences: the full path (parse JSON lines,
tokenise, forward, attribute, write JSON lines) and only ``model(**batch)`` over the
identical padded batches. Their ratio is the pipeline's efficiency.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import asdict, dataclass

import torch

from pipeline.jsonl import ErrorLog
from pipeline.nlp.batch import classify_sentence_stream
from pipeline.nlp.classifier import CeasefireClassifier
from pipeline.nlp.encoding import collate, length_sorted_batches
from pipeline.nlp.precision import autocast


@dataclass
class SpeedReport:
    sentences: int
    batch_size: int
    bf16: bool
    model_load_s: float
    classify_sentences_per_s: float
    forward_only_sentences_per_s: float
    ratio: float

    def format(self) -> str:
        return (
            f"sentences            {self.sentences} (batch {self.batch_size}, bf16 {self.bf16})\n"
            f"model load           {self.model_load_s:.2f}s\n"
            f"classify --sentences {self.classify_sentences_per_s:.1f} sentences/s (JSON in -> JSON out)\n"
            f"bare forward pass    {self.forward_only_sentences_per_s:.1f} sentences/s (same batches)\n"
            f"ratio                {self.ratio:.2f}"
        )

    def as_dict(self) -> dict:
        return asdict(self)


def measure(classifier: CeasefireClassifier, lines: list[dict], repeats: int = 1) -> SpeedReport:
    payload = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    texts = [line["text"] for line in lines]
    contexts = [line.get("context", "") for line in lines]
    classifier.predict(texts[:64], contexts[:64])  # warm-up: first calls allocate

    began = time.perf_counter()
    for _ in range(repeats):
        classify_sentence_stream(classifier, io.BytesIO(payload), io.StringIO(), ErrorLog(stream=io.StringIO()))
    full = time.perf_counter() - began

    encoded = classifier.preprocess(texts, contexts)
    batches = [collate([encoded[i] for i in group], classifier.tokenizer.pad_token_id)
               for group in length_sorted_batches([len(e) for e in encoded], classifier.batch_size)]
    began = time.perf_counter()
    with torch.inference_mode(), autocast(classifier.bf16):
        for _ in range(repeats):
            for batch in batches:
                classifier.model(**batch)
    bare = time.perf_counter() - began

    count = len(lines) * repeats
    return SpeedReport(
        sentences=len(lines), batch_size=classifier.batch_size, bf16=classifier.bf16,
        model_load_s=getattr(classifier, "load_seconds", 0.0),
        classify_sentences_per_s=count / full, forward_only_sentences_per_s=count / bare, ratio=bare / full,
    )
