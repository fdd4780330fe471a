"""Shared behaviour of the kinds that are peft LoRA adapters (``la`` and ``se``)."""

from __future__ import annotations

from pathlib import Path

from langzoo.modules.kinds.base import ModuleKind

LORA_FILES = ("adapter_config.json", "adapter_model.safetensors")


class LoraKind(ModuleKind):
    """A peft LoRA folder, registered in the composer's one peft model under a
    per-language name; activation selects (or merges) the LoRAs bottom-up."""

    allowed_files = frozenset(LORA_FILES)
    required_files = LORA_FILES

    def save(self, folder: Path, *, peft_model, adapter: str, base_id: str) -> None:
        from langzoo.modules.adapter_io import save_lora

        save_lora(peft_model, adapter, folder, base_id=base_id)

    def attach(self, encoder, pack, attached) -> None:
        from langzoo.modules.adapter_io import adapter_name

        name = adapter_name(self.name, pack.language.code)
        encoder._load_lora(pack.module_path(self.name), name)
        attached.lora.append(name)

    def detach(self, encoder, attached) -> None:
        from langzoo.modules.adapter_io import adapter_name

        name = adapter_name(self.name, attached.code)
        if name in attached.lora:
            encoder.peft_model.base_model.delete_adapter(name)
            attached.lora.remove(name)
