"""Errors raised by the evaluation package (all are :class:`~langzoo.errors.LangzooError`)."""

from __future__ import annotations

from langzoo.errors import LangzooError


class EvaluationError(LangzooError):
    """Base class for evaluation errors."""


class DatasetFormatError(EvaluationError, ValueError):
    """An evaluation file does not have the layout its loader expects."""


class DatasetUnavailableError(EvaluationError):
    """A dataset cannot be found locally or fetched (e.g. a Hub id while offline)."""


class EncoderConfigError(EvaluationError, ValueError):
    """An encoder configuration name that :func:`build_encoders` cannot turn into an encoder."""


class EncoderOutputError(EvaluationError):
    """An encoder returned something that is not one embedding row per input text."""
