import argparse
import json

from langzoo.data.cli import register


def _run(argv):
    parser = argparse.ArgumentParser(prog="zoo")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_harvest_cli_writes_jsonl_and_provenance(tmp_path, catalog_root):
    out = tmp_path / "uz.jsonl"
    assert _run(["data", "harvest", "--lang", "uz", "--root", str(catalog_root), "--out", str(out), "--min-words", "2"]) == 0
    rows = [json.loads(l) for l in out.read_text().splitlines()]
    assert rows and all(set(r) == {"en", "uz"} for r in rows)
    prov = json.loads((tmp_path / "uz.jsonl.provenance.json").read_text())
    assert prov["counts"]["dedup_en"] == len(rows)
    tsv = tmp_path / "uz.tsv"
    assert _run(["data", "harvest", "--lang", "uz", "--root", str(catalog_root), "--out", str(tsv)]) == 0
    assert all(len(l.split("\t")) == 2 for l in tsv.read_text().splitlines())
    assert _run(["data", "stats", str(out)]) == 0
    assert _run(["data", "stats", str(tsv)]) == 0


def test_harvest_cli_error_exit_code(tmp_path, capsys):
    assert _run(["data", "harvest", "--lang", "uz", "--root", str(tmp_path), "--out", str(tmp_path / "o.jsonl")]) == 1
    assert "zoo data fetch" in " ".join(capsys.readouterr().err.split())


def test_fetch_list(capsys):
    assert _run(["data", "fetch", "--lang", "kk", "--list"]) == 0
    assert "libreoffice-l10n-kk" in capsys.readouterr().out
