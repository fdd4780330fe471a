"""Resolve a recipe's data sources into plain lists, split them, and hash them.

Stages only ever see plain Python lists (``texts: list[str]``,
``pairs: list[tuple[str, str]]``), so the data source is pluggable. A source is a
dict with a ``kind``:

- ``inline``: ``{kind: inline, pairs: [[en, l], ...]}`` or ``{kind: inline, texts: [...]}``
  (tests, tiny experiments);
- ``from_pairs``: texts taken from the train split of the translation pairs
  (``side: target`` for L, ``source`` for English);
- ``sib``: (en, L) pairs of a SIB-200 / FLORES folder (``path``, ``split``);
- ``flores-dev``: the FLORES dev sentences shipped with langzoo (``langzoo.data.guard``),
  the default real-sentence guard; none for a language without a shipped set;
- anything else (``harvest``, ``help``, ``file``, ``hf``): handed to the data layer
  (:func:`langzoo.data.load_pairs` / :func:`langzoo.data.load_texts`); ``swap: true``
  swaps a pair source's columns.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from langzoo.modules.hashing import sha256_json
from langzoo.recipes.errors import RecipeDataError


@dataclass
class Splits:
    """Translation pairs (en, L) split into train/dev/test plus the other stage inputs."""

    train: list[tuple[str, str]]
    dev: list[tuple[str, str]]
    test: list[tuple[str, str]]
    monolingual: list[str]  # L texts (tokenizer, fastText, MLM); never contains dev/test sentences
    paraphrase: list[tuple[str, str]] = field(default_factory=list)  # (L, L') for SE
    en_paraphrase: list[tuple[str, str]] = field(default_factory=list)  # (en, L) paraphrases for CLA
    real_dev: list[tuple[str, str]] = field(default_factory=list)  # (en, L) real sentences guarding checkpoints
    provenance: dict = field(default_factory=dict)

    def hash_of(self, *names: str) -> str:
        """Hash of the named inputs (so a stage is rebuilt only when its own data changed)."""
        return sha256_json({n: getattr(self, n) for n in sorted(names)})[:16]


def _norm_pairs(raw, where: str) -> list[tuple[str, str]]:
    out = []
    for item in raw:
        if isinstance(item, dict):
            vals = list(item.values())
        else:
            vals = list(item)
        if len(vals) < 2 or not isinstance(vals[0], str) or not isinstance(vals[1], str):
            raise RecipeDataError(f"{where}: each pair needs two strings, got {item!r}")
        a, b = vals[0].strip(), vals[1].strip()
        if a and b:
            out.append((a, b))
    return out


def resolve_source(spec: dict | None, *, lang: str, want: str, provenance: dict | None = None):
    """Resolve one source spec to a list of pairs (``want="pairs"``) or texts.
    The data layer's provenance (files' sha256, catalog digests, counts) is stored
    into ``provenance`` when given."""
    if spec is None:
        return []
    if not isinstance(spec, dict) or "kind" not in spec:
        raise RecipeDataError(f"A data source must be a mapping with a 'kind', got {spec!r}")
    kind = spec["kind"]
    if kind == "flores-dev":  # the shipped guard set; languages without one have none (no error)
        from langzoo.data.guard import SPLIT, guard_root, has_guard
        from langzoo.languages import resolve_language

        if not has_guard(resolve_language(lang).code):
            if provenance is not None:
                provenance.update({"kind": "flores-dev", "note": f"no shipped FLORES dev sentences for {lang}"})
            return []
        spec = {"kind": "sib", "path": str(guard_root()), "split": SPLIT}
        pairs = _sib_pairs(spec, lang, provenance)
        if provenance is not None:  # record file hashes, not this machine's site-packages path
            provenance.update({"kind": "flores-dev", "shipped": True,
                               "files": {Path(f).parent.name + "/" + Path(f).name: h
                                         for f, h in provenance.get("files", {}).items()}})
        return pairs if want == "pairs" else [p[1] for p in pairs]
    if kind == "sib":
        return _sib_pairs(spec, lang, provenance) if want == "pairs" else [p[1] for p in _sib_pairs(spec, lang, provenance)]
    if kind == "inline":
        if provenance is not None:
            provenance.update({"kind": "inline"})
        if want == "pairs":
            return _norm_pairs(spec.get("pairs") or [], "inline source")
        return [t.strip() for t in spec.get("texts") or [] if isinstance(t, str) and t.strip()]
    from langzoo.data import DataError, load_pairs, load_texts

    extra = {k: spec[k] for k in ("swap", "side") if k in spec}
    clean = {k: v for k, v in spec.items() if k not in extra}
    try:
        result = load_pairs(clean, lang=lang) if want == "pairs" else load_texts(clean, lang=lang)
    except DataError as exc:
        raise RecipeDataError(f"data source {spec}: {exc}") from exc
    if provenance is not None:
        provenance.update(getattr(result, "provenance", {}) or {})
    if want == "pairs":
        pairs = _norm_pairs(result.pairs, f"source {spec}")
        return [(b, a) for a, b in pairs] if extra.get("swap") else pairs
    return [t for t in result.texts if isinstance(t, str) and t.strip()]


def _sib_pairs(spec: dict, lang: str, provenance: dict | None) -> list[tuple[str, str]]:
    """``{kind: sib, path: DIR, split: dev}``: (en, L) pairs of a SIB-200 / FLORES folder
    (``DIR/eng_Latn/dev.tsv`` and ``DIR/<code>/dev.tsv`` joined on ``index_id``)."""
    import csv
    import sys

    from langzoo.languages import resolve_language
    from langzoo.modules.hashing import sha256_file

    root, split = Path(spec.get("path", "")), spec.get("split", "dev")
    code = resolve_language(lang).code
    files = [root / "eng_Latn" / f"{split}.tsv", root / code / f"{split}.tsv"]
    for f in files:
        if not f.is_file():
            raise RecipeDataError(f"sib source: {f} not found (expected SIB-200 folders like {root}/eng_Latn/{split}.tsv)")
    csv.field_size_limit(sys.maxsize)

    def rows(path):
        with path.open(encoding="utf-8", newline="") as fh:
            return {r["index_id"]: r["text"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}

    en, other = rows(files[0]), rows(files[1])
    pairs = [(en[k].strip(), other[k].strip()) for k in sorted(en, key=lambda k: int(k) if k.isdigit() else k)
             if k in other and en[k].strip() and other[k].strip()]
    if provenance is not None:
        provenance.update({"kind": "sib", "split": split, "files": {str(f): sha256_file(f) for f in files}})
    return pairs


def split_pairs(pairs: list[tuple[str, str]], dev: int, test: int, seed: int):
    """Deterministic train/dev/test split. Pairs sharing an English or L side stay on
    one side of the split (UI catalogs repeat strings), so dev never leaks into train."""
    uniq = list(dict.fromkeys(pairs))
    rng = random.Random(seed)
    rng.shuffle(uniq)
    n_hold = min(dev + test, len(uniq) // 3)
    # at most a third of the data is held out; dev and test shrink proportionally
    n_dev = round(n_hold * dev / (dev + test)) if n_hold else 0
    n_test = n_hold - n_dev
    dev_pairs, test_pairs, train = [], [], []
    held_en, held_l = set(), set()
    for pair in uniq:
        if len(dev_pairs) < n_dev and pair[0] not in held_en and pair[1] not in held_l:
            dev_pairs.append(pair)
        elif len(test_pairs) < n_test and pair[0] not in held_en and pair[1] not in held_l:
            test_pairs.append(pair)
        else:
            train.append(pair)
            continue
        held_en.add(pair[0])
        held_l.add(pair[1])
    train = [p for p in train if p[0] not in held_en and p[1] not in held_l]
    return train, dev_pairs, test_pairs


def load_splits(data_cfg: dict, *, lang: str, dev: int, test: int, seed: int) -> Splits:
    """Resolve a recipe's ``data`` section into :class:`Splits`."""
    prov: dict = {name: {} for name in ("translation", "monolingual", "paraphrase", "en_paraphrase", "real_dev")}
    translation = resolve_source(data_cfg.get("translation"), lang=lang, want="pairs", provenance=prov["translation"])
    real_dev = resolve_source(data_cfg.get("real_dev"), lang=lang, want="pairs", provenance=prov["real_dev"])
    if real_dev:  # never train on the sentences that guard checkpoint selection
        real_en, real_l = {p[0] for p in real_dev}, {p[1] for p in real_dev}
        translation = [p for p in translation if p[0] not in real_en and p[1] not in real_l]
    train, dev_pairs, test_pairs = split_pairs(translation, dev, test, seed)
    held = {p[1] for p in dev_pairs + test_pairs + real_dev}
    # default (or null): the L side of the training translation pairs
    mono_spec = data_cfg.get("monolingual") or {"kind": "from_pairs", "side": "target"}
    if mono_spec and mono_spec.get("kind") == "from_pairs":
        side = 0 if mono_spec.get("side") == "source" else 1
        mono = [p[side] for p in train]
    else:
        mono = resolve_source(mono_spec, lang=lang, want="texts", provenance=prov["monolingual"])
        # the L side of train translation pairs is in-language text too
        mono = mono + [p[1] for p in train] if mono_spec and mono_spec.get("add_pairs", True) else mono
    mono = [t for t in dict.fromkeys(mono) if t not in held]
    para = resolve_source(data_cfg.get("paraphrase"), lang=lang, want="pairs", provenance=prov["paraphrase"])
    en_para = resolve_source(data_cfg.get("en_paraphrase"), lang=lang, want="pairs", provenance=prov["en_paraphrase"])
    for name in list(prov):
        prov[name] = {"spec": data_cfg.get(name), **_slim(prov[name])}
    prov["counts"] = {"translation_train": len(train), "dev": len(dev_pairs), "test": len(test_pairs),
                      "monolingual": len(mono), "paraphrase": len(para), "en_paraphrase": len(en_para),
                      "real_dev": len(real_dev)}
    return Splits(train, dev_pairs, test_pairs, mono, para, en_para, real_dev, prov)


def _slim(prov: dict) -> dict:
    """Keep provenance small enough for a manifest (drop long per-origin listings)."""
    out = {}
    for key, value in prov.items():
        if isinstance(value, (list, dict)) and len(json.dumps(value, default=str)) > 2000:
            out[key] = f"<{len(value)} entries>"
        else:
            out[key] = value
    return out
