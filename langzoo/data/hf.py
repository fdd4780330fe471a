"""Rows from Hugging Face datasets (Hub id or local dataset folder), streamed with a row cap."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice

from langzoo.data.errors import DataSourceError, DatasetOfflineError

_OFFLINE_HINTS = ("connection", "offline", "couldn't reach", "could not reach", "max retries", "name resolution",
                  "temporary failure", "network", "timed out", "localentrynotfound", "cannot find the requested files")


def iter_hf_rows(
    dataset_id: str,
    columns: Sequence[str],
    *,
    config: str | None = None,
    split: str = "train",
    max_rows: int | None = None,
    revision: str | None = None,
    data_files: object = None,
) -> tuple[Iterator[tuple[str, ...]], dict]:
    """Stream ``columns`` of a dataset; returns (rows, info for provenance).

    ``dataset_id`` is a Hub id (``"sentence-transformers/all-nli"``), a builder name
    with ``data_files`` (``"json"``) or a local folder.  Streaming avoids downloading a
    whole dataset for a capped sample.  Without network and cache the error says so.
    """
    try:
        import datasets
    except ImportError as exc:  # pragma: no cover - datasets is a pinned dependency
        raise DataSourceError("the `datasets` package is needed for hf sources") from exc
    try:
        ds = datasets.load_dataset(dataset_id, config, split=split, streaming=True, revision=revision, data_files=data_files)
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}".lower()
        if any(h in text for h in _OFFLINE_HINTS) or isinstance(exc, (ConnectionError, TimeoutError)):
            raise DatasetOfflineError(
                f"Hugging Face dataset {dataset_id!r} (config {config!r}, split {split!r}) is not cached and the Hub "
                "cannot be reached. Run once with network access (it is then cached), or download it and use "
                "{\"kind\": \"file\", \"path\": ...} / a local dataset folder as the id."
            ) from exc
        raise DataSourceError(f"cannot load dataset {dataset_id!r} ({config!r}, {split!r}): {exc}") from exc
    features = getattr(ds, "features", None)
    if features is not None:
        missing = [c for c in columns if c not in features]
        if missing:
            raise DataSourceError(f"dataset {dataset_id!r} has no columns {missing}; it has {list(features)}")
    info = {"id": dataset_id, "config": config, "split": split, "revision": revision or _resolved_revision(ds)}

    def rows() -> Iterator[tuple[str, ...]]:
        for i, row in enumerate(islice(ds, max_rows)):
            try:
                values = tuple(row[c] for c in columns)
            except KeyError:
                raise DataSourceError(f"dataset {dataset_id!r} row {i} lacks one of the columns {list(columns)}") from None
            if not all(isinstance(v, str) for v in values):
                raise DataSourceError(f"dataset {dataset_id!r} row {i}: columns {list(columns)} must be strings")
            yield values

    return rows(), info


def _resolved_revision(ds: object) -> str | None:
    info = getattr(ds, "info", None)
    version = getattr(info, "version", None)
    return str(version) if version is not None else None
