"""Evaluation tasks from Hugging Face dataset ids (needs the network or a filled `datasets` cache)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from langzoo.evaluation.errors import DatasetUnavailableError
from langzoo.evaluation.loaders import classification_task_from_records, pairs_task_from_records


def _load_split(dataset_id: str, config: str | None, split: str) -> list[dict]:
    try:
        import datasets
    except ImportError as e:  # pragma: no cover - datasets is a pinned dependency
        raise DatasetUnavailableError("loading Hub datasets needs the `datasets` package") from e
    try:
        ds = datasets.load_dataset(dataset_id, config, split=split)
    except Exception as e:  # noqa: BLE001 - datasets raises many kinds (ConnectionError, OSError, its own)
        raise DatasetUnavailableError(
            f"could not load Hugging Face dataset {dataset_id!r} (config {config!r}, split {split!r}): "
            f"{type(e).__name__}: {e}. The Hub needs network access; offline, copy the files to disk and "
            "use the file loaders (langzoo.evaluation.loaders) or `zoo eval --data DIR`."
        ) from e
    return [dict(row) for row in ds]


def load_hf_task(dataset_id: str, kind: str, languages: Sequence[str], *, config: str | None = None,
                 split: str = "test", train_split: str = "train", columns: Mapping[str, str] | None = None,
                 name: str | None = None, max_items: int | None = None):
    """Build a task from a Hub dataset.

    ``kind``: ``sts``/``str``/``bitext`` (pairs in one split; ``languages`` gives the
    language of sentence 1 and optionally of sentence 2) or ``classification``
    (monolingual: ``train_split`` for the probe, ``split`` for testing). Column
    names are guessed (``sentence1``/``sentence2``/``score``, ``text``/``label``)
    unless ``columns`` maps the roles to the dataset's names.
    """
    if not languages:
        raise ValueError("load_hf_task needs the language code(s) of the dataset")
    name = name or f"{dataset_id}{'/' + config if config else ''}"
    source = f"hf:{dataset_id}" + (f":{config}" if config else "")
    if kind == "classification":
        lang = languages[0]
        return classification_task_from_records(
            {lang: _load_split(dataset_id, config, train_split)}, {lang: _load_split(dataset_id, config, split)},
            name=name, family="hf", source_lang=lang, columns=columns, max_items=max_items, source=source)
    rows = _load_split(dataset_id, config, split)
    lang2 = languages[1] if len(languages) > 1 else None
    return pairs_task_from_records(rows, kind, languages[0], lang2, name=name, family="hf", columns=columns,
                                   max_items=max_items, source=source)
