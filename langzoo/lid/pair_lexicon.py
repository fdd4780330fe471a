"""Word lists re-split pairs of close languages: a word only one of them writes.

Why: after Lingua (:mod:`langzoo.lid.lingua_pairs`) 1.4 % of Azerbaijani FLORES dev
openings and 1.6 % of short Leipzig sentences still reached an installed Turkish pack.
Some of them hold a word Turkish does not write ("güman", "kompüter", "hidrogen",
"bezdirici"); the models see such words as character n-grams close to Turkish ones.
Tesseract's word lists (the word-list source of ``zoo lid train``) hold 204k Azerbaijani
and 268k Turkish words (lower-cased) and share only 31k: a word in one list and not the
other is evidence for that language, looked up whole.  On FLORES dev openings, 280 of
291 Azerbaijani ones have more such Azerbaijani words than Turkish ones, and 1 of 282
Turkish ones does; Azerbaijani and Uzbek (315k words) share 19k, and no Azerbaijani or
Uzbek opening leans the wrong way (benchmarks/LID_RESULTS.md, stop 38).

Like Lingua, the lexicon only re-splits a pair's mass, for texts of up to
``LEXICON_MAX_WORDS`` words whose pair mass could take the top label:
``p'(c) = (1 - w) * p(c) + w * M * [c has more words only its list holds]`` for the two
members ``c`` (``M`` the pair's mass, ``w`` the weight); a tie changes nothing.

Files: one ``.txt.xz`` per member of a pair (its words the other list lacks, one per
line, in :func:`lexicon_form`), named in the model folder's ``manifest.json`` under
``pair_lexicons`` with their sha256, which is checked when they are loaded.
"""

from __future__ import annotations

import hashlib
import lzma
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from langzoo.languages import resolve_language
from langzoo.lid.families import StackedModel, distributions, pair_candidates, resplit
from langzoo.lid.fasttext_lid import _model_input
from langzoo.lid.models import LidModelError

__all__ = ["DEFAULT_LEXICON_WEIGHT", "LEXICON_MAX_WORDS", "LEXICON_PAIRS", "LexiconPairModel", "PairLexicon",
           "exclusive_words", "lexicon_form", "load_pair_lexicons", "write_pair_lexicons"]

# Pairs (labels as in a model folder's manifest) that get a lexicon when both have a word list.
# Azerbaijani/Uzbek (stop 38): Azerbaijani FLORES openings into a pack 1.03 -> 0.69 % ("Onlar
# bir vaqonda" left the uz pack: Uzbek writes "vagonda"), nothing else worse.  Measured and
# left out: Turkish/Uzbek (a few Leipzig words and pairs moved, either way) and
# Kazakh/Kyrgyz (kk openings 98.2 -> 98.6 %, but kk Leipzig word pairs 96.2 -> 95.8 %; the
# Kyrgyz list alone is 1M words).
LEXICON_PAIRS: tuple[tuple[str, str], ...] = (("azj_Latn", "tur_Latn"), ("azj_Latn", "uzn_Latn"))
# 0.5 and 0.8 routed every FLORES dev and Leipzig row alike (stop 38); the smaller one
# leaves the voters more say where a web word list holds a stray word.
DEFAULT_LEXICON_WEIGHT = 0.5
# As Lingua's limit: longer texts reach their pack without help (every whole FLORES dev
# sentence does), and the limit keeps the lookups off long text.
LEXICON_MAX_WORDS = 12
_PREFIX = "__label__"
# Letters, with an apostrophe inside a word (Turkish "Ankara'da").
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def lexicon_form(text: str) -> str:
    """A text or word as the detector's models read it (Uzbek oʻ and gʻ apostrophes
    unified, lower case; the word lists type "o'zbek" and "o`zbek"), with Python's dotted
    ``İ`` -> ``i̇`` folded to a plain ``i`` (so "İnsanlar" and "insanlar" are one word)."""
    return _model_input(text, lowercase=True).replace("i\u0307", "i")


def exclusive_words(lists: Mapping[str, Sequence[str]], pair: tuple[str, str]) -> dict[str, list[str]]:
    """For each member of ``pair``: the words of its list (in :func:`lexicon_form`) that
    the other member's list lacks, sorted."""
    a, b = (frozenset(lexicon_form(w) for w in lists[label]) for label in pair)
    return {pair[0]: sorted(a - b), pair[1]: sorted(b - a)}


def _file_name(label: str, other: str) -> str:
    return f"lexicon-{label}-not-{other}.txt.xz"


def write_pair_lexicons(lists: Mapping[str, Sequence[str]], folder: Path) -> list[dict]:
    """Write the lexicon files of every :data:`LEXICON_PAIRS` pair whose two labels have a
    list in ``lists`` into ``folder``; returns the manifest's ``pair_lexicons`` entries."""
    entries = []
    for pair in LEXICON_PAIRS:
        if not all(label in lists and lists[label] for label in pair):
            continue
        words = exclusive_words(lists, pair)
        files, sha, counts = {}, {}, {}
        for label, other in (pair, pair[::-1]):
            name = _file_name(label, other)
            # xz stores no timestamp: the same lists give the same bytes (and sha256)
            data = lzma.compress(("\n".join(words[label]) + "\n").encode("utf-8"), preset=6)
            (folder / name).write_bytes(data)
            files[label], sha[label], counts[label] = name, hashlib.sha256(data).hexdigest(), len(words[label])
        entries.append({"labels": list(pair), "files": files, "sha256": sha, "words": counts,
                        "source": "Tesseract word lists"})
    return entries


class PairLexicon:
    """Two languages' exclusive words; :meth:`pick` says which one a text leans to.

    The words are kept as a sorted array of their 64-bit Python hashes (8 bytes a word,
    ~8 MB for the shipped lexicons; a set of the strings took ~150 bytes a word).  Python
    salts ``hash`` per process, so the arrays are built when the lexicon is loaded and
    never stored.
    """

    def __init__(self, words: Mapping[str, Iterable[str]]):
        if len(words) != 2:
            raise ValueError(f"a pair lexicon has two labels, got {sorted(words)}")
        self.labels = tuple(_PREFIX + resolve_language(label).code for label in words)
        self._hashes = [np.unique(np.fromiter(map(hash, w), dtype=np.int64)) for w in words.values()]

    def counts(self, text: str) -> tuple[int, int]:
        """How many words of ``text`` only the first / only the second list holds."""
        return self.counts_many([text])[0]

    def counts_many(self, texts: Sequence[str]) -> list[tuple[int, int]]:
        """:meth:`counts` for many texts at once: one lookup for all their words (numpy's
        per-call cost, not the lookups, dominated a text-by-text loop)."""
        words = [_WORD.findall(lexicon_form(text)) for text in texts]
        owner = np.repeat(np.arange(len(texts)), [len(w) for w in words])
        keys = np.fromiter((hash(w) for ws in words for w in ws), dtype=np.int64, count=len(owner))
        sides = [np.bincount(owner, weights=_found(hashes, keys), minlength=len(texts)).astype(int)
                 for hashes in self._hashes]
        return list(zip(sides[0].tolist(), sides[1].tolist()))

    def pick(self, text: str) -> str | None:
        """The label with more words of ``text`` that only its list holds; None on a tie."""
        return self.picks([text])[0]

    def picks(self, texts: Sequence[str]) -> list[str | None]:
        """:meth:`pick` for many texts at once."""
        return [None if a == b else self.labels[0 if a > b else 1] for a, b in self.counts_many(texts)]


def _found(hashes: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """1.0 for each of ``keys`` in the sorted array ``hashes``, else 0.0."""
    if not len(hashes) or not len(keys):
        return np.zeros(len(keys))
    at = np.minimum(np.searchsorted(hashes, keys), len(hashes) - 1)
    return (hashes[at] == keys).astype(float)


def load_pair_lexicons(folder: Path, entries: Sequence[dict]) -> list[PairLexicon]:
    """The manifest's ``pair_lexicons`` entries as :class:`PairLexicon` objects; a file that
    is missing or not the one the manifest names is an error, not a silent skip."""
    out = []
    for entry in entries:
        try:
            labels, files, sha = list(entry["labels"]), dict(entry["files"]), dict(entry["sha256"])
            if len(labels) != 2 or set(files) != set(labels) or set(sha) != set(labels):
                raise ValueError("needs two labels, each with a file and a sha256")
        except (KeyError, TypeError, ValueError) as exc:
            raise LidModelError(f"{folder / 'manifest.json'}: malformed pair_lexicons entry {entry!r} "
                                f"({exc})") from None
        words = {}
        for label in labels:
            path = folder / files[label]
            if not path.is_file():
                raise LidModelError(f"{path} is missing (named in {folder / 'manifest.json'}); "
                                    "retrain with `zoo lid train` or restore the folder")
            data = path.read_bytes()  # hashed and decoded from one read: the checked bytes are the used ones
            if hashlib.sha256(data).hexdigest() != sha[label]:
                raise LidModelError(f"{path} does not match the sha256 in {folder / 'manifest.json'}; "
                                    "retrain with `zoo lid train` or restore the folder")
            words[label] = [w for w in lzma.decompress(data).decode("utf-8").split("\n") if w]
        out.append(PairLexicon(words))
    return out


class LexiconPairModel(StackedModel):
    """A fastText-like model: ``base``'s distribution with each pair re-split by its lexicon."""

    def __init__(self, base, lexicons: Sequence[PairLexicon], weight: float = DEFAULT_LEXICON_WEIGHT,
                 max_words: int | None = LEXICON_MAX_WORDS):
        """``max_words``: the longest text (in words) the lexicons are asked about; None: any."""
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"lexicon weight must be in [0, 1], got {weight}")
        if max_words is not None and max_words < 1:
            raise ValueError(f"max_words must be >= 1 or None, got {max_words}")
        self.lexicons = list(lexicons)
        super().__init__(base, (label for lexicon in self.lexicons for label in lexicon.labels))
        self.weight = float(weight)
        self.max_words = max_words

    def distributions(self, texts: list[str]) -> list[dict[str, float]]:
        dists = distributions(self.base, texts)
        if self.weight > 0.0:
            for lexicon in self.lexicons:
                todo = pair_candidates(dists, texts, lexicon.labels, self.max_words)
                for i, label in zip(todo, lexicon.picks([texts[i] for i in todo])):
                    if label is not None:
                        dists[i] = resplit(dists[i], lexicon.labels, {label: 1.0}, self.weight)
        return dists
