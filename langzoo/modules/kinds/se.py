"""``se``: the sentence-encoding adapter, LoRA on all linear layers trained on paraphrase
pairs. The only module of an English (pivot) pack, where it stands on the bare base."""

from __future__ import annotations

from langzoo.modules.kinds.base import register_module_kind
from langzoo.modules.kinds.lora import LoraKind


@register_module_kind
class SentenceEncodingKind(LoraKind):
    name = "se"
    parents = ("la",)
    in_english_pack = True
    description = ("sentence-encoding adapter: LoRA on all linear layers, trained with MultipleNegativesRankingLoss "
                   "on paraphrase pairs")
