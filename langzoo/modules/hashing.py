"""Content hashes: files (sha256), and base-encoder fingerprints that do not depend
on how the weights happen to be serialised."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

_CHUNK = 1 << 20


def file_digest(path: str | Path, algorithm: str = "sha256"):
    """The ``hashlib`` object of a file's bytes, read in chunks (``.hexdigest()``,
    ``.digest()`` for other encodings, such as npm's base64 sha512)."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest


def sha256_file(path: str | Path) -> str:
    return file_digest(path).hexdigest()


def sha256_json(obj) -> str:
    """Hash of a JSON-able object, stable across key order."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def fingerprint_state_dict(state_dict: dict, tokenizer_vocab: dict[str, int]) -> str:
    """Fingerprint of a base encoder: tensors by sorted name (dtype, shape, bytes) plus
    the tokenizer's vocabulary. Two copies of one base give the same fingerprint
    whatever file format or machine they came from; any changed weight or token
    gives another."""
    import torch  # here, not at module level: file hashing must stay cheap to import

    digest = hashlib.sha256()
    for name in sorted(state_dict):
        tensor = state_dict[name].detach().to("cpu").contiguous()
        digest.update(name.encode())
        digest.update(str(tensor.dtype).encode())
        digest.update(str(tuple(tensor.shape)).encode())
        digest.update(tensor.view(torch.uint8).numpy().tobytes() if tensor.numel() else b"")
    vocab = sorted(tokenizer_vocab.items(), key=lambda kv: kv[1])
    digest.update(json.dumps(vocab, ensure_ascii=False).encode())
    return "sha256:" + digest.hexdigest()
