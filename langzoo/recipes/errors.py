"""Errors raised by the build pipeline."""

from __future__ import annotations

from langzoo.errors import LangzooError


class RecipeError(LangzooError, ValueError):
    """A recipe spec, profile or ``--set`` override is malformed or unknown."""


class RecipeDataError(LangzooError):
    """A stage's declared data source is missing, unreadable or too small to train on."""


class StageFailedError(LangzooError):
    """A build stage failed; earlier stages stay cached and the next run resumes here."""
