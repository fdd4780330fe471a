"""The default build path on the real offline base: guarded by the FLORES dev sentences
langzoo ships. A vocabulary trimmed to a tiny corpus loses on them and is refused; the
stages and the pack are checked against the bare base; what is installed is never worse
there."""

import json

import pytest

from recipes.conftest import TINY, synthetic_pairs

pytestmark = pytest.mark.slow


def test_default_guard_on_the_real_base(tmp_path):
    import yaml

    from langzoo.recipes.runner import build

    pairs = synthetic_pairs()
    recipe = tmp_path / "uz.yaml"
    recipe.write_text(yaml.safe_dump({  # no real_dev key: the shipped FLORES dev guard applies
        "language": "uz",
        "data": {"translation": {"kind": "inline", "pairs": pairs},
                 "monolingual": {"kind": "from_pairs", "side": "target"}, "paraphrase": None, "en_paraphrase": None},
        "english": {"data": {"translation": {"kind": "inline", "pairs": [[e, e] for e, _ in pairs]}}},
    }, allow_unicode=True))
    overrides = [o for o in TINY if not o.startswith(("tokenizer.", "focus."))] + [
        "tokenizer.method=trim", "la.eval_every=2", "la.lr=1e-3", "se.lr=1e-3", "cla.lr=1e-3"]
    result = build("uz", base=None, recipe=recipe, overrides=overrides, work_root=tmp_path / "builds",
                   registry=str(tmp_path / "registry"), log=lambda m: None)
    stages = {r.name: r for r in result.stages if r.lang == "uzn_Latn"}
    check = stages["focus"].info["metrics"]["vocabulary_guard"]
    assert check["pairs"] == 99 and check["worse"]  # ~200 pieces of toy text cannot segment FLORES Uzbek
    assert "base vocabulary is kept" in stages["focus"].info["vocabulary_refused"]
    for kind in ("la", "se", "cla"):
        m = stages[kind].metrics
        guard = m["real_dev"]
        assert guard["pairs"] == 99 and guard["base"]["error"] < 0.1
        chosen = [s for s, _ in m["dev_curve"]].index(m["best_step"])
        assert guard["curve"][chosen]["qualifies"]
    gate = result.quality_gate
    assert gate["real_pairs"] == 99 and gate["real_rows"] and "99 real" in gate["checked_on"]
    if result.published:  # installed only when no worse than the bare base on the real sentences
        assert gate["worse"] == []
        info = json.loads((result.pack_path / "pack.json").read_text())
        assert info["quality_gate"]["checked_on"] == gate["checked_on"]
    else:
        assert gate["worse"] and "not published" in result.refused
