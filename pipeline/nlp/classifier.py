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

from pipeline.nlp.attribution import Mention, choose_parties, choose_speaker, clean_mention
from pipeline.nlp.encoding import SENTENCE_SEGMENT, Encoded, collate, encode_pairs, length_sorted_batches
from pipeline.nlp.model import TAGS, CeasefireModel
from pipeline.schema import LABELS, Prediction
from pipeline.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / "ceasefire-minilm"


class CeasefireClassifier:
    def __init__(self, model: CeasefireModel, tokenizer, batch_size: int = 64) -> None:
        self.model = model.eval()
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
    def load(cls, model_dir: Path = DEFAULT_MODEL_DIR, batch_size: int = 64, threads: int | None = None) -> "CeasefireClassifier":
        """Load weights (stored in fp16) as fp32 for the CPU."""
        if not (Path(model_dir) / "config.json").exists():
            raise FileNotFoundError(f"no trained model at {model_dir}: run `python -m pipeline train` or pass --model")
        if threads:
            torch.set_num_threads(threads)
        began = time.perf_counter()
        transformers_logging.disable_progress_bar()
        model = CeasefireModel.from_pretrained(model_dir, torch_dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        classifier = cls(model, tokenizer, batch_size)
        classifier.load_seconds = time.perf_counter() - began
        log.info("model loaded", extra={"model": str(model_dir), "version": classifier.version, "seconds": round(classifier.load_seconds, 2)})
        return classifier

    # -- the three stages -------------------------------------------------------------
    def preprocess(self, texts: list[str], contexts: list[str]) -> list[Encoded]:
        return encode_pairs(self.tokenizer, texts, contexts, self.max_sentence_tokens, self.max_context_tokens)

    @torch.inference_mode()
    def forward(self, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """Label probabilities (temperature-scaled) and tag probabilities for one padded batch."""
        label_logits, tag_logits = self.model(**batch)
        return torch.softmax(label_logits / self.temperature, -1), torch.softmax(tag_logits, -1)

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
    """Group B-/I- tagged tokens into speaker and party mentions with their character spans."""
    best = tag_probs.argmax(-1).tolist()
    confidence = tag_probs.max(-1).values.tolist()
    spans: list[tuple[str, int, list[int]]] = []
    current = None
    for position, tag_id in enumerate(best):
        tag, segment = TAGS[tag_id], encoded.segments[position]
        if segment is None or tag == "O":
            current = None
        elif tag.startswith("I-") and current and current[0] == tag[2:] and current[1] == segment:
            current[2].append(position)
        else:
            current = (tag[2:], segment, [position])
            spans.append(current)
    found: dict[str, list[Mention]] = {"SPK": [], "PTY": []}
    for kind, segment, positions in spans:
        start, end = encoded.offsets[positions[0]][0], encoded.offsets[positions[-1]][1]
        mention = clean_mention(texts[segment][start:end])
        if mention:
            score = sum(confidence[p] for p in positions) / len(positions)
            found[kind].append(Mention(mention, segment == SENTENCE_SEGMENT, score))
    return found["SPK"], found["PTY"]
