"""What `zoo serve` serves: zoo.json and --packs."""

import argparse
import json

import pytest

from langzoo.errors import InvalidInputError
from langzoo.serve.cli import register, zoo_options
from langzoo.serve.config import parse_packs, read_zoo_config


def _args(*argv):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser.parse_args(["serve", *argv])


def test_config_file_and_flags(tmp_path):
    cfg = tmp_path / "zoo.json"
    cfg.write_text(json.dumps({"base": "b", "languages": ["uz", "kk"], "fallback": "english", "alignment": False}))
    assert zoo_options(_args("--config", str(cfg))) == {"base": "b", "languages": ["uz", "kk"],
                                                         "fallback": "english", "alignment": False}
    assert zoo_options(_args("--config", str(cfg), "--packs", "tr", "--base", "c"))["languages"] == ["tr"]
    assert zoo_options(_args("--config", str(cfg), "--packs", "none"))["languages"] == []
    assert zoo_options(_args())["languages"] == "installed"
    assert parse_packs(" uz , /p/kk ") == ["uz", "/p/kk"]


@pytest.mark.parametrize("content, message", [
    ("{", "not valid JSON"),
    ("[]", "expected a JSON object"),
    ('{"langs": ["uz"]}', "unknown key(s) langs"),
    ('{"languages": "uz"}', "'languages' must be"),
])
def test_bad_config_files_are_clear_errors(tmp_path, content, message):
    cfg = tmp_path / "zoo.json"
    cfg.write_text(content)
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_zoo_config(cfg)
    with pytest.raises(InvalidInputError, match="not found"):
        read_zoo_config(tmp_path / "missing.json")
