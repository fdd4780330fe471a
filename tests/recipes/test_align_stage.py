"""Stage ``align``: trains the word-alignment adapter on a tiny base, the pack holds it,
``Zoo.align`` uses it (and ``encode`` does not), and the real-sentence guard refuses a
checkpoint that would make sentence embeddings worse."""

import json

import numpy as np
import torch

from conftest import TINY, synthetic_pairs
from test_guarded_build import _guarded

from langzoo.recipes.runner import build

STAGES = 'stages=["tokenizer","focus","la","se","align"]'
ALIGN = ["align.steps=6", "align.batch_size=8", "align.lr=0.01", "align.layer=2", "align.lora.r=4"]


def test_align_stage_trains_and_the_aligner_uses_it(tiny_base, recipe_file, lz_home, tmp_path):
    res = build("uz", base=str(tiny_base), recipe=recipe_file, publish=False, out=tmp_path / "pack",
                overrides=TINY + ["tokenizer.method=base", STAGES, "align.eval_every=0"] + ALIGN, log=lambda m: None)
    rec = {r.name: r for r in res.stages if r.lang == "uzn_Latn"}["align"]
    m = rec.metrics
    assert m["steps"] == 6 and np.isfinite(m["final_loss"]) and 0 <= m["dev_after"]["accuracy"] <= 1
    assert rec.info["config"]["layer"] == 2
    manifest = json.loads((tmp_path / "pack" / "align" / "manifest.json").read_text())
    se = json.loads((tmp_path / "pack" / "se" / "manifest.json").read_text())
    assert manifest["kind"] == "align" and manifest["parents"] == {"se": se["content_hash"]}
    assert (tmp_path / "pack" / "align" / "adapter_model.safetensors").is_file()

    from langzoo.modules.composer import ComposedEncoder
    from langzoo.runtime.zoo import Zoo

    zoo = Zoo(ComposedEncoder(str(tiny_base)), {"uzn_Latn": tmp_path / "pack"}, lid="unused")
    pairs = synthetic_pairs(6, seed=3)
    en, uz = [p[0] for p in pairs], [p[1] for p in pairs]
    before = zoo.encode(uz, lang="uz")
    with_module = zoo.align(en, uz, "en", "uz", layer=2, method="argmax", align_module=True)
    without = zoo.align(en, uz, "en", "uz", layer=2, method="argmax", align_module=False)
    assert [a.scores for a in with_module] != [a.scores for a in without]  # the trained module changed the vectors
    assert torch.allclose(torch.as_tensor(zoo.encode(uz, lang="uz")), torch.as_tensor(before), atol=1e-5)
    assert zoo.encoder.packs["uzn_Latn"].extra["align"] not in zoo.encoder.packs["uzn_Latn"].lora


def test_guard_refuses_an_align_checkpoint_that_hurts_sentence_embeddings(tiny_base, recipe_file, lz_home, tmp_path):
    harmful = ["tokenizer.method=base", STAGES, "align.lr=0.2", "align.eval_every=3", "la.lr=0.05", "se.lr=0.05"]
    res = build("uz", base=str(tiny_base), recipe=recipe_file, publish=False, out=tmp_path / "pack",
                overrides=_guarded(harmful + [a for a in ALIGN if not a.startswith("align.lr")]), log=lambda m: None)
    m = {r.name: r for r in res.stages if r.lang == "uzn_Latn"}["align"].metrics
    curve = m["real_dev"]["curve"]
    assert m["best_step"] == 0 and len(curve) > 1
    assert not any(c["qualifies"] for c in curve[1:])  # every trained checkpoint lost on real sentences
    assert "identity" in m["real_dev"]["note"]
    assert "align" in res.omitted and not (tmp_path / "pack" / "align").exists()  # identity: left out
