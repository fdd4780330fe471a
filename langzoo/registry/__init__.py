"""Registries of language packs: a local folder (default, where the runtime looks) and
the Hugging Face Hub (publish, discover, pull with verification). See README.md here."""

from langzoo.registry.base import PackSummary, PublishedVersion, Registry
from langzoo.registry.errors import RegistryError, RemoteUnavailableError, VersionConflictError
from langzoo.registry.hub import HubRegistry
from langzoo.registry.local import LocalRegistry
from langzoo.registry.uri import open_registry, pull

__all__ = ["HubRegistry", "LocalRegistry", "PackSummary", "PublishedVersion", "Registry", "RegistryError",
           "RemoteUnavailableError", "VersionConflictError", "open_registry", "pull"]
