"""Issue 16, runtime cases: what `Zoo.encode` / `Zoo.load` do with bad or surprising input."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from langzoo.errors import InvalidInputError, LangzooError, LangzooWarning
from langzoo.modules.composer import ComposedEncoder
from langzoo.registry import LocalRegistry
from langzoo.runtime.zoo import Zoo
from tiny import CORPUS


def test_case01_lone_surrogate_is_cleaned_not_fatal(tiny_zoo):
    texts = ["abc \ud800 def", CORPUS["uz"][0], CORPUS["en"][0]]
    for lang in (None, "uz"):
        got = tiny_zoo.encode(texts, lang=lang)
        assert got.shape == (3, 32) and np.isfinite(got).all()
        # cleaned as language identification cleans it: the surrogate becomes '?'
        same = tiny_zoo.encode(["abc ? def"], lang=lang)
        assert np.abs(got[0] - same[0]).max() <= 1e-6
        # the rest of the batch is what it is on its own
        assert np.abs(got[1:] - tiny_zoo.encode(texts[1:], lang=lang)).max() <= 1e-6


def test_case12_normalize_embeddings_false_is_honoured(tiny_zoo):
    assert tiny_zoo.encoder.profile.normalize  # the tiny base's profile normalises, as e5's does
    raw = tiny_zoo.encode(CORPUS["uz"][:3], lang="uz", normalize_embeddings=False)
    unit = tiny_zoo.encode(CORPUS["uz"][:3], lang="uz")
    norms = np.linalg.norm(raw, axis=1)
    assert not np.allclose(norms, 1.0, atol=1e-3)
    assert np.abs(raw / norms[:, None] - unit).max() <= 1e-5


def test_case13_dict_input_is_refused(tiny_zoo):
    with pytest.raises(InvalidInputError, match="dict"):
        tiny_zoo.encode({"first text": 1, "second": 2})
    with pytest.raises(TypeError):  # still a TypeError for code that catches that
        tiny_zoo.encode({"a": "b"})
    with pytest.raises(InvalidInputError, match="set"):
        tiny_zoo.encode({"a", "b"})


def test_case14_lang_that_is_not_a_code(tiny_zoo):
    with pytest.raises(InvalidInputError, match="lang must be a language code"):
        tiny_zoo.encode(["a text"], lang=5)
    with pytest.raises(InvalidInputError, match=r"lang\[1\] is int"):
        tiny_zoo.encode(["a", "b"], lang=["uz", 7])
    with pytest.raises(LangzooError, match="Unknown language code"):
        tiny_zoo.encode(["a"], lang="xx-nonsense")


def test_case18_packs_only_for_another_base_warn(tiny_base, tmp_path, script_lid):
    from fake_packs import build_fake_pack  # built on another (fake) base

    reg = LocalRegistry(tmp_path / "reg")
    reg.publish(build_fake_pack(tmp_path / "uz", "uz"))
    with pytest.warns(LangzooWarning, match=r"only for other bases for: uz"):
        zoo = Zoo.load(base=str(tiny_base), registry=tmp_path / "reg", lid=script_lid)
    assert zoo.languages == []


def test_case20_pack_removed_from_registry_before_attach_falls_back(tiny_base, tiny_packs, tmp_path, script_lid):
    reg = LocalRegistry(tmp_path / "reg")
    reg.publish(tiny_packs["uz"])
    reg.publish(tiny_packs["kk"])
    zoo = Zoo.load(base=str(tiny_base), registry=tmp_path / "reg", lid=script_lid)
    assert zoo.languages == ["kaz_Cyrl", "uzn_Latn"]
    zoo.encode(CORPUS["uz"][:1], lang="uz")  # uz attached; kk not yet
    reg.remove("kk")
    texts = [CORPUS["kk"][0], CORPUS["uz"][0]]
    with pytest.warns(LangzooWarning, match="kk pack .* was removed"):
        got = zoo.encode(texts)
    assert zoo.last_stats.routes == {"base": 1, "uzn_Latn": 1}
    bare = zoo.encoder.embed([texts[0]], None).numpy()
    assert np.abs(got[0] - bare[0]).max() <= 1e-6
    assert zoo.languages == ["uzn_Latn"]


def test_case22_explicit_language_without_pack_warns_once(tiny_zoo):
    with pytest.warns(LangzooWarning, match=r"No de pack .*zoo pull de"):
        tiny_zoo.encode(["die katze"], lang="de")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LangzooWarning)
        tiny_zoo.encode(["das wetter"], lang="de")  # once per language
        tiny_zoo.encode(["a text"])  # detected languages without a pack are the normal fallback


def test_case23_prompt_refused_and_truncate_dim_honoured(tiny_zoo):
    with pytest.raises(InvalidInputError, match="prompt"):
        tiny_zoo.encode(["a text"], prompt="passage: ")
    with pytest.raises(InvalidInputError, match="prompt"):
        tiny_zoo.encode(["a text"], prompt_name="query")
    full = tiny_zoo.encode(CORPUS["en"][:2], lang="en", normalize_embeddings=False)
    cut = tiny_zoo.encode(CORPUS["en"][:2], lang="en", truncate_dim=8)
    assert cut.shape == (2, 8)
    expected = full[:, :8] / np.linalg.norm(full[:, :8], axis=1, keepdims=True)
    assert np.abs(cut - expected).max() <= 1e-5
    assert tiny_zoo.encode([], truncate_dim=8).shape == (0, 8)
    with pytest.raises(InvalidInputError, match="truncate_dim"):
        tiny_zoo.encode(["x"], truncate_dim=0)
    with pytest.warns(LangzooWarning, match="ignores task"):
        tiny_zoo.encode(["x"], lang="en", task="retrieval")


def test_case06_one_broken_pack_does_not_break_zoo_load(tiny_base, tiny_packs, tmp_path, script_lid):
    reg = LocalRegistry(tmp_path / "reg")
    reg.publish(tiny_packs["uz"])
    kk = reg.publish(tiny_packs["kk"])
    (Path(kk.location) / "se" / "manifest.json").write_text("[]")  # valid JSON, wrong shape
    with pytest.warns(LangzooWarning, match=r"broken pack .*kaz_Cyrl"):
        zoo = Zoo.load(base=str(tiny_base), registry=tmp_path / "reg", lid=script_lid)
    assert zoo.languages == ["uzn_Latn"]
    assert zoo.encode(CORPUS["uz"][:2], lang="uz").shape == (2, 32)
