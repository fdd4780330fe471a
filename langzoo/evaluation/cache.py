"""On-disk embedding cache, keyed by encoder configuration and text.

Layout: ``<root>/<config name>-<fingerprint>/<text-set hash>.npy`` plus a
``<text-set hash>.keys.json`` listing one key per row (sha1 of language + text).
Each encode pass writes one such shard; lookups are per text, so a later run that
adds a task only encodes the texts no earlier shard holds, whatever task they
first came from. The fingerprint folds in the encoder's ``cache_key`` (its
configuration: base, packs, alignment switch...), so a changed encoder under the
same name never reads stale vectors.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def text_key(lang: str, text: str) -> str:
    """Row key: the same text in another language slot routes differently, so the language is part of it."""
    return hashlib.sha1(f"{lang}\x00{text}".encode("utf-8")).hexdigest()


def text_set_hash(keys: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(keys).encode("ascii")).hexdigest()[:32]


def config_dirname(name: str, cache_key: str | None) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "encoder"
    fp = hashlib.sha256((cache_key or "").encode("utf-8")).hexdigest()[:12]
    return f"{safe[:60]}-{fp}"


class EmbeddingCache:
    """Per-configuration store of text embeddings (one instance per encoder configuration)."""

    def __init__(self, root: str | Path, name: str, cache_key: str | None = None):
        self.dir = Path(root) / config_dirname(name, cache_key)
        self.dir.mkdir(parents=True, exist_ok=True)
        # key -> (shard hash, row); shards are opened memory-mapped on first use
        self._index: dict[str, tuple[str, int]] = {}
        self._shards: dict[str, np.ndarray] = {}
        for meta in sorted(self.dir.glob("*.keys.json")):
            shard = meta.name[: -len(".keys.json")]
            if not (self.dir / f"{shard}.npy").is_file():
                continue  # an interrupted write: ignore its index
            try:
                keys = json.loads(meta.read_text())
            except (OSError, json.JSONDecodeError):
                continue
            for row, key in enumerate(keys):
                self._index.setdefault(key, (shard, row))

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self._index)

    def get(self, keys: Sequence[str]) -> np.ndarray:
        """Stacked embeddings for ``keys`` (all must be present)."""
        rows = []
        for key in keys:
            shard, row = self._index[key]
            if shard not in self._shards:
                self._shards[shard] = np.load(self.dir / f"{shard}.npy", mmap_mode="r")
            rows.append(np.asarray(self._shards[shard][row]))
        return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)

    def put(self, keys: Sequence[str], embeddings: np.ndarray) -> None:
        """Store one shard; the .npy is written before its key list so a crash never indexes a missing file."""
        if len(keys) != len(embeddings):
            raise ValueError(f"{len(keys)} keys for {len(embeddings)} embeddings")
        if not keys:
            return
        shard = text_set_hash(keys)
        tmp = self.dir / f".{shard}.{os.getpid()}.tmp.npy"
        np.save(tmp, np.asarray(embeddings, dtype=np.float32))
        os.replace(tmp, self.dir / f"{shard}.npy")
        (self.dir / f"{shard}.keys.json").write_text(json.dumps(list(keys)))
        for row, key in enumerate(keys):
            self._index.setdefault(key, (shard, row))
