"""Shard files of a corpus run, written atomically so that a shard file on disk is
always a finished shard: resuming only has to look at which files exist.

Parquet: ``part-00000.parquet`` with columns ``id`` and ``embedding`` (fixed-size
list of float32). npy: ``shard-00000.npy`` (float32 rows) and ``shard-00000.ids.json``
(the ids; written first, the .npy last marks the shard done). ``run.json`` records
the run's settings so that a resume with other settings is refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from langzoo.errors import InvalidInputError

FORMATS = ("parquet", "npy")
RUN_FILE = "run.json"


def shard_file(out: Path, index: int, fmt: str) -> Path:
    return out / (f"part-{index:05d}.parquet" if fmt == "parquet" else f"shard-{index:05d}.npy")


def is_done(out: Path, index: int, fmt: str) -> bool:
    return shard_file(out, index, fmt).is_file()


def write_shard(out: Path, index: int, fmt: str, ids: list, vectors: np.ndarray) -> Path:
    target = shard_file(out, index, fmt)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        flat = pa.array(vectors.reshape(-1), type=pa.float32())
        emb = pa.FixedSizeListArray.from_arrays(flat, vectors.shape[1])
        pq.write_table(pa.table({"id": pa.array(ids), "embedding": emb}), tmp)
    else:
        ids_file = target.with_name(f"shard-{index:05d}.ids.json")
        ids_tmp = ids_file.with_name(f".{ids_file.name}.{os.getpid()}.tmp")
        ids_tmp.write_text(json.dumps(ids))
        os.replace(ids_tmp, ids_file)
        with open(tmp, "wb") as fh:
            np.save(fh, vectors)
    os.replace(tmp, target)
    return target


def check_run(out: Path, settings: dict) -> None:
    """Start a run in ``out`` or resume one with the same settings."""
    out.mkdir(parents=True, exist_ok=True)
    file = out / RUN_FILE
    if file.is_file():
        old = json.loads(file.read_text())
        changed = sorted(k for k in set(old) | set(settings) if old.get(k) != settings.get(k))
        if changed:
            raise InvalidInputError(f"{out} holds a run with other settings ({', '.join(changed)} differ); "
                                    "use a new output folder, or delete it to start again")
        return
    file.write_text(json.dumps(settings, indent=2))


def load_embeddings(out: str | Path) -> tuple[list, np.ndarray]:
    """All ids and vectors of a finished run, in input order."""
    out = Path(out)
    settings = json.loads((out / RUN_FILE).read_text())
    fmt, n = settings["format"], settings["shards"]
    ids: list = []
    parts = []
    for i in range(n):
        path = shard_file(out, i, fmt)
        if not path.is_file():
            raise InvalidInputError(f"{out}: shard {i} of {n} is missing; run `zoo encode` again to finish it")
        if fmt == "parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            ids += table.column("id").to_pylist()
            emb = table.column("embedding").combine_chunks()
            parts.append(emb.flatten().to_numpy().reshape(len(table), -1))
        else:
            ids += json.loads(path.with_name(f"shard-{i:05d}.ids.json").read_text())
            parts.append(np.load(path, allow_pickle=False))
    return ids, (np.concatenate(parts) if parts else np.zeros((0, 0), np.float32))
