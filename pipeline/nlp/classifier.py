"""The ceasefire statement classifier, split like a transformers Pipeline:
preprocess (tokenise) -> forward (the network, batched) -> postprocess (labels, speaker, parties).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import torch
from transformers import AutoTokenizer
from transformers.utils import logging as transformers_logging

from pipeline.nlp.attribution import Mention, choose_parties, choose_speaker, clean_mention, party_name
from pipeline.nlp.encoding import SENTENCE_SEGMENT, Encoded, collate, encode_pairs, length_sorted_batches
from pipeline.nlp.model import TAG_INDEX, CeasefireModel
from pipeline.nlp.precision import autocast, use_bf16
from pipeline.schema import LABELS, Prediction
from pipeline.settings import PROJECT_ROOT, ModelSettings, project_path

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / "ceasefire-minilm"


class CeasefireClassifier:
    def __init__(self, model: CeasefireModel, tokenizer, batch_size: int = 64, precision: str = "auto") -> None:
        self.model = model.eval()
        self.bf16 = use_bf16(precision)
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        config = model.config
        self.labels = [config.id2label[i] for i in range(config.num_labels)]
        self.temperature = float(getattr(config, "calibration_temperature", 1.0))
        self.max_sentence_tokens = int(getattr(config, "max_sentence_tokens", 96))
        self.max_context_tokens = int(getattr(config, "max_context_tokens", 48))
        self.version = str(getattr(config, "model_version", "unversioned"))
        assert set(self.labels) == set(LABELS), f"model labels {self.labels} differ from {LABELS}"

    @classmethod
    def load(
        cls, model_dir: Path = DEFAULT_MODEL_DIR, batch_size: int = 64, threads: int | None = None, precision: str = "auto"
    ) -> "CeasefireClassifier":
        """Load weights (stored in fp16) as fp32 for the CPU."""
        if not (Path(model_dir) / "config.json").exists():
            raise FileNotFoundError(f"no trained model at {model_dir}: run `python -m pipeline train` or pass --model")
        if threads:
            torch.set_num_threads(threads)
        began = time.perf_counter()
        transformers_logging.disable_progress_bar()
        model = CeasefireModel.from_pretrained(model_dir, torch_dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        classifier = cls(model, tokenizer, batch_size, precision)
        classifier.load_seconds = time.perf_counter() - began
        log.info("model loaded", extra={"model": str(model_dir), "version": classifier.version, "bf16": classifier.bf16, "seconds": round(classifier.load_seconds, 2)})
        return classifier

    @classmethod
    def from_settings(cls, model: ModelSettings, model_dir: Path | None = None) -> "CeasefireClassifier":
        return cls.load(model_dir or project_path(model.path), model.batch_size, model.threads, model.precision)

    # -- the three stages -------------------------------------------------------------
    def preprocess(self, texts: list[str], contexts: list[str]) -> list[Encoded]:
        return encode_pairs(self.tokenizer, texts, contexts, self.max_sentence_tokens, self.max_context_tokens)

    @torch.inference_mode()
    def forward(self, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """Label probabilities (temperature-scaled) and tag probabilities for one padded batch."""
        with autocast(self.bf16):
            label_logits, tag_logits = self.model(**batch)
        return torch.softmax(label_logits.float() / self.temperature, -1), torch.softmax(tag_logits.float(), -1)

    def postprocess(self, encoded: Encoded, texts: tuple[str, str], label_probs: torch.Tensor, tag_probs: torch.Tensor) -> Prediction:
        scores = {label: round(float(p), 4) for label, p in zip(self.labels, label_probs.tolist())}
        label = max(scores, key=scores.get)
        speaker, mention, parties = "", "", []
        if label != "none":
            speaker_mentions, party_mentions = tagged_mentions(encoded, texts, tag_probs[: len(encoded)])
            speaker, mention = choose_speaker(speaker_mentions)
            parties = choose_parties(party_mentions)
        return Prediction(
            label=label, confidence=scores[label], scores=scores, speaker=speaker, parties=parties, speaker_mention=mention
        )

    # -- the whole pipeline -----------------------------------------------------------
    def predict(self, texts: list[str], contexts: list[str] | None = None) -> list[Prediction]:
        contexts = contexts or [""] * len(texts)
        encoded = self.preprocess(texts, contexts)
        predictions: list[Prediction | None] = [None] * len(texts)
        for indices in length_sorted_batches([len(e) for e in encoded], self.batch_size):
            batch = collate([encoded[i] for i in indices], self.tokenizer.pad_token_id)
            label_probs, tag_probs = self.forward(batch)
            for row, i in enumerate(indices):
                predictions[i] = self.postprocess(encoded[i], (contexts[i], texts[i]), label_probs[row], tag_probs[row])
        return predictions  # type: ignore[return-value]


def tagged_mentions(encoded: Encoded, texts: tuple[str, str], tag_probs: torch.Tensor) -> tuple[list[Mention], list[Mention]]:
    """Group tagged tokens into speaker and party mentions with their character spans.

    A token belongs to a kind when P(B-kind) + P(I-kind) beats the other kind and O, so a
    name split over word pieces is not cut where one piece leans to B and the next to I.
    """
    probs = tag_probs.tolist()
    spans: list[tuple[str, int, list[int]]] = []
    current = None
    for position, p in enumerate(probs):
        segment = encoded.segments[position]
        scores = {kind: p[TAG_INDEX[f"B-{kind}"]] + p[TAG_INDEX[f"I-{kind}"]] for kind in ("SPK", "PTY")}
        kind = max(scores, key=scores.get)
        if segment is None or scores[kind] <= p[TAG_INDEX["O"]]:
            current = None
            continue
        begins = p[TAG_INDEX[f"B-{kind}"]] > p[TAG_INDEX[f"I-{kind}"]] and not is_word_piece(encoded, texts, position)
        if current and current[0] == kind and current[1] == segment and not begins:
            current[2].append(position)
        else:
            current = (kind, segment, [position])
            spans.append(current)
    found: dict[str, list[Mention]] = {"SPK": [], "PTY": []}
    for kind, segment, positions in spans:
        text = texts[segment]
        start, end = whole_words(text, encoded.offsets[positions[0]][0], encoded.offsets[positions[-1]][1])
        mention = party_name(text, start, end) if kind == "PTY" else clean_mention(text[start:end])
        in_sentence = segment == SENTENCE_SEGMENT
        if mention and all((m.text, m.in_sentence) != (mention, in_sentence) for m in found[kind]):
            score = sum(max(probs[p][TAG_INDEX[f"B-{kind}"]], probs[p][TAG_INDEX[f"I-{kind}"]]) for p in positions) / len(positions)
            found[kind].append(Mention(mention, in_sentence, score))
    return found["SPK"], found["PTY"]


def is_word_piece(encoded: Encoded, texts: tuple[str, str], position: int) -> bool:
    """True when the token continues the previous token's word: no gap, letters or digits on both sides."""
    segment = encoded.segments[position]
    if position == 0 or encoded.segments[position - 1] != segment:
        return False
    text, start = texts[segment], encoded.offsets[position][0]
    return encoded.offsets[position - 1][1] == start and 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum()


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a character span to word boundaries: tags may start or stop inside a word piece."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end
