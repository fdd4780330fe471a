"""Fixtures: an isolated langzoo home + HF cache per test, and a local Hub-compatible server."""

from __future__ import annotations

import pytest
from huggingface_hub import constants
from huggingface_hub.utils import reset_sessions
from hub_server import FakeHub

TOKEN = "hf_langzoo_test_token"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Nothing of the user's: langzoo home, local registry and HF cache live in tmp_path."""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("LANGZOO_HOME", str(tmp_path / "lzhome"))
    monkeypatch.setenv("LANGZOO_REGISTRY", str(tmp_path / "registry"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("LANGZOO_REMOTE", raising=False)
    monkeypatch.setenv("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_PROGRESS_BARS", True)
    # huggingface_hub caches its HTTP session, with an "offline" adapter mounted if it was
    # first created while HF_HUB_OFFLINE was set (as the rest of the suite runs): start fresh.
    reset_sessions()
    yield tmp_path
    reset_sessions()


@pytest.fixture
def hub(monkeypatch):
    """A running test Hub that requires a token for writes; the client is pointed at it through
    HF_ENDPOINT + HF_TOKEN (and the import-time constant huggingface_hub derives from HF_ENDPOINT)."""
    server = FakeHub(token=TOKEN).start()
    monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setattr(constants, "ENDPOINT", server.endpoint)
    yield server
    server.stop()
