"""``cla``: the cross-lingual alignment adapter, an ``adapters`` parallel bottleneck beside
every feed-forward block, aligning the language to English. Optional at run time:
``alignment=False`` (the paper's Mod_m) leaves it out."""

from __future__ import annotations

from pathlib import Path

from langzoo.modules.kinds.base import ModuleKind, register_module_kind


@register_module_kind
class AlignmentAdapterKind(ModuleKind):
    name = "cla"
    parents = ("se",)
    allowed_files = frozenset({"adapter_config.json", "adapter.safetensors"})
    required_files = ("adapter_config.json", "adapter.safetensors")
    optional = True
    needs_pivot = True
    description = "cross-lingual alignment adapter: parallel bottleneck adapter aligning the language to English"

    def save(self, folder: Path, *, body, adapter: str, config: dict) -> None:
        from langzoo.modules.adapter_io import save_cla

        save_cla(body, adapter, folder, config)

    def attach(self, encoder, pack, attached) -> None:
        from langzoo.modules.adapter_io import adapter_name, load_cla

        name = adapter_name(self.name, pack.language.code)
        load_cla(encoder.body, pack.module_path(self.name), name)
        encoder.body.to(encoder.device)
        attached.cla = name

    def detach(self, encoder, attached) -> None:
        if attached.cla:
            encoder.body.delete_adapter(attached.cla)
            attached.cla = None
