"""Build the encoder stacks the stages train and measure, on langzoo's own composer.

A stage's parents (finished module folders) are linked into a temporary pack and
attached to a :class:`ComposedEncoder`, so training sees exactly the stack the
runtime will later load. The trainable module is then added on top:
peft LoRA (``la``/``se``) or an ``adapters`` parallel adapter (``cla``).
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

import torch

from langzoo.languages import resolve_language
from langzoo.modules.adapter_io import adapter_name
from langzoo.modules.base_encoder import BaseEncoder
from langzoo.modules.composer import ComposedEncoder
from langzoo.modules.pack import LanguagePack


def link_pack(dest: Path, *, lang: str, base: BaseEncoder, modules: dict[str, Path]) -> Path:
    """A pack folder made of symlinks to finished module folders (cheap, no copies; the
    files are verified when the pack is attached)."""
    pack = LanguagePack.assemble(modules, language=lang, base_id=base.base_id, base_fingerprint=base.fingerprint)
    pack.save(dest, link=True, verify=False)
    return Path(dest)


@contextmanager
def encoder_with(base: BaseEncoder, *, device: torch.device, packs: dict[str, dict[str, Path]] | None = None):
    """A ComposedEncoder on ``base`` with the given partial packs ({lang: {kind: folder}}) attached."""
    enc = ComposedEncoder(base, device=device)
    with tempfile.TemporaryDirectory(prefix="langzoo-stack-") as tmp:
        for lang, modules in (packs or {}).items():
            if modules:
                path = link_pack(Path(tmp) / resolve_language(lang).alias, lang=lang, base=base, modules=modules)
                enc.attach(path)
        yield enc


def freeze_all_but(module: torch.nn.Module, marker: str | None, extra: list[torch.nn.Parameter] = ()) -> list[torch.nn.Parameter]:
    """Freeze every parameter except those whose name contains ``marker`` (and ``extra``)."""
    keep = []
    for name, p in module.named_parameters():
        train = marker is not None and marker in name
        p.requires_grad_(train)
        if train:
            keep.append(p)
    for p in extra:
        p.requires_grad_(True)
        keep.append(p)
    return keep


def add_lora(enc: ComposedEncoder, kind: str, lang_code: str, lora_cfg: dict) -> str:
    """Add a trainable LoRA adapter on top of the active stack; returns its peft name.

    Two LoRAs active with one trainable: ``base_model.set_adapter([la, se])`` (the
    PeftModel-level call refuses lists) and then everything but the new one is frozen.
    """
    from peft import LoraConfig, get_peft_model

    name = adapter_name(kind, lang_code)
    cfg = LoraConfig(r=int(lora_cfg["r"]), lora_alpha=int(lora_cfg["alpha"]), lora_dropout=float(lora_cfg["dropout"]),
                     target_modules=list(lora_cfg["targets"]))
    if enc.peft_model is None:
        enc.peft_model = get_peft_model(enc.body, cfg, adapter_name=name)
        active = [name]
    else:
        enc.peft_model.add_adapter(name, cfg)
        code = resolve_language(lang_code).code
        below = list(enc.packs[code].lora) if code in enc.packs else []
        active = below + [name]
    enc.peft_model.base_model.set_adapter(active)
    enc.body.to(enc.device)
    return name


def add_cla(enc: ComposedEncoder, lang_code: str, adapter_cfg: dict) -> str:
    from langzoo.modules.adapter_io import add_cla as _add

    name = adapter_name("cla", lang_code)
    _add(enc.body, name, adapter_cfg)
    enc.body.set_active_adapters(name)
    enc.body.to(enc.device)
    return name


def tokenize(enc: ComposedEncoder, texts: list[str], lang: str | None, max_len: int, *, prefix: bool = True):
    batch = enc.tokenize(texts, lang, max_length=max_len, prefix=prefix)
    return batch["input_ids"].to(enc.device), batch["attention_mask"].to(enc.device)


def features(enc: ComposedEncoder, texts: list[str], lang: str | None, max_len: int) -> torch.Tensor:
    """Pooled, un-normalised vectors of the currently active stack (keeps grads)."""
    ids, mask = tokenize(enc, texts, lang, max_len)
    return enc.forward_features(ids, mask)


@torch.no_grad()
def encode(enc: ComposedEncoder, texts: list[str], lang: str | None, max_len: int, *, batch_size: int = 64,
           amp=None) -> torch.Tensor:
    """L2-normalised float32 vectors on CPU, without touching the active adapters
    (``ComposedEncoder.encode_batch`` per batch)."""
    was_training = enc.body.training
    enc.body.eval()
    out = []
    for i in range(0, len(texts), batch_size):
        vec, _ = enc.encode_batch(texts[i:i + batch_size], lang, max_length=max_len,
                                  amp=amp or (lambda: torch.autocast("cpu", enabled=False)))
        out.append(vec)
    if was_training:
        enc.body.train()
    return torch.cat(out) if out else torch.zeros(0)
