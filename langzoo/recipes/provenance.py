"""What a pack's pack.json says about the recipe it was built from.

A published pack must not carry the build machine's paths (``/home/me/...``): it
records the recipe's name (the shipped spec's language, or the file name of a custom
one) and the sha256 of its text, which is enough to tell whether two packs were built
from the same recipe.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def recipe_record(spec: dict) -> dict:
    """``{"name": "uz.yaml", "shipped": true, "sha256": "..."}`` for a loaded spec."""
    from langzoo.recipes.spec import specs_dir  # late: spec.py is the loader, this only describes

    path = Path(spec["_path"])
    shipped = path.resolve().parent == specs_dir().resolve()
    return {"name": path.name, "shipped": shipped, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
