"""Turn (context, sentence) pairs into model inputs, shared by training and inference.

Layout: ``[CLS] context [SEP] sentence [SEP]``. The context keeps its *last*
tokens (the words nearest the sentence) and the sentence its first ones. Character
offsets are kept so tagged tokens map back to the exact words.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from transformers import PreTrainedTokenizerFast

CONTEXT_SEGMENT, SENTENCE_SEGMENT = 0, 1


@dataclass
class Encoded:
    """One example's token ids, with where each token came from."""

    input_ids: list[int]
    token_type_ids: list[int]
    segments: list[int | None]  # CONTEXT_SEGMENT, SENTENCE_SEGMENT, or None for special tokens
    offsets: list[tuple[int, int]]  # character span in its own segment's text

    def __len__(self) -> int:
        return len(self.input_ids)


def encode_pairs(
    tokenizer: PreTrainedTokenizerFast,
    sentences: list[str],
    contexts: list[str],
    max_sentence_tokens: int,
    max_context_tokens: int,
) -> list[Encoded]:
    kwargs = dict(add_special_tokens=False, return_offsets_mapping=True, return_attention_mask=False, return_token_type_ids=False)
    sentence_tokens = tokenizer(sentences, **kwargs)
    # Only the context's tail can fit, so only its tail is tokenised; offsets are shifted back onto the whole context.
    cuts = [max(0, len(c) - 8 * max_context_tokens) for c in contexts]
    context_tokens = tokenizer([c[cut:] for c, cut in zip(contexts, cuts)], **kwargs)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    encoded = []
    for s_ids, s_off, c_ids, c_off, cut in zip(
        sentence_tokens["input_ids"], sentence_tokens["offset_mapping"], context_tokens["input_ids"], context_tokens["offset_mapping"], cuts
    ):
        start = max(0, len(c_ids) - max_context_tokens)
        c_ids, c_off = c_ids[start:], [(a + cut, b + cut) for a, b in c_off[start:]]
        s_ids, s_off = s_ids[:max_sentence_tokens], s_off[:max_sentence_tokens]
        encoded.append(
            Encoded(
                input_ids=[cls, *c_ids, sep, *s_ids, sep],
                token_type_ids=[0] * (len(c_ids) + 2) + [1] * (len(s_ids) + 1),
                segments=[None, *[CONTEXT_SEGMENT] * len(c_ids), None, *[SENTENCE_SEGMENT] * len(s_ids), None],
                offsets=[(0, 0), *map(tuple, c_off), (0, 0), *map(tuple, s_off), (0, 0)],
            )
        )
    return encoded


def collate(batch: list[Encoded], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad a batch to its longest member (dynamic padding)."""
    width = max(len(e) for e in batch)
    def padded(rows, fill):
        return torch.tensor([row + [fill] * (width - len(row)) for row in rows], dtype=torch.long)

    return {
        "input_ids": padded([e.input_ids for e in batch], pad_id),
        "attention_mask": padded([[1] * len(e) for e in batch], 0),
        "token_type_ids": padded([e.token_type_ids for e in batch], 0),
        "target_mask": padded([[int(s == SENTENCE_SEGMENT) for s in e.segments] for e in batch], 0),
    }


def length_sorted_batches(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Indices grouped into batches of similar length, so padding stays small."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
