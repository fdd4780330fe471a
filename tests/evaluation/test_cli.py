"""`zoo eval` end to end on a tiny dev folder (ngram baseline: no model needed)."""

import argparse
import json

from langzoo.evaluation.cli import register

from .test_loaders import make_dev


def run(argv):
    parser = argparse.ArgumentParser(prog="zoo")
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_eval_cli_writes_reports_and_reuses_cache(tmp_path, capsys):
    dev = make_dev(tmp_path / "dev")
    out = tmp_path / "out"
    rc = run(["eval", "--suite", "dev", "--data", str(dev), "--configs", "ngram", "--out", str(out),
              "--tasks", "sts17,tatoeba-*,sib", "--max-items", "50"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "tatoeba-nld" in printed and "ngram" in printed and "0 from cache" in printed
    data = json.loads((out / "results.json").read_text())
    assert [t["name"] for t in data["tasks"]] == ["sts17-ar-en", "sts17-en-en", "tatoeba-nld", "sib-topic",
                                                  "sib-flores-bitext", "sib-flores-rsim"]
    assert (out / "results.md").read_text().startswith("| task |")
    assert (out / "results.png").read_bytes()[:4] == b"\x89PNG"
    assert list((out / "cache").glob("ngram-*/*.npy"))

    assert run(["eval", "--data", str(dev), "--configs", "ngram", "--out", str(out), "--tasks", "sts17"]) == 0
    assert "encoded 0 texts" in capsys.readouterr().out


def test_eval_cli_list_and_errors(tmp_path, capsys):
    dev = make_dev(tmp_path / "dev")
    assert run(["eval", "--data", str(dev), "--list"]) == 0
    assert "sick-x" in capsys.readouterr().out
    assert run(["eval", "--data", str(tmp_path / "nope"), "--configs", "ngram"]) == 1
    assert "data folder not found" in capsys.readouterr().err
    assert run(["eval", "--data", str(dev), "--configs", "bogus"]) == 1
    assert run(["eval", "--data", str(dev), "--configs", "mod_m"]) == 1
    assert "--languages" in capsys.readouterr().err
