"""The registry interface shared by the local and the Hub backend, and the records they return."""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from pathlib import Path

from langzoo.errors import LangzooWarning
from langzoo.modules.kinds import kind_order
from langzoo.modules.manifest import ModuleManifest
from langzoo.modules.pack import LanguagePack


@dataclass
class PublishedVersion:
    """What a publish did. ``created`` is False when the registry already held this exact
    content (nothing was written, no commit made)."""

    language: str  # alias, e.g. "uz"
    version: str
    location: str  # a folder (local) or a repo id (Hub)
    base_id: str
    base_fingerprint: str
    modules: list[str]
    created: bool
    commit: str | None = None  # Hub commit sha
    url: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PackSummary:
    """One (base, language) pack as a registry lists it."""

    language: str  # alias
    code: str  # canonical code, e.g. "uzn_Latn"
    name: str
    base_id: str
    base_fingerprint: str
    version: str  # latest (or the one described)
    versions: list[str]
    modules: dict[str, int]  # kind -> bytes
    metrics: dict[str, dict] = field(default_factory=dict)  # kind -> manifest metrics
    location: str = ""

    @property
    def size_bytes(self) -> int:
        return sum(self.modules.values())

    def to_dict(self) -> dict:
        data = asdict(self)
        data["size_bytes"] = self.size_bytes
        return data


@dataclass
class BrokenPack:
    """A pack a listing skipped because it cannot be read (shown by `zoo list`)."""

    location: str
    error: str


def note_broken(broken: list[BrokenPack], location: str, exc: Exception) -> None:
    """Skip a broken pack in a listing: warn naming it and remember it for `zoo list`."""
    broken.append(BrokenPack(location, str(exc)))
    warnings.warn(f"Skipping the broken pack at {location}: {exc}", LangzooWarning, stacklevel=3)


def summarize(info: dict, manifests: dict[str, ModuleManifest], versions: list[str], location: str) -> PackSummary:
    """Build a PackSummary from a pack.json and the module manifests that are available."""
    lang = info["language"]
    kinds = kind_order(manifests)
    return PackSummary(
        language=lang["alias"], code=lang["code"], name=lang.get("name", lang["alias"]),
        base_id=info["base"]["id"], base_fingerprint=info["base"]["fingerprint"],
        version=str(info.get("version", "0")), versions=list(versions),
        modules={k: manifests[k].size_bytes for k in kinds},
        metrics={k: manifests[k].metrics for k in kinds if manifests[k].metrics},
        location=location,
    )


class Registry(ABC):
    """A place language packs are published to and fetched from.

    Every backend verifies what it hands out: ``get`` returns a LanguagePack whose
    requested modules (and what they stand on) match their manifests' sha256.
    """

    @property
    @abstractmethod
    def uri(self) -> str:
        """How to name this registry on the command line (``file:///...``, ``hf://NAMESPACE``)."""

    @abstractmethod
    def publish(self, pack_path: str | Path) -> PublishedVersion:
        """Publish the pack folder at ``pack_path``; a no-op when the same content is already there."""

    @abstractmethod
    def list(self) -> list[PackSummary]:
        """Every (base, language) pack the registry holds."""

    @abstractmethod
    def get(self, lang: str, base_fingerprint: str | None = None, version: str | None = None,
            modules: list[str] | None = None) -> LanguagePack:
        """A verified pack for ``lang`` (optionally: of one base, one version, only some modules
        plus the modules they need)."""

    @abstractmethod
    def resolve(self, lang: str, base_fingerprint: str | None = None, version: str | None = None) -> Path:
        """The local folder of ``lang``'s pack (for this base; this version, else the newest),
        fetched into the local registry first if the backend is remote. Not verified here:
        the runtime verifies a pack when it attaches it. PackNotFoundError when there is none."""

    @abstractmethod
    def info(self, lang: str) -> list[PackSummary]:
        """The packs for one language (one entry per base)."""

    @abstractmethod
    def remove(self, lang: str, version: str | None = None, base_fingerprint: str | None = None) -> list[str]:
        """Remove one version (or all versions) of a language's pack; returns what was removed."""
