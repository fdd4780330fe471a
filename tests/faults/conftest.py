"""Fixtures of the fault-matrix tests (issue 16): an isolated langzoo home, local
registry and HF cache per test, the test Hub server, and a tiny zoo with a
deterministic language identifier. Reuses tests/tiny.py and tests/registry/*."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from langzoo.lid.detection import Detection as Det

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "registry"))  # fake_packs, hub_server

HUB_TOKEN = "hf_langzoo_fault_token"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Nothing of the user's: langzoo home, local registry and HF cache live in tmp_path."""
    from huggingface_hub import constants
    from huggingface_hub.utils import reset_sessions

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
    reset_sessions()  # a session created while HF_HUB_OFFLINE was set would refuse the test Hub
    yield tmp_path
    reset_sessions()


@pytest.fixture
def hub(monkeypatch):
    """The test Hub (tests/registry/hub_server.py) on 127.0.0.1, with the client pointed at it."""
    from hub_server import FakeHub
    from huggingface_hub import constants

    server = FakeHub(token=HUB_TOKEN).start()
    monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
    monkeypatch.setenv("HF_TOKEN", HUB_TOKEN)
    monkeypatch.setattr(constants, "ENDPOINT", server.endpoint)
    yield server
    server.stop()


class ScriptLID:
    """Deterministic stand-in for fastText: Cyrillic -> kk, an apostrophe -> uz, else en."""

    allowed = None

    def detect(self, texts):
        out = []
        for t in texts:
            if not t.strip():
                out.append(Det(None, 0.0, reason="empty"))
            elif any("\u0400" <= ch <= "\u04ff" for ch in t):
                out.append(Det("kaz_Cyrl", 0.9))
            elif "'" in t or t.split()[0] in {"bugun", "biz", "abc"}:
                out.append(Det("uzn_Latn", 0.9))
            else:
                out.append(Det("eng_Latn", 0.9))
        return out


@pytest.fixture
def tiny_zoo(tiny_base, tiny_packs):
    from langzoo.modules.composer import ComposedEncoder
    from langzoo.runtime.zoo import Zoo

    packs = {"uzn_Latn": tiny_packs["uz"], "kaz_Cyrl": tiny_packs["kk"], "eng_Latn": tiny_packs["en"]}
    return Zoo(ComposedEncoder(str(tiny_base)), packs, lid=ScriptLID())


@pytest.fixture
def script_lid():
    return ScriptLID()
