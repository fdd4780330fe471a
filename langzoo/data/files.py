"""Read rows from local data files: .txt, .tsv, .csv, .jsonl/.json, .parquet, optionally .gz/.bz2/.xz."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
from collections.abc import Iterator, Sequence
from pathlib import Path

from langzoo.data.errors import DataSourceError

_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
FORMATS = ("txt", "tsv", "csv", "jsonl", "parquet")


def file_format(path: Path) -> tuple[str, str | None]:
    """(format, compression) from the file name, e.g. ``x.tsv.gz`` → ("tsv", ".gz")."""
    suffixes = [s.lower() for s in path.suffixes]
    compression = suffixes[-1] if suffixes and suffixes[-1] in _OPENERS else None
    if compression:
        suffixes = suffixes[:-1]
    ext = suffixes[-1].lstrip(".") if suffixes else ""
    ext = {"json": "jsonl", "ndjson": "jsonl", "text": "txt"}.get(ext, ext)
    if ext not in FORMATS:
        raise DataSourceError(f"{path}: unsupported file type {''.join(path.suffixes) or '(none)'}; use one of .txt .tsv .csv .jsonl .parquet (optionally .gz/.bz2/.xz)")
    if ext == "parquet" and compression:
        raise DataSourceError(f"{path}: compressed parquet is not supported (parquet compresses internally)")
    return ext, compression


def _open_text(path: Path, compression: str | None) -> io.TextIOBase:
    if compression:
        return _OPENERS[compression](path, "rt", encoding="utf-8")  # type: ignore[operator]
    return open(path, encoding="utf-8", newline="")


def read_rows(
    path: str | Path,
    columns: Sequence[str | int] | None,
    *,
    header: bool | None = None,
    fmt: str | None = None,
) -> Iterator[tuple[str, ...]]:
    """Yield tuples of the selected ``columns`` (names or 0-based indices) per row.

    ``.txt`` has one column (one sentence a line).  For .tsv/.csv, ``header`` defaults
    to True when ``columns`` are names and False when they are indices.  Rows that lack
    a column or hold a non-string value raise :class:`DataSourceError` naming the row.
    """
    path = Path(path)
    if not path.is_file():
        raise DataSourceError(f"data file {path} does not exist")
    ext, compression = file_format(path)
    ext = fmt or ext
    cols = list(columns) if columns is not None else None
    if ext == "txt":
        if cols not in (None, [0], ["text"]):
            raise DataSourceError(f"{path}: a .txt file has one sentence a line; pairs need a .tsv/.csv/.jsonl/.parquet file")
        with _open_text(path, compression) as f:
            for line in f:
                line = line.strip()
                if line:
                    yield (line,)
        return
    if cols is None:
        raise DataSourceError(f"{path}: give the columns to read, e.g. \"columns\": [\"en\", \"uz\"] or [0, 1]")
    if ext in ("tsv", "csv"):
        use_header = header if header is not None else any(isinstance(c, str) for c in cols)
        with _open_text(path, compression) as f:
            reader = csv.reader(f, delimiter="\t" if ext == "tsv" else ",", quoting=csv.QUOTE_NONE if ext == "tsv" else csv.QUOTE_MINIMAL)
            names: list[str] | None = None
            for lineno, row in enumerate(reader, 1):
                if use_header and names is None:
                    names = row
                    missing = [c for c in cols if isinstance(c, str) and c not in names]
                    if missing:
                        raise DataSourceError(f"{path}: columns {missing} not in header {names}")
                    idx = [names.index(c) if isinstance(c, str) else c for c in cols]
                    continue
                if not use_header:
                    idx = [int(c) for c in cols]
                if not row:
                    continue
                try:
                    yield tuple(row[i] for i in idx)
                except IndexError:
                    raise DataSourceError(f"{path}:{lineno}: row has {len(row)} fields, need columns {cols}") from None
        return
    if ext == "jsonl":
        with _open_text(path, compression) as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    raise DataSourceError(f"{path}:{lineno}: invalid JSON ({exc})") from None
                yield _pick(obj, cols, f"{path}:{lineno}")
        return
    import pyarrow.parquet as pq  # only needed here

    table = pq.read_table(path)
    names = table.column_names
    sel = [names[c] if isinstance(c, int) else c for c in cols]
    missing = [c for c in sel if c not in names]
    if missing:
        raise DataSourceError(f"{path}: columns {missing} not in parquet columns {names}")
    for i, row in enumerate(table.select(sel).to_pylist()):
        yield _pick(row, sel, f"{path}: row {i}")


def _pick(obj: object, cols: list[str | int], where: str) -> tuple[str, ...]:
    try:
        values = tuple(obj[c] for c in cols)  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        raise DataSourceError(f"{where}: missing one of the columns {cols}") from None
    if not all(isinstance(v, str) for v in values):
        raise DataSourceError(f"{where}: columns {cols} must hold strings, got {[type(v).__name__ for v in values]}")
    return values
