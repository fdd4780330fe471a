"""Builds are checked against the bare base on real sentences: a vocabulary or a stage
that loses there is not taken, and the gate says what the pack was checked on.

The guard pairs here have an L side identical to the English side, so the bare base is
perfect on them (ranking 1, error 0): anything a build changes can only lose."""

import json

import pytest

from conftest import TINY

from langzoo.recipes.data import resolve_source
from langzoo.recipes.gate import NOT_CHECKED, gate_verdict
from langzoo.recipes.runner import build
from langzoo.recipes.spec import build_config, load_spec

GUARD = [[s, s] for s in (
    "The weather was cold and wet for most of the week.", "She sold the old car to a neighbour last spring.",
    "Trains to the coast leave every hour in summer.", "He forgot his keys at the office again.",
    "The museum opens late on Thursdays.", "Heavy rain closed two roads near the river.",
    "My brother is learning to play the violin.", "Prices at the market rose after the storm.",
    "The children planted tomatoes behind the school.", "A new bridge will connect the two villages.",
    "They watched the match in a crowded cafe.", "The library lends books for three weeks.")]


def _guarded(overrides):
    return [o for o in TINY if not o.startswith("tokenizer.method")] + overrides + [
        "data.real_dev=" + json.dumps({"kind": "inline", "pairs": GUARD})]


def test_a_new_vocabulary_that_loses_on_real_sentences_is_not_taken(tiny_base, recipe_file, lz_home, tmp_path):
    res = build("uz", base=str(tiny_base), recipe=recipe_file, publish=False, out=tmp_path / "pack",
                overrides=_guarded(["tokenizer.method=train"]), log=lambda m: None)
    stages = {r.name: r for r in res.stages if r.lang == "uzn_Latn"}
    assert stages["tokenizer"].info["method"] == "train"  # a new vocabulary was built ...
    check = stages["focus"].info["metrics"]["vocabulary_guard"]
    assert check["pairs"] == len(GUARD) and check["base_vocabulary"]["ranking"] == pytest.approx(1.0)
    assert check["worse"], check  # ... it segments the guard sentences differently and loses there ...
    assert "base vocabulary is kept" in stages["focus"].info["vocabulary_refused"]
    emb = json.loads((tmp_path / "pack" / "embeddings" / "manifest.json").read_text())
    assert emb["config"]["vocabulary"] == "base" and emb["files"] == {}  # ... so the pack keeps the base's
    assert "real-sentence guard" in emb["config"]["reason"]


def test_harmful_la_se_cla_stay_at_identity_and_the_gate_checks_real_sentences(tiny_base, recipe_file, lz_home,
                                                                              tmp_path):
    harmful = ["tokenizer.method=base", "la.lr=0.05", "se.lr=0.05", "cla.lr=0.05", "la.eval_every=2"]
    res = build("uz", base=str(tiny_base), recipe=recipe_file, publish=False, out=tmp_path / "pack",
                overrides=_guarded(harmful), log=lambda m: None)
    stages = {r.name: r for r in res.stages if r.lang == "uzn_Latn"}
    for kind in ("la", "se", "cla"):
        m = stages[kind].metrics
        assert m["best_step"] == 0, (kind, m["dev_curve"])
        curve = m["real_dev"]["curve"]
        assert len(curve) > 1 and not any(c["qualifies"] for c in curve[1:])
        assert any("vs base" in w for c in curve[1:] for w in c["worse"])  # compared with the bare base too
        assert "identity" in m["real_dev"]["note"]
    assert "cla" in res.omitted and not (tmp_path / "pack" / "cla").exists()
    gate = json.loads((tmp_path / "pack" / "pack.json").read_text())["quality_gate"]
    assert gate["real_pairs"] == len(GUARD) and "real" in gate["checked_on"]
    assert gate["worse"] == [] and "at least as good" in gate["verdict"] and not res.refused


def test_without_real_sentences_the_verdict_says_not_checked():
    rows = [{"metric": "bitext_error_l2en", "base": 0.1, "pack": 0.05, "delta": -0.05, "higher_is_better": False,
             "worse": False}]
    unchecked = gate_verdict(rows, [], dev_pairs=200, real_pairs=0)
    assert NOT_CHECKED in unchecked["verdict"] and "at least as good" not in unchecked["verdict"]
    assert unchecked["checked_on"].startswith(NOT_CHECKED)
    worse = [{**rows[0], "pack": 0.2, "delta": 0.1, "worse": True}]
    real = gate_verdict(rows, worse, dev_pairs=200, real_pairs=99)
    assert real["worse"] == ["bitext_error_l2en"] and "WORSE" in real["verdict"]  # real sentences decide
    assert gate_verdict(worse, rows, dev_pairs=200, real_pairs=99)["worse"] == []


def test_builds_are_guarded_by_the_shipped_flores_dev_sentences_by_default():
    config = build_config(load_spec("uz"), "demo")
    assert config["data"]["real_dev"] == {"kind": "flores-dev"}
    prov = {}
    pairs = resolve_source(config["data"]["real_dev"], lang="uz", want="pairs", provenance=prov)
    assert len(pairs) == 99 and prov["shipped"] and all(k.endswith("/dev.tsv") for k in prov["files"])
    kk = resolve_source({"kind": "flores-dev"}, lang="kk", want="pairs")
    assert len(kk) == 99 and any("Қ" in l or "қ" in l for _, l in kk)
    assert pairs[0][0] == kk[0][0]  # parallel: the same English sentence heads both
    assert resolve_source({"kind": "flores-dev"}, lang="ha", want="pairs") == []  # none shipped: no guard
    assert resolve_source({"kind": "flores-dev"}, lang="en", want="pairs") == []  # English is the pivot
    off = build_config(load_spec("uz"), "demo", ["data.real_dev=null"])
    assert off["data"]["real_dev"] is None


def test_sts_ranking_sees_rows_moved_as_a_whole():
    """A per-row ranking forgives a pack that lifts all similarities of some sentences;
    STS ranks every pair at once and does not (the guard's ranking is the global one)."""
    import torch

    from langzoo.recipes import metrics

    gen = torch.Generator().manual_seed(0)
    ref = torch.nn.functional.normalize(torch.randn(12, 8, generator=gen), dim=-1)
    sims = ref @ ref.T
    lifted = sims.clone()
    lifted[:4] += 0.5  # L-en rows 0-3: every similarity higher, the order within each row unchanged
    per_row = metrics._spearman_rows(lifted, sims)
    off = ~torch.eye(12, dtype=torch.bool)
    global_ = metrics._spearman(lifted[off], sims[off])
    assert per_row == pytest.approx(1.0) and global_ < 0.9
    assert metrics.sts_ranking(ref, ref, ref) == pytest.approx(1.0)
    neg = -ref
    assert metrics.sts_ranking(neg, neg, ref) == pytest.approx(1.0)  # L-L: sign cancels
    assert metrics.sts_ranking(ref, neg, ref) == pytest.approx(-1.0, abs=1e-3)  # ties of the symmetric reference
