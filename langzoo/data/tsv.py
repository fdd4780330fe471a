"""The one reader of headed TSV files (SIB-200/FLORES splits, SICK, STR): quoting off,
because real texts contain ``"``; a missing column or a short row is a specific error."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path


def read_tsv_dicts(path: str | Path, required: Sequence[str], error: type[Exception]) -> list[dict[str, str]]:
    """Rows of ``path`` as dicts keyed by its header; raises ``error`` (the caller's
    error type, naming the file and line) when a ``required`` column or cell is missing."""
    csv.field_size_limit(sys.maxsize)  # cells of real files can be long
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise error(f"{path}: missing column(s) {missing}; header is {reader.fieldnames}")
        rows = []
        for lineno, row in enumerate(reader, start=2):
            if any(row.get(c) is None for c in required):
                raise error(f"{path}:{lineno}: row has fewer columns than the header")
            rows.append(row)
    return rows
