"""`zoo encode` in corpus mode: streaming readers, shards, resume, and the Ray engine."""

import gzip
import json
import os

import numpy as np
import pytest

from langzoo.cli import main
from langzoo.corpus.output import load_embeddings
from langzoo.corpus.plan import make_plan
from langzoo.corpus.sources import Fields, corpus_files, read_range
from langzoo.errors import InvalidInputError
from tiny import CORPUS

ROWS = [(f"doc-{i}", t, lang) for i, (t, lang) in enumerate(
    [(t, "uz") for t in CORPUS["uz"]] + [(t, "kk") for t in CORPUS["kk"]] + [(t, None) for t in CORPUS["en"]]
    + [(t, None) for t in CORPUS["de"]])]


def _write_parquet_set(folder, rows, parts=2):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    step = -(-len(rows) // parts)
    for k in range(parts):
        chunk = rows[k * step:(k + 1) * step]
        table = pa.table({"id": [r[0] for r in chunk], "text": [r[1] for r in chunk], "lang": [r[2] for r in chunk]})
        pq.write_table(table, folder / f"part-{k}.parquet", row_group_size=3)
    return folder


@pytest.fixture(scope="module")
def parquet_set(tmp_path_factory):
    return _write_parquet_set(tmp_path_factory.mktemp("corpus") / "in", ROWS)


@pytest.fixture(scope="module")
def zoo_args(tiny_base, tiny_packs):
    return ["--base", str(tiny_base), "--languages", f"{tiny_packs['uz']},{tiny_packs['kk']},{tiny_packs['en']}"]


@pytest.fixture(scope="module")
def reference(tiny_base, tiny_packs):
    from langzoo.runtime.zoo import Zoo

    zoo = Zoo.load(base=str(tiny_base), languages=[str(tiny_packs[k]) for k in ("uz", "kk", "en")])
    return zoo.encode([r[1] for r in ROWS], lang=[r[2] for r in ROWS])


def test_readers_stream_txt_jsonl_gz_and_parquet_alike(tmp_path, parquet_set):
    texts = [r[1] for r in ROWS]
    (tmp_path / "a.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"text": t, "id": i, "lang": l}) + "\n" for i, t, l in ROWS)
    for name, fields in [("a.txt", Fields()), ("a.jsonl.gz", Fields("text", "id", "lang"))]:
        files = corpus_files([str(tmp_path / name)])
        plan = make_plan(files, 4)
        assert [s.count for s in plan] == [4] * 6 + [1]
        got = [t for s in plan for t in read_range(files[0], fields, s.start, s.count, s.offset).texts]
        assert got == texts, name
    files = corpus_files([str(parquet_set)])
    assert [f.name for f in files] == ["part-0.parquet", "part-1.parquet"]
    plan = make_plan(files, 4)
    rows = [read_range(files[0] if s.file.endswith("0.parquet") else files[1], Fields("text", "id", "lang"),
                       s.start, s.count) for s in plan]
    assert [t for r in rows for t in r.texts] == texts
    assert [i for r in rows for i in r.ids] == [r[0] for r in ROWS]
    with pytest.raises(InvalidInputError, match="no column"):
        read_range(files[0], Fields("body"), 0, 2)


def test_local_engine_equals_zoo_encode_and_resumes_without_redoing_shards(
        parquet_set, zoo_args, reference, tmp_path, monkeypatch):
    from langzoo.runtime.zoo import Zoo

    out = tmp_path / "out"
    args = ["encode", "--in", str(parquet_set), "--out", str(out), *zoo_args, "--lang-field", "lang",
            "--id-field", "id", "--shard-size", "4"]
    real_encode, calls = Zoo.encode, []

    def interrupted(self, *a, **k):
        calls.append(len(a[0]))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_encode(self, *a, **k)

    monkeypatch.setattr(Zoo, "encode", interrupted)
    assert main(args) == 130
    finished = sorted(out.glob("part-*.parquet"))
    assert [p.name for p in finished] == ["part-00000.parquet", "part-00001.parquet"]
    stamps = {p: p.stat().st_mtime_ns for p in finished}
    calls.clear()
    monkeypatch.setattr(Zoo, "encode", lambda self, *a, **k: (calls.append(len(a[0])), real_encode(self, *a, **k))[1])
    assert main(args) == 0
    assert len(calls) == len(make_plan(corpus_files([str(parquet_set)]), 4)) - 2  # only the unfinished shards
    assert {p: p.stat().st_mtime_ns for p in finished} == stamps
    ids, vectors = load_embeddings(out)
    assert ids == [r[0] for r in ROWS]
    assert np.abs(vectors - reference).max() <= 1e-5
    with pytest.raises(SystemExit):
        main([*args[:-1], "x"])  # not a number
    assert main([*args[:-1], "5"]) == 1  # other shard size: refused, not mixed


def test_npy_shards_from_jsonl_gz(tmp_path, zoo_args, reference):
    src = tmp_path / "c.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"body": t, "lang": l}) + "\n" for _, t, l in ROWS)
    out = tmp_path / "npy"
    assert main(["encode", "--in", str(src), "--out", str(out), *zoo_args, "--format", "npy", "--text-field", "body",
                 "--lang-field", "lang", "--shard-size", "10"]) == 0
    assert sorted(p.name for p in out.glob("shard-*.npy")) == ["shard-00000.npy", "shard-00001.npy", "shard-00002.npy"]
    ids, vectors = load_embeddings(out)
    assert ids == list(range(len(ROWS)))
    assert np.abs(vectors - reference).max() <= 1e-5


def test_ray_engine_matches_local_engine(parquet_set, zoo_args, reference, tmp_path, capsys):
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    args = ["--in", str(parquet_set), *zoo_args, "--lang-field", "lang", "--id-field", "id", "--shard-size", "4"]
    local, remote = tmp_path / "local", tmp_path / "ray"
    assert main(["encode", "--out", str(local), *args]) == 0
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 1024 * 1024, log_to_driver=False,
             runtime_env={"env_vars": {"LANGZOO_HOME": os.environ["LANGZOO_HOME"], "OMP_NUM_THREADS": "1"}})
    try:
        ray_args = ["encode", "--out", str(remote), *args, "--engine", "ray", "--num-actors", "2",
                    "--cpus-per-actor", "0.5"]
        assert main(ray_args) == 0
        local_ids, local_vectors = load_embeddings(local)
        ray_ids, ray_vectors = load_embeddings(remote)
        assert ray_ids == local_ids == [r[0] for r in ROWS]
        assert np.abs(ray_vectors - local_vectors).max() <= 1e-6
        assert np.abs(ray_vectors - reference).max() <= 1e-5
        # A finished run is not redone: no actor starts, every shard is reported as done.
        stamps = {p: p.stat().st_mtime_ns for p in remote.glob("part-*.parquet")}
        capsys.readouterr()
        assert main(ray_args) == 0
        assert "(0 encoded now, 7 already done)" in capsys.readouterr().out
        assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    finally:
        ray.shutdown()
