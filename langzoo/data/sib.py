"""SIB-200 / FLORES folders: the one reader of their split files, used by recipe data
sources (``sib``, ``flores-dev``) and by the evaluation suites.

Layout: ``<root>/<code>/<split>.tsv`` (``eng_Latn/dev.tsv``), a TSV with a header
``index_id<TAB>category<TAB>text``, read with quoting off (texts contain ``"``). The
FLORES dev sentences langzoo ships (:mod:`langzoo.data.guard`) use the same layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from langzoo.data.errors import DataSourceError
from langzoo.data.guard import ENGLISH
from langzoo.data.tsv import read_tsv_dicts

SPLITS = ("train", "dev", "test")
REQUIRED = ("index_id", "text")


class SibRow(NamedTuple):
    index_id: str
    category: str  # "" when the file has no category column (FLORES-only folders)
    text: str


class SibFormatError(DataSourceError):
    """A SIB-200 / FLORES split file lacks a column or has a short row."""


def read_split(path: str | Path, required: tuple[str, ...] = REQUIRED) -> list[SibRow]:
    """One split file as rows, in file order; ``required`` columns must be in the header
    (the topic-classification task also needs ``category``)."""
    p = Path(path)
    if not p.is_file():
        raise DataSourceError(f"SIB-200 split file not found: {p}")
    needed = list(dict.fromkeys((*REQUIRED, *required)))
    return [SibRow(r["index_id"], r.get("category") or "", r["text"])
            for r in read_tsv_dicts(p, needed, SibFormatError)]


def split_file(root: str | Path, code: str, split: str) -> Path:
    return Path(root) / code / f"{split}.tsv"


def english_pairs(root: str | Path, code: str, split: str = "dev") -> tuple[list[tuple[str, str]], list[Path]]:
    """(en, L) pairs of ``<root>/eng_Latn/<split>.tsv`` and ``<root>/<code>/<split>.tsv`` joined on
    ``index_id`` (numeric order; pairs with an empty side dropped), and the two files read."""
    files = [split_file(root, ENGLISH, split), split_file(root, code, split)]
    for f in files:
        if not f.is_file():
            raise DataSourceError(f"sib source: {f} not found (expected SIB-200 folders like {root}/eng_Latn/{split}.tsv)")
    en, other = ({r.index_id: r.text for r in read_split(f)} for f in files)
    pairs = [(en[k].strip(), other[k].strip()) for k in sorted(en, key=lambda k: int(k) if k.isdigit() else k)
             if k in other and en[k].strip() and other[k].strip()]
    return pairs, files
