"""Issue 16, build-settings cases: bad `--set` values stop `zoo build` before any stage,
and pack.json records the recipe by name and hash (not a path) and the English pivot."""

from __future__ import annotations

import json
import random

import pytest

from langzoo.recipes.errors import RecipeError
from langzoo.recipes.profiles import PROFILES
from langzoo.recipes.spec import available_specs, build_config, load_spec
from langzoo.recipes.validate import validate_config


@pytest.mark.parametrize("override, says", [
    ("la.steps=-5", "la.steps=-5"),
    ("la.steps=true", "la.steps=True"),
    ("la.batch_size=0", "la.batch_size=0"),
    ("max_seq_length=0", "max_seq_length=0"),
])
def test_case10_out_of_range_or_wrong_type_settings_are_refused(override, says):
    with pytest.raises(RecipeError, match=says.replace(".", r"\.")):
        build_config(load_spec("uz"), "demo", [override])


def test_case11_unknown_device_is_refused_up_front():
    with pytest.raises(RecipeError, match=r"device='tpu': expected a device torch knows"):
        build_config(load_spec("uz"), "demo", ["device=tpu"])
    assert build_config(load_spec("uz"), "demo", ["device=cpu"])["device"] == "cpu"


@pytest.mark.parametrize("override, says", [
    ("la.lora=5", "la.lora=5: expected a section"),
    ("se.lr=.nan", "se.lr=nan: expected a finite number"),
    ("tokenizer.method=bogus", "tokenizer.method='bogus': expected one of train, trim, base, auto"),
])
def test_case19_settings_a_late_stage_reads_are_refused_up_front(override, says):
    with pytest.raises(RecipeError, match=says.replace(".", r"\.").replace("(", r"\(")):
        build_config(load_spec("uz"), "demo", [override])


def test_case10_every_bad_setting_is_listed_at_once():
    with pytest.raises(RecipeError) as info:
        build_config(load_spec("uz"), "demo", ["la.steps=-5", "se.batch_size=0", "cla.warmup=2"])
    assert all(k in str(info.value) for k in ("la.steps", "se.batch_size", "cla.warmup"))


def test_case10_control_shipped_profiles_and_specs_pass_and_unknown_keys_are_left_alone():
    for name in available_specs():
        for profile in PROFILES:
            build_config(load_spec(name), profile)
    config = build_config(load_spec("uz"), "demo")
    config["tokenizer"]["a_new_option"] = "anything"
    config["real_dev"]["another"] = [1, 2]
    config["something_new"] = {"x": -1}
    assert validate_config(config) is config


def test_case10_build_stops_before_any_stage(tiny_base, tmp_path, monkeypatch):
    import langzoo.recipes.runner as runner

    def no_stage(*args, **kwargs):
        raise AssertionError("a stage ran")

    monkeypatch.setattr(runner, "build_stages", no_stage)
    monkeypatch.setattr(runner, "resolve_base", no_stage)
    with pytest.raises(RecipeError, match="la.batch_size"):
        runner.build("uz", base=str(tiny_base), overrides=["la.batch_size=0"], work_root=tmp_path / "w")


# ---------------------------------------------------------------- pack.json provenance
TINY = ["tokenizer.vocab_size=200", "tokenizer.method=train", "dev_size=16", "test_size=8", "max_seq_length=24",
        "focus.fasttext_dim=16", "focus.fasttext_bucket=1000", "la.steps=2", "la.batch_size=8", "se.steps=2",
        "se.batch_size=8", "se.eval_every=0", "cla.steps=2", "cla.batch_size=8", "cla.eval_every=0",
        "english_se.steps=2", "english_se.batch_size=8", "english_se.eval_every=0"]


def _recipe(path):
    import yaml

    rng = random.Random(0)
    en = ["the cat", "a dog", "my friend", "the teacher", "our neighbour"]
    uz = ["mushuk", "it", "do'stim", "o'qituvchi", "qo'shnimiz"]
    verbs = [("reads a book", "kitob o'qiydi"), ("opens the file", "faylni ochadi"), ("writes", "xat yozadi")]
    pairs = sorted({(f"{en[i]} {verbs[j][0]} {k}", f"{uz[i]} {k} {verbs[j][1]}")
                    for i, j, k in ((rng.randrange(5), rng.randrange(3), rng.randrange(40)) for _ in range(200))})
    spec = {"language": "uz",
            "data": {"translation": {"kind": "inline", "pairs": [list(p) for p in pairs[:120]]},
                     "monolingual": {"kind": "from_pairs", "side": "target"}, "paraphrase": None,
                     "en_paraphrase": None, "real_dev": None},
            "english": {"data": {"translation": {"kind": "inline", "pairs": [[e, e.upper()] for e, _ in pairs[:120]]}}}}
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    return path


def test_also_pack_json_records_recipe_name_and_hash_and_the_english_pivot(tiny_base, tmp_path):
    import hashlib

    from langzoo.modules.pivot import pack_pivot
    from langzoo.recipes.runner import build
    from langzoo.registry import LocalRegistry

    recipe = _recipe(tmp_path / "my-uz-recipe.yaml")
    res = build("uz", base=str(tiny_base), recipe=recipe, overrides=TINY, out=tmp_path / "pack", gate=False,
                work_root=tmp_path / "work", log=lambda m: None)
    text = (tmp_path / "pack" / "pack.json").read_text()
    assert str(tmp_path) not in text  # no path of the build machine
    info = json.loads(text)
    assert info["build"]["recipe"] == {"name": "my-uz-recipe.yaml", "shipped": False,
                                       "sha256": hashlib.sha256(recipe.read_bytes()).hexdigest()}
    pivot = pack_pivot(info)
    assert res.published["english"]["version"] == pivot["version"]
    english = LocalRegistry().get("en", base_fingerprint=info["base"]["fingerprint"])
    assert pivot == {"language": "eng_Latn", "version": english.version, "se": english.modules["se"].content_hash}
