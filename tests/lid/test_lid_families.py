"""The family second stage: the family's mass is re-split by its own model, the rest of
the distribution (other languages, "is it Turkic at all") is left as it was."""

from __future__ import annotations

import numpy as np
import pytest

from langzoo.lid.families import FamilyRefinedModel, cap_shares, family_members, family_of, written_in


class FakeModel:
    """Answers every text with one fixed distribution and counts the texts it is asked."""

    def __init__(self, dist: dict[str, float]):
        self.dist = dist
        self.asked: list[str] = []

    def get_labels(self):
        return sorted(self.dist)

    def predict(self, texts, k=1, threshold=0.0):
        self.asked.extend(texts)
        ranked = sorted(self.dist.items(), key=lambda kv: -kv[1])[: (None if k < 0 else k)]
        return [[lab for lab, _ in ranked] for _ in texts], [np.array([p for _, p in ranked]) for _ in texts]


BASE = {"__label__tur_Latn": 0.6, "__label__azj_Latn": 0.1, "__label__eng_Latn": 0.3}
FAMILY = {"__label__azj_Latn": 0.9, "__label__tur_Latn": 0.1}


def _dist(model, text="bunun cavan bir"):
    labels, probs = model.predict([text], k=-1)
    return dict(zip(labels[0], probs[0].tolist()))


def test_family_of_labels_and_codes():
    assert family_of("__label__uzn_Latn") == family_of("kaz_Cyrl") == family_of("crh") == "turkic"
    assert family_of("eng_Latn") is None and family_of("__label__ru") is None
    assert family_members(["uzn_Latn", "eng_Latn", "tur_Latn", "ky"], "turkic") == ["ky", "tur_Latn", "uzn_Latn"]


def test_family_mass_is_resplit_and_the_rest_untouched():
    d = _dist(FamilyRefinedModel(FakeModel(BASE), {"turkic": (FakeModel(FAMILY), 0.5)}))
    assert d["__label__eng_Latn"] == pytest.approx(0.3)
    # mass 0.7: tr = 0.5 * 0.6 + 0.5 * 0.7 * 0.1, az = 0.5 * 0.1 + 0.5 * 0.7 * 0.9
    assert d["__label__tur_Latn"] == pytest.approx(0.335)
    assert d["__label__azj_Latn"] == pytest.approx(0.365)
    assert sum(d.values()) == pytest.approx(1.0)


def test_a_capped_member_may_lose_its_share_but_not_gain():
    # Crimean Tatar learned from UI strings only: the family model's 0.9 for "sistem nasıl"
    # is held to the first stage's 0.4 of the family's mass; Turkish gets the rest.
    base = {"__label__tur_Latn": 0.3, "__label__crh": 0.2, "__label__eng_Latn": 0.5}
    capped = {"turkic": {"__label__crh"}}
    gain = FakeModel({"__label__crh": 0.9, "__label__tur_Latn": 0.1})
    d = _dist(FamilyRefinedModel(FakeModel(base), {"turkic": (gain, 0.5)}, capped))
    assert d["__label__crh"] == pytest.approx(0.2) and d["__label__tur_Latn"] == pytest.approx(0.3)
    assert d["__label__eng_Latn"] == pytest.approx(0.5)
    uncapped = _dist(FamilyRefinedModel(FakeModel(base), {"turkic": (gain, 0.5)}))
    assert uncapped["__label__crh"] == pytest.approx(0.325)
    # Lowering it works as before.
    lose = FakeModel({"__label__crh": 0.1, "__label__tur_Latn": 0.9})
    d = _dist(FamilyRefinedModel(FakeModel(base), {"turkic": (lose, 0.5)}, capped))
    assert d["__label__crh"] == pytest.approx(0.125) and d["__label__tur_Latn"] == pytest.approx(0.375)


def test_cap_shares_leaves_a_share_of_capped_labels_only_alone():
    first = {"__label__crh": 0.1, "__label__cv": 0.1}
    share = {"__label__crh": 0.8, "__label__cv": 0.2}
    assert cap_shares(share, first, list(first), {"__label__crh", "__label__cv"}) == pytest.approx(share)
    assert cap_shares({}, first, list(first), {"__label__crh"}) == {}


def test_weight_one_takes_the_family_model_and_zero_changes_nothing():
    full = _dist(FamilyRefinedModel(FakeModel(BASE), {"turkic": (FakeModel(FAMILY), 1.0)}))
    assert full["__label__azj_Latn"] == pytest.approx(0.63) and full["__label__tur_Latn"] == pytest.approx(0.07)
    assert _dist(FamilyRefinedModel(FakeModel(BASE), {"turkic": (FakeModel(FAMILY), 0.0)})) == pytest.approx(BASE)


def test_family_model_may_add_a_member_the_first_stage_did_not_list():
    d = _dist(FamilyRefinedModel(FakeModel(BASE), {"turkic": (FakeModel({"__label__uzn_Latn": 1.0}), 1.0)}))
    assert d == pytest.approx({"__label__uzn_Latn": 0.7, "__label__tur_Latn": 0.0,
                               "__label__azj_Latn": 0.0, "__label__eng_Latn": 0.3})


def test_texts_without_family_mass_skip_the_second_stage():
    family = FakeModel(FAMILY)
    model = FamilyRefinedModel(FakeModel({"__label__eng_Latn": 0.8, "__label__deu_Latn": 0.2}),
                               {"turkic": (family, 0.5)})
    labels, probs = model.predict(["the weather is nice", "good morning"], k=1)
    assert labels == [["__label__eng_Latn"]] * 2 and probs[0].tolist() == pytest.approx([0.8])
    assert family.asked == []


def test_k_and_threshold_are_honoured():
    model = FamilyRefinedModel(FakeModel(BASE), {"turkic": (FakeModel(FAMILY), 0.5)})
    labels, _ = model.predict(["x"], k=2)
    assert labels == [["__label__azj_Latn", "__label__tur_Latn"]]
    labels, _ = model.predict(["x"], k=-1, threshold=0.31)
    assert labels == [["__label__azj_Latn", "__label__tur_Latn"]]
    assert "__label__azj_Latn" in model.get_labels() and "__label__eng_Latn" in model.get_labels()


@pytest.mark.parametrize("families, match", [({"slavic": None}, "unknown language family"),
                                             ({"turkic": 1.5}, "must be in")])
def test_bad_family_settings_are_clear_errors(families, match):
    with pytest.raises(ValueError, match=match):
        FamilyRefinedModel(FakeModel(BASE), {name: (FakeModel(FAMILY), w if w is not None else 0.5)
                                             for name, w in families.items()})


def test_second_stage_skipped_when_the_family_cannot_win():
    # English 0.7 beats the family's whole 0.3: no re-split can put tr or az on top.
    family = FakeModel(FAMILY)
    model = FamilyRefinedModel(FakeModel({"__label__eng_Latn": 0.7, "__label__tur_Latn": 0.2,
                                          "__label__azj_Latn": 0.1}), {"turkic": (family, 0.5)})
    labels, _ = model.predict(["the weather"], k=1)
    assert labels == [["__label__eng_Latn"]] and family.asked == []


def test_written_in_knows_a_language_by_any_of_its_scripts():
    assert written_in("__label__uzn_Latn", "Cyrillic") and written_in("uzn_Cyrl", "Latin")  # uzn_Cyrl / uzn_Latn
    assert written_in("tur_Latn", "Latin") and not written_in("tur_Latn", "Cyrillic")
    assert not written_in("__label__tat_Cyrl", "Latin") and not written_in("kaz_Cyrl", "Latin")
    assert written_in("crh", "Latin") and written_in("tat_Cyrl", None)  # unknown counts as yes


def test_a_member_not_written_in_the_texts_script_keeps_its_mass():
    # CLD2 calls "Rayon Sports" (a Rwandan football club) Tatar; langzoo knows Tatar only in
    # Cyrillic, so that mass is no evidence for a Latin-script member and the family model
    # (which reads Latin Turkic as Uzbek here) may not hand it to one.
    base = {"__label__tat_Cyrl": 0.6, "__label__tur_Latn": 0.3, "__label__eng_Latn": 0.1}
    family = {"__label__uzn_Latn": 1.0}
    d = _dist(FamilyRefinedModel(FakeModel(base), {"turkic": (FakeModel(family), 0.5)}), "uretse rayon sports")
    assert d["__label__tat_Cyrl"] == pytest.approx(0.6)
    assert d["__label__tur_Latn"] == pytest.approx(0.15) and d["__label__uzn_Latn"] == pytest.approx(0.15)
    before = FamilyRefinedModel(FakeModel(base), {"turkic": (FakeModel(family), 0.5)}, same_script=False)
    d = _dist(before, "uretse rayon sports")
    assert d["__label__uzn_Latn"] == pytest.approx(0.45) and d["__label__tat_Cyrl"] == pytest.approx(0.3)
    # lid.176's one "uz" label (read as uzn_Latn) on Cyrillic text still takes part: Uzbek is
    # written in Cyrillic too.
    cyrillic = {"__label__uzn_Latn": 0.6, "__label__eng_Latn": 0.4}
    d = _dist(FamilyRefinedModel(FakeModel(cyrillic), {"turkic": (FakeModel({"__label__kaz_Cyrl": 1.0}), 0.5)}),
              "бугун ҳаво")
    assert d["__label__kaz_Cyrl"] == pytest.approx(0.3) and d["__label__uzn_Latn"] == pytest.approx(0.3)
