"""Where langzoo keeps things on disk. Everything lives under one home folder
(``$LANGZOO_HOME``, default ``~/.cache/langzoo``) so a user can see and delete it."""

from __future__ import annotations

import os
from pathlib import Path


def langzoo_home() -> Path:
    return Path(os.environ.get("LANGZOO_HOME") or Path.home() / ".cache" / "langzoo").expanduser()


def bases_dir() -> Path:
    """Materialised base encoders (e.g. the offline multilingual-e5-small)."""
    return langzoo_home() / "bases"


def registry_dir() -> Path:
    """The local registry of language packs (``$LANGZOO_REGISTRY`` overrides)."""
    env = os.environ.get("LANGZOO_REGISTRY")
    return Path(env).expanduser() if env else langzoo_home() / "registry"


def builds_dir() -> Path:
    """Work folders of `zoo build` (per-stage caches that make builds resumable)."""
    return langzoo_home() / "builds"
