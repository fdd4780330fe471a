"""CLD2 (Chrome's Compact Language Detector 2, ``pycld2``) as a third voter in the default mixture.

Why a third model: langzoo's own fastText model knows the zoo's languages and their
neighbours but has seen no running everyday text (its sources are UI strings, word lists
without frequencies and the UDHR), so very common words go astray ("işte" -> Romanian,
"burada" -> Estonian); lid.176 knows running text but not Hausa or Kinyarwanda and calls
short Azerbaijani Turkish.  CLD2's quadgram and word tables come from web text in ~160
languages, including uz, kk, ky, az, tr, ha and rw, so it errs elsewhere than the other
two (benchmarks/LID_RESULTS.md, stop 25).

Two rules make it a fair voter:

* **English is not a vote.**  CLD2 answers English for most short texts it cannot place
  (70 of 99 three-word Turkish FLORES openings), so that answer carries no information;
  English is left to the other two models.
* **No answer is no vote.**  "Unknown", or text CLD2 refuses, gives nothing, and the
  mixture does not renormalise: a model that abstains gives its share of the vote to
  no one, so the default detector's probability floor still sends texts nobody knows to
  the bare base.

CLD2 runs in-process (a C++ extension, Apache-2.0), offline, and never on anything but
the cleaned text the other models see.
"""

from __future__ import annotations

import re
import warnings

import numpy as np

__all__ = ["Cld2Model", "cld2_available", "warn_cld2_missing"]

# Codes CLD2 uses for "no language" or answers that carry no information (see above).
_NO_VOTE = frozenset({"un", "xxx", "en"})
# CLD2's outdated or regional codes -> the ones the other models' labels resolve to, so a
# language's votes add up to one candidate instead of two.
_CODE_ALIASES = {"iw": "he", "jw": "jv", "zh-Hant": "zho_Hant", "sr-ME": "sr"}
# Unicode noncharacters (U+FDD0..FDEF, U+xxFFFE/F): CLD2 refuses a whole text for one of
# them, so they are dropped first (the detector's cleaning already removed control codes).
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]")


def _import_cld2():
    try:
        import pycld2
    except ImportError:
        return None
    return pycld2


def cld2_available() -> bool:
    """Whether ``pycld2`` can be imported (it is a dependency; a broken install falls back)."""
    return _import_cld2() is not None


def warn_cld2_missing() -> None:
    warnings.warn("pycld2 is not importable: the default language detector runs without its CLD2 voter "
                  "(reinstall langzoo, or `pip install pycld2`)", RuntimeWarning, stacklevel=3)


class Cld2Model:
    """CLD2 behind the small part of the fastText model interface the mixture uses.

    ``predict`` returns, per text, CLD2's languages (up to 3) with the share of the
    text's bytes CLD2 gives each, as probabilities; English and unknown are dropped.
    """

    def __init__(self):
        self._cld2 = _import_cld2()
        if self._cld2 is None:
            raise ImportError("pycld2 is not installed (pip install pycld2)")
        codes = {_CODE_ALIASES.get(code, code) for _, code in self._cld2.LANGUAGES} - _NO_VOTE
        self._labels = sorted(f"__label__{code}" for code in codes)

    def get_labels(self) -> list[str]:
        return list(self._labels)

    def _vote(self, text: str) -> tuple[list[str], list[float]]:
        try:
            # bestEffort: a guess even for a few words, which are what the zoo routes most.
            _, _, details = self._cld2.detect(_NONCHARACTERS.sub("", text), bestEffort=True)
        except (self._cld2.error, UnicodeError):
            # Control characters, lone surrogates: the detector cleans those first, but a
            # refusal is only a missing vote, the other models still answer.
            return [], []
        labels, probs = [], []
        for _name, code, percent, _score in details:
            if code in _NO_VOTE or percent <= 0:
                continue
            labels.append(f"__label__{_CODE_ALIASES.get(code, code)}")
            probs.append(percent / 100.0)
        return labels, probs

    def predict(self, texts: list[str], k: int = 1, threshold: float = 0.0):
        out_labels, out_probs = [], []
        for text in texts:
            labels, probs = self._vote(text)
            keep = [(lab, p) for lab, p in zip(labels, probs) if p >= threshold][: (None if k < 0 else k)]
            out_labels.append([lab for lab, _ in keep])
            out_probs.append(np.array([p for _, p in keep], dtype=float))
        return out_labels, out_probs
