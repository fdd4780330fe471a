"""``la``: the language adapter, LoRA on query/key/value trained with masked-LM on
monolingual text, on top of the language's vocabulary."""

from __future__ import annotations

from langzoo.modules.kinds.base import register_module_kind
from langzoo.modules.kinds.lora import LoraKind


@register_module_kind
class LanguageAdapterKind(LoraKind):
    name = "la"
    parents = ("embeddings",)
    description = "language adapter: LoRA on query/key/value, trained with masked-LM on monolingual text"
