"""CLD2 as the default mixture's third voter: its votes and its abstentions (the mixture
with a trained model: tests/lid/test_lid_trained.py)."""

from __future__ import annotations

import numpy as np
import pytest

import langzoo.lid.trained as trained
from langzoo.lid.cld2 import Cld2Model

TURKISH = "Bugün hava çok güzel, akşam arkadaşlarımla sinemaya gideceğiz ve sonra yemek yiyeceğiz."
HAUSA = "Yara da dama sun tafi makaranta da safe domin su koyi karatu da rubutu tare da malamansu."


def test_cld2_votes_with_its_share_of_the_text():
    labels, probs = Cld2Model().predict([TURKISH, HAUSA], k=-1)
    assert labels[0][0] == "__label__tr" and labels[1][0] == "__label__ha"
    assert 0.8 <= probs[0][0] <= 1.0 and 0.8 <= probs[1][0] <= 1.0


def test_english_unknown_and_refused_text_are_no_vote():
    # CLD2 calls most short texts it cannot place English, so English is no vote at all.
    texts = ["The weather is very nice today and we are going to the park.", "", "12345 678",
             "\ud800 lone surrogate", "nul\x00byte"]
    labels, probs = Cld2Model().predict(texts, k=-1)
    assert labels == [[] for _ in texts]
    assert all(len(p) == 0 for p in probs)
    assert "__label__en" not in Cld2Model().get_labels()


def test_outdated_codes_are_the_ones_the_other_models_use():
    labels, _ = Cld2Model().predict(["שלום לכולם, מה שלומכם היום? אנחנו הולכים לבית הספר."], k=1)
    assert labels == [["__label__he"]]          # CLD2 says "iw"
    assert "__label__iw" not in Cld2Model().get_labels()
    assert trained._code("__label__he") == "heb_Hebr"


def test_an_abstaining_voter_gives_its_share_to_no_one():
    class Sure:
        def get_labels(self):
            return ["__label__tr"]

        def predict(self, texts, k=1, threshold=0.0):
            return [["__label__tr"] for _ in texts], [np.array([1.0]) for _ in texts]

    mix = trained.MixtureModel([(Sure(), 2.0), (Cld2Model(), 1.0)])
    labels, probs = mix.predict(["12345", TURKISH], k=1)
    assert labels[0] == ["__label__tur_Latn"] and probs[0][0] == pytest.approx(2 / 3)
    assert labels[1] == ["__label__tur_Latn"] and probs[1][0] > 0.9


def test_noncharacters_do_not_cost_cld2_its_vote():
    labels, _ = Cld2Model().predict([TURKISH + "\ufdd0\uffff\U0010fffe"], k=1)
    assert labels == [["__label__tr"]]
