"""Errors of the registry (all are LangzooErrors, so the CLI reports them cleanly)."""

from __future__ import annotations

from langzoo.errors import LangzooError, PackConflictError


class RegistryError(LangzooError):
    """A registry operation failed for a reason the user can act on (bad URI, conflict, ...)."""


class RemoteUnavailableError(RegistryError):
    """The remote registry could not be reached and nothing usable is cached."""


class VersionConflictError(RegistryError, PackConflictError):
    """A version name is already taken by different content."""
