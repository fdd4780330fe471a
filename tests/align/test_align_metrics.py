"""AER/precision/recall, dictionary precision, BLI and FreeDict reading/fetching, by hand."""

import gzip
import json

import numpy as np
import pytest
from fake_apt import APT_GET_DOWNLOAD, install_fake_apt

from langzoo.align.dictionary import Dictionary, load_freedict, read_dictd
from langzoo.align.metrics import (alignment_scores, dictionary_precision, lexicon_induction, read_gold,
                                   simple_words)
from langzoo.errors import InvalidInputError, LangzooError

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(n: int) -> str:
    s = ""
    while True:
        s = _B64[n % 64] + s
        n //= 64
        if not n:
            return s


def write_dictd(folder, name, entries):
    """A dictd pair (.index + gzipped .dict) with ``entries`` [(index key, entry text)]."""
    folder.mkdir(parents=True, exist_ok=True)
    data, index = b"", []
    for key, text in [("00-database-info", "00-database-info\nabout\n")] + entries:
        raw = text.encode()
        index.append(f"{key}\t{_b64(len(data))}\t{_b64(len(raw))}")
        data += raw
    (folder / f"{name}.index").write_text("\n".join(index) + "\n")
    (folder / f"{name}.dict.dz").write_bytes(gzip.compress(data))
    return folder / f"{name}.index"


ENG_DEU = [
    ("house", "house /hˈaʊs/\nHaus <neut>, Gebäude <neut> [arch.]\n      \"a big house\"  - ein großes Haus\n"
              " see: {house cat}\n"),
    ("house", "house /hˈaʊs/\nFamilie <fem>, Herrscherhaus\n"),
    ("water", "water /wˈɔːtə/\n1. Wasser\n2. Gewässer. water bed Wasserbett\n"),
    ("red tape", "red tape\nBürokratie\n"),
    ("two", "two\nzwei (2), ein Paar\n"),
]


def test_read_dictd_single_words_examples_and_numbering(tmp_path):
    d = read_dictd(write_dictd(tmp_path, "freedict-eng-deu", ENG_DEU))
    assert d["house"] == {"haus", "gebäude", "familie", "herrscherhaus"}  # both entries, no example words
    assert d["water"] == {"wasser", "gewässer"}  # "water bed Wasserbett" is a phrase after ". "
    assert "red tape" not in d  # multi-word headword
    assert d["two"] == {"zwei"}  # "(2)" dropped, "ein Paar" is two words


def test_load_freedict_merges_directions_and_splits(tmp_path):
    write_dictd(tmp_path / "dict-freedict-eng-deu", "freedict-eng-deu", ENG_DEU)
    write_dictd(tmp_path / "dict-freedict-deu-eng", "freedict-deu-eng",
                [("katze", "Katze /kˈatsə/ <fem>\ncat <n>\n"), ("haus", "Haus\nhouse <n>, home\n")])
    d = load_freedict("de", tmp_path)
    assert d.translates("cat", "katze") and d.translates("home", "haus") and d.translates("house", "gebäude")
    assert "katze" in d.targets
    dev, test = d.split("dev"), d.split("test")
    assert set(dev.pairs).isdisjoint(test.pairs) and set(dev.pairs) | set(test.pairs) == set(d.pairs)
    with pytest.raises(LangzooError, match="zoo data fetch --lang tr --dictionaries"):
        load_freedict("tr", tmp_path)


def test_gold_formats_and_aer_by_hand(tmp_path):
    (tmp_path / "g.txt").write_text("0-0 1p1 2-2\n0-1\n")
    gold = read_gold(tmp_path / "g.txt")
    assert gold[0] == ({(0, 0), (2, 2)}, {(0, 0), (1, 1), (2, 2)})
    pred = [{(0, 0), (1, 1), (2, 1)}, {(0, 1)}]
    # A=4, S=3, |A∩P|=3, |A∩S|=2 -> P=3/4, R=2/3, AER = 1 - 5/7
    s = alignment_scores(pred, gold)
    assert s["precision"] == pytest.approx(0.75) and s["recall"] == pytest.approx(2 / 3)
    assert s["aer"] == pytest.approx(1 - 5 / 7) and s["f1"] == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    (tmp_path / "n.txt").write_text("1 1 1 S\n1 2 2 P\n1 3 3\n2 1 2 S\n")
    assert read_gold(tmp_path / "n.txt", n_sentences=3) == [
        ({(0, 0), (2, 2)}, {(0, 0), (1, 1), (2, 2)}), ({(0, 1)}, {(0, 1)}), (set(), set())]
    (tmp_path / "bad.txt").write_text("0-0 1x1\n")
    with pytest.raises(InvalidInputError, match="1x1"):
        read_gold(tmp_path / "bad.txt")
    with pytest.raises(InvalidInputError, match="gold sentences"):
        alignment_scores(pred[:1], gold)


def test_dictionary_precision_counts_only_checkable_pairs():
    d = Dictionary({"house": {"haus"}, "red": {"rot", "rote"}})
    src, tgt = [["The", "red", "house", "2020"]], [["Das", "rote", "Haus", "2020"]]
    links = [{(1, 1), (2, 2), (2, 1), (0, 0), (3, 3)}]
    # checkable: red-rote (ok), house-Haus (ok), house-rote (wrong); The/Das and 2020 are not in the dictionary
    out = dictionary_precision(links, src, tgt, d)
    assert out == {"dict_precision": pytest.approx(2 / 3), "checked": 3}


def test_lexicon_induction_nn_and_csls():
    d = Dictionary({"a": {"x"}, "b": {"y"}, "c": {"z"}, "q": {"nothere"}})
    src = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], float)
    tgt = np.array([[1, 0.1, 0], [0.1, 1, 0], [0, 0.2, 1], [-1, 0, 0.1]], float)
    out = lexicon_induction(["a", "b", "c", "q"], src, ["x", "y", "z", "w"], tgt, d, csls_k=2, center=False)
    assert out["queries"] == 3  # q has no translation in the target vocabulary
    assert out["nn_p@1"] == pytest.approx(1.0) and out["csls_p@1"] == pytest.approx(1.0)
    assert out["nn_p@5"] == pytest.approx(1.0)
    # A hub h = (1,1,1)/sqrt3 is a's nearest target (cos .577 > cos(a, x) = .5); CSLS with k=2:
    # csls(a,h) = 2(.577) - .577 - r_a, csls(a,x) = 2(.5) - mean(.5, 0) - r_a: x wins.
    hub = lexicon_induction(["a", "b", "c"], np.eye(3), ["x", "h"], np.array([[0.5, 0, -0.866], [1, 1, 1.0]]),
                            Dictionary({"a": {"x"}}), ks=(1,), csls_k=2, center=False)
    assert hub == {"queries": 1, "nn_p@1": 0.0, "csls_p@1": 1.0}


def test_simple_words_splits_punctuation():
    assert simple_words("Die Vatikanstadt hat circa 800 Einwohner. Es ist's!") == [
        "Die", "Vatikanstadt", "hat", "circa", "800", "Einwohner", ".", "Es", "ist's", "!"]


FAKE_APT_CACHE = """#!/bin/sh
shift
for p in "$@"; do echo "$p:"; case "$p" in *deu-eng*) echo "  Candidate: (none)";; *) echo "  Candidate: 1.0";; esac; done
"""
FAKE_DPKG = """#!/bin/sh
name=$(basename "$2" | cut -d_ -f1)
mkdir -p "$3/usr/share/dictd" "$3/usr/share/doc/$name" "$3/usr/bin"
echo idx > "$3/usr/share/dictd/freedict-eng-deu.index"
echo dz > "$3/usr/share/dictd/freedict-eng-deu.dict.dz"
echo gpl > "$3/usr/share/doc/$name/copyright"
echo bin > "$3/usr/bin/tool"
"""


def test_fetch_freedict_keeps_dictd_files_and_is_idempotent(tmp_path, monkeypatch):
    from langzoo.data.errors import FetchWarning
    from langzoo.data.freedict import fetch_freedict, freedict_packages

    assert freedict_packages("de") == ["dict-freedict-eng-deu", "dict-freedict-deu-eng"]
    log = install_fake_apt(tmp_path, monkeypatch, apt_cache=FAKE_APT_CACHE, apt_get=APT_GET_DOWNLOAD, dpkg=FAKE_DPKG)
    cache = tmp_path / "dicts"
    with pytest.warns(FetchWarning, match="dict-freedict-deu-eng"):
        dirs = fetch_freedict("de", cache)
    assert [d.name for d in dirs] == ["dict-freedict-eng-deu"]
    assert sorted(p.name for p in dirs[0].iterdir()) == ["copyright", "freedict-eng-deu.dict.dz",
                                                         "freedict-eng-deu.index"]
    manifest = json.loads((cache / "manifest.json").read_text())
    assert manifest["packages"]["dict-freedict-eng-deu"]["version"] == "1.0"
    assert manifest["missing"] == ["dict-freedict-deu-eng"]
    downloads = [x for x in log.read_text().splitlines() if "download" in x]
    with pytest.warns(FetchWarning):
        fetch_freedict("de", cache)
    assert [x for x in log.read_text().splitlines() if "download" in x] == downloads


def test_zoo_eval_suite_align_on_tiny_packs(tiny_base, tiny_packs, tmp_path, monkeypatch):
    from langzoo.cli import main
    from tiny import CORPUS

    monkeypatch.setenv("LANGZOO_HOME", str(tmp_path / "home"))
    root = tmp_path / "home" / "dictionaries" / "freedict"
    write_dictd(root / "dict-freedict-eng-uzn", "freedict-eng-uzn",
                [("cat", "cat\nmushuk\n"), ("dog", "dog\nit\n"), ("home", "home\nuy, uyda\n"), ("book", "book\nkitob\n")])
    data = tmp_path / "flores"
    for code, texts in (("eng_Latn", CORPUS["en"]), ("uzn_Latn", CORPUS["uz"])):
        (data / code).mkdir(parents=True)
        rows = [f"{i}\tcat\t{t}" for i, t in enumerate(texts)]
        (data / code / "dev.tsv").write_text("index_id\tcategory\ttext\n" + "\n".join(rows) + "\n")
    (tmp_path / "g.en").write_text("the cat\n")
    (tmp_path / "g.uz").write_text("mushuk\n")
    (tmp_path / "g.gold").write_text("1-0\n")
    out = tmp_path / "out"
    rc = main(["eval", "--suite", "align", "--data", str(data), "--align-langs", "uz", "--base", str(tiny_base),
               "--languages", str(tiny_packs["uz"]), "--configs", "base,mod_m,mod_mc", "--out", str(out),
               "--layer", "1", "--gold", str(tmp_path / "g.gold"), "--gold-src", str(tmp_path / "g.en"),
               "--gold-tgt", str(tmp_path / "g.uz"), "--gold-lang", "uz"])
    assert rc == 0
    rows = json.loads((out / "align_results.json").read_text())
    assert [(r["pair"], r["config"]) for r in rows] == [
        ("en-uz", "base"), ("en-uz", "mod_m"), ("en-uz", "mod_mc"),
        ("en-uz (gold)", "base"), ("en-uz (gold)", "mod_m"), ("en-uz (gold)", "mod_mc")]
    assert rows[0]["routes"] == "base / base"
    assert rows[1]["routes"] == "base / uzn_Latn" and rows[2]["routes"] == "base / uzn_Latn+cla"
    assert all(r["checked"] >= 0 and r["bli_queries"] >= 1 for r in rows[:3])
    assert all(0.0 <= r["aer"] <= 1.0 and r["sure"] == 1 for r in rows[3:])
    # a missing dictionary is a clear error
    assert main(["eval", "--suite", "align", "--align-langs", "tr", "--configs", "base", "--base", str(tiny_base),
                 "--out", str(out)]) == 1
