"""Streaming corpus input: text (one text per line), JSON lines, Parquet; ``.gz`` for
the first two. Nothing here holds more than one shard of rows in memory.

A corpus is one or more files (a folder means its corpus files, sorted by name); rows
are numbered across files in that order. Shards never span files, so a shard is
(file, first row in the file, row count) and can be re-read on its own by any
process: that is what makes runs resumable and the Ray engine possible.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from langzoo.errors import InvalidInputError

TEXT_SUFFIXES = (".txt", ".txt.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz")
PARQUET_SUFFIXES = (".parquet",)


def file_format(path: Path) -> str:
    name = path.name.lower()
    for fmt, suffixes in (("txt", TEXT_SUFFIXES), ("jsonl", JSONL_SUFFIXES), ("parquet", PARQUET_SUFFIXES)):
        if name.endswith(suffixes):
            return fmt
    raise InvalidInputError(f"{path}: unknown corpus format; use .txt, .jsonl or .parquet (text and JSON lines "
                            "may be .gz)")


def corpus_files(inputs: list[str]) -> list[Path]:
    files: list[Path] = []
    for item in inputs:
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and _is_corpus_file(p))
            if not found:
                raise InvalidInputError(f"{path} holds no .txt, .jsonl or .parquet files")
            files += found
        elif path.is_file():
            file_format(path)
            files.append(path)
        else:
            raise InvalidInputError(f"Input not found: {item}")
    return files


def _is_corpus_file(path: Path) -> bool:
    try:
        file_format(path)
        return True
    except InvalidInputError:
        return False


@dataclass(frozen=True)
class Fields:
    """Where texts, ids and language hints are in JSON lines / Parquet rows."""

    text: str = "text"
    id: str | None = None  # None: ids are the global row numbers
    lang: str | None = None  # None: every text gets the run's --lang (or is detected)


@dataclass(frozen=True)
class Rows:
    texts: list[str]
    ids: list | None  # from the id field, or None (the caller numbers the rows)
    langs: list[str | None] | None


def iter_rows(path: Path, fields: Fields, chunk: int, start: int = 0, offset: int | None = None) -> Iterator[Rows]:
    """Rows of one file from row ``start``, ``chunk`` rows at a time. ``offset``: the
    byte offset of row ``start`` in a text/JSON-lines file (from :func:`scan`), so
    that the file is not read from its beginning."""
    fmt = file_format(path)
    if fmt == "parquet":
        yield from _parquet_rows(path, fields, chunk, start)
        return
    skip = 0 if offset is not None else start
    buf: list[str] = []
    row = start
    for n, line in enumerate(_lines(path, offset or 0)):
        if n < skip:
            continue
        buf.append(line)
        if len(buf) == chunk:
            yield _parse(buf, fmt, fields, path, row)
            row += len(buf)
            buf = []
    if buf:
        yield _parse(buf, fmt, fields, path, row)


def read_range(path: Path, fields: Fields, start: int, count: int, offset: int | None = None) -> Rows:
    """``count`` rows of ``path`` from row ``start`` (one shard)."""
    for rows in iter_rows(path, fields, count, start, offset):
        return rows
    return Rows([], None, None)


def scan(path: Path, shard_size: int) -> tuple[int, list[int | None]]:
    """Row count of ``path`` and the byte offset where each shard of ``shard_size`` rows
    starts (None for Parquet, whose row groups are found from its footer)."""
    if file_format(path) == "parquet":
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(path).metadata.num_rows
        return rows, [None] * -(-rows // shard_size)
    offsets: list[int | None] = []
    pos = rows = 0
    with _open(path) as raw:
        for line in raw:  # bytes: b"\n" is only ever a line end in UTF-8
            if rows % shard_size == 0:
                offsets.append(pos)
            pos += len(line)
            rows += 1
    return rows, offsets


def _open(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _lines(path: Path, offset: int = 0) -> Iterator[str]:
    """Lines split at '\\n' only (like `zoo encode` on a text file), UTF-8, streamed."""
    raw = _open(path)
    if offset:
        raw.seek(offset)  # a .gz file decompresses up to it: prefer Parquet for big Ray runs
    with raw, io.TextIOWrapper(raw, encoding="utf-8-sig" if not offset else "utf-8", newline="\n") as text:
        n = 0
        try:
            for n, line in enumerate(text, 1):
                line = line[:-1] if line.endswith("\n") else line
                yield line[:-1] if line.endswith("\r") else line
        except UnicodeDecodeError:
            raise InvalidInputError(f"{path} is not UTF-8 text (after line {n})") from None


def _parse(lines: list[str], fmt: str, fields: Fields, path: Path, first: int) -> Rows:
    if fmt == "txt":
        return Rows(lines, None, None)
    records = []
    for i, line in enumerate(lines):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"{path} line {first + i + 1} is not JSON: {exc}") from None
        if not isinstance(records[-1], dict):
            raise InvalidInputError(f"{path} line {first + i + 1}: expected a JSON object")
    return _from_columns({k: [r.get(k) for r in records] for k in _wanted(fields)}, fields, path, first)


def _parquet_rows(path: Path, fields: Fields, chunk: int, start: int) -> Iterator[Rows]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    missing = [c for c in _wanted(fields) if c not in pf.schema_arrow.names]
    if missing:
        raise InvalidInputError(f"{path} has no column(s) {', '.join(missing)} (columns: "
                                f"{', '.join(pf.schema_arrow.names)}); set --text-field/--id-field/--lang-field")
    # Skip whole row groups before ``start`` without reading them.
    first, seen = 0, 0
    while first < pf.num_row_groups and seen + pf.metadata.row_group(first).num_rows <= start:
        seen += pf.metadata.row_group(first).num_rows
        first += 1
    groups = list(range(first, pf.num_row_groups))
    skip = start - seen
    buf: dict[str, list] = {c: [] for c in _wanted(fields)}
    row = start
    for batch in pf.iter_batches(batch_size=max(chunk, 1024), row_groups=groups, columns=_wanted(fields)):
        cols = batch.to_pydict()
        if skip:
            cols = {k: v[skip:] for k, v in cols.items()}
            skip = max(0, skip - batch.num_rows)
        for k, v in cols.items():
            buf[k] += v
        while len(buf[fields.text]) >= chunk:
            yield _from_columns({k: v[:chunk] for k, v in buf.items()}, fields, path, row)
            buf = {k: v[chunk:] for k, v in buf.items()}
            row += chunk
    if buf[fields.text]:
        yield _from_columns(buf, fields, path, row)


def _wanted(fields: Fields) -> list[str]:
    return [c for c in (fields.text, fields.id, fields.lang) if c]


def _from_columns(cols: dict[str, list], fields: Fields, path: Path, first: int) -> Rows:
    texts = cols[fields.text]
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InvalidInputError(f"{path} row {first + i + 1}: '{fields.text}' is "
                                    f"{'missing' if t is None else type(t).__name__}, not text")
    langs = cols.get(fields.lang) if fields.lang else None
    if langs is not None and any(x is not None and not isinstance(x, str) for x in langs):
        raise InvalidInputError(f"{path}: '{fields.lang}' must hold language codes or nulls")
    return Rows(texts, cols[fields.id] if fields.id else None, langs)
