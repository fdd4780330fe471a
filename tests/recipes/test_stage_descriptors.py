"""Stage descriptors (recipes/stages/descriptor.py) and their typed configs (recipes/settings.py)."""

import argparse
import dataclasses
from dataclasses import dataclass

import pytest

from langzoo.recipes.build_settings import LoraSettings
from langzoo.recipes.errors import RecipeError
from langzoo.recipes.settings import Settings, integer, setting
from langzoo.recipes.spec import build_config, load_spec
from langzoo.recipes.stages.descriptor import STAGES, Stage, all_stages, config_classes, get_stage
from langzoo.recipes.validate import validate_config


def test_shipped_stages_describe_themselves():
    stages = all_stages()
    assert list(stages)[:5] == ["tokenizer", "focus", "la", "se", "cla"]
    for stage in stages.values():
        assert callable(stage.run) and stage.help
        assert all(p in stages for p in stage.parents)
        fields = dataclasses.fields(stage.config)
        assert fields and all(f.metadata["help"] for f in fields)
    assert get_stage("cla").parents == ("la", "se") and get_stage("la").produces == ("embeddings", "la")
    assert config_classes()["english_se"] is get_stage("se").config
    with pytest.raises(RecipeError, match="unknown stage 'mlm'"):
        get_stage("mlm")


def test_a_config_instance_checks_itself_and_reads_sections():
    la = get_stage("la").config
    cfg = la.from_dict({"steps": 5, "lora": {"r": 4, "targets": ["query"]}, "not_declared": 1})
    assert cfg.steps == 5 and cfg.lora == LoraSettings(r=4, targets=["query"])
    assert cfg.values() == {"steps": 5, "lora": {"r": 4, "targets": ["query"]}}
    with pytest.raises(RecipeError, match=r"lora\.r=0: expected a whole number >= 1"):
        la.from_dict({"lora": {"r": 0}})
    with pytest.raises(RecipeError, match="mask_prob=0: expected a finite number > 0"):
        la(mask_prob=0)  # __post_init__, as peft's LoraConfig checks its fields


def test_a_new_stage_is_one_descriptor_and_its_section_is_checked_up_front(monkeypatch):
    @dataclass
    class ToyConfig(Settings):
        depth: int | None = setting("how deep", integer(1))

    toy = Stage("toy", "a toy stage", run=lambda ctx, out: {}, config=ToyConfig, parents=("la",))
    monkeypatch.setitem(STAGES, "toy", toy)
    config = build_config(load_spec("uz"), "demo")
    config.update(stages=[*config["stages"], "toy"], toy={"depth": 3})
    assert validate_config(config) is config
    config["toy"]["depth"] = 0
    with pytest.raises(RecipeError, match=r"toy\.depth=0: expected a whole number >= 1"):
        validate_config(config)


def test_unknown_stage_names_are_refused_before_any_stage_runs():
    config = build_config(load_spec("uz"), "demo")
    config["stages"] = ["tokenizer", "mlm"]
    with pytest.raises(RecipeError, match=r"unknown: \['mlm'\]"):
        validate_config(config)


def test_english_se_section_is_checked_with_the_se_config():
    with pytest.raises(RecipeError, match=r"english_se\.objective='x': expected one of auto, mnrl, distill"):
        build_config(load_spec("uz"), "demo", ["english_se.objective=x"])


def test_zoo_build_lists_every_setting_with_help(capsys):
    from langzoo.recipes.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["build", "--list-settings", "--profile", "paper"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "la.lora.r = 8   [a whole number >= 1]" in out and "LoRA rank" in out
    assert "tokenizer.vocab_size = 50000" in out and "cla.distill.structure_reference = 'below'" in out
    assert "se.distill.en_structure_weight = (not set)" in out  # declared, not in the paper profile
    no_lang = parser.parse_args(["build"])
    assert no_lang.func(no_lang) == 2


def test_set_accepts_keys_a_config_class_declares_and_still_refuses_typos():
    from langzoo.recipes.profiles import apply_overrides, get_profile

    paper = get_profile("paper")
    assert "en_structure_weight" not in paper["se"]["distill"]  # declared by SeConfig, read by the loss
    out = apply_overrides(paper, ["se.distill.en_structure_weight=50"])
    assert out["se"]["distill"]["en_structure_weight"] == 50
    with pytest.raises(RecipeError, match="unknown key 'l_weight'"):  # CLA fixes it: setting it would do nothing
        apply_overrides(paper, ["cla.distill.l_weight=1"])
    with pytest.raises(RecipeError, match="unknown key 'scale'"):  # la has no contrastive loss
        apply_overrides(paper, ["la.scale=3"])
