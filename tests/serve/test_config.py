"""What `zoo serve` serves: --packs, or a zoo.json (Zoo.save_config) that pins it all."""

import argparse

import pytest

from langzoo.errors import InvalidInputError
from langzoo.serve.cli import register, zoo_options
from langzoo.languages import parse_language_list


def _args(*argv):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser.parse_args(["serve", *argv])


def test_flags_become_zoo_load_options():
    assert zoo_options(_args()) == {"languages": "installed"}
    assert zoo_options(_args("--packs", "none", "--base", "b", "--fallback", "english", "--no-alignment")) == {
        "base": "b", "languages": [], "fallback": "english", "alignment": False}
    assert zoo_options(_args("--no-transliterate")) == {"languages": "installed", "transliterate": False}
    assert parse_language_list(" uz , /p/kk ") == ["uz", "/p/kk"]


def test_a_zoo_json_pins_and_conflicting_flags_are_refused(tmp_path):
    cfg = str(tmp_path / "zoo.json")
    assert zoo_options(_args("--config", cfg, "--base", "b")) == {"base": "b", "config": cfg}
    with pytest.raises(InvalidInputError, match=r"--config pins what --packs, --fallback would set"):
        zoo_options(_args("--config", cfg, "--packs", "uz", "--fallback", "base"))
    with pytest.raises(InvalidInputError, match=r"--no-transliterate"):
        zoo_options(_args("--config", cfg, "--no-transliterate"))
