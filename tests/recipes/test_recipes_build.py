"""The whole pipeline on the tiny random model: all stages, caching, resume, publish."""

import json

import pytest
import torch

from conftest import TINY

from langzoo.recipes import training
from langzoo.recipes.runner import build


def _stage_dirs(home):
    return sorted(p.name for p in (home / "builds").rglob("*") if p.is_dir() and "-" in p.name
                  and p.name.split("-")[0] in ("tokenizer", "focus", "la", "se", "cla"))


# cla without checkpoint selection, so the pack always holds it (a tiny cla may not beat
# step 0, and one kept at identity is left out: test_a_cla_kept_at_identity_...)
KEEP_CLA = TINY + ["cla.eval_every=0"]


def test_build_resume_cache_and_load(tiny_base, recipe_file, lz_home, tmp_path, monkeypatch):
    calls = []

    def hook(stage, step):
        calls.append(stage)
        if stage == "uz:se" and step == 1:
            raise KeyboardInterrupt("simulated Ctrl-C")

    # 1) interrupted in SE: tokenizer/focus/la (and the English se) are finished and cached
    monkeypatch.setattr(training, "INTERRUPT_HOOK", hook)
    with pytest.raises(KeyboardInterrupt):
        build("uz", base=str(tiny_base), recipe=recipe_file, overrides=KEEP_CLA, log=lambda m: None)
    done = _stage_dirs(lz_home)
    assert [d for d in done if ".tmp-" in d] == []  # the half-done stage left nothing behind
    assert sum(d.startswith(("tokenizer-", "focus-", "la-")) for d in done) == 3
    assert sum(d.startswith("se-") for d in done) == 1  # the English se only

    # 2) rerun resumes: earlier stages are cache hits, se and cla are trained
    calls.clear()
    monkeypatch.setattr(training, "INTERRUPT_HOOK", lambda s, i: calls.append(s))
    res = build("uz", base=str(tiny_base), recipe=recipe_file, overrides=KEEP_CLA, out=tmp_path / "pack",
                log=lambda m: None)
    status = {(r.lang, r.name): r.cached for r in res.stages}
    assert status == {("eng_Latn", "se"): True, ("uzn_Latn", "tokenizer"): True, ("uzn_Latn", "focus"): True,
                      ("uzn_Latn", "la"): True, ("uzn_Latn", "se"): False, ("uzn_Latn", "cla"): False}
    assert "uz:la" not in calls and "uz:se" in calls and "uz:cla" in calls

    # metrics landed in the manifests
    pack = tmp_path / "pack"
    emb = json.loads((pack / "embeddings" / "manifest.json").read_text())
    assert "dev_cosine_to_base" in emb["metrics"]["focus"]
    la = json.loads((pack / "la" / "manifest.json").read_text())
    assert {"dev_mlm_loss_before", "dev_mlm_loss_after"} <= set(la["metrics"])
    se = json.loads((pack / "se" / "manifest.json").read_text())
    assert se["config"]["objective"] == "distill" and "paraphrase" in se["config"]["objective_reason"]
    cla = json.loads((pack / "cla" / "manifest.json").read_text())
    assert "error" in cla["metrics"]["dev_after"] and cla["config"]["english_pivot"] == "base + English SE"
    assert set(json.loads((pack / "pack.json").read_text())["quality_gate"]) >= {"rows", "verdict"}
    assert res.published and res.published["english"]["language"] == "en"
    assert all(v > 0 for v in res.module_sizes.values()) and set(res.module_sizes) == {"embeddings", "la", "se", "cla"}

    # 3) the pack loads in the composer and changes the embeddings
    from langzoo.modules.composer import ComposedEncoder
    from langzoo.registry.uri import open_registry

    enc = ComposedEncoder(str(tiny_base))
    enc.attach(open_registry(None).get("uz").path)
    texts = ["mushuk bugun kitob o'qiydi", "bola uyda xat yozadi"]
    with_pack = enc.embed(texts, "uz")
    bare = enc.embed(texts, None)
    assert with_pack.shape == bare.shape and not torch.allclose(with_pack, bare, atol=1e-3)

    # 4) identical rerun: every stage is a cache hit and nothing trains
    calls.clear()
    res2 = build("uz", base=str(tiny_base), recipe=recipe_file, overrides=KEEP_CLA, log=lambda m: None)
    assert all(r.cached for r in res2.stages) and calls == []
    assert res2.published["pack"]["version"] == res.published["pack"]["version"]

    # 5) a changed SE setting rebuilds se and cla only
    res3 = build("uz", base=str(tiny_base), recipe=recipe_file, overrides=KEEP_CLA + ["se.lr=0.02"], publish=False,
                 gate=False, log=lambda m: None)
    assert {r.name: r.cached for r in res3.stages if r.lang == "uzn_Latn"} == \
        {"tokenizer": True, "focus": True, "la": True, "se": False, "cla": False}


def test_paper_profile_plumbing(tiny_base, recipe_file, lz_home):
    res = build("uz", base=str(tiny_base), recipe=recipe_file, profile="paper", publish=False,
                overrides=TINY + ["cla.batch_size=8"], log=lambda m: None)
    cla = [r for r in res.stages if r.name == "cla"][0]
    assert cla.info["config"]["objective"] == "alternate"
    se = [r for r in res.stages if r.name == "se" and r.lang == "uzn_Latn"][0]
    assert se.info["config"]["lora"]["targets"] == ["query", "key", "value", "dense"]
    assert res.quality_gate["rows"]


def test_a_stage_leaves_a_concurrent_builds_temp_folder_alone(tmp_path, monkeypatch):
    """nl and es built at once share the English stage: the second must not delete the
    first one's half-written folder, but a dead run's leftovers still go."""
    import os
    import subprocess
    from types import SimpleNamespace

    from langzoo.recipes import runner

    dead = subprocess.Popen(["true"])
    dead.wait()
    live = tmp_path / f"se-k.tmp-{os.getppid()}-abc"
    stale = tmp_path / f"se-k.tmp-{dead.pid}-def"
    old_style = tmp_path / "se-k.tmp-xyz"
    for d in (live, stale, old_style):
        d.mkdir()
    import dataclasses

    from langzoo.recipes.stages.descriptor import STAGES, get_stage

    fake = dataclasses.replace(get_stage("se"), run=lambda ctx, out: (out / "done").write_text("1") and {})
    monkeypatch.setitem(STAGES, "se", fake)
    ctx = SimpleNamespace(lang=SimpleNamespace(code="eng_Latn", alias="en"))
    record = runner.run_stage("se", ctx, tmp_path, "k", log=lambda *_: None)
    assert (record.folder / "done").is_file() and not record.cached
    assert live.is_dir() and not stale.exists() and not old_style.exists()


def test_a_cla_kept_at_identity_is_left_out_of_the_pack(tiny_base, recipe_file, lz_home, tmp_path):
    """cla with lr 0 never beats step 0: the pack has no cla module, says why in
    pack.json, the card and a pull's error, and encodes with alignment as without."""
    from langzoo.errors import MissingModuleError
    from langzoo.hub_cards.render import render_card
    from langzoo.modules.composer import ComposedEncoder
    from langzoo.modules.pack import LanguagePack

    res = build("uz", base=str(tiny_base), recipe=recipe_file, overrides=TINY + ["cla.lr=0"], out=tmp_path / "pack",
                log=lambda m: None)
    cla = next(r for r in res.stages if r.name == "cla" and r.lang == "uzn_Latn")
    assert cla.metrics["best_step"] == 0 and len(cla.metrics["dev_curve"]) == 3
    assert set(res.module_sizes) == {"embeddings", "la", "se"} and "cla" in res.omitted
    info = json.loads((tmp_path / "pack" / "pack.json").read_text())
    assert "cla" not in info["modules"] and "identity" in info["omitted"]["cla"]["reason"]
    assert info["omitted"]["cla"]["stage_key"] == cla.key
    with pytest.raises(MissingModuleError, match="identity initialisation"):
        LanguagePack.load(tmp_path / "pack", modules=["cla"])
    pack = LanguagePack.load(tmp_path / "pack")
    assert "No `cla` module: kept at its identity" in str(render_card(pack, "someone/langzoo-uz"))
    enc = ComposedEncoder(str(tiny_base))
    enc.attach(pack.path)
    texts = ["mushuk bugun kitob o'qiydi"]
    assert torch.equal(enc.embed(texts, "uz", alignment=True), enc.embed(texts, "uz", alignment=False))
    # the same recipe with a trained cla keeps the module
    trained = build("uz", base=str(tiny_base), recipe=recipe_file, overrides=KEEP_CLA, publish=False, gate=False,
                    log=lambda m: None)
    assert "cla" in trained.module_sizes
