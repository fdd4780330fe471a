"""Exceptions and warnings of the data layer."""

from __future__ import annotations

from langzoo.errors import LangzooError


class DataError(LangzooError):
    """Base class for data-layer errors (bad source spec, unreadable file, ...)."""


class SourceSpecError(DataError, ValueError):
    """A source spec (``{"kind": ...}``) is missing keys or has values of the wrong kind."""


class DataSourceError(DataError):
    """A declared source exists but cannot be read (file format, columns, dataset offline)."""


class DatasetOfflineError(DataSourceError):
    """A Hugging Face dataset is neither cached nor reachable."""


class FetchError(DataError):
    """`apt-get download` / `dpkg -x` failed for a reason other than a missing package."""


class MTModelError(DataError):
    """A machine-translation model could not be loaded or lacks a language code."""


class CatalogWarning(UserWarning):
    """A localisation catalog was skipped (malformed, empty, unreadable)."""


class FetchWarning(UserWarning):
    """A localisation package does not exist for a language and was skipped."""
