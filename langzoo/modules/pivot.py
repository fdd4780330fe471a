"""The English pivot a pack's ``cla`` was aligned to, as ``pack.json`` records it.

``cla`` was trained to map L onto the vectors of *one* English pack (base + that pack's
``se``). At run time English texts must go through that same English ``se``, so the
build names it in pack.json: ``"build": {"pivot": {"language": "eng_Latn", "version": V,
"se": CONTENT_HASH}}``. Pulls bring that English version along, and the runtime loads
it next to the pack.
"""

from __future__ import annotations

from langzoo.errors import ModuleFormatError
from langzoo.languages import ENGLISH

PIVOT_KEY = "pivot"


def pivot_record(version: str, se_content_hash: str) -> dict:
    """What a non-English pack's build info stores under ``pivot``."""
    return {"language": ENGLISH, "version": str(version), "se": se_content_hash}


def pack_pivot(info: dict) -> dict | None:
    """The pivot a pack.json names, or None (English packs, packs without ``cla``, packs
    built before pivots were recorded)."""
    build = info.get("build")
    pivot = build.get(PIVOT_KEY) if isinstance(build, dict) else None
    if pivot is None:
        return None
    if not (isinstance(pivot, dict) and pivot.get("language") == ENGLISH and isinstance(pivot.get("version"), str)
            and isinstance(pivot.get("se"), str) and pivot["version"]):
        raise ModuleFormatError(f"pack.json field build.{PIVOT_KEY} is malformed: {pivot!r}; expected "
                                '{"language": "eng_Latn", "version": "...", "se": "sha256:..."}')
    return pivot
