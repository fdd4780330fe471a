"""What a stage gets to see."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch

from langzoo.languages import Language
from langzoo.modules.base_encoder import BaseEncoder
from langzoo.recipes.data import Splits


@dataclass
class StageContext:
    name: str
    lang: Language
    base: BaseEncoder
    config: dict  # the whole build config
    splits: Splits
    device: torch.device
    parents: dict[str, Path] = field(default_factory=dict)  # stage name -> finished stage folder
    parent_hashes: dict[str, str] = field(default_factory=dict)  # module kind -> content hash
    english_se: Path | None = None  # finished English `se` module folder (CLA's pivot), if any

    @property
    def cfg(self) -> dict:
        """This stage's own section of the config."""
        return self.config.get(self.name, {})

    @property
    def max_len(self) -> int:
        return int(self.config.get("max_seq_length", 128))

    @property
    def bf16(self) -> bool:
        return bool(self.config.get("bf16")) and self.device.type == "cuda"

    def amp(self):
        from langzoo.recipes.training import autocast

        return autocast(self.device, self.bf16)

    def manifest_common(self) -> dict:
        return dict(language=self.lang.code, base_id=self.base.base_id, base_fingerprint=self.base.fingerprint)

    def data_provenance(self, *names: str) -> dict:
        prov = {n: self.splits.provenance.get(n) for n in names}
        prov["counts"] = self.splits.provenance.get("counts", {})
        prov["dev_pairs"] = len(self.splits.dev)
        return prov
