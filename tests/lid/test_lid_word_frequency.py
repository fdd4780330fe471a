"""Frequency-weighted word-list draws: piece frequencies, who owns a shared common word,
and the share of draws that follow frequency (fixtures the tests write themselves)."""

from __future__ import annotations

import math

import pytest
from tesseract_fixture import write_traineddata as _traineddata

from langzoo.lid.word_frequency import frequency_weights, word_frequencies_from_pieces, word_owners
from langzoo.lid.wordlists import wordlist_texts

PIECES = [("▁Nerede", -8.0), ("▁nerede", -8.0), ("nere", -5.0), ("▁2019", -6.0), ("▁evde", -9.0),
          ("▁the", -4.0), ("▁va", -7.0), ("▁uchun", -9.0), ("▁a", -3.0), ("▁", -2.0)]


def fake_scorer(table):
    """A scorer answering from {word: {label: probability}}; unknown words get nothing."""
    calls = []

    def score(words):
        calls.append(list(words))
        return [table.get(w, {}) for w in words]

    score.calls = calls
    return score


def test_whole_word_letter_pieces_only_case_variants_summed():
    freq = word_frequencies_from_pieces(PIECES)
    assert set(freq) == {"nerede", "evde", "the", "va", "uchun", "a"}
    assert freq["nerede"] == pytest.approx(2 * math.exp(-8.0))


def test_a_shared_word_is_owned_by_the_list_the_scorer_rates_highest():
    freq = word_frequencies_from_pieces(PIECES)
    lists = {"tur_Latn": ["Nerede", "evde", "the", "a"], "kmr": ["nerede", "evde"],
             "uzn_Latn": ["va", "uchun", "evde"]}
    scorer = fake_scorer({"nerede": {"tur_Latn": 0.9, "da": 0.1}, "evde": {"tur_Latn": 0.6, "kmr": 0.3},
                          "va": {"uzn_Latn": 0.05, "eng_Latn": 0.5}, "uchun": {"uzn_Latn": 0.8}})
    owners = word_owners(lists, freq, scorer, exclude=["The"])
    # "the" is English, "a" has one letter, "va" has too little evidence for Uzbek.
    assert owners == {"nerede": "tur_Latn", "evde": "tur_Latn", "uchun": "uzn_Latn"}
    assert scorer.calls == [["evde", "nerede", "uchun", "va"]]  # each candidate once, in one call


def test_frequency_weights_give_the_owned_words_their_share_of_draws():
    freq = {"nerede": 1e-4, "evde": 1e-6, "ne": 1e-2}
    words = ["Nerede", "nerede", "evde", "ne"] + [f"w{i}" for i in range(96)]
    owners = {"nerede": "tur_Latn", "evde": "tur_Latn", "ne": "kmr"}
    extra = frequency_weights("tur_Latn", words, freq, owners, share=0.5, alpha=0.5)
    assert set(extra) == {"nerede", "evde"}  # one spelling per word, only owned words
    assert sum(extra.values()) / (len(words) + sum(extra.values())) == pytest.approx(0.5)
    assert extra["nerede"] / extra["evde"] == pytest.approx(10.0)  # (100x as common) ** 0.5
    assert frequency_weights("tur_Latn", words, freq, owners, share=0.0) == {}
    assert frequency_weights("uzn_Latn", words, freq, owners, share=0.5) == {}  # owns nothing
    with pytest.raises(ValueError, match="share"):
        frequency_weights("tur_Latn", words, freq, owners, share=1.0)


def test_wordlist_texts_draw_owned_common_words_more_often(tmp_path):
    _traineddata(tmp_path / "tur.traineddata", ["nerede"] + [f"t{chr(97 + i)}" for i in range(19)])
    _traineddata(tmp_path / "kmr.traineddata", ["nerede", "mal", "xwe"])
    _traineddata(tmp_path / "eng.traineddata", ["the"])
    freq = {"nerede": 1e-4}
    scorer = fake_scorer({"nerede": {"tur_Latn": 0.9}})

    def rate(out, label):
        words = [w for t in out[label] for w in t.split()]
        return words.count("nerede") / len(words)

    plain = wordlist_texts([tmp_path], per_label=3000)
    boosted = wordlist_texts([tmp_path], per_label=3000, frequencies=freq, frequency_share=0.5, scorer=scorer)
    assert rate(plain, "tur_Latn") == pytest.approx(1 / 20, rel=0.15)
    # Half the draws follow frequency and "nerede" is the only owned common word.
    assert rate(boosted, "tur_Latn") == pytest.approx(0.5 + 0.5 / 20, rel=0.1)
    # Kurmanji's list does not own it: only its uniform share (one rate with Turkish's).
    assert rate(boosted, "kmr") == pytest.approx(rate(plain, "kmr"), rel=0.15)
    assert boosted["kmr"] == plain["kmr"]
