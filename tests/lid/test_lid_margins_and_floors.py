"""Decision rules of the default detector: strict_other's foreign margin (a narrow lead of
a language outside the pack's family is noise on a few words, Manx over Uzbek; a narrow
lead of a neighbour is not) and the probability floors (higher for English, where text
nobody knows lands, than for a pack's own language)."""

from __future__ import annotations

import numpy as np
import pytest

from langzoo.lid.fasttext_lid import LanguageIdentifier
from langzoo.lid.trained import MixtureModel


class FakeModel:
    """One fixed distribution for every text; ``coverage`` as a mixture would report it."""

    def __init__(self, dist: dict[str, float], coverage: dict[str, float] | None = None):
        self.dist = dist
        self._coverage = coverage or {}

    def get_labels(self):  # the allowed languages too, so the detector does not warn
        return sorted(set(self.dist) | {"__label__uzn_Latn", "__label__tur_Latn", "__label__eng_Latn"})

    def coverage(self, label):
        return self._coverage.get(label.removeprefix("__label__"), 1.0)

    def predict(self, texts, k=1, threshold=0.0):
        ranked = sorted(self.dist.items(), key=lambda kv: -kv[1])[: (None if k < 0 else k)]
        return [[lab for lab, _ in ranked] for _ in texts], [np.array([p for _, p in ranked]) for _ in texts]


def _route(dist, foreign_margin=0.2, coverage=None, allowed=("uz", "tr", "en"), **kwargs):
    model = FakeModel({f"__label__{c}": p for c, p in dist.items()}, coverage)
    lid = LanguageIdentifier(model, name="fake", allowed=list(allowed), strict_other=True,
                             foreign_margin=foreign_margin, label_prefix="__label__", min_confidence=0.0, **kwargs)
    return lid.detect_one("ular aravada shoh")


def test_a_narrow_far_winner_does_not_take_the_text_from_its_pack():
    far = {"gv": 0.40, "uzn_Latn": 0.30, "eng_Latn": 0.30}
    assert _route(far).lang == "uzn_Latn"
    assert _route(far, foreign_margin=0.0).reason == "other"
    # A clear lead still wins: the text goes to the bare base.
    assert _route({"sv": 0.60, "uzn_Latn": 0.30, "eng_Latn": 0.10}).reason == "other"


def test_a_neighbour_keeps_the_strict_rule():
    # Azerbaijani is Turkish's neighbour: a narrow lead still means "not Turkish".
    assert _route({"azj_Latn": 0.40, "tur_Latn": 0.35, "eng_Latn": 0.25}).reason == "other"


def test_a_winner_some_voter_cannot_name_keeps_the_strict_rule():
    # lid.176 has no Kinyarwanda and gives its share to Turkish: the lead is understated.
    dist = {"kin_Latn": 0.40, "tur_Latn": 0.35, "eng_Latn": 0.25}
    assert _route(dist, coverage={"kin_Latn": 2 / 3}).reason == "other"
    assert _route(dist).lang == "tur_Latn"


def test_languages_outside_any_family_keep_the_strict_rule():
    assert _route({"sco": 0.40, "eng_Latn": 0.35, "tur_Latn": 0.25}).reason == "other"


def test_a_pack_must_lead_an_uninstalled_neighbour_by_the_neighbour_margin():
    # "Bu yol uzundur." is Azerbaijani as much as Turkish: with no az pack it is not the tr
    # pack's to take.  A clear lead still is: 0.55 - 0.40 >= 0.15 * 0.95.
    close = {"tur_Latn": 0.50, "azj_Latn": 0.42, "eng_Latn": 0.08}
    assert _route(close).lang == "tur_Latn"  # off by default
    got = _route(close, neighbour_margin=0.15)
    assert got.lang is None and got.reason == "other" and got.confidence == pytest.approx(0.42)
    assert _route({"tur_Latn": 0.55, "azj_Latn": 0.40, "eng_Latn": 0.05}, neighbour_margin=0.15).lang == "tur_Latn"
    # An installed neighbour is no rival: both packs are there, the better one wins.
    assert _route(close, neighbour_margin=0.15, allowed=("az", "tr", "en")).lang == "tur_Latn"


def test_the_neighbour_margin_is_relative_to_the_two_shares():
    # A winner with a small share is not close to a trace of a neighbour: 0.15 - 0.02 is
    # under an absolute 0.15 but over 0.15 * (0.15 + 0.02).
    spread = {"uzn_Latn": 0.15, "crh": 0.02, "eng_Latn": 0.05, "ind_Latn": 0.12, "sq": 0.1, "la": 0.1, "eo": 0.1,
              "io": 0.1, "ia": 0.1, "vo": 0.09, "jbo": 0.07}
    assert _route(spread, neighbour_margin=0.15).lang == "uzn_Latn"  # 0.13 >= 0.15 * 0.17
    close = dict(spread, crh=0.12, jbo=0.0, vo=0.06)
    assert _route(close, neighbour_margin=0.15).reason == "other"  # 0.03 < 0.15 * 0.27


@pytest.mark.parametrize("rival", [
    "uzn_Cyrl",  # the same language in another script
    "kaz_Cyrl",  # a neighbour langzoo knows only in Cyrillic, for a Latin-script text
    "ita_Latn",  # not of the family (foreign_margin's business)
])
def test_the_neighbour_margin_ignores_what_is_no_neighbour_here(rival):
    assert _route({"uzn_Latn": 0.50, rival: 0.45, "eng_Latn": 0.05}, neighbour_margin=0.15).lang == "uzn_Latn"


def test_the_neighbour_margin_is_checked():
    with pytest.raises(ValueError, match="neighbour_margin"):
        _route({"uzn_Latn": 1.0}, neighbour_margin=1.5)


def test_mixture_coverage_is_the_share_of_voters_that_can_name_a_language():
    a = FakeModel({"__label__tr": 0.5, "__label__rw": 0.5})
    b = FakeModel({"__label__tr": 1.0})
    mix = MixtureModel([(a, 2.0), (b, 1.0)])
    assert mix.coverage("__label__tur_Latn") == pytest.approx(1.0)
    assert mix.coverage("__label__kin_Latn") == pytest.approx(2 / 3)
    assert mix.coverage("__label__xx") == 0.0


def test_english_keeps_the_higher_floor():
    spread = {"uzn_Latn": 0.15, "eng_Latn": 0.05, "ind_Latn": 0.12, "sq": 0.1, "la": 0.1, "eo": 0.1,
              "io": 0.1, "ia": 0.1, "vo": 0.09, "jbo": 0.09}
    floors = {"min_probability": 0.2, "pack_min_probability": 0.1}
    assert _route(spread, **floors).lang == "uzn_Latn"
    assert _route(spread, min_probability=0.2).reason == "low_confidence"  # one floor for all
    english = dict(spread, uzn_Latn=0.05, eng_Latn=0.15)
    assert _route(english, **floors).reason == "low_confidence"
    assert _route(dict(spread, uzn_Latn=0.08, eng_Latn=0.05), **floors).reason == "low_confidence"
    with pytest.raises(ValueError, match="pack_min_probability"):
        _route(spread, pack_min_probability=1.5)
