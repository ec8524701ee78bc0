"""The network: a BERT-style encoder with two heads sharing one forward pass.

* a sentence head: the label of the target sentence, from the mean of its tokens
  (the preceding context is attended to but not pooled);
* a token head: BIO tags marking the speaker and the parties, in the sentence or,
  for pronouns and "both sides", in the context.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import BertConfig, BertModel, BertPreTrainedModel

TAGS: tuple[str, ...] = ("O", "B-SPK", "I-SPK", "B-PTY", "I-PTY")
TAG_INDEX = {tag: i for i, tag in enumerate(TAGS)}
IGNORE = -100


class CeasefireModel(BertPreTrainedModel):
    config_class = BertConfig
    base_model_prefix = "bert"

    def __init__(self, config: BertConfig) -> None:
        super().__init__(config)
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.tagger = nn.Linear(config.hidden_size, len(TAGS))
        self.post_init()

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
        target_mask: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Return (label logits [batch, labels], tag logits [batch, tokens, tags])."""
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        weights = target_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return self.classifier(self.dropout(pooled)), self.tagger(self.dropout(hidden))
