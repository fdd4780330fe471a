"""Registry of the known evaluation sets, and discovery of the `dev` suite layout.

The `dev` layout (as in ``shared/data/dev``)::

    DIR/sts17/sts17.<x>-<y>.tsv            STS17 tracks
    DIR/sick/SICK_NL.txt, SICK_PL_test.txt SICK relatedness (Dutch, Polish)
    DIR/tatoeba/tatoeba.<x>-eng.{<x>,eng}  Tatoeba bitext
    DIR/sib/<lang>/{train,dev,test}.tsv    SIB-200 topic classification (+ FLORES bitext, RSIM)
    DIR/str24/<lang>_test.csv              SemRel 2024 track A
    DIR/flores-dev/<lang>/dev.tsv          FLORES dev sentences (the build guard's layout)

Every folder is optional: the suite holds the tasks whose files are there.

The `flores-dev` suite is one such folder on its own (``--data DIR`` with
``<lang>/dev.tsv``), by default the FLORES dev sentences langzoo ships as its build
guard: bitext both ways, RSIM, L–L and L–en ranking for every language against English.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from langzoo.evaluation import loaders
from langzoo.evaluation.errors import DatasetUnavailableError, EvaluationError
from langzoo.evaluation.tasks import ParallelGuardTask, Task


@dataclass(frozen=True)
class DatasetSpec:
    """A known evaluation set: what it is, where the dev layout keeps it, where it lives on the Hub."""

    name: str
    kinds: tuple[str, ...]
    description: str
    dev_path: str  # relative to the dev suite folder
    hf_id: str | None = None
    license: str = ""


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in [
        DatasetSpec("sts17", ("sts",), "SemEval-2017 STS: monolingual (ar-ar, es-es, en-en) and cross-lingual "
                    "(ar-en, es-en) tracks, 250 pairs each, gold 0-5", "sts17", "mteb/sts17-crosslingual-sts",
                    "CC BY-SA 4.0"),
        DatasetSpec("sick-nl", ("sts",), "SICK relatedness translated to Dutch (test split), gold 1-5",
                    "sick/SICK_NL.txt", None, "CC BY-NC-SA 3.0"),
        DatasetSpec("sick-pl", ("sts",), "SICK relatedness translated to Polish (test split), gold 1-5",
                    "sick/SICK_PL_test.txt", None, "CC BY-NC-SA 3.0"),
        DatasetSpec("sick-x", ("sts-x",), "multi-parallel SICK test (English originals, Dutch, Polish joined on "
                    "pair_ID): cross-lingual STS and language bias", "sick", None, "CC BY-NC-SA 3.0"),
        DatasetSpec("tatoeba", ("bitext",), "Tatoeba X-eng test sets (LASER), 1000 pairs each", "tatoeba",
                    "mteb/tatoeba-bitext-mining", "CC BY 2.0 FR"),
        DatasetSpec("sib", ("classification", "bitext", "rsim"), "SIB-200 topic classification (7 classes), "
                    "monolingual and zero-shot from English; its FLORES sentences as a multi-parallel set for "
                    "bitext mining and RSIM", "sib", "Davlan/sib200", "Apache-2.0 / CC BY-SA 4.0"),
        DatasetSpec("flores-dev", ("flores-dev",), "FLORES-200 dev sentences (99, multi-parallel) per language "
                    "against English: bitext both ways, RSIM, L-L and L-en similarity ranking; the build guard",
                    "flores-dev", "openlanguagedata/flores_plus", "CC BY-SA 4.0"),
        DatasetSpec("str24", ("str",), "SemEval-2024 Task 1 (SemRel) track A test, gold 0-1", "str24",
                    "SemRel/SemRel2024", "see SemEval-2024 Task 1"),
    ]
}

# Which language each STS17 column is in. The cross-lingual files do not follow the
# file name's order consistently: in ar-en sentence 1 is English, in es-en it is Spanish.
STS17_COLUMN_LANGS: dict[str, tuple[str, str]] = {
    "ar-en": ("en", "ar"),
    "es-en": ("es", "en"),
    "en-ar": ("en", "ar"),
    "en-es": ("en", "es"),
}

SUITES = ("dev", "flores-dev")

_STS17 = re.compile(r"^sts17\.([a-z]{2,3})-([a-z]{2,3})\.tsv$")
_TATOEBA = re.compile(r"^tatoeba\.([a-z]{3})-eng\.([a-z]{3})$")
_STR24 = re.compile(r"^([a-z]{3})_test\.csv$")


def _dev_tasks(root: Path, max_items: int | None) -> list[Task]:
    """Every task whose files exist under ``root`` (dev layout), in a stable order."""
    tasks: list[Task] = []
    sts = root / "sts17"
    if sts.is_dir():
        for f in sorted(sts.iterdir()):
            m = _STS17.match(f.name)
            if m:
                pair = f"{m[1]}-{m[2]}"
                l1, l2 = STS17_COLUMN_LANGS.get(pair, (m[1], m[2]))
                tasks.append(loaders.read_sts_tsv(f, l1, l2, name=f"sts17-{pair}", family="sts17",
                                                  max_items=max_items))
    sick = root / "sick"
    nl, pl = sick / "SICK_NL.txt", sick / "SICK_PL_test.txt"
    if nl.is_file():
        tasks.append(loaders.read_sick(nl, "nl", name="sick-nl", max_items=max_items))
    if pl.is_file():
        tasks.append(loaders.read_sick(pl, "pl", name="sick-pl", max_items=max_items))
    if nl.is_file():
        files = {"nl": nl, **({"pl": pl} if pl.is_file() else {})}
        tasks.append(loaders.read_sick_multiparallel(files, english_from="nl", name="sick-x", max_items=max_items))
    tat = root / "tatoeba"
    if tat.is_dir():
        for f in sorted(tat.iterdir()):
            m = _TATOEBA.match(f.name)
            if m and m[1] == m[2] and (tat / f"tatoeba.{m[1]}-eng.eng").is_file():
                tasks.append(loaders.read_tatoeba(f, tat / f"tatoeba.{m[1]}-eng.eng", m[1], "eng",
                                                  name=f"tatoeba-{m[1]}", max_items=max_items))
    sib = root / "sib"
    if sib.is_dir() and any(p.is_dir() for p in sib.iterdir()):
        data = loaders.read_sib(sib)
        src = str(sib)
        if any("train" in s and "test" in s for s in data.values()):
            tasks.append(loaders.sib_classification_task(data, max_items=max_items, source=src))
        if len(data) >= 2:
            tasks.append(loaders.sib_bitext_task(data, max_items=max_items, source=src))
            if "eng_Latn" in data:
                tasks.append(loaders.sib_rsim_task(data, max_items=max_items, source=src))
    if (root / "flores-dev").is_dir():
        tasks.append(flores_dev_task(root / "flores-dev", max_items=max_items))
    str24 = root / "str24"
    if str24.is_dir():
        for f in sorted(str24.iterdir()):
            m = _STR24.match(f.name)
            if m:
                tasks.append(loaders.read_str24_csv(f, m[1], name=f"str24-{m[1]}", max_items=max_items))
    return tasks


def flores_dev_task(folder: Path, *, max_items: int | None = None) -> Task:
    """The guard checks (:class:`ParallelGuardTask`) on a ``<lang>/dev.tsv`` folder."""
    data = loaders.read_sib(folder)
    if "eng_Latn" not in data or len(data) < 2:
        raise DatasetUnavailableError(f"{folder}: needs eng_Latn/dev.tsv and at least one other language")
    sentences = loaders.sib_parallel_sentences(data, max_items, splits=("dev",))
    return ParallelGuardTask("flores-dev", "flores-dev", sentences, source=str(folder))


def select_tasks(tasks: Sequence[Task], patterns: Sequence[str] | None) -> list[Task]:
    """Tasks whose name or family matches one of the glob ``patterns`` (``sts17``, ``tatoeba-*``)."""
    if not patterns:
        return list(tasks)
    chosen = [t for t in tasks if any(fnmatch.fnmatch(t.name, p) or fnmatch.fnmatch(t.family, p) for p in patterns)]
    if not chosen:
        raise EvaluationError(f"no task matches {list(patterns)}; available: {', '.join(t.name for t in tasks)}")
    return chosen


def load_suite(suite: str, data_dir: str | Path | None, *, tasks: Sequence[str] | None = None,
               max_items: int | None = None) -> list[Task]:
    """Load every task of ``suite`` found under ``data_dir`` (optionally filtered by ``tasks`` globs).
    ``flores-dev`` without ``data_dir`` reads the FLORES dev sentences langzoo ships."""
    if suite not in SUITES:
        raise EvaluationError(f"unknown suite {suite!r}; known: {', '.join(SUITES)}")
    if suite == "flores-dev":
        from langzoo.data.guard import guard_root

        folder = Path(data_dir) if data_dir else guard_root()
        if not folder.is_dir():
            raise DatasetUnavailableError(f"data folder not found: {folder}")
        return select_tasks([flores_dev_task(folder, max_items=max_items)], tasks)
    root = Path(data_dir)
    if not root.is_dir():
        raise DatasetUnavailableError(f"data folder not found: {root}")
    found = _dev_tasks(root, max_items)
    if not found:
        raise DatasetUnavailableError(
            f"{root}: no evaluation files in the '{suite}' layout (sts17/, sick/, tatoeba/, sib/, str24/)")
    return select_tasks(found, tasks)
