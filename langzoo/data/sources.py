"""One interface over every data source a recipe can declare, and the registry of source kinds.

A source spec is a small dict (or any mapping, e.g. from YAML) whose ``kind`` names a
registered :class:`SourceKind`; ``zoo`` ships:

* ``{"kind": "harvest", "lang": "uz", "roots": [...], "min_words": 1}``
* ``{"kind": "help", "lang": "nl", "roots": [...], "min_words": 5, "max_words": 40}`` (LibreOffice help pages)
* ``{"kind": "file", "path": "pairs.tsv.gz", "columns": ["en", "uz"]}``  (or ``[0, 1]``)
* ``{"kind": "hf", "id": "...", "config": None, "split": "train", "columns": [...], "max_rows": N}``
* ``{"kind": "inline", "pairs": [[en, l], ...]}`` or ``{"kind": "inline", "texts": [...]}`` (tests, tiny experiments)
* ``{"kind": "sib", "path": DIR, "split": "dev"}``: (en, L) pairs of a SIB-200 / FLORES folder
* ``{"kind": "flores-dev"}``: the FLORES dev sentences langzoo ships (none for a language without a set)
* ``{"kind": "from_pairs", "side": "target"}``: texts taken from given pairs (a recipe's train split)

plus, for harvest/help/file/hf, optional hygiene keys applied after loading: ``min_words``,
``max_words``, ``max_chars``, ``dedup``, ``cap``, ``seed`` (see :func:`langzoo.data.splits.apply_hygiene`).
:func:`load_pairs` returns a :class:`PairSet`, :func:`load_texts` a :class:`TextSet`;
both record the source in ``provenance`` and counts per step in ``counts``.
A new kind is one :func:`register_source_kind` call (see ``langzoo/data/README.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langzoo.data.errors import SourceSpecError
from langzoo.data.files import read_rows
from langzoo.modules.hashing import sha256_file as file_sha256
from langzoo.data.harvest import harvest
from langzoo.data.help_pages import help_pairs
from langzoo.data.hf import iter_hf_rows
from langzoo.data import sib
from langzoo.data.sets import FilterLog, PairSet, TextSet
from langzoo.data.splits import LidFn, apply_hygiene
from langzoo.languages import Language, resolve_language

_HYGIENE_KEYS = ("min_words", "max_words", "max_chars", "dedup", "cap", "seed")
_EXTRACTOR_KEYS = {"kind", "lang", "roots", "min_words", "max_words", "min_letter_ratio", "cap", "seed", "dedup", "max_chars"}
# Keys a recipe may put on any source spec (the recipe reads them, the reader does not).
RECIPE_KEYS = ("swap", "side", "add_pairs")


@dataclass(frozen=True)
class SourceKind:
    """One kind of data source: its spec keys and its readers.

    ``pairs(spec, language, lid, given)`` returns a :class:`PairSet`; ``texts`` (same
    arguments) a :class:`TextSet` — without it, texts are the L sides of ``pairs``.
    ``given`` are pairs handed in by the caller (``from_pairs`` reads them; others ignore
    them). ``keys`` are the allowed spec keys (``None``: extra keys are ignored).
    """

    name: str
    help: str
    pairs: Callable[..., PairSet] | None = None
    texts: Callable[..., TextSet] | None = None
    keys: frozenset[str] | None = None
    required: tuple[str, ...] = ()


SOURCE_KINDS: dict[str, SourceKind] = {}


def register_source_kind(kind: SourceKind) -> SourceKind:
    """Make ``kind`` usable in every source spec (recipes, ``load_pairs``, ``load_texts``)."""
    if kind.name in SOURCE_KINDS:
        raise ValueError(f"source kind {kind.name!r} is already registered")
    if kind.pairs is None and kind.texts is None:
        raise ValueError(f"source kind {kind.name!r} needs a pairs or a texts reader")
    SOURCE_KINDS[kind.name] = kind
    return kind


def source_kinds() -> tuple[str, ...]:
    """Names of the registered source kinds."""
    return tuple(SOURCE_KINDS)


def _check(spec: Mapping[str, Any] | Any) -> tuple[dict[str, Any], SourceKind]:
    if not isinstance(spec, Mapping):
        spec = getattr(spec, "__dict__", None) or {}
        if not spec:
            raise SourceSpecError("a source spec must be a mapping like {'kind': 'file', 'path': ...}")
    spec = dict(spec)
    kind = SOURCE_KINDS.get(spec.get("kind"))  # type: ignore[arg-type]
    if kind is None:
        raise SourceSpecError(f"source kind {spec.get('kind')!r} is not one of {source_kinds()}: {spec}")
    if kind.keys is not None:
        unknown = set(spec) - kind.keys
        if unknown:
            raise SourceSpecError(f"unknown keys {sorted(unknown)} in {kind.name} source spec; allowed: {sorted(kind.keys)}")
    for key in kind.required:
        if spec.get(key) in (None, "", []):
            raise SourceSpecError(f"{kind.name} source spec needs {key!r}: {spec}")
    return spec, kind


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


def _hygiene(spec: dict[str, Any], data, language: Language, lid: LidFn | None, log: FilterLog, *, extracted: bool = False):
    """``extracted``: the reader (harvest, help) filtered min/max words itself."""
    kwargs = {k: spec[k] for k in _HYGIENE_KEYS if k in spec and not (extracted and k in ("min_words", "max_words"))}
    if not kwargs and lid is None:
        return data
    return apply_hygiene(data, lang=language, lid=lid, log=log, **kwargs)


def load_pairs(spec: Mapping[str, Any], *, lang: str | Language, lid: LidFn | None = None) -> PairSet:
    """Sentence pairs from a source spec: (en, L) or (L, L), empty cells dropped."""
    spec, kind = _check(spec)
    if kind.pairs is None:
        raise SourceSpecError(f"a {kind.name} source gives texts, not pairs: {spec}")
    return kind.pairs(spec, resolve_language(lang), lid, None)


def load_texts(spec: Mapping[str, Any], *, lang: str | Language, lid: LidFn | None = None,
               pairs: list[tuple[str, str]] | None = None) -> TextSet:
    """Monolingual L sentences from a source spec (a pair source gives its L sides);
    ``pairs`` are what a ``from_pairs`` source takes its texts from."""
    spec, kind = _check(spec)
    language = resolve_language(lang)
    if kind.texts is not None:
        return kind.texts(spec, language, lid, pairs)
    ps = kind.pairs(spec, language, lid, pairs)
    return TextSet(texts=[p[1] for p in ps.pairs], provenance=ps.provenance, counts=ps.counts)


# ---------------------------------------------------------------- harvest / help: extractors


def _extracted_pairs(extract):
    def read(spec: dict, language: Language, lid: LidFn | None, given) -> PairSet:
        hv = extract(spec.get("lang", language), spec.get("roots"), **{k: spec[k] for k in ("min_words", "max_words", "min_letter_ratio") if k in spec})
        log = FilterLog()
        log.steps = list(hv.counts.items())
        return _hygiene(spec, hv, language, lid, log, extracted=True)
    return read


def _extracted_texts(spec: dict, language: Language, lid: LidFn | None, given) -> TextSet:
    """The unique L sides of an extractor's pairs."""
    ps = load_pairs({k: v for k, v in spec.items() if k not in ("cap", "seed")}, lang=language)
    texts = ps.texts(1)
    log = FilterLog()
    log.steps = list(ps.counts.items())
    log.record("unique_l", len(texts))
    ts = TextSet(texts=texts, provenance={**ps.provenance, "side": "L", "counts": log.as_dict()}, counts=log.as_dict())
    # min/max words were already applied by the extractor itself.
    post = {k: v for k, v in spec.items() if k in ("kind", "cap", "seed", "dedup", "max_chars")}
    return _hygiene(post, ts, language, lid, log)


# ---------------------------------------------------------------- file / hf: row readers


def _row_pairs(spec: dict, language: Language, lid: LidFn | None, given) -> PairSet:
    rows, prov = _rows(spec, 2)
    log = FilterLog()
    log.record("loaded", len(rows))
    pairs = [(a.strip(), b.strip()) for a, b in rows if a.strip() and b.strip()]
    log.record("non_empty", len(pairs))
    ps = PairSet(pairs=pairs, provenance={**prov, "lang": language.code, "counts": log.as_dict()}, counts=log.as_dict())
    return _hygiene(spec, ps, language, lid, log)


def _row_texts(spec: dict, language: Language, lid: LidFn | None, given) -> TextSet:
    rows, prov = _rows(spec, 1)
    log = FilterLog()
    log.record("loaded", len(rows))
    texts = [r[0].strip() for r in rows if r[0].strip()]
    log.record("non_empty", len(texts))
    ts = TextSet(texts=texts, provenance={**prov, "lang": language.code, "counts": log.as_dict()}, counts=log.as_dict())
    return _hygiene(spec, ts, language, lid, log)


# ---------------------------------------------------------------- inline, from_pairs, sib, flores-dev


def normalise_pairs(raw, where: str) -> list[tuple[str, str]]:
    """(a, b) string pairs from lists, tuples or dicts (first two values), stripped; empty ones dropped."""
    out = []
    for item in raw:
        vals = list(item.values()) if isinstance(item, dict) else list(item)
        if len(vals) < 2 or not isinstance(vals[0], str) or not isinstance(vals[1], str):
            raise SourceSpecError(f"{where}: each pair needs two strings, got {item!r}")
        a, b = vals[0].strip(), vals[1].strip()
        if a and b:
            out.append((a, b))
    return out


def _inline_pairs(spec: dict, language: Language, lid, given) -> PairSet:
    return PairSet(pairs=normalise_pairs(spec.get("pairs") or [], "inline source"), provenance={"kind": "inline"})


def _inline_texts(spec: dict, language: Language, lid, given) -> TextSet:
    texts = [t.strip() for t in spec.get("texts") or [] if isinstance(t, str) and t.strip()]
    return TextSet(texts=texts, provenance={"kind": "inline"})


def _from_pairs_texts(spec: dict, language: Language, lid, given) -> TextSet:
    if given is None:
        raise SourceSpecError("a from_pairs source takes its texts from given pairs (a recipe's translation "
                              "train split); it has nothing to read on its own")
    side = 0 if spec.get("side") == "source" else 1
    return TextSet(texts=[p[side] for p in given])


def _sib_pairs(spec: dict, language: Language, lid, given) -> PairSet:
    split = spec.get("split", "dev")
    pairs, files = sib.english_pairs(Path(spec["path"]), language.code, split)
    return PairSet(pairs=pairs, provenance={"kind": "sib", "split": split,
                                            "files": {str(f): file_sha256(f) for f in files}})


def _flores_dev_pairs(spec: dict, language: Language, lid, given) -> PairSet:
    from langzoo.data.guard import SPLIT, guard_root, has_guard

    if not has_guard(language.code):  # languages without a shipped set have no guard (not an error)
        return PairSet(pairs=[], provenance={"kind": "flores-dev", "note": f"no shipped FLORES dev sentences for {language.code}"})
    pairs, files = sib.english_pairs(guard_root(), language.code, SPLIT)
    # file hashes by <code>/<split>.tsv, not this machine's site-packages path
    return PairSet(pairs=pairs, provenance={"kind": "flores-dev", "split": SPLIT,
                                            "files": {f.parent.name + "/" + f.name: file_sha256(f) for f in files},
                                            "shipped": True})


register_source_kind(SourceKind("harvest", "en-L pairs from software localisation catalogs (offline)",
                                _extracted_pairs(harvest), _extracted_texts, frozenset(_EXTRACTOR_KEYS)))
register_source_kind(SourceKind("help", "en-L paragraph pairs from LibreOffice help pages (offline)",
                                _extracted_pairs(help_pairs), _extracted_texts, frozenset(_EXTRACTOR_KEYS)))
register_source_kind(SourceKind("file", "a .txt/.tsv/.csv/.jsonl/.parquet file, optionally compressed",
                                _row_pairs, _row_texts, frozenset({"kind", "path", "columns", "header", "format", *_HYGIENE_KEYS}),
                                required=("path",)))
register_source_kind(SourceKind("hf", "a Hugging Face dataset (Hub id or local folder), streamed",
                                _row_pairs, _row_texts,
                                frozenset({"kind", "id", "config", "split", "columns", "max_rows", "revision", "data_files", *_HYGIENE_KEYS}),
                                required=("id", "columns")))
register_source_kind(SourceKind("inline", "pairs or texts written in the spec itself (tests, tiny experiments)",
                                _inline_pairs, _inline_texts))
register_source_kind(SourceKind("from_pairs", "texts from given pairs: a recipe's translation train split "
                                "(side: target for L, source for English)", texts=_from_pairs_texts))
register_source_kind(SourceKind("sib", "(en, L) pairs of a SIB-200 / FLORES folder (path, split)", _sib_pairs,
                                required=("path",)))
register_source_kind(SourceKind("flores-dev", "the FLORES dev sentences langzoo ships (the default real-sentence guard)",
                                _flores_dev_pairs))
