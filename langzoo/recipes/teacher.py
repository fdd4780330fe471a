"""The frozen teacher: the bare base (optionally with the English SE adapter attached).

Distillation targets and dev references come from it. Its vectors are cached per
text, so each sentence is embedded at most once per stage whatever the step count.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import torch

from langzoo.languages import ENGLISH, resolve_language
from langzoo.recipes.stack import encode, encoder_with



class Teacher:
    def __init__(self, base, *, device, max_len: int, amp, english_se: Path | None = None):
        self._stack = ExitStack()
        packs = {ENGLISH: {"se": english_se}} if english_se else {}
        self.enc = self._stack.enter_context(encoder_with(base, device=device, packs=packs))
        for p in self.enc.body.parameters():
            p.requires_grad_(False)
        self.has_english_se = english_se is not None
        self.max_len = max_len
        self.amp = amp
        self._cache: dict[tuple[str, str], torch.Tensor] = {}

    def close(self):
        self._stack.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def vectors(self, texts: list[str], mode: str = "base", max_len: int | None = None) -> torch.Tensor:
        """Normalised vectors on the teacher's device. ``mode``: ``base`` (bare base,
        base vocabulary) or ``english`` (base + English SE when available); ``max_len``
        (default: the training length) for texts measured whole, e.g. the real-sentence guard."""
        max_len = max_len or self.max_len
        todo = list(dict.fromkeys(t for t in texts if (mode, max_len, t) not in self._cache))
        if todo:
            lang = ENGLISH if (mode == "english" and self.has_english_se) else None
            self.enc.activate(lang, alignment=False)
            vecs = encode(self.enc, todo, lang, max_len, amp=self.amp)
            for t, v in zip(todo, vecs):
                self._cache[(mode, max_len, t)] = v
        return torch.stack([self._cache[(mode, max_len, t)] for t in texts]).to(self.enc.device)


def english_mode(lang_code: str) -> str:
    return "english" if resolve_language(lang_code).code == ENGLISH else "base"
