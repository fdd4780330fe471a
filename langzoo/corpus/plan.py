"""A corpus run as a list of shards, and the encoding of one shard. Both engines run
the same plan with the same `encode_shard`, so their outputs are identical."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from langzoo.corpus.output import write_shard
from langzoo.corpus.sources import Fields, read_range, scan


@dataclass(frozen=True)
class ShardSpec:
    index: int
    file: str
    start: int  # first row within the file
    count: int
    offset: int | None  # byte offset of the first row (text/JSON lines), None for Parquet
    first_id: int  # global row number of the first row: the id when no id field is given


@dataclass(frozen=True)
class Job:
    """What every shard of a run shares."""

    out: str
    fmt: str
    fields: Fields
    lang: str | None = None
    batch_size: int = 32

    def to_dict(self) -> dict:
        return {**asdict(self), "fields": asdict(self.fields)}

    @classmethod
    def from_dict(cls, data: dict) -> "Job":
        return cls(**{**data, "fields": Fields(**data["fields"])})


def make_plan(files: list[Path], shard_size: int) -> list[ShardSpec]:
    if shard_size < 1:
        raise ValueError("shard_size must be at least 1")
    plan: list[ShardSpec] = []
    first = 0
    for file in files:
        rows, offsets = scan(file, shard_size)
        for k, offset in enumerate(offsets):
            start = k * shard_size
            plan.append(ShardSpec(len(plan), str(file), start, min(shard_size, rows - start), offset, first + start))
        first += rows
    return plan


def encode_shard(zoo, spec: ShardSpec, job: Job) -> int:
    """Read, encode and write one shard; returns its row count."""
    rows = read_range(Path(spec.file), job.fields, spec.start, spec.count, spec.offset)
    if len(rows.texts) != spec.count:
        raise RuntimeError(f"{spec.file} changed during the run: shard {spec.index} expected {spec.count} rows "
                           f"from row {spec.start}, found {len(rows.texts)}")
    langs = rows.langs
    if langs is not None and job.lang is not None:
        langs = [x if x is not None else job.lang for x in langs]  # a row's own hint wins
    vectors = zoo.encode(rows.texts, lang=langs if langs is not None else job.lang, batch_size=job.batch_size,
                         show_progress_bar=False)
    ids = rows.ids if rows.ids is not None else list(range(spec.first_id, spec.first_id + spec.count))
    write_shard(Path(job.out), spec.index, job.fmt, ids, vectors)
    return spec.count
