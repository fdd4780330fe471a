"""Named compositions per route, and zoo.json: a zoo saved and loaded pinned exactly."""

import json
from pathlib import Path
import shutil

import numpy as np
import pytest

from langzoo.cli import main
from langzoo.errors import (BaseMismatchError, IntegrityError, InvalidInputError, LangzooError, ModuleFormatError,
                            PackNotFoundError)
from langzoo.lid.orthography import ORTHOGRAPHY_VERSION
from langzoo.modules.composer import ComposedEncoder
from langzoo.modules.pack import LanguagePack
from langzoo.registry.local import LocalRegistry
from langzoo.runtime.composition import Composition, Parallel, Stack, as_composition, named_composition
from langzoo.runtime.zoo import Zoo
from tiny import CORPUS
from langzoo.lid.detection import Detection as _Det


class FixedLID:
    """Every text is Uzbek: a custom detector langzoo cannot rebuild from a name."""

    allowed = None

    def detect(self, texts):
        return [_Det("uzn_Latn", 0.9) for _ in texts]


@pytest.fixture(scope="module")
def encoder(tiny_base):
    return ComposedEncoder(str(tiny_base), merge_lora=True)


@pytest.fixture
def packs(tiny_packs, tmp_path):
    """Copies of the tiny packs the test may change."""
    return {code: shutil.copytree(tiny_packs[alias], tmp_path / "packs" / alias)
            for code, alias in (("uzn_Latn", "uz"), ("kaz_Cyrl", "kk"), ("eng_Latn", "en"))}


def test_named_compositions_and_their_checks():
    assert named_composition("aligned").to_json() == ["embeddings", "la", "se", {"parallel": ["cla"]}]
    assert named_composition("aligned").alignment and not named_composition("monolingual").alignment
    assert Stack.from_json(["embeddings", "la", "se"]) == named_composition("monolingual")
    assert Stack("embeddings", "la", "se", Parallel("cla")).kinds == ("embeddings", "la", "se", "cla")
    with pytest.raises(InvalidInputError, match=r"stacks 'se' without \['la'\]"):
        Stack("embeddings", "se")
    with pytest.raises(InvalidInputError, match="only optional kinds"):
        Stack("embeddings", "la")
    with pytest.raises(InvalidInputError, match="unknown module kind"):
        Stack("embeddings", "la", "se", "xla")
    with pytest.raises(InvalidInputError, match="unknown composition 'fast'"):
        as_composition("fast")
    per = as_composition({"*": "monolingual", "uz": "aligned"})
    assert per.for_route("uzn_Latn").alignment and not per.for_route("kaz_Cyrl").alignment
    assert Composition.from_json(per.to_json()) == per


def test_per_route_composition_switches_cla_per_language(encoder, packs):
    zoo = Zoo(encoder, packs, lid=FixedLID(), composition={"*": "aligned", "kk": "monolingual"})
    uz, kk = CORPUS["uz"][:3], CORPUS["kk"][:3]
    assert np.allclose(zoo.encode(kk, lang="kk"), zoo.encode(kk, lang="kk", alignment=False), atol=1e-6)
    assert not np.allclose(zoo.encode(kk, lang="kk"), zoo.encode(kk, lang="kk", alignment=True), atol=1e-4)
    assert np.allclose(zoo.encode(uz, lang="uz"), zoo.encode(uz, lang="uz", alignment=True), atol=1e-6)
    assert zoo.vectors_key("kk") == zoo.vectors_key("kk", alignment=False) != zoo.vectors_key("kk", alignment=True)
    assert zoo.alignment  # the default route's switch
    with pytest.raises(ValueError, match="either composition= or alignment=False"):
        Zoo(encoder, packs, composition="aligned", alignment=False)


def test_save_config_then_from_config_serves_the_same_zoo(encoder, packs, tmp_path):
    zoo = Zoo(encoder, packs, lid="default", fallback="english", max_loaded=2,
              composition={"*": "aligned", "kk": "monolingual"})
    path = zoo.save_config(tmp_path / "zoo.json")
    config = json.loads(path.read_text())
    assert config["format"] == "langzoo.zoo/1" and config["fallback"] == "english" and config["max_loaded"] == 2
    # "default" is pinned as the detector it resolves to today, with its settings
    assert config["detector"]["name"] == str(Path(zoo.lid.path).resolve().parent)
    assert config["detector"]["settings"]["strict_other"] is True
    uz_info = json.loads((packs["uzn_Latn"] / "pack.json").read_text())
    assert config["languages"]["uzn_Latn"]["version"] == uz_info["version"]
    assert config["languages"]["uzn_Latn"]["fingerprint"] == LanguagePack.load(packs["uzn_Latn"]).fingerprint
    assert config["composition"]["languages"] == {"kaz_Cyrl": ["embeddings", "la", "se"]}

    again = Zoo.load(config=path, base=encoder.base)
    assert again.languages == zoo.languages and again.fallback == "english" and again.max_loaded == 2
    assert again.composition == zoo.composition
    for lang in ("uz", "kk", "en"):
        texts = CORPUS[lang][:3]
        assert np.allclose(again.encode(texts, lang=lang), zoo.encode(texts, lang=lang), atol=1e-6)


def test_the_default_mixture_is_pinned_with_its_weights(encoder, packs, tmp_path):
    from langzoo.lid.trained import DEFAULT_WEIGHT, MIXTURE_NAME

    zoo = Zoo(encoder, packs, lid="default")
    path = zoo.save_config(tmp_path / "zoo.json")
    settings = json.loads(path.read_text())["detector"]["settings"]
    assert settings["weight"] == DEFAULT_WEIGHT and settings["family_weight"] is None
    assert settings["cld2_weight"] == zoo.lid.build_options["cld2_weight"]
    assert settings["min_probability"] == zoo.lid.min_probability > 0
    again = Zoo.from_config(path, base=encoder.base)
    assert again.lid.name == zoo.lid.name and again.lid.build_options == zoo.lid.build_options
    # A zoo saved without CLD2 keeps routing without it, whatever the default is now.
    config = json.loads(path.read_text())
    config["detector"]["settings"].update(cld2_weight=0.0, min_probability=0.3, orthography_version=3)
    path.write_text(json.dumps(config))
    pinned = Zoo.from_config(path, base=encoder.base)
    assert pinned.lid.name == MIXTURE_NAME and pinned.lid.min_probability == 0.3
    assert pinned.lid.orthography_version == 3  # saved at stop 30: routes by its rules
    config["detector"]["settings"]["orthography_version"] = 4
    path.write_text(json.dumps(config))
    assert Zoo.from_config(path, base=encoder.base).lid.orthography_version == 4  # saved at stop 31
    config["detector"]["settings"]["orthography_version"] = 5
    path.write_text(json.dumps(config))
    assert Zoo.from_config(path, base=encoder.base).lid.orthography_version == 5  # saved at stop 32
    config["detector"]["settings"]["orthography_version"] = 6
    path.write_text(json.dumps(config))
    assert Zoo.from_config(path, base=encoder.base).lid.orthography_version == 6  # saved at stops 33-34
    config["detector"]["settings"]["orthography_version"] = 7
    path.write_text(json.dumps(config))
    assert Zoo.from_config(path, base=encoder.base).lid.orthography_version == 7  # saved at stops 35-36
    config["detector"]["settings"]["orthography_version"] = ORTHOGRAPHY_VERSION
    # A mixture pinned before the Lingua arbiter, the foreign margin, the pack floor and the
    # orthography stage keeps routing without them.
    assert settings["pair_weight"] == zoo.lid.build_options["pair_weight"] > 0
    assert settings["foreign_margin"] == zoo.lid.foreign_margin > 0
    assert settings["orthography_weight"] == zoo.lid.orthography_weight > 0
    for key in ("pair_weight", "foreign_margin", "pack_min_probability", "orthography_weight"):
        del config["detector"]["settings"][key]
    path.write_text(json.dumps(config))
    old = Zoo.from_config(path, base=encoder.base).lid
    assert old.build_options["pair_weight"] == 0.0 and old.foreign_margin == 0.0
    assert old.pack_min_probability is None and zoo.lid.pack_min_probability == settings["pack_min_probability"] > 0
    assert old.orthography_weight is None
    # One pinned at stop 28 (orthography on, nothing newer) keeps that stop's rules: rule
    # set 1, Lingua on texts of any length, no family cap.
    assert settings["orthography_version"] == zoo.lid.orthography_version == ORTHOGRAPHY_VERSION == 8
    assert settings["lingua_max_words"] == 12 and settings["family_cap"] is True
    assert settings["lexicon_weight"] == zoo.lid.build_options["lexicon_weight"] == 0.5
    assert settings["neighbour_margin"] == zoo.lid.neighbour_margin == 0.15
    assert settings["family_same_script"] is zoo.lid.build_options["family_same_script"] is True
    config["detector"]["settings"]["orthography_weight"] = 0.5
    config["detector"]["settings"]["pair_weight"] = 0.3
    for key in ("orthography_version", "lingua_max_words", "family_cap", "lexicon_weight", "neighbour_margin",
                "family_same_script"):
        del config["detector"]["settings"][key]
    path.write_text(json.dumps(config))
    stop28 = Zoo.from_config(path, base=encoder.base).lid
    assert stop28.orthography_weight == 0.5 and stop28.orthography_version == 1
    assert stop28.build_options["lingua_max_words"] is None and stop28.build_options["family_cap"] is False
    assert stop28.build_options["lexicon_weight"] == 0.0  # no pair lexicons before stop 38
    # Nor the neighbour margin or the family's script check before stop 39.
    assert stop28.neighbour_margin == 0.0 and stop28.build_options["family_same_script"] is False
    family = stop28._model
    while not hasattr(family, "same_script"):
        family = family.base
    assert family.same_script is False
    assert again.lid.orthography_version == 8 and again.lid.build_options["lingua_max_words"] == 12
    assert again.lid.build_options["lexicon_weight"] == 0.5 and again.lid.neighbour_margin == 0.15
    # Saved at stop 38 (pair lexicons, no neighbour margin): routes as it did then.
    config = json.loads(path.read_text())
    config["detector"]["settings"].update(lexicon_weight=0.5, orthography_version=8, lingua_max_words=12,
                                          family_cap=True)
    path.write_text(json.dumps(config))
    stop38 = Zoo.from_config(path, base=encoder.base).lid
    assert stop38.build_options["lexicon_weight"] == 0.5 and stop38.neighbour_margin == 0.0


def test_the_apostrophe_rule_is_pinned_and_rule_1_for_configs_saved_before_it(encoder, packs, tmp_path):
    from langzoo.lid.apostrophes import APOSTROPHE_RULE

    zoo = Zoo(encoder, packs, lid="default")
    path = zoo.save_config(tmp_path / "zoo.json")
    config = json.loads(path.read_text())
    assert config["detector"]["settings"]["apostrophe_rule"] == zoo.lid.apostrophe_rule == APOSTROPHE_RULE == 2
    assert Zoo.from_config(path, base=encoder.base).lid.apostrophe_rule == 2
    del config["detector"]["settings"]["apostrophe_rule"]  # saved at stop 35 or before
    path.write_text(json.dumps(config))
    assert Zoo.from_config(path, base=encoder.base).lid.apostrophe_rule == 1


def test_transliteration_is_pinned_and_off_for_configs_saved_before_it(encoder, packs, tmp_path):
    zoo = Zoo(encoder, packs, lid="default")
    assert zoo.transliterate and "uzn_Cyrl" in zoo.lid.allowed
    assert zoo.route(["Мен мактабга бораман."], lang="uz-Cyrl") == ["uzn_Latn"]
    path = zoo.save_config(tmp_path / "zoo.json")
    config = json.loads(path.read_text())
    assert config["transliterate"] is True
    assert Zoo.from_config(path, base=encoder.base).transliterate
    off = Zoo(encoder, packs, lid="default", transliterate=False)
    assert not Zoo.from_config(off.save_config(tmp_path / "off.json"), base=encoder.base).transliterate
    # A zoo.json saved before stop 30 has no such field: Cyrillic Uzbek stays on the fallback.
    del config["transliterate"]
    path.write_text(json.dumps(config))
    old = Zoo.from_config(path, base=encoder.base)
    assert not old.transliterate and "uzn_Cyrl" not in old.lid.allowed
    assert old.route(["Мен мактабга бораман."], lang="uz-Cyrl") == [None]
    config["transliterate"] = "yes"
    path.write_text(json.dumps(config))
    with pytest.raises(ModuleFormatError, match="transliterate"):
        Zoo.from_config(path, base=encoder.base)


def test_a_missing_pinned_version_is_a_clear_error(encoder, packs, tmp_path):
    path = Zoo(encoder, packs, lid="default").save_config(tmp_path / "zoo.json")
    shutil.rmtree(packs["kaz_Cyrl"])
    with pytest.raises(PackNotFoundError, match=r"pins the kk pack version .*not available.*zoo pull kk"):
        Zoo.from_config(path, base=encoder.base, registry=tmp_path / "empty-registry")


def test_the_registry_copy_of_a_pinned_version_is_used_and_checked(encoder, packs, tmp_path):
    path = Zoo(encoder, {"uzn_Latn": packs["uzn_Latn"]}, lid="default").save_config(tmp_path / "zoo.json")
    reg = LocalRegistry(tmp_path / "reg")
    reg.publish(packs["uzn_Latn"])
    shutil.rmtree(packs["uzn_Latn"])  # the recorded folder is gone: the registry has the version
    zoo = Zoo.from_config(path, base=encoder.base, registry=reg.root)
    assert zoo.pack_paths["uzn_Latn"] == reg.resolve("uz")
    config = json.loads(path.read_text())
    config["languages"]["uzn_Latn"]["fingerprint"] = "sha256:" + "0" * 64  # as if republished with other weights
    path.write_text(json.dumps(config))
    with pytest.raises(IntegrityError, match="holds other content under that version"):
        Zoo.from_config(path, base=encoder.base, registry=reg.root)


def test_a_zoo_config_for_another_base_is_refused(encoder, packs, tmp_path):
    path = Zoo(encoder, packs, lid="default").save_config(tmp_path / "zoo.json")
    config = json.loads(path.read_text())
    config["base"]["fingerprint"] = "sha256:" + "1" * 64
    path.write_text(json.dumps(config))
    with pytest.raises(BaseMismatchError, match="pins base"):
        Zoo.from_config(path, base=encoder.base)
    path.write_text("[]")
    with pytest.raises(LangzooError, match="unsupported zoo config format"):
        Zoo.from_config(path, base=encoder.base)


def test_a_custom_detector_must_be_given_again(encoder, packs, tmp_path):
    path = Zoo(encoder, packs, lid=FixedLID()).save_config(tmp_path / "zoo.json")
    assert json.loads(path.read_text())["detector"]["custom"] == "FixedLID"
    with pytest.raises(LangzooError, match="custom language detector"):
        Zoo.from_config(path, base=encoder.base)
    zoo = Zoo.from_config(path, base=encoder.base, lid=FixedLID())
    assert zoo.route([CORPUS["kk"][0]]) == ["uzn_Latn"]


def test_cli_encode_with_a_config(tiny_base, packs, tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text("\n".join(CORPUS["uz"][:3]) + "\n")
    saved = tmp_path / "saved.json"
    languages = ",".join(str(p) for p in packs.values())
    assert main(["encode", "--in", str(src), "--out", str(tmp_path / "a.npy"), "--base", str(tiny_base),
                 "--languages", languages, "--lang", "uz", "--no-alignment", "--save-config", str(saved)]) == 0
    assert json.loads(saved.read_text())["composition"]["default"] == ["embeddings", "la", "se"]
    assert json.loads(saved.read_text())["transliterate"] is True
    off = tmp_path / "off.json"
    assert main(["encode", "--in", str(src), "--out", str(tmp_path / "off.npy"), "--base", str(tiny_base),
                 "--languages", languages, "--lang", "uz", "--no-transliterate", "--save-config", str(off)]) == 0
    assert json.loads(off.read_text())["transliterate"] is False
    assert main(["encode", "--in", str(src), "--out", str(tmp_path / "b.npy"), "--base", str(tiny_base),
                 "--config", str(saved), "--lang", "uz"]) == 0
    assert np.allclose(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"), atol=1e-6)
    capsys.readouterr()
    assert main(["encode", "--in", str(src), "--out", str(tmp_path / "c.npy"), "--config", str(saved),
                 "--fallback", "english"]) != 0
    assert "--config pins what --fallback would set" in capsys.readouterr().err
