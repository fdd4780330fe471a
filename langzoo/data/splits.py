"""Hygiene for pair/text sets: splits, length filters, language-ID hook, caps, shuffling."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from langzoo.data.sets import FilterLog, PairSet, TextSet
from langzoo.languages import Language, resolve_language

LidFn = Callable[[list[str]], list[str]]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def split_pairs(pairs: Sequence[tuple[str, str]], dev: int, test: int, seed: int) -> tuple[list, list, list]:
    """Deterministic ``(train, dev, test)`` split of translation pairs: ``dev`` and ``test``
    pairs are drawn after a seeded shuffle of the unique pairs. At most a third of the data
    is held out (dev and test shrink proportionally). Pairs sharing an English or an L side
    stay on one side of the split (UI catalogs repeat strings), so no held-out sentence is
    trained on: a held pair's sides leave train, and a pair whose side is already held is
    not held again but goes to train and is then dropped."""
    if dev < 0 or test < 0:
        raise ValueError(f"dev ({dev}) and test ({test}) sizes must be >= 0")
    uniq = list(dict.fromkeys(pairs))
    rng = random.Random(seed)
    rng.shuffle(uniq)
    n_hold = min(dev + test, len(uniq) // 3)
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
