"""Hygiene for pair/text sets: splits, length filters, language-ID hook, caps, shuffling."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence

from langzoo.data.sets import FilterLog, PairSet, TextSet
from langzoo.languages import Language, resolve_language

LidFn = Callable[[list[str]], list[str]]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _hash01(text: str, seed: int) -> float:
    digest = hashlib.blake2b(f"{seed}\x00{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def split_pairs(
    pairs: Sequence[tuple[str, str]],
    dev: float = 0.05,
    test: float = 0.05,
    seed: int = 0,
) -> dict[str, list[tuple[str, str]]]:
    """Deterministic, disjoint train/dev/test split.

    Pairs that share a sentence (on either side, after whitespace/case normalisation)
    are linked into one group (union-find), and every group goes to one split chosen by
    a hash of its smallest sentence — so no sentence ever appears in two splits, also
    when an L sentence translates two English strings.  The same input and seed give
    the same split on every machine; order within a split follows the input.
    """
    if dev < 0 or test < 0 or dev + test >= 1:
        raise ValueError(f"dev ({dev}) and test ({test}) must be >= 0 and sum to < 1")
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(_key(a)), find(_key(b))
        if ra != rb:
            # Smaller string becomes the root, so a group's root is its minimum.
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    out: dict[str, list[tuple[str, str]]] = {"train": [], "dev": [], "test": []}
    for pair in pairs:
        u = _hash01(find(_key(pair[0])), seed)
        name = "test" if u < test else "dev" if u < test + dev else "train"
        out[name].append(pair)
    return out


def shuffle(items: Sequence, seed: int = 0) -> list:
    """A seeded shuffle (a copy; the input is left alone)."""
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


def apply_hygiene(
    data: PairSet | TextSet,
    *,
    lang: str | Language | None = None,
    min_words: int | None = None,
    max_words: int | None = None,
    max_chars: int | None = None,
    lid: LidFn | None = None,
    lid_side: int = 1,
    dedup: bool = False,
    cap: int | None = None,
    seed: int | None = None,
    log: FilterLog | None = None,
) -> PairSet | TextSet:
    """Length filters, optional language-ID filter, dedup, seeded shuffle and cap.

    ``lid`` is any callable ``(texts) -> list of language codes`` (e.g. the runtime's
    fastText LID); items whose predicted code does not resolve to ``lang`` are dropped
    (for pairs, ``lid_side`` picks the side to check: 1 = the L side of (en, L); for
    (L, L) paraphrases both sides are checked when ``lid_side=-1``).  ``seed`` shuffles
    before the cap so that a capped sample is not biased to the start of the file.
    Counts after each step are added to ``log`` / the returned set's ``counts``.
    """
    is_pairs = isinstance(data, PairSet)
    items: list = list(data.pairs if is_pairs else data.texts)
    log = log if log is not None else FilterLog()
    if not log.steps:
        log.record("loaded", len(items))

    def texts_of(item) -> tuple[str, ...]:
        return tuple(item) if is_pairs else (item,)

    if min_words is not None or max_words is not None or max_chars is not None:
        lo, hi = min_words or 0, max_words or 10**9
        items = [
            it for it in items
            if all(lo <= len(t.split()) <= hi and (max_chars is None or len(t) <= max_chars) for t in texts_of(it))
        ]
        log.record("length", len(items))
    if lid is not None:
        if lang is None:
            raise ValueError("a language-ID filter needs lang=")
        want = resolve_language(lang)
        sides = [0, 1] if (is_pairs and lid_side == -1) else [lid_side if is_pairs else 0]
        for side in sides:
            texts = [texts_of(it)[side] for it in items]
            preds = list(lid(texts)) if texts else []
            if len(preds) != len(texts):
                raise ValueError(f"lid callable returned {len(preds)} labels for {len(texts)} texts")
            items = [it for it, p in zip(items, preds) if _same_language(p, want)]
        log.record("lid", len(items))
    if dedup:
        seen: set = set()
        uniq = []
        for it in items:
            k = tuple(_key(t) for t in texts_of(it))
            if k not in seen:
                seen.add(k)
                uniq.append(it)
        items = uniq
        log.record("dedup", len(items))
    if seed is not None:
        items = shuffle(items, seed)
    if cap is not None and len(items) > cap:
        items = items[:cap]
        log.record("cap", len(items))
    counts = {**data.counts, **log.as_dict()}
    prov = {**data.provenance, "counts": counts}
    if is_pairs:
        return PairSet(pairs=items, provenance=prov, counts=counts)
    return TextSet(texts=items, provenance=prov, counts=counts)


def _same_language(pred: str, want: Language) -> bool:
    pred = str(pred).removeprefix("__label__")
    try:
        got = resolve_language(pred)
    except Exception:
        return False
    return got.code == want.code or got.alias.split("-")[0] == want.alias.split("-")[0] and got.script == want.script
