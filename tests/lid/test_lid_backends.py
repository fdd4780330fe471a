"""Backends are registered by name; load_detector looks them up (issue 17 item 5)."""

from __future__ import annotations

import pytest

from langzoo.lid import Detection, LanguageDetector, get_backend, list_backends, load_detector, register_backend
import langzoo.lid.backends as backend_registry


class _Fixed:
    """A toy detector: every text is the same language."""

    def __init__(self, lang: str = "uzn_Latn", **kwargs):
        self.name = "fixed"
        self.lang = lang
        self.allowed = kwargs.get("allowed")

    def detect(self, texts):
        return [Detection(self.lang, 1.0, self.lang, "ok") for _ in texts]


@pytest.fixture
def toy_backend(monkeypatch):
    monkeypatch.setattr(backend_registry, "_BACKENDS", dict(backend_registry._BACKENDS))
    monkeypatch.setattr(backend_registry, "_NAMES", dict(backend_registry._NAMES))
    return register_backend("fixed", _Fixed, aliases=("always-uz",), help="toy")


def test_registered_backend_is_loaded_by_name_and_alias(toy_backend):
    assert get_backend("FIXED") is toy_backend
    det = load_detector("always-uz", lang="kaz_Cyrl")
    assert isinstance(det, LanguageDetector)
    assert [d.lang for d in det.detect(["x", "y"])] == ["kaz_Cyrl", "kaz_Cyrl"]
    assert "fixed" in [b.name for b in list_backends()]


def test_duplicate_names_are_refused(toy_backend):
    with pytest.raises(ValueError, match="already registered: always-uz"):
        register_backend("other", _Fixed, aliases=("always-uz",), help="x")


def test_a_ready_detector_is_returned_as_is():
    det = _Fixed()
    assert load_detector(det) is det
    with pytest.raises(TypeError, match="name, a path or a detector"):
        load_detector(42)


def test_builtin_backends_are_listed():
    names = [b.name for b in list_backends()]
    assert "lid.176" in names and "glotlid" in names
