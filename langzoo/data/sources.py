"""One interface over every data source a recipe can declare.

A source spec is a small dict (or any mapping, e.g. from YAML):

* ``{"kind": "harvest", "lang": "uz", "roots": [...], "min_words": 1}``
* ``{"kind": "help", "lang": "nl", "roots": [...], "min_words": 5, "max_words": 40}`` (LibreOffice help pages)
* ``{"kind": "file", "path": "pairs.tsv.gz", "columns": ["en", "uz"]}``  (or ``[0, 1]``)
* ``{"kind": "hf", "id": "...", "config": None, "split": "train", "columns": [...], "max_rows": N}``

plus optional hygiene keys applied after loading: ``min_words``, ``max_words``,
``max_chars``, ``dedup``, ``cap``, ``seed`` (see :func:`langzoo.data.splits.apply_hygiene`).
:func:`load_pairs` returns a :class:`PairSet`, :func:`load_texts` a :class:`TextSet`;
both record the source in ``provenance`` and counts per step in ``counts``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from langzoo.data.errors import SourceSpecError
from langzoo.data.files import read_rows
from langzoo.modules.hashing import sha256_file as file_sha256
from langzoo.data.harvest import harvest
from langzoo.data.help_pages import help_pairs
from langzoo.data.hf import iter_hf_rows
from langzoo.data.sets import FilterLog, PairSet, TextSet
from langzoo.data.splits import LidFn, apply_hygiene
from langzoo.languages import Language, resolve_language

KINDS = ("harvest", "help", "file", "hf")
# Kinds whose reader cleans, filters (min/max words) and dedups itself: {kind: reader}.
_EXTRACTORS = {"harvest": harvest, "help": help_pairs}
_HYGIENE_KEYS = ("min_words", "max_words", "max_chars", "dedup", "cap", "seed")
_EXTRACTOR_KEYS = {"kind", "lang", "roots", "min_words", "max_words", "min_letter_ratio", "cap", "seed", "dedup", "max_chars"}
_ALLOWED = {
    "harvest": _EXTRACTOR_KEYS,
    "help": _EXTRACTOR_KEYS,
    "file": {"kind", "path", "columns", "header", "format", *_HYGIENE_KEYS},
    "hf": {"kind", "id", "config", "split", "columns", "max_rows", "revision", "data_files", *_HYGIENE_KEYS},
}


def _check(spec: Mapping[str, Any] | Any) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        spec = getattr(spec, "__dict__", None) or {}
        if not spec:
            raise SourceSpecError("a source spec must be a mapping like {'kind': 'file', 'path': ...}")
    spec = dict(spec)
    kind = spec.get("kind")
    if kind not in KINDS:
        raise SourceSpecError(f"source kind {kind!r} is not one of {KINDS}: {spec}")
    unknown = set(spec) - _ALLOWED[kind]
    if unknown:
        raise SourceSpecError(f"unknown keys {sorted(unknown)} in {kind} source spec; allowed: {sorted(_ALLOWED[kind])}")
    required = {"file": ("path",), "hf": ("id", "columns"), "harvest": (), "help": ()}[kind]
    for key in required:
        if spec.get(key) in (None, "", []):
            raise SourceSpecError(f"{kind} source spec needs {key!r}: {spec}")
    return spec


def _rows(spec: dict[str, Any], n_cols: int) -> tuple[list[tuple[str, ...]], dict]:
    cols = spec.get("columns")
    if cols is not None and len(cols) != n_cols:
        raise SourceSpecError(f"expected {n_cols} column(s), got {cols}")
    if spec["kind"] == "file":
        path = Path(spec["path"]).expanduser()
        rows = list(read_rows(path, cols if cols is not None else ([0] if n_cols == 1 else None),
                              header=spec.get("header"), fmt=spec.get("format")))
        prov = {"kind": "file", "path": str(path.resolve()), "sha256": file_sha256(path), "columns": cols}
        return rows, prov
    it, info = iter_hf_rows(spec["id"], cols, config=spec.get("config"), split=spec.get("split", "train"),
                            max_rows=spec.get("max_rows"), revision=spec.get("revision"), data_files=spec.get("data_files"))
    rows = list(it)
    return rows, {"kind": "hf", **info, "columns": list(cols), "max_rows": spec.get("max_rows")}


def _hygiene(spec: dict[str, Any], data, language: Language, lid: LidFn | None, log: FilterLog):
    kwargs = {k: spec[k] for k in _HYGIENE_KEYS if k in spec and not (spec["kind"] in _EXTRACTORS and k in ("min_words", "max_words"))}
    if not kwargs and lid is None:
        return data
    return apply_hygiene(data, lang=language, lid=lid, log=log, **kwargs)


def load_pairs(spec: Mapping[str, Any], *, lang: str | Language, lid: LidFn | None = None) -> PairSet:
    """Sentence pairs from a source spec: (en, L) or (L, L), empty cells dropped."""
    spec = _check(spec)
    language = resolve_language(lang)
    if spec["kind"] in _EXTRACTORS:
        extract = _EXTRACTORS[spec["kind"]]
        hv = extract(spec.get("lang", language), spec.get("roots"), **{k: spec[k] for k in ("min_words", "max_words", "min_letter_ratio") if k in spec})
        log = FilterLog()
        log.steps = list(hv.counts.items())
        return _hygiene(spec, hv, language, lid, log)
    rows, prov = _rows(spec, 2)
    log = FilterLog()
    log.record("loaded", len(rows))
    pairs = [(a.strip(), b.strip()) for a, b in rows if a.strip() and b.strip()]
    log.record("non_empty", len(pairs))
    ps = PairSet(pairs=pairs, provenance={**prov, "lang": language.code, "counts": log.as_dict()}, counts=log.as_dict())
    return _hygiene(spec, ps, language, lid, log)


def load_texts(spec: Mapping[str, Any], *, lang: str | Language, lid: LidFn | None = None) -> TextSet:
    """Monolingual L sentences from a source spec (a harvest or help source gives its unique L sides)."""
    spec = _check(spec)
    language = resolve_language(lang)
    if spec["kind"] in _EXTRACTORS:
        ps = load_pairs({k: v for k, v in spec.items() if k not in ("cap", "seed")}, lang=language)
        texts = ps.texts(1)
        log = FilterLog()
        log.steps = list(ps.counts.items())
        log.record("unique_l", len(texts))
        ts = TextSet(texts=texts, provenance={**ps.provenance, "side": "L", "counts": log.as_dict()}, counts=log.as_dict())
        # min/max words were already applied by the extractor itself.
        post = {k: v for k, v in spec.items() if k in ("kind", "cap", "seed", "dedup", "max_chars")}
        return _hygiene(post, ts, language, lid, log)
    rows, prov = _rows(spec, 1)
    log = FilterLog()
    log.record("loaded", len(rows))
    texts = [r[0].strip() for r in rows if r[0].strip()]
    log.record("non_empty", len(texts))
    ts = TextSet(texts=texts, provenance={**prov, "lang": language.code, "counts": log.as_dict()}, counts=log.as_dict())
    return _hygiene(spec, ts, language, lid, log)
