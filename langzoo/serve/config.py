"""What `zoo serve` serves: the options of `Zoo.load`, from the command line
(``--packs``) or from a JSON file (``--config zoo.json``), and the /info document."""

from __future__ import annotations

import json
from pathlib import Path

from langzoo.errors import InvalidInputError

# Keys of a zoo.json file (all optional) and the `Zoo.load` argument each one sets.
CONFIG_KEYS = ("base", "languages", "registry", "lid", "fallback", "alignment", "max_loaded", "device")


def read_zoo_config(path: str | Path) -> dict:
    """Zoo.load options from a zoo.json file such as
    ``{"base": "intfloat/multilingual-e5-small", "languages": ["uz", "kk"], "fallback": "base"}``.
    ``languages`` lists language codes or pack folders (exactly what is served) or is
    "installed"."""
    file = Path(path)
    if not file.is_file():
        raise InvalidInputError(f"Zoo config not found: {path}")
    try:
        data = json.loads(file.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInputError(f"{path}: expected a JSON object with keys {', '.join(CONFIG_KEYS)}")
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise InvalidInputError(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(CONFIG_KEYS)}")
    langs = data.get("languages", "installed")
    if langs != "installed" and not (isinstance(langs, list) and all(isinstance(x, str) for x in langs)):
        raise InvalidInputError(f"{path}: 'languages' must be \"installed\" or a list of codes or pack folders")
    return {k: data[k] for k in CONFIG_KEYS if k in data}


def parse_packs(value: str | None):
    """``--packs``: 'installed', 'none' (the bare base) or a comma-separated list of
    language codes and pack folders."""
    if value in (None, "installed"):
        return "installed"
    if value == "none":
        return []
    return [x.strip() for x in value.split(",") if x.strip()]


def zoo_info(zoo, options: dict) -> dict:
    """The /info document: base, fingerprint, packs with versions, detector, routing."""
    from langzoo import __version__
    from langzoo.languages import resolve_language
    from langzoo.modules.pack import read_pack_info

    packs = {}
    for code, path in sorted(zoo.pack_paths.items()):
        meta = read_pack_info(path)
        packs[code] = {"alias": resolve_language(code).alias, "version": str(meta.get("version", "0")),
                       "modules": sorted(meta.get("modules", {})), "path": str(path)}
    base = zoo.encoder.base
    lid = options.get("lid", "default")
    return {"langzoo": __version__, "base": base.base_id, "fingerprint": base.fingerprint,
            "max_seq_length": zoo.encoder.profile.max_seq_length, "packs": packs,
            "detector": lid if isinstance(lid, str) else type(lid).__name__,
            "fallback": zoo.fallback, "alignment": zoo.alignment}
