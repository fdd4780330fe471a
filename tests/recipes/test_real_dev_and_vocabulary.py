"""Real-sentence checkpoint guard, the base-vocabulary choice and the SIB pair source."""

import json
from types import SimpleNamespace

import pytest
import torch

from conftest import TINY, synthetic_pairs

from langzoo.recipes.data import resolve_source
from langzoo.recipes.errors import RecipeDataError
from langzoo.recipes.real_dev import RealDevGuard
from langzoo.recipes.runner import build
from langzoo.recipes.stages.tokenizer import choose_method
from langzoo.recipes.training import train_loop


def _guard(score_sequence):
    """A guard whose real-dev scores come from a list (one per evaluation)."""
    ctx = SimpleNamespace(splits=SimpleNamespace(real_dev=[]), config={}, max_len=8, amp=None)
    guard = RealDevGuard(ctx, enc=None, teacher=None, lang=None)
    guard.pairs = [("en", "l")]  # active, without encoding anything
    scores = iter(score_sequence)
    guard.scores = lambda: next(scores)
    return guard


def _run(guard):
    w = torch.nn.Parameter(torch.zeros(1))
    step_metric = iter(range(100))  # the in-domain metric improves at every evaluation
    result = train_loop(stage="t", params=[w], loss_fn=lambda step: (w - 10.0).pow(2).sum(), steps=6, lr=0.5,
                        eval_fn=guard.wrap(lambda: float(next(step_metric)), add_score=False), eval_every=2)
    return result, w


def test_guard_never_keeps_a_checkpoint_worse_on_real_sentences():
    ok, worse_rank, worse_err = {"ranking": 0.5, "error": 0.1}, {"ranking": 0.4, "error": 0.1}, {"ranking": 0.6, "error": 0.2}
    result, _ = _run(_guard([ok, ok, worse_rank, worse_err]))
    assert result.best_step == 2  # steps 4 and 6 had a better in-domain metric but lost on real sentences


def test_guard_refuses_a_checkpoint_that_shifts_the_cross_lingual_level():
    ref = {"ranking": 0.5, "error": 0.1, "offset": 0.002}
    within = {"ranking": 0.6, "error": 0.1, "offset": 0.011}  # 0.009 above step 0: inside the 0.01 tolerance
    shifted = {"ranking": 0.7, "error": 0.0, "offset": 0.03}  # better on both, but L moved as a whole
    result, _ = _run(_guard([ref, within, shifted, shifted]))
    assert result.best_step == 2


def test_cross_structure_sees_what_translation_distance_does_not():
    from langzoo.recipes import losses, metrics

    # a local generator: reseeding torch's global RNG here changed the fixtures of later tests
    en = torch.nn.functional.normalize(torch.randn(8, 16, generator=torch.Generator().manual_seed(0)), dim=-1)
    # the batch squeezed toward its mean: each L vector stays nearest its own
    # translation, but unrelated pairs become more similar
    squeezed = torch.nn.functional.normalize(en + 2.0 * en.mean(0), dim=-1)
    assert float(losses.cross_structure(en, en)) == pytest.approx(0.0, abs=1e-7)
    assert float(losses.cross_structure(squeezed, en)) > 1e-3
    assert metrics.cross_offset(en, en) == pytest.approx(0.0, abs=1e-6)
    assert metrics.cross_offset(squeezed, en) > 0.1
    weights = {"en_weight": 1.0, "cross_weight": 10.0}
    with_cross = losses.distillation(squeezed, en, lambda: en, weights, 20.0)
    without = losses.distillation(squeezed, en, lambda: en, {"en_weight": 1.0}, 20.0)
    assert float(with_cross) > float(without)


def test_guard_falls_back_to_step_zero_and_restores_it():
    ref, worse = {"ranking": 0.5, "error": 0.1}, {"ranking": 0.49, "error": 0.1}
    guard = _guard([ref, worse, worse, worse])
    result, w = _run(guard)
    assert result.best_step == 0 and float(w.detach()) == 0.0  # identity: the weights of step 0 came back
    summary = guard.summary(result.best_step, 2)
    assert summary["step0"] == ref and [c["qualifies"] for c in summary["curve"]] == [True, False, False, False]
    assert "identity" in summary["note"]


def test_guard_is_a_no_op_without_real_dev_pairs():
    ctx = SimpleNamespace(splits=SimpleNamespace(real_dev=[]), config={}, max_len=8, amp=None)
    guard = RealDevGuard(ctx, enc=None, teacher=None, lang=None)
    fn = lambda: 1.0  # noqa: E731
    assert not guard.active and guard.wrap(fn, add_score=True) is fn and guard.summary(0, 1) == {}


def test_auto_vocabulary_keeps_the_base_for_well_covered_languages(tiny_base):
    from langzoo.modules.base_encoder import resolve_base

    tok = resolve_base(str(tiny_base)).load_tokenizer()
    pairs = synthetic_pairs(40)

    def ctx(train, limit=1.4, real_dev=(("a", "b"),)):
        return SimpleNamespace(splits=SimpleNamespace(train=train, real_dev=list(real_dev)),
                               cfg={"keep_base_max_ratio": limit}, lang=SimpleNamespace(alias="xx"))

    method, why = choose_method(ctx([(e, e) for e, _ in pairs]), tok)  # L segmented exactly like English
    assert method == "base" and "1.00x" in why
    method, why = choose_method(ctx([(e, e) for e, _ in pairs], limit=0.9), tok)
    assert method == "train" and "> 0.9" in why  # the tiny base is WordPiece: a new vocabulary is trained
    # no real sentences to check a new vocabulary on: the base's is kept
    method, why = choose_method(ctx([(e, e) for e, _ in pairs], limit=0.9, real_dev=()), tok)
    assert method == "base" and "no real xx sentences" in why


def test_sib_source_joins_languages_on_index_id(tmp_path):
    for code, rows in {"eng_Latn": [("7", "travel", "A trip."), ("3", "sports", "A match.")],
                       "nld_Latn": [("3", "sports", "Een wedstrijd."), ("7", "travel", "Een reis."), ("9", "x", "Extra.")]}.items():
        (tmp_path / code).mkdir()
        (tmp_path / code / "dev.tsv").write_text("index_id\tcategory\ttext\n" + "".join("\t".join(r) + "\n" for r in rows))
    prov = {}
    pairs = resolve_source({"kind": "sib", "path": str(tmp_path), "split": "dev"}, lang="nl", want="pairs", provenance=prov)
    assert pairs == [("A match.", "Een wedstrijd."), ("A trip.", "Een reis.")]
    assert prov["kind"] == "sib" and len(prov["files"]) == 2
    with pytest.raises(RecipeDataError, match="not found"):
        resolve_source({"kind": "sib", "path": str(tmp_path), "split": "test"}, lang="nl", want="pairs")


def test_build_on_base_vocabulary_guarded_by_real_sentences(tiny_base, recipe_file, lz_home, tmp_path):
    real = synthetic_pairs()[::10]  # 12 of the recipe's pairs: the build must hold them out of training
    overrides = [o for o in TINY if not o.startswith("tokenizer.method")] + [
        "tokenizer.method=base", "la.eval_every=2",
        "data.real_dev=" + json.dumps({"kind": "inline", "pairs": real})]
    res = build("uz", base=str(tiny_base), recipe=recipe_file, overrides=overrides, out=tmp_path / "pack",
                publish=False, log=lambda m: None)
    pack = tmp_path / "pack"
    emb = json.loads((pack / "embeddings" / "manifest.json").read_text())
    assert emb["config"]["vocabulary"] == "base" and emb["files"] == {}
    assert res.module_sizes["embeddings"] == 0
    stage_dirs = {r.name: r.folder for r in res.stages if r.lang == "uzn_Latn"}
    for kind in ("la", "se", "cla"):  # from the stage folders: a cla kept at identity is not in the pack
        m = json.loads((stage_dirs[kind] / kind / "manifest.json").read_text())["metrics"]
        guard = m["real_dev"]
        assert guard["pairs"] == len(real) and guard["curve"][0]["qualifies"]
        chosen = [s for s, _ in m["dev_curve"]].index(m["best_step"])
        assert guard["curve"][chosen]["qualifies"]  # the kept checkpoint is never worse on real sentences
    counts = json.loads((pack / "se" / "manifest.json").read_text())["data"]["counts"]
    assert counts["real_dev"] == 12 and counts["translation_train"] + counts["dev"] + counts["test"] == 120 - 12
    tok = [r for r in res.stages if r.name == "tokenizer"][0]
    assert tok.info["method"] == "base"
    from langzoo.modules.composer import ComposedEncoder

    enc = ComposedEncoder(str(tiny_base))
    enc.attach(pack)
    assert enc.tokenizer_for("uz") is enc.base_tokenizer
    assert enc.embed(["mushuk bugun kitob o'qiydi"], "uz").shape == (1, enc.base_embeddings.weight.shape[1])


def test_mlm_head_restricted_to_used_rows_scores_the_same_pieces():
    from langzoo.recipes.stages.la import MLMHead

    torch.manual_seed(0)
    emb = torch.nn.Embedding(50, 8)
    rows = torch.tensor([0, 3, 7, 20])
    full, sub = MLMHead(emb), MLMHead(emb, rows=rows)
    sub.load_state_dict({k: v for k, v in full.state_dict().items() if k not in ("bias", "lookup", "rows")}, strict=False)
    h = torch.randn(5, 8)
    assert sub(h).shape == (5, 4)
    assert torch.allclose(sub(h), full(h)[:, rows] - full.bias[rows] + sub.bias, atol=1e-6)
    assert sub.lookup[torch.tensor([7, 20, 5])].tolist() == [2, 3, -100]  # a piece L never uses is no target
