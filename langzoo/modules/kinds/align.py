"""``align``: the word-alignment adapter, a peft LoRA trained (stage ``align``) on the
pack's stack below it (embeddings + la + se, ``cla`` off) with AccAlign-style
self-training on parallel pairs.

It is used only for word alignment (``Zoo.align``, ``zoo eval --suite align``): attaching
it loads the LoRA but never adds it to the pack's encoding stack, so ``encode`` is the
same with or without it. ``ComposedEncoder.activate_words`` switches it on."""

from __future__ import annotations

from langzoo.modules.kinds.base import register_module_kind
from langzoo.modules.kinds.lora import LoraKind


@register_module_kind
class WordAlignmentKind(LoraKind):
    name = "align"
    parents = ("se",)
    encodes = False  # not part of any composition: align switches it on, encode never does
    description = ("word-alignment adapter: LoRA self-trained on the pack's parallel pairs with its own confident "
                   "alignments (AccAlign); used by align only, never by encode")

    def attach(self, encoder, pack, attached) -> None:
        from langzoo.modules.adapter_io import adapter_name

        name = adapter_name(self.name, pack.language.code)
        encoder._load_lora(pack.module_path(self.name), name)
        attached.extra[self.name] = name  # not in attached.lora: activate() (encode) never selects it

    def detach(self, encoder, attached) -> None:
        name = attached.extra.pop(self.name, None)
        if name is not None and encoder.peft_model is not None:
            encoder.peft_model.base_model.delete_adapter(name)
