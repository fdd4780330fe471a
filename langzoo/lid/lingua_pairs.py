"""Lingua re-splits pairs of languages the other models confuse (Azerbaijani / Turkish).

Why: after the mixture and the Turkic family model, 1.7 % of Azerbaijani FLORES dev
openings and 2.4 % of runs of 3-5 words still reached an installed Turkish pack, because
lid.176 calls most short Azerbaijani Turkish and the trained models have little running
Azerbaijani.  Lingua (``lingua-language-detector``, Apache-2.0, offline, n-gram models
built for short text) separates the two: alone, it calls 284 of 291 Azerbaijani openings
Azerbaijani and 267 of 282 Turkish ones Turkish (benchmarks/LID_RESULTS.md, stop 27).

Lingua knows neither Uzbek nor Kyrgyz, so it cannot be a general voter (it would pull
Uzbek toward Azerbaijani).  It only re-splits the probability mass *within* a pair it
knows: ``p'(c) = (1 - w) * p(c) + w * M * [c is Lingua's pick]`` for each member ``c``,
with ``M`` the pair's mass and ``w`` the larger of ``pair_weight`` and Lingua's margin
(:meth:`LinguaPairModel.text_weight`).  Every other language keeps its probability, so
whether a text is Turkish-or-Azerbaijani at all, or Uzbek, is still the first stages'
call.  Only texts of up to ``LINGUA_MAX_WORDS`` words are asked: on long text Lingua
adds nothing and has erred against three confident voters.  Lingua loads only the
pair's two language models (0.6 s on the 2-core dev machine).
"""

from __future__ import annotations

import warnings

from langzoo.languages import resolve_language
from langzoo.lid.families import StackedModel, distributions, pair_candidates, resplit

__all__ = ["DEFAULT_PAIR_WEIGHT", "LINGUA_MAX_WORDS", "LinguaPairModel", "PAIRS", "lingua_available",
           "warn_lingua_missing"]

# Pairs as (zoo alias, Lingua's Language name).  Only pairs Lingua knows both sides of.
PAIRS: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("az", "AZERBAIJANI"), ("tr", "TURKISH")),
)
DEFAULT_PAIR_WEIGHT = 0.3
# Lingua is asked about texts of at most this many words.  It is there for short text;
# on long text the three voters are right (every whole FLORES dev sentence reaches its
# pack without Lingua), and Lingua is not: restricted to az/tr it calls a 22-word
# Azerbaijani sentence full of ə Turkish at 1.0 once it reads "ayrı-ayrı tayfa
# bilirlər", against three voters at 1.0 for Azerbaijani.
LINGUA_MAX_WORDS = 12
# And at most this many characters of one: its cost grows with length, and twelve words
# of long compounds can still run long.
LINGUA_MAX_CHARS = 200
_PREFIX = "__label__"


def _import_lingua():
    try:
        import lingua
    except ImportError:
        return None
    return lingua


def lingua_available() -> bool:
    """Whether ``lingua`` can be imported (it is a dependency; a broken install falls back)."""
    return _import_lingua() is not None


def warn_lingua_missing() -> None:
    warnings.warn("lingua is not importable: the default language detector runs without its "
                  "Azerbaijani/Turkish arbiter (reinstall langzoo, or `pip install lingua-language-detector`)",
                  RuntimeWarning, stacklevel=3)


class _Pair:
    """One pair: the mixture's two labels and a Lingua detector that knows only them."""

    def __init__(self, lingua, sides: tuple[tuple[str, str], tuple[str, str]]):
        self.labels = tuple(_PREFIX + resolve_language(alias).code for alias, _ in sides)
        languages = [getattr(lingua.Language, name) for _, name in sides]
        self._label_of = {lang: label for lang, label in zip(languages, self.labels)}
        # Preloaded: the 0.6-0.9 s of loading happens when the detector is built, not in
        # the first request that happens to need the pair.
        self.detector = lingua.LanguageDetectorBuilder.from_languages(*languages) \
            .with_preloaded_language_models().build()

    def picks(self, texts: list[str]) -> list[tuple[str, float] | None]:
        """Lingua's pick per text and its confidence (None when it sees neither language)."""
        out: list[tuple[str, float] | None] = []
        clipped = [text[:LINGUA_MAX_CHARS] for text in texts]
        for values in self.detector.compute_language_confidence_values_in_parallel(clipped):
            best = max(values, key=lambda v: v.value, default=None)
            out.append((self._label_of[best.language], float(best.value))
                       if best is not None and best.value > 0.0 else None)
        return out


class LinguaPairModel(StackedModel):
    """A fastText-like model: ``base``'s distribution with each pair re-split by Lingua.

    ``base`` answers ``predict(texts, k, threshold)`` with ``__label__<canonical code>``
    labels (a :class:`~langzoo.lid.trained.MixtureModel` or a family-refined one).
    """

    def __init__(self, base, weight: float = DEFAULT_PAIR_WEIGHT, max_words: int | None = LINGUA_MAX_WORDS):
        """``max_words``: the longest text (in words) Lingua is asked about; None: any."""
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"pair weight must be in [0, 1], got {weight}")
        if max_words is not None and max_words < 1:
            raise ValueError(f"max_words must be >= 1 or None, got {max_words}")
        lingua = _import_lingua()
        if lingua is None:
            raise ImportError("lingua is not installed (pip install lingua-language-detector)")
        self.pairs = [_Pair(lingua, sides) for sides in PAIRS]
        super().__init__(base, (label for pair in self.pairs for label in pair.labels))
        self.weight = float(weight)
        self.max_words = max_words

    def text_weight(self, confidence: float) -> float:
        """How much of the pair's mass follows Lingua's pick for one text.

        The pick, not Lingua's confidence, is what is shared out: restricted to two
        languages its confidences are flat (0.54 / 0.46 on many FLORES openings) while
        its pick is right for 98-99 % of Azerbaijani and Turkish runs of 3-5 words.  The
        weight is ``weight``, or Lingua's margin ``2q - 1`` when that is larger: a
        decisive 0.9 ("Kişi velosiped sürür.", Azerbaijani) moves 0.8 of the mass.
        ``weight`` 0 turns the arbiter off altogether (see :meth:`predict`).
        """
        return max(self.weight, 2.0 * confidence - 1.0)

    def distributions(self, texts: list[str]) -> list[dict[str, float]]:
        dists = distributions(self.base, texts)
        if self.weight > 0.0:
            for pair in self.pairs:
                # Only short texts whose az+tr mass could take the top label reach Lingua.
                todo = pair_candidates(dists, texts, pair.labels, self.max_words)
                if not todo:
                    continue
                for i, pick in zip(todo, pair.picks([texts[i] for i in todo])):
                    if pick is not None:
                        label, confidence = pick
                        dists[i] = resplit(dists[i], pair.labels, {label: 1.0}, self.text_weight(confidence))
        return dists

