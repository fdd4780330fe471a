"""Decision rules of LanguageIdentifier with a fake model whose probabilities are fixed."""

from __future__ import annotations

import numpy as np
import pytest

from langzoo.lid.fasttext_lid import Detection, LanguageIdentifier


class FakeModel:
    """Answers ``predict`` from a table text -> {label: probability}, like fastText would."""

    def __init__(self, table: dict[str, dict[str, float]]):
        self.table = table
        self.calls: list[list[str]] = []

    def get_labels(self):
        return sorted({lab for dist in self.table.values() for lab in dist})

    def predict(self, texts, k=1, threshold=0.0):
        assert isinstance(texts, list) and all("\n" not in t for t in texts)
        self.calls.append(list(texts))
        labels, probs = [], []
        for text in texts:
            dist = sorted(self.table[text].items(), key=lambda kv: -kv[1])
            dist = dist if k == -1 else dist[:k]
            labels.append([lab for lab, _ in dist])
            probs.append(np.array([p for _, p in dist]))
        return labels, probs


L = "__label__"
TABLE = {
    # short Uzbek drifting to Turkish: tr leads overall, uz leads inside {uz,kk,en}
    "bugun havo issiq": {L + "tr": 0.50, L + "uz": 0.30, L + "kk": 0.05, L + "en": 0.05, L + "az": 0.10},
    # clearly outside the allowed set
    "hoy hace calor": {L + "es": 0.96, L + "en": 0.02, L + "uz": 0.01, L + "pt": 0.01},
    # a toss-up between two allowed languages
    "мен барам": {L + "kk": 0.45, L + "ky": 0.40, L + "ru": 0.15},
    # GlotLID's "no linguistic content" label
    "zzzz qqqq": {L + "zxx_Zxxx": 0.8, L + "eng_Latn": 0.2},
    # Cyrillic text predicted as a Latin-script language
    "бугун ҳаво": {L + "uz": 0.9, L + "tg": 0.1},
    # Kazakh with a Latin name longer than its Cyrillic words (FLORES dev), and a
    # Cyrillic Uzbek text with one Latin word: both dominated by one script
    "chandrayaan-1 ұшқышсыз ай": {L + "kk": 0.95, L + "en": 0.05},
    "бугун ҳаво жуда яхши ok": {L + "uz": 0.9, L + "en": 0.1},
    # a language the model barely knows (Hausa): English leads with little mass
    "don haka kai ne": {L + "en": 0.18, L + "id": 0.15, L + "ms": 0.14, L + "ha": 0.13, L + "tl": 0.12,
                        L + "sw": 0.1, L + "yo": 0.1, L + "ig": 0.08},
}


def make(**kwargs) -> tuple[LanguageIdentifier, FakeModel]:
    model = FakeModel(TABLE)
    return LanguageIdentifier(model, name="fake", **kwargs), model


def test_unrestricted_top_label_and_threshold():
    lid, _ = make(min_confidence=0.4)
    assert lid.detect_one("bugun havo issiq") == Detection("tur_Latn", 0.5, L + "tr", "ok")
    lid.min_confidence = 0.6
    assert lid.detect_one("bugun havo issiq") == Detection(None, 0.5, L + "tr", "low_confidence")


def test_restriction_renormalises_over_allowed():
    lid, model = make(allowed=["uz", "kk", "en"], min_confidence=0.5)
    det = lid.detect_one("bugun havo issiq")
    assert det.lang == "uzn_Latn" and det.reason == "ok"
    assert det.confidence == pytest.approx(0.30 / 0.40)
    assert det.raw_label == L + "tr"  # the model's own top label stays visible


def test_restriction_other_when_outside_mass_dominates():
    lid, _ = make(allowed=["uz", "kk", "en"])
    det = lid.detect_one("hoy hace calor")
    assert det.lang is None and det.reason == "other"
    assert det.confidence == pytest.approx(0.97)
    lid.other_mass = 0.99  # now 97 % outside is tolerated and en wins inside
    assert lid.detect_one("hoy hace calor").lang == "eng_Latn"


def test_restriction_low_confidence_inside_the_set():
    lid, _ = make(allowed=["kk", "ky"], min_confidence=0.6)
    det = lid.detect_one("мен барам")
    assert det.reason == "low_confidence" and det.confidence == pytest.approx(0.45 / 0.85)


def test_undetermined_label():
    lid, _ = make()
    det = lid.detect_one("zzzz qqqq")
    assert det.lang is None and det.reason == "undetermined"


def test_script_check_without_variant_in_allowed_set():
    lid, _ = make(allowed=["uz", "kk"])
    det = lid.detect_one("бугун ҳаво")
    assert det == Detection(None, pytest.approx(0.9 / 0.9), L + "uz", "script_mismatch")
    lid.allowed = ["uz", "uz-Cyrl", "kk"]
    assert lid.detect_one("бугун ҳаво").lang == "uzn_Cyrl"


def test_script_check_accepts_a_script_holding_a_third_of_the_letters():
    lid, _ = make(allowed=["uz", "kk", "en"])
    # 11 Latin letters, 10 Cyrillic: Latin dominates, but Kazakh's script holds almost half.
    assert lid.detect_one("chandrayaan-1 ұшқышсыз ай") == Detection("kaz_Cyrl", pytest.approx(0.95), L + "kk", "ok")
    # 2 Latin letters of 16: Latin Uzbek is still vetoed for a Cyrillic text.
    assert lid.detect_one("бугун ҳаво жуда яхши ok").reason == "script_mismatch"


def test_one_batched_model_call_and_texts_cleaned():
    lid, model = make()
    texts = ["bugun havo\nissiq", "", "123", "hoy   hace\tcalor"]
    dets = lid.detect(texts)
    assert model.calls == [["bugun havo issiq", "hoy hace calor"]]
    assert [d.reason for d in dets] == ["ok", "empty", "no_letters", "ok"]


def test_uzbek_apostrophes_unified_for_the_model():
    model = FakeModel({"qoʻying oʻzim gʻisht": {L + "uz": 1.0}})
    lid = LanguageIdentifier(model, name="fake")
    for spelling in ("qo'ying o‘zim g’isht", "qoʻying oʻzim gʻisht", "qo`ying oʼzim g'isht"):
        assert lid.detect_one(spelling).lang == "uzn_Latn"


def test_lowercase_option():
    model = FakeModel({"hoy hace calor": TABLE["hoy hace calor"]})
    assert LanguageIdentifier(model, name="fake", lowercase=True).detect_one("HOY Hace CALOR").lang == "spa_Latn"
    with pytest.raises(KeyError):  # without lowercasing the model sees the original case
        LanguageIdentifier(model, name="fake").detect_one("HOY Hace CALOR")


def test_min_probability_floors_the_winner_among_all_labels():
    # Restricted to {uz, en}, English is 0.18 / (0.18 + 0) = 1.0 "confident" among the
    # allowed; among all labels it has 0.18, i.e. the model does not know the language.
    lid, _ = make(allowed=["uz", "en"])
    assert lid.detect_one("don haka kai ne").lang == "eng_Latn"
    lid, _ = make(allowed=["uz", "en"], min_probability=0.2)
    assert lid.detect_one("don haka kai ne") == Detection(None, 1.0, L + "en", "low_confidence")
    assert lid.detect_one("bugun havo issiq").lang == "uzn_Latn"  # 0.30 among all: kept
    with pytest.raises(ValueError, match="min_probability"):
        make(min_probability=1.5)
