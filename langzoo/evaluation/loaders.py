"""Readers for evaluation data files; each returns a ready :class:`~langzoo.evaluation.tasks.Task`.

Formats (all UTF-8):

* STS17 TSV: ``score<TAB>sentence1<TAB>sentence2``, no header.
* SICK (SICK-NL, SICK-PL): TSV with header; ``sentence_A``, ``sentence_B``,
  ``relatedness_score``; SICK-NL also has ``SemEval_set`` (TRAIN/TRIAL/TEST) and the
  English originals ``sentence_A_original``/``sentence_B_original``.
* Tatoeba: two line-aligned files, one sentence per line.
* SIB-200: per-language folder with ``train.tsv``/``dev.tsv``/``test.tsv``, TSV
  ``index_id, category, text`` with a header, read with quoting off (texts contain ``"``).
* SemRel 2024 (STR24): CSV ``PairID,Text,Score``; ``Text`` holds the two sentences
  as its two lines.
* Generic: a TSV with header or a JSONL file of pairs (``sentence1``, ``sentence2``,
  ``score``) for STS/STR/bitext, or of (``text``, ``label``) for classification.

``max_items`` keeps N items evenly spread over each file (deterministic, for quick runs).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from langzoo.data import sib
from langzoo.data.errors import DataError
from langzoo.data.tsv import read_tsv_dicts
from langzoo.evaluation.errors import DatasetFormatError, DatasetUnavailableError
from langzoo.evaluation.tasks import (
    BitextTask,
    ClassificationTask,
    MultiParallelSTSTask,
    PairSimilarityTask,
    RSIMTask,
    canonical,
)

SIB_SPLITS = sib.SPLITS

# Cells of real files can be long (SICK-NL rows hold 12 columns of sentences).
csv.field_size_limit(1 << 24)


def _existing(path: str | Path) -> Path:
    p = Path(path)
    if not p.is_file():
        raise DatasetUnavailableError(f"evaluation file not found: {p}")
    return p


def _cap(items: list, max_items: int | None) -> list:
    """At most ``max_items`` items, evenly spread over the list (first and last included).

    Spread rather than a prefix: real files are often sorted by label or score
    (SIB-200 test files are grouped by category), and a prefix would then hold a
    single class.
    """
    if max_items is not None and max_items < 1:
        raise ValueError(f"max_items must be ≥1, got {max_items}")
    if max_items is None or len(items) <= max_items:
        return items
    if max_items == 1:
        return items[:1]
    step = (len(items) - 1) / (max_items - 1)
    return [items[round(i * step)] for i in range(max_items)]


def _float(value: str, where: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise DatasetFormatError(f"{where}: score {value!r} is not a number") from None


def _read_tsv_dicts(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    """TSV with a header, quoting off; checks that the ``required`` columns exist."""
    return read_tsv_dicts(path, required, DatasetFormatError)


# ---------------------------------------------------------------------------- STS / STR


def read_sts_tsv(path, lang1: str, lang2: str, *, name: str | None = None, family: str = "sts",
                 kind: str = "sts", max_items: int | None = None) -> PairSimilarityTask:
    """STS17-style TSV ``score<TAB>sentence1<TAB>sentence2`` (no header; a header line is skipped)."""
    p = _existing(path)
    s1, s2, gold = [], [], []
    with p.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise DatasetFormatError(f"{p}:{lineno}: expected 3 tab-separated fields "
                                         f"(score, sentence1, sentence2), got {len(parts)}")
            try:
                score = float(parts[0])
            except ValueError:
                if lineno == 1 and not gold:  # a header such as "score\tsentence1\tsentence2"
                    continue
                raise DatasetFormatError(f"{p}:{lineno}: score {parts[0]!r} is not a number") from None
            gold.append(score)
            s1.append(parts[1])
            s2.append(parts[2])
    keep = _cap(list(range(len(gold))), max_items)
    return PairSimilarityTask(name or p.stem, family, [s1[i] for i in keep], [s2[i] for i in keep],
                              [gold[i] for i in keep], lang1, lang2, kind=kind, source=str(p))


def _sick_rows(path: Path, split: str | None) -> list[dict[str, str]]:
    rows = _read_tsv_dicts(path, ["pair_ID", "sentence_A", "sentence_B", "relatedness_score"])
    if split and rows and "SemEval_set" in rows[0]:
        rows = [r for r in rows if r["SemEval_set"].strip().upper() == split.upper()]
        if not rows:
            raise DatasetFormatError(f"{path}: no rows with SemEval_set == {split!r}")
    return rows


def read_sick(path, lang: str, *, split: str | None = "TEST", name: str | None = None, family: str = "sick",
              max_items: int | None = None) -> PairSimilarityTask:
    """SICK relatedness TSV (SICK-NL, SICK-PL): Spearman against ``relatedness_score``.

    ``split`` filters on ``SemEval_set`` when the file has that column (SICK-NL
    ships all splits in one file); files without it (SICK-PL test) are used whole.
    """
    p = _existing(path)
    rows = _cap(_sick_rows(p, split), max_items)
    return PairSimilarityTask(
        name or p.stem, family,
        [r["sentence_A"] for r in rows], [r["sentence_B"] for r in rows],
        [_float(r["relatedness_score"], f"{p} pair {r['pair_ID']}") for r in rows],
        lang, lang, kind="sts", source=str(p),
    )


def read_sick_multiparallel(files: Mapping[str, str | Path], *, english_from: str | None = None,
                            split: str | None = "TEST", name: str = "sick-x", family: str = "sick",
                            max_items: int | None = None) -> MultiParallelSTSTask:
    """A multi-parallel SICK set: translations of the same pairs joined on ``pair_ID``.

    ``files`` maps a language to its SICK file. If ``english_from`` names one of
    them, English is added from that file's ``sentence_A_original`` /
    ``sentence_B_original`` columns (SICK-NL has them). Only pair_IDs present in
    every file are kept (SICK-PL ships only the test split), in the order of the
    first file; gold scores come from the first file.
    """
    if not files:
        raise DatasetFormatError("read_sick_multiparallel needs at least one file")
    tables = {canonical(lang): {r["pair_ID"]: r for r in _sick_rows(_existing(p), split)} for lang, p in files.items()}
    first = next(iter(tables.values()))
    ids = [i for i in first if all(i in t for t in tables.values())]
    ids = _cap(ids, max_items)
    if not ids:
        raise DatasetFormatError(f"{name}: the SICK files share no pair_ID")
    s1 = {lang: [t[i]["sentence_A"] for i in ids] for lang, t in tables.items()}
    s2 = {lang: [t[i]["sentence_B"] for i in ids] for lang, t in tables.items()}
    if english_from is not None:
        src = tables[canonical(english_from)]
        if "sentence_A_original" not in src[ids[0]]:
            raise DatasetFormatError(f"{files[english_from]}: no sentence_A_original column to take English from")
        # English first: it is the pivot, and score labels read "en-nl", "en-pl", ...
        s1 = {"eng_Latn": [src[i]["sentence_A_original"] for i in ids], **s1}
        s2 = {"eng_Latn": [src[i]["sentence_B_original"] for i in ids], **s2}
    gold = [_float(first[i]["relatedness_score"], f"{name} pair {i}") for i in ids]
    source = ", ".join(str(p) for p in files.values())
    return MultiParallelSTSTask(name, family, s1, s2, gold, source=source)


def read_str24_csv(path, lang: str, *, name: str | None = None, family: str = "str24",
                   max_items: int | None = None) -> PairSimilarityTask:
    """SemRel 2024 CSV ``PairID,Text,Score``; the two sentences are the two lines of ``Text``."""
    p = _existing(path)
    s1, s2, gold = [], [], []
    with p.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ("PairID", "Text", "Score") if c not in (reader.fieldnames or [])]
        if missing:
            raise DatasetFormatError(f"{p}: missing column(s) {missing}; header is {reader.fieldnames}")
        for row in reader:
            lines = row["Text"].replace("\r\n", "\n").split("\n")
            if len(lines) != 2:
                raise DatasetFormatError(f"{p}: pair {row['PairID']}: Text has {len(lines)} lines, expected 2")
            s1.append(lines[0])
            s2.append(lines[1])
            gold.append(_float(row["Score"], f"{p} pair {row['PairID']}"))
    keep = _cap(list(range(len(gold))), max_items)
    return PairSimilarityTask(name or p.stem, family, [s1[i] for i in keep], [s2[i] for i in keep],
                              [gold[i] for i in keep], lang, lang, kind="str", source=str(p))


# ---------------------------------------------------------------------------- bitext


def _read_lines(p: Path) -> list[str]:
    with p.open(encoding="utf-8") as f:
        return [line.rstrip("\r\n") for line in f]


def read_tatoeba(src_path, tgt_path, src_lang: str, tgt_lang: str, *, name: str | None = None,
                 family: str = "tatoeba", max_items: int | None = None) -> BitextTask:
    """Two line-aligned files (Tatoeba/LASER layout): line i of one translates line i of the other."""
    sp, tp = _existing(src_path), _existing(tgt_path)
    src, tgt = _read_lines(sp), _read_lines(tp)
    if len(src) != len(tgt):
        raise DatasetFormatError(f"{sp} has {len(src)} lines but {tp} has {len(tgt)}: not line-aligned")
    keep = _cap(list(range(len(src))), max_items)
    return BitextTask(name or sp.stem, family, {src_lang: [src[i] for i in keep], tgt_lang: [tgt[i] for i in keep]},
                      source=f"{sp}, {tp}")


# ---------------------------------------------------------------------------- SIB-200


def read_sib_split(path) -> list[tuple[str, str, str]]:
    """One SIB-200 split file as (index_id, category, text) rows (:func:`langzoo.data.sib.read_split`)."""
    p = _existing(path)
    try:
        rows = sib.read_split(p, required=("index_id", "category", "text"))
    except DataError as exc:
        raise DatasetFormatError(str(exc)) from exc
    return [tuple(r) for r in rows]


def read_sib(folder, languages: Sequence[str] | None = None) -> dict[str, dict[str, list[tuple[str, str, str]]]]:
    """A SIB-200 folder: ``{canonical lang: {split: rows}}`` for every ``<lang>/`` that has split files."""
    root = Path(folder)
    if not root.is_dir():
        raise DatasetUnavailableError(f"SIB-200 folder not found: {root}")
    wanted = {canonical(x) for x in languages} if languages else None
    data = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        lang = canonical(sub.name)
        if wanted is not None and lang not in wanted:
            continue
        splits = {s: read_sib_split(sub / f"{s}.tsv") for s in SIB_SPLITS if (sub / f"{s}.tsv").is_file()}
        if splits:
            data[lang] = splits
    if not data:
        raise DatasetUnavailableError(f"{root}: no <language>/{{train,dev,test}}.tsv folders found")
    return data


def sib_classification_task(data, *, source_lang="eng_Latn", name="sib-topic", family="sib",
                            max_items: int | None = None, source="") -> ClassificationTask:
    """Train on ``train``, test on ``test`` per language; zero-shot from ``source_lang``."""
    def cols(rows):
        rows = _cap(rows, max_items)
        return [r[2] for r in rows], [r[1] for r in rows]
    train = {lang: cols(s["train"]) for lang, s in data.items() if "train" in s}
    test = {lang: cols(s["test"]) for lang, s in data.items() if "test" in s}
    return ClassificationTask(name, family, train, test, source_lang=source_lang, source=source)


# FLORES mining and RSIM leave SIB's dev split out: `zoo build` selects checkpoints on
# those 99 sentences (data.real_dev.kind=sib, split dev), so scoring them here would
# grade a pack on the sentences it was selected by.
MINING_SPLITS = ("train", "test")


def sib_parallel_sentences(data, max_items: int | None = None,
                           splits: Sequence[str] = MINING_SPLITS) -> dict[str, list[str]]:
    """The multi-parallel FLORES sentences behind SIB-200: the given splits (by default
    train and test, 905 ids), joined on ``index_id``.

    Only ids present in every language are kept, ordered by numeric id.
    """
    by_lang = {lang: {r[0]: r[2] for split in splits for r in s.get(split, [])} for lang, s in data.items()}
    common = set.intersection(*(set(v) for v in by_lang.values()))
    ids = _cap(sorted(common, key=lambda i: (len(i), i)), max_items)
    if not ids:
        raise DatasetFormatError(f"SIB-200 languages share no index_id in the {'/'.join(splits)} split(s)")
    return {lang: [m[i] for i in ids] for lang, m in by_lang.items()}


def sib_bitext_task(data, *, name="sib-flores-bitext", family="sib", max_items=None, source="") -> BitextTask:
    return BitextTask(name, family, sib_parallel_sentences(data, max_items), source=source)


def sib_rsim_task(data, *, pivot="eng_Latn", name="sib-flores-rsim", family="sib", max_items=None,
                  source="") -> RSIMTask:
    return RSIMTask(name, family, sib_parallel_sentences(data, max_items), pivot=pivot, source=source)


# ---------------------------------------------------------------------------- generic files

_PAIR_COLUMNS = {
    "sentence1": ("sentence1", "sentence_1", "sentence_A", "s1", "text1", "src", "source"),
    "sentence2": ("sentence2", "sentence_2", "sentence_B", "s2", "text2", "tgt", "target"),
    "score": ("score", "relatedness_score", "similarity_score", "similarity", "label", "gold"),
    "text": ("text", "sentence", "sentence1"),
    "label": ("label", "category", "topic"),
}


def read_records(path) -> list[dict]:
    """Rows of a generic TSV-with-header (``.tsv``/``.txt``) or JSONL (``.jsonl``/``.json``) file."""
    p = _existing(path)
    if p.suffix.lower() in (".jsonl", ".json"):
        rows = []
        with p.open(encoding="utf-8") as f:
            for lineno, line in enumerate(f, start=1):
                if line.strip():
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise DatasetFormatError(f"{p}:{lineno}: not a JSON object per line: {e}") from None
                    if not isinstance(obj, dict):
                        raise DatasetFormatError(f"{p}:{lineno}: expected a JSON object, got {type(obj).__name__}")
                    rows.append(obj)
        return rows
    if p.suffix.lower() in (".tsv", ".txt", ".tab"):
        return _read_tsv_dicts(p, [])
    raise DatasetFormatError(f"{p}: unsupported extension {p.suffix!r}; use .tsv (with header) or .jsonl")


def _pick(rows: list[dict], role: str, override: str | None, where: str) -> str:
    if not rows:
        raise DatasetFormatError(f"{where}: no rows")
    keys = rows[0].keys()
    for cand in ([override] if override else _PAIR_COLUMNS[role]):
        if cand in keys:
            return cand
    raise DatasetFormatError(f"{where}: no {role} column (tried {[override] if override else list(_PAIR_COLUMNS[role])}); "
                             f"columns are {list(keys)}")


def pairs_task_from_records(rows: list[dict], kind: str, lang1: str, lang2: str | None, *, name: str,
                            family: str, columns: Mapping[str, str] | None = None, max_items: int | None = None,
                            source: str = ""):
    """STS/STR pairs (with score) or bitext pairs from dict rows, picking columns by common names."""
    columns = dict(columns or {})
    lang2 = lang2 or lang1
    rows = _cap(rows, max_items)
    c1 = _pick(rows, "sentence1", columns.get("sentence1"), name)
    c2 = _pick(rows, "sentence2", columns.get("sentence2"), name)
    s1 = [str(r[c1]) for r in rows]
    s2 = [str(r[c2]) for r in rows]
    if kind == "bitext":
        return BitextTask(name, family, {lang1: s1, lang2: s2}, source=source)
    if kind not in ("sts", "str"):
        raise DatasetFormatError(f"{name}: pair files support kinds sts, str, bitext; got {kind!r}")
    cs = _pick(rows, "score", columns.get("score"), name)
    gold = [_float(r[cs], f"{name} row {i}") for i, r in enumerate(rows)]
    return PairSimilarityTask(name, family, s1, s2, gold, lang1, lang2, kind=kind, source=source)


def read_pairs_file(path, kind: str, lang1: str, lang2: str | None = None, *, name: str | None = None,
                    family: str = "custom", columns: Mapping[str, str] | None = None,
                    max_items: int | None = None):
    """Generic TSV/JSONL of sentence pairs: ``kind`` is ``sts``, ``str`` or ``bitext``."""
    p = Path(path)
    return pairs_task_from_records(read_records(p), kind, lang1, lang2, name=name or p.stem, family=family,
                                   columns=columns, max_items=max_items, source=str(p))


def classification_task_from_records(train: Mapping[str, list[dict]], test: Mapping[str, list[dict]], *, name: str,
                                     family: str, source_lang: str = "eng_Latn",
                                     columns: Mapping[str, str] | None = None, max_items: int | None = None,
                                     source: str = "") -> ClassificationTask:
    """Classification from per-language train/test dict rows (``text``, ``label`` columns)."""
    columns = dict(columns or {})

    def cols(rows, where):
        rows = _cap(rows, max_items)
        ct = _pick(rows, "text", columns.get("text"), where)
        cl = _pick(rows, "label", columns.get("label"), where)
        return [str(r[ct]) for r in rows], [str(r[cl]) for r in rows]

    return ClassificationTask(
        name, family,
        {lang: cols(rows, f"{name}/train/{lang}") for lang, rows in train.items()},
        {lang: cols(rows, f"{name}/test/{lang}") for lang, rows in test.items()},
        source_lang=source_lang, source=source,
    )


def read_classification_files(train: Mapping[str, str | Path], test: Mapping[str, str | Path], *,
                              name: str = "classification", family: str = "custom", source_lang: str = "eng_Latn",
                              columns: Mapping[str, str] | None = None,
                              max_items: int | None = None) -> ClassificationTask:
    """Generic classification: per-language train and test TSV/JSONL files with text and label columns."""
    return classification_task_from_records(
        {lang: read_records(p) for lang, p in train.items()},
        {lang: read_records(p) for lang, p in test.items()},
        name=name, family=family, source_lang=source_lang, columns=columns, max_items=max_items,
        source=", ".join(str(p) for p in [*train.values(), *test.values()]),
    )
