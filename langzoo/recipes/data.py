"""Resolve a recipe's data sources into plain lists, split them, and hash them.

Stages only ever see plain Python lists (``texts: list[str]``,
``pairs: list[tuple[str, str]]``), so the data source is pluggable. A source is a
dict with a ``kind`` registered in the data layer (:mod:`langzoo.data.sources`:
``harvest``, ``help``, ``file``, ``hf``, ``inline``, ``sib``, ``flores-dev``,
``from_pairs``, and any kind added with :func:`langzoo.data.register_source_kind`).
Recipe-level keys: ``swap: true`` swaps a pair source's columns; ``from_pairs`` takes
the monolingual texts from the train split of the translation pairs (``side: target``
for L, ``source`` for English); ``add_pairs: false`` keeps another monolingual source
from being topped up with those L sides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from langzoo.data.splits import split_pairs
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


def resolve_source(spec: dict | None, *, lang: str, want: str, provenance: dict | None = None,
                   pairs: list[tuple[str, str]] | None = None):
    """Resolve one source spec to a list of pairs (``want="pairs"``) or texts.
    The data layer's provenance (files' sha256, catalog digests, counts) is stored
    into ``provenance`` when given; ``pairs`` feed a ``from_pairs`` source."""
    if spec is None:
        return []
    if not isinstance(spec, dict) or "kind" not in spec:
        raise RecipeDataError(f"A data source must be a mapping with a 'kind', got {spec!r}")
    from langzoo.data import DataError, load_pairs, load_texts
    from langzoo.data.sources import RECIPE_KEYS, SOURCE_KINDS, normalise_pairs

    keys = getattr(SOURCE_KINDS.get(spec["kind"]), "keys", None)
    # recipe-level keys are kept from readers that check their keys, unless they declare them
    clean = {k: v for k, v in spec.items() if k not in RECIPE_KEYS or keys is None or k in keys}
    try:
        result = load_pairs(clean, lang=lang) if want == "pairs" else load_texts(clean, lang=lang, pairs=pairs)
        if provenance is not None:
            provenance.update(getattr(result, "provenance", {}) or {})
        if want == "pairs":
            found = normalise_pairs(result.pairs, f"source {spec}")
            return [(b, a) for a, b in found] if spec.get("swap") else found
    except DataError as exc:
        raise RecipeDataError(f"data source {spec}: {exc}") from exc
    return [t for t in result.texts if isinstance(t, str) and t.strip()]


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
    mono = resolve_source(mono_spec, lang=lang, want="texts", provenance=prov["monolingual"], pairs=train)
    if mono_spec.get("kind") != "from_pairs" and mono_spec.get("add_pairs", True):
        mono = mono + [p[1] for p in train]  # the L side of train translation pairs is in-language text too
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
