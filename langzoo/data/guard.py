"""Real-sentence guard sets shipped with langzoo (FLORES-200 dev, 99 sentences per language).

Why shipped: a build must be checked on ordinary sentences, not only on its own
training data's dev split (UI strings improved there while real Uzbek got worse), and
`zoo build` runs offline. The files are small (~20 KB per language); licences are in
``guard_sets/README.md``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from langzoo.languages import ENGLISH

SPLIT = "dev"


def guard_root() -> Path:
    """The shipped FLORES dev folder (SIB-200 layout: ``<code>/dev.tsv``)."""
    return Path(str(resources.files("langzoo.data") / "guard_sets" / "flores_dev"))


def guard_languages() -> list[str]:
    """Language codes (``uzn_Latn``) with a shipped guard set, English included."""
    return sorted(p.name for p in guard_root().iterdir() if (p / f"{SPLIT}.tsv").is_file())


def has_guard(code: str) -> bool:
    """Whether en–``code`` guard pairs ship (never for English itself: it is the pivot)."""
    return code != ENGLISH and (guard_root() / code / f"{SPLIT}.tsv").is_file()
