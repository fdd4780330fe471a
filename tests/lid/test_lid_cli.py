"""``zoo detect`` through its argparse registration."""

from __future__ import annotations

import argparse
import json

import pytest

from langzoo.lid import cli as lid_cli


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="zoo")
    sub = parser.add_subparsers(dest="command", required=True)
    lid_cli.register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture()
def texts(tmp_path):
    path = tmp_path / "texts.txt"
    path.write_text("Die Kinder spielten im Hof Fußball und kamen erst abends nach Hause.\n"
                    "\n"
                    "Москва является столицей и крупнейшим городом России.\n"
                    "12345\n", encoding="utf-8")
    return path


def test_detect_json_lines(texts, capsys):
    assert run(["detect", "--in", str(texts), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert [r["lang"] for r in rows] == ["deu_Latn", None, "rus_Cyrl", None]
    assert [r["reason"] for r in rows] == ["ok", "empty", "ok", "no_letters"]
    assert [r["route"] for r in rows] == ["deu_Latn", "base", "rus_Cyrl", "base"]
    assert rows[0]["raw_label"] in ("__label__de", "__label__deu_Latn") and 0.5 < rows[0]["confidence"] <= 1.0


def test_detect_allowed_and_table(texts, capsys):
    assert run(["detect", "--in", str(texts), "--allowed", "uz,kk,de"]) == 0
    out = capsys.readouterr().out
    assert "deu_Latn" in out and "other" in out and "rus_Cyrl" not in out


def test_detect_errors_are_reported_not_raised(tmp_path, texts, capsys):
    assert run(["detect", "--in", str(tmp_path / "missing.txt")]) == 2
    assert "Input file not found" in capsys.readouterr().err
    assert run(["detect", "--in", str(texts), "--allowed", "notalanguage"]) == 2
    assert "Unknown language code" in capsys.readouterr().err
    assert run(["detect", "--in", str(texts), "--lid", str(tmp_path / "nope")]) == 2
    assert "Unknown LID model" in capsys.readouterr().err


def test_detect_benchmark_json(capsys):
    assert run(["detect", "--benchmark", "--json", "--allowed", "uz,kk,ky,en"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    summary = rows[-1]
    # Speed is checked as a ratio in test_lid.py; here only that the summary reports it.
    assert summary["texts_per_s"] > 0 and summary["load_s"] >= 0
    per_lang = {(r["lang"], r["length"]): r for r in rows[:-1]}
    assert per_lang[("deu_Latn", "medium")]["correct"] == 4  # outside the set -> no pack


def test_detect_routes_cyrillic_uzbek_to_the_latin_pack_like_a_zoo(tmp_path, capsys):
    path = tmp_path / "uz.txt"
    path.write_text("Бугун ҳаво жуда яхши.\nBugun havo juda yaxshi.\n", encoding="utf-8")
    assert run(["detect", "--in", str(path), "--json", "--allowed", "uz,en"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["lang"], r["route"]) for r in rows] == [("uzn_Cyrl", "uzn_Latn"), ("uzn_Latn", "uzn_Latn")]
    assert run(["detect", "--in", str(path), "--json", "--allowed", "kk,en"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["route"] for r in rows] == ["base", "base"]  # no uz pack: no Cyrillic Uzbek either
