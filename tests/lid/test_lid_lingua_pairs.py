"""The Lingua arbiter: only the Azerbaijani/Turkish pair's mass is re-split, by Lingua's
pick; every other language, and texts where the pair cannot win, are left as they were."""

from __future__ import annotations

import numpy as np
import pytest

from langzoo.lid import lingua_pairs
from langzoo.lid.lingua_pairs import LinguaPairModel

AZ, TR = "__label__azj_Latn", "__label__tur_Latn"
UZ, EN = "__label__uzn_Latn", "__label__eng_Latn"
AZ_TEXT = "bu gün hava çox gözəldir və mən evdəyəm"
TR_TEXT = "bugün hava çok güzel ve ben evdeyim"


class FakeModel:
    """Answers every text with one fixed distribution."""

    def __init__(self, dist: dict[str, float]):
        self.dist = dist

    def get_labels(self):
        return sorted(self.dist)

    def predict(self, texts, k=1, threshold=0.0):
        ranked = sorted(self.dist.items(), key=lambda kv: -kv[1])[: (None if k < 0 else k)]
        return [[lab for lab, _ in ranked] for _ in texts], [np.array([p for _, p in ranked]) for _ in texts]


def _dist(model, text):
    labels, probs = model.predict([text], k=-1)
    return dict(zip(labels[0], probs[0].tolist()))


def test_the_pair_mass_goes_by_linguas_pick_and_the_rest_is_untouched():
    base = {TR: 0.6, AZ: 0.1, EN: 0.3}
    model = LinguaPairModel(FakeModel(base), weight=0.5)
    for text, pick in ((AZ_TEXT, AZ), (TR_TEXT, TR)):
        (label, confidence), = model.pairs[0].picks([text])
        assert label == pick
        w = model.text_weight(confidence)
        other = TR if pick == AZ else AZ
        # pair mass 0.7: the pick gets (1 - w) of its own share plus w of the mass
        assert _dist(model, text) == pytest.approx({pick: (1 - w) * base[pick] + w * 0.7,
                                                    other: (1 - w) * base[other], EN: 0.3})
    assert _dist(LinguaPairModel(FakeModel(base), weight=0.0), AZ_TEXT) == pytest.approx(base)  # 0: off


def test_the_weight_is_the_floor_or_linguas_margin():
    model = LinguaPairModel(FakeModel({EN: 1.0}), weight=0.3)
    assert model.text_weight(0.55) == pytest.approx(0.3)      # flat: the floor
    assert model.text_weight(0.9) == pytest.approx(0.8)       # decisive: its margin
    assert model.text_weight(1.0) == pytest.approx(1.0)


def test_uzbek_keeps_its_probability():
    # Lingua has no Uzbek: it may move the pair's mass between az and tr, never uz's.
    base = {UZ: 0.5, TR: 0.3, AZ: 0.2}
    d = _dist(LinguaPairModel(FakeModel(base), weight=1.0), "bugun havo juda yaxshi")
    assert d[UZ] == pytest.approx(0.5) and d[AZ] + d[TR] == pytest.approx(0.5)


@pytest.fixture()
def asked(monkeypatch):
    """The texts Lingua is asked about, in order."""
    texts: list[str] = []
    original = lingua_pairs._Pair.picks

    def spy(self, batch):
        texts.extend(batch)
        return original(self, batch)

    monkeypatch.setattr(lingua_pairs._Pair, "picks", spy)
    return texts


def test_lingua_is_asked_only_where_the_pair_can_win(asked):
    english = {EN: 0.8, TR: 0.1, AZ: 0.1}
    assert _dist(LinguaPairModel(FakeModel(english)), AZ_TEXT) == pytest.approx(english)
    assert asked == []
    _dist(LinguaPairModel(FakeModel({TR: 0.5, EN: 0.5})), AZ_TEXT)
    assert asked == [AZ_TEXT]


def test_lingua_is_not_asked_about_long_text(asked):
    base = {TR: 0.6, AZ: 0.4}
    words = AZ_TEXT.split()
    long_text = " ".join(words * (lingua_pairs.LINGUA_MAX_WORDS // len(words) + 1))
    assert len(long_text.split()) > lingua_pairs.LINGUA_MAX_WORDS
    assert _dist(LinguaPairModel(FakeModel(base), weight=1.0), long_text) == pytest.approx(base)
    assert asked == []
    edge = " ".join(long_text.split()[:lingua_pairs.LINGUA_MAX_WORDS])
    assert _dist(LinguaPairModel(FakeModel(base), weight=1.0), edge)[AZ] == pytest.approx(1.0)
    assert asked == [edge]
    # max_words=None (a zoo.json from before the limit) asks about any length.
    assert _dist(LinguaPairModel(FakeModel(base), weight=1.0, max_words=None), long_text)[AZ] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="max_words"):
        LinguaPairModel(FakeModel(base), max_words=0)


def test_text_lingua_cannot_read_is_left_alone():
    base = {TR: 0.6, AZ: 0.4}
    assert _dist(LinguaPairModel(FakeModel(base), weight=1.0), "қазақ тілі") == pytest.approx(base)


def test_labels_and_weight_checks():
    model = LinguaPairModel(FakeModel({EN: 1.0}))
    assert {AZ, TR, EN} <= set(model.get_labels())
    assert model.weight == lingua_pairs.DEFAULT_PAIR_WEIGHT
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="pair weight"):
            LinguaPairModel(FakeModel({EN: 1.0}), weight=bad)


def test_without_lingua_the_model_cannot_be_built(monkeypatch):
    monkeypatch.setattr(lingua_pairs, "_import_lingua", lambda: None)
    assert not lingua_pairs.lingua_available()
    with pytest.raises(ImportError, match="lingua-language-detector"):
        LinguaPairModel(FakeModel({EN: 1.0}))
