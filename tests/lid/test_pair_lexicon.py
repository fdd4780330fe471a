"""langzoo.lid.pair_lexicon: exclusive words of a pair of close languages re-split its mass."""

from __future__ import annotations

import lzma

import numpy as np
import pytest

from langzoo.lid.models import LidModelError
from langzoo.lid.pair_lexicon import (LexiconPairModel, PairLexicon, exclusive_words, lexicon_form,
                                      load_pair_lexicons, write_pair_lexicons)

AZ, TR = "__label__azj_Latn", "__label__tur_Latn"
LISTS = {"azj_Latn": ["güman", "kompüter", "hava", "İndi"], "tur_Latn": ["bilgisayar", "şüphesiz", "hava", "Ankara'da"],
         "kaz_Cyrl": ["бүгін"]}


def test_lexicon_form_folds_case_and_the_dotted_capital_i():
    assert lexicon_form("İnsanlar") == "insanlar" == lexicon_form("insanlar")
    assert lexicon_form("KOMPÜTER") == "kompüter"


def test_exclusive_words_leave_out_what_both_lists_hold():
    words = exclusive_words(LISTS, ("azj_Latn", "tur_Latn"))
    assert words == {"azj_Latn": ["güman", "indi", "kompüter"], "tur_Latn": ["ankara'da", "bilgisayar", "şüphesiz"]}


def test_written_lexicons_load_back_and_are_byte_stable(tmp_path):
    entries = write_pair_lexicons(LISTS, tmp_path)
    assert len(entries) == 1 and entries[0]["labels"] == ["azj_Latn", "tur_Latn"]
    assert entries[0]["words"] == {"azj_Latn": 3, "tur_Latn": 3}
    again = tmp_path / "again"
    again.mkdir()
    assert write_pair_lexicons(LISTS, again)[0]["sha256"] == entries[0]["sha256"]
    (lexicon,) = load_pair_lexicons(tmp_path, entries)
    assert lexicon.labels == (AZ, TR)
    assert lexicon.counts("Güman ki, kompüter hava") == (2, 0)
    assert lexicon.counts("Ankara'da bilgisayar") == (0, 2)
    # No pair without both lists: nothing is written.
    assert write_pair_lexicons({"azj_Latn": LISTS["azj_Latn"]}, tmp_path / "none") == []


def test_a_changed_or_missing_lexicon_file_is_a_clear_error(tmp_path):
    entries = write_pair_lexicons(LISTS, tmp_path)
    path = tmp_path / entries[0]["files"]["tur_Latn"]
    path.write_bytes(lzma.compress(b"ev\n"))
    with pytest.raises(LidModelError, match="does not match the sha256"):
        load_pair_lexicons(tmp_path, entries)
    path.unlink()
    with pytest.raises(LidModelError, match="is missing"):
        load_pair_lexicons(tmp_path, entries)
    for bad in ({"labels": ["azj_Latn"]}, {**entries[0], "labels": ["azj_Latn"]}, "lexicon.txt"):
        with pytest.raises(LidModelError, match="malformed pair_lexicons entry"):
            load_pair_lexicons(tmp_path, [bad])


def test_pick_follows_the_side_with_more_exclusive_words_and_ties_pick_nothing():
    lexicon = PairLexicon({"azj_Latn": frozenset({"güman", "kompüter"}), "tur_Latn": frozenset({"bilgisayar"})})
    assert lexicon.pick("güman ki") == AZ
    assert lexicon.pick("bilgisayar oyunları") == TR
    assert lexicon.pick("güman ki bilgisayar") is None
    assert lexicon.pick("hava güzel") is None
    with pytest.raises(ValueError, match="two labels"):
        PairLexicon({"azj_Latn": frozenset()})


class _Fixed:
    """A first stage that gives every text the same distribution."""

    def __init__(self, dist):
        self.dist = dist

    def get_labels(self):
        return list(self.dist)

    def predict(self, texts, k=1, threshold=0.0):
        ranked = sorted(self.dist.items(), key=lambda kv: -kv[1])
        return [[lab for lab, _ in ranked]] * len(texts), [np.array([p for _, p in ranked])] * len(texts)


def _top(model, text):
    labels, probs = model.predict([text], k=-1)
    return dict(zip(labels[0], probs[0].tolist()))


def test_the_model_resplits_only_the_pair_and_only_for_short_texts_the_pair_could_win():
    lexicon = PairLexicon({"azj_Latn": frozenset({"güman"}), "tur_Latn": frozenset({"bilgisayar"})})
    base = _Fixed({TR: 0.6, AZ: 0.2, "__label__eng_Latn": 0.2})
    model = LexiconPairModel(base, [lexicon], weight=0.5, max_words=3)
    moved = _top(model, "güman ki")
    # (1 - w) * p + w * mass: az 0.1 + 0.4, tr 0.3; English untouched.
    assert moved[AZ] == pytest.approx(0.5) and moved[TR] == pytest.approx(0.3)
    assert moved["__label__eng_Latn"] == pytest.approx(0.2)
    assert _top(model, "güman ki bu gün") == pytest.approx(base.dist)  # over max_words
    assert _top(model, "hava güzel") == pytest.approx(base.dist)  # no exclusive word
    english = LexiconPairModel(_Fixed({"__label__eng_Latn": 0.7, TR: 0.2, AZ: 0.1}), [lexicon])
    assert _top(english, "güman ki")[AZ] == pytest.approx(0.1)  # the pair cannot win: untouched
    off = LexiconPairModel(base, [lexicon], weight=0.0)
    assert _top(off, "güman ki") == pytest.approx(base.dist)
    assert set(model.get_labels()) == {AZ, TR, "__label__eng_Latn"}
    for bad in (dict(weight=1.5), dict(max_words=0)):
        with pytest.raises(ValueError):
            LexiconPairModel(base, [lexicon], **bad)
