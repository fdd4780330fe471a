"""Issue 16, command-line cases: `zoo encode --in` line splitting and undecodable input."""

from __future__ import annotations

import io
import sys

import numpy as np

from langzoo.cli import main
from langzoo.runtime.lines import read_lines

# Characters str.splitlines() breaks at but that are not line ends in a text file.
ODD_BREAKS = "one\u2028two\nthree\x85four\ffive\nsix\vseven\n"


def test_case02_encode_rows_match_newline_lines(tiny_base, tmp_path, monkeypatch, capsys):
    src = tmp_path / "in.txt"
    src.write_text(ODD_BREAKS, encoding="utf-8")
    assert read_lines(str(src)) == ["one\u2028two", "three\x85four\ffive", "six\vseven"]
    out = tmp_path / "emb.npy"
    rc = main(["encode", "--in", str(src), "--out", str(out), "--base", str(tiny_base), "--languages", "none",
               "--lang", "en"])
    assert rc == 0
    assert np.load(out).shape[0] == 3
    # stdin gives the same rows, CRLF line ends included
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ODD_BREAKS.replace("\n", "\r\n").encode())))
    assert read_lines("-") == ["one\u2028two", "three\x85four\ffive", "six\vseven"]


def test_case09_encode_invalid_utf8_is_a_clear_error(tiny_base, tmp_path, capsys):
    src = tmp_path / "latin1.txt"
    src.write_bytes("caf\u00e9 ok\nna\u00efve\n".encode("latin-1"))
    rc = main(["encode", "--in", str(src), "--out", str(tmp_path / "e.npy"), "--base", str(tiny_base),
               "--languages", "none", "--lang", "en"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "not UTF-8" in err and "line 1" in err and "iconv" in err
    assert "Traceback" not in err
    assert not (tmp_path / "e.npy").exists()
