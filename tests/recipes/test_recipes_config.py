"""Profiles, specs and overrides (no torch work)."""

import pytest

from langzoo.recipes import RecipeError, available_specs, build_config, get_profile, load_spec
from langzoo.recipes.profiles import apply_overrides, parse_override


def test_shipped_specs_cover_required_languages():
    for alias in ("uz", "kk", "ky", "de", "tr", "en", "fr", "es", "nl", "pl"):
        assert alias in available_specs()
        spec = load_spec(alias)
        cfg = build_config(spec, "demo")
        assert cfg["stages"] == (["se"] if alias == "en" else ["tokenizer", "focus", "la", "se", "cla"])


def test_paper_profile_matches_the_paper():
    p = get_profile("paper")
    assert p["tokenizer"]["vocab_size"] == 50000 and p["focus"]["fasttext_dim"] == 300
    assert (p["la"]["steps"], p["la"]["batch_size"], p["bf16"]) == (200_000, 128, True)
    assert p["la"]["lora"] == {"r": 8, "alpha": 16, "dropout": 0.1, "targets": ["query", "key", "value"]}
    assert "dense" in p["se"]["lora"]["targets"] and p["se"]["lr"] == 2e-5 and p["se"]["batch_size"] == 128
    assert p["cla"]["batch_size"] == 256 and p["cla"]["adapter"] == {} and p["max_seq_length"] == 128
    assert p["cla"]["objective"] == "alternate"
    assert get_profile("demo")["cla"]["objective"] == "distill"


def test_numeric_overrides_take_the_defaults_type():
    from langzoo.modules.hashing import sha256_json

    cfg = {"se": {"lr": 2e-5, "steps": 100, "name": "x", "w": 50.0}}
    out = apply_overrides(cfg, ["se.w=50", "se.steps=200.0", "se.lr=1"])
    assert out["se"] == {"lr": 1.0, "steps": 200, "name": "x", "w": 50.0}
    assert type(out["se"]["w"]) is float and type(out["se"]["steps"]) is int
    # the same setting written either way keys the same stage (it used to rebuild)
    assert sha256_json(apply_overrides(cfg, ["se.w=50"])) == sha256_json(cfg)
    with pytest.raises(RecipeError, match="whole number"):
        apply_overrides(cfg, ["se.steps=2.5"])
    with pytest.raises(RecipeError, match="expects a number"):
        apply_overrides(cfg, ["se.steps=many"])


def test_overrides_parse_and_refuse_typos():
    assert parse_override("la.steps=500") == (["la", "steps"], 500)
    assert parse_override("se.lr=5e-4") == (["se", "lr"], 0.0005)
    assert parse_override("data.translation.kind=harvest")[1] == "harvest"
    cfg = build_config(load_spec("uz"), "demo", ["la.steps=7", "se.lora.targets=[query, value]",
                                                 "data.paraphrase.kind=file", "data.paraphrase.path=/x.tsv"])
    assert cfg["la"]["steps"] == 7 and cfg["se"]["lora"]["targets"] == ["query", "value"]
    assert cfg["data"]["paraphrase"] == {"kind": "file", "path": "/x.tsv"}
    with pytest.raises(RecipeError, match="unknown key 'stepz'"):
        apply_overrides(cfg, ["la.stepz=3"])
    with pytest.raises(RecipeError, match="key.path=value"):
        apply_overrides(cfg, ["la.steps"])
    with pytest.raises(RecipeError, match="Unknown profile"):
        get_profile("huge")


def test_unknown_language_spec_is_a_clear_error():
    with pytest.raises(RecipeError, match="No recipe spec"):
        load_spec("ha")


def test_cli_show_config(capsys):
    import argparse

    import yaml

    from langzoo.recipes.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["build", "--lang", "uz", "--profile", "paper", "--show-config", "--set", "la.steps=5"])
    assert args.func(args) == 0
    cfg = yaml.safe_load(capsys.readouterr().out)
    assert cfg["la"]["steps"] == 5 and cfg["language"] == "uzn_Latn" and cfg["data"]["translation"] == {"kind": "harvest"}
    bad = parser.parse_args(["build", "--lang", "uz", "--show-config", "--set", "la.nope=1"])
    assert bad.func(bad) == 2
