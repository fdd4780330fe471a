import bz2
import gzip
import json
import lzma

import pytest

from langzoo.data import DataSourceError, DatasetOfflineError, SourceSpecError, load_pairs, load_texts


def _write(path, text, opener=open):
    with opener(path, "wt", encoding="utf-8") as f:
        f.write(text)
    return path


@pytest.mark.parametrize("suffix, opener", [("", open), (".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)])
def test_tsv_pairs_compressed_or_not(tmp_path, suffix, opener):
    p = _write(tmp_path / f"p.tsv{suffix}", "en\tuz\nOpen file\tFaylni ochish\nSave\t\nClose\tYopish\n", opener)
    ps = load_pairs({"kind": "file", "path": str(p), "columns": ["en", "uz"]}, lang="uz")
    assert ps.pairs == [("Open file", "Faylni ochish"), ("Close", "Yopish")]
    assert ps.counts == {"loaded": 3, "non_empty": 2}
    assert len(ps.provenance["sha256"]) == 64 and ps.provenance["kind"] == "file"


def test_csv_by_index_and_jsonl_and_txt(tmp_path):
    p = _write(tmp_path / "p.csv", 'a,"b, with comma"\nc,d\n')
    assert load_pairs({"kind": "file", "path": p, "columns": [0, 1]}, lang="uz").pairs == [("a", "b, with comma"), ("c", "d")]
    j = _write(tmp_path / "p.jsonl", json.dumps({"en": "x", "uz": "y"}) + "\n\n" + json.dumps({"en": "z", "uz": "w"}) + "\n")
    assert load_pairs({"kind": "file", "path": j, "columns": ["en", "uz"]}, lang="uz").pairs == [("x", "y"), ("z", "w")]
    t = _write(tmp_path / "t.txt.gz", "bir\n\nikki\n", gzip.open)
    ts = load_texts({"kind": "file", "path": t}, lang="uz")
    assert ts.texts == ["bir", "ikki"]


def test_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "p.parquet"
    pq.write_table(pa.table({"sentence1": ["a", "b"], "sentence2": ["c", "d"], "n": [1, 2]}), p)
    ps = load_pairs({"kind": "file", "path": p, "columns": ["sentence1", "sentence2"]}, lang="uz")
    assert ps.pairs == [("a", "c"), ("b", "d")]
    with pytest.raises(DataSourceError, match="not in parquet"):
        load_pairs({"kind": "file", "path": p, "columns": ["x", "y"]}, lang="uz")


def test_hygiene_keys_in_spec(tmp_path):
    p = _write(tmp_path / "p.tsv", "".join(f"s{i} a\tt{i} b\n" for i in range(20)))
    ps = load_pairs({"kind": "file", "path": p, "columns": [0, 1], "cap": 5, "seed": 1}, lang="uz")
    assert len(ps) == 5 and ps.counts["cap"] == 5
    assert ps.pairs == load_pairs({"kind": "file", "path": p, "columns": [0, 1], "cap": 5, "seed": 1}, lang="uz").pairs


@pytest.mark.parametrize(
    "spec, err, match",
    [
        ({"kind": "nope"}, SourceSpecError, "kind"),
        ({"kind": "file"}, SourceSpecError, "path"),
        ({"kind": "file", "path": "x.tsv", "colums": [0, 1]}, SourceSpecError, "unknown keys"),
        ({"kind": "hf", "id": "x"}, SourceSpecError, "columns"),
        ({"kind": "file", "path": "/does/not/exist.tsv", "columns": [0, 1]}, DataSourceError, "does not exist"),
    ],
)
def test_bad_specs(spec, err, match):
    with pytest.raises(err, match=match):
        load_pairs(spec, lang="uz")


def test_bad_files(tmp_path):
    p = _write(tmp_path / "p.doc", "x")
    with pytest.raises(DataSourceError, match="unsupported"):
        load_pairs({"kind": "file", "path": p, "columns": [0, 1]}, lang="uz")
    p = _write(tmp_path / "p.tsv", "only-one-field\n")
    with pytest.raises(DataSourceError, match=":1: row has 1 fields"):
        load_pairs({"kind": "file", "path": p, "columns": [0, 1]}, lang="uz")
    p = _write(tmp_path / "p.jsonl", '{"en": "x"}\n')
    with pytest.raises(DataSourceError, match="missing one of the columns"):
        load_pairs({"kind": "file", "path": p, "columns": ["en", "uz"]}, lang="uz")
    p = _write(tmp_path / "p.txt", "a\n")
    with pytest.raises(DataSourceError, match="one sentence a line"):
        load_pairs({"kind": "file", "path": p, "columns": [0, 1]}, lang="uz")


def test_hf_source_on_local_files(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    folder = tmp_path / "ds"
    folder.mkdir()
    _write(folder / "train.jsonl", "".join(json.dumps({"anchor": f"a{i}", "positive": f"p{i}"}) + "\n" for i in range(30)))
    ps = load_pairs({"kind": "hf", "id": str(folder), "split": "train", "columns": ["anchor", "positive"], "max_rows": 7}, lang="uz")
    assert ps.pairs[:2] == [("a0", "p0"), ("a1", "p1")] and len(ps) == 7
    assert ps.provenance["kind"] == "hf" and ps.provenance["id"] == str(folder)
    ts = load_texts({"kind": "hf", "id": "json", "data_files": str(folder / "train.jsonl"), "columns": ["anchor"], "max_rows": 3}, lang="uz")
    assert ts.texts == ["a0", "a1", "a2"]
    with pytest.raises(DataSourceError, match="no columns"):
        load_pairs({"kind": "hf", "id": str(folder), "columns": ["x", "y"]}, lang="uz")


def test_hf_offline_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(DatasetOfflineError, match="not cached"):
        load_pairs({"kind": "hf", "id": "someone/not-cached-dataset", "columns": ["a", "b"]}, lang="uz")


def test_harvest_source_pairs_and_texts(catalog_root):
    ps = load_pairs({"kind": "harvest", "roots": [str(catalog_root)], "min_words": 2}, lang="uz")
    assert ps.provenance["kind"] == "harvest" and all(len(en.split()) >= 2 for en, _ in ps.pairs)
    ts = load_texts({"kind": "harvest", "roots": [str(catalog_root)], "min_words": 2, "cap": 3, "seed": 0}, lang="uz")
    assert len(ts) == 3 and set(ts.texts) <= {l for _, l in ps.pairs}
    assert ts.counts["unique_l"] >= 3 and ts.counts["cap"] == 3
