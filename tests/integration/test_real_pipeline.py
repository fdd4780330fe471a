"""The whole path on the real offline base: build a (few-step) uz pack, install it in a
registry, load a Zoo from that registry with the embedded fastText LID, and encode a
mixed uz/en batch with automatic routing."""

import numpy as np
import pytest

from recipes.conftest import TINY, synthetic_pairs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import yaml

    from langzoo.recipes.runner import build

    root = tmp_path_factory.mktemp("real-pipeline")
    pairs = synthetic_pairs()
    recipe = root / "uz.yaml"
    recipe.write_text(yaml.safe_dump({
        "language": "uz",
        "data": {"translation": {"kind": "inline", "pairs": pairs},
                 "monolingual": {"kind": "from_pairs", "side": "target"}, "paraphrase": None, "en_paraphrase": None},
        "english": {"data": {"translation": {"kind": "inline", "pairs": [[e, e] for e, _ in pairs]}}},
    }, allow_unicode=True))
    # the tiny build's step counts on a trimmed vocabulary, unguarded (the guarded default
    # build is test_guarded_real_build.py)
    overrides = [o for o in TINY if not o.startswith(("tokenizer.", "focus."))] + ["tokenizer.method=trim",
                                                                                   "data.real_dev=null",
                                                                                   "la.lr=1e-4", "se.lr=1e-4",
                                                                                   "cla.lr=1e-5",
                                                                                   # no checkpoint selection: a cla
                                                                                   # kept at identity would be left out
                                                                                   "cla.eval_every=0"]
    registry = root / "registry"
    result = build("uz", base=None, recipe=recipe, overrides=overrides, work_root=root / "builds",
                   registry=str(registry), log=lambda m: None)
    return result, registry


def test_build_on_the_real_base_makes_a_complete_pack(built):
    result, _ = built
    assert [(r.lang, r.name) for r in result.stages] == [
        ("eng_Latn", "se"), ("uzn_Latn", "tokenizer"), ("uzn_Latn", "focus"), ("uzn_Latn", "la"),
        ("uzn_Latn", "se"), ("uzn_Latn", "cla")]
    tok = [r for r in result.stages if r.name == "tokenizer"][0]
    assert tok.info["method"] == "trim"
    assert "not checked on real sentences" in result.quality_gate["verdict"]  # real_dev was switched off
    assert set(result.module_sizes) == {"embeddings", "la", "se", "cla"}
    assert result.published is not None


def test_zoo_from_the_registry_routes_and_encodes(built):
    from langzoo.runtime.zoo import Zoo

    _, registry = built
    zoo = Zoo.load(languages=["uz"], registry=str(registry))  # default LID: the embedded lid.176
    uz = ["Bugun havo juda yaxshi va men bog'da kitob o'qiyapman.", "Iltimos, fayl menyusini oching."]
    en = ["The weather is very nice today and I am reading a book in the garden.", "Please open the file menu."]
    texts = [uz[0], en[0], uz[1], en[1]]
    mixed = zoo.encode(texts, lang=["uz", None, "uz", None])
    assert mixed.shape == (4, 384) and np.allclose(np.linalg.norm(mixed, axis=1), 1.0, atol=1e-5)
    # English detected: routed to the English pivot pack the uz pack was aligned to (the
    # build installed it and Zoo.load(languages=["uz"]) brings it along)
    assert zoo.route(en) == ["eng_Latn", "eng_Latn"]
    assert zoo.route(uz[:1]) == ["uzn_Latn"]  # a full Uzbek sentence is detected and routed to its pack
    # routed results equal each language encoded on its own, in input order
    alone_uz = zoo.encode(uz, lang="uz")
    alone_en = zoo.encode(en)
    assert np.abs(mixed[[0, 2]] - alone_uz).max() <= 1e-5 and np.abs(mixed[[1, 3]] - alone_en).max() <= 1e-5
    # the uz pack changed uz vectors, and translations stay each other's nearest neighbours
    bare = Zoo.load(languages=[], registry=str(registry))
    assert np.abs(bare.encode(uz, lang="uz") - alone_uz).max() > 1e-4
    sims = alone_uz @ alone_en.T
    assert (sims.argmax(1) == np.arange(2)).all() and (sims.argmax(0) == np.arange(2)).all()
