import threading
from dataclasses import dataclass

import pytest

from tiny import CORPUS


@dataclass
class _Det:
    lang: str | None
    confidence: float
    raw_label: str = ""
    reason: str = "ok"


class ScriptLID:
    """A deterministic stand-in for fastText: Cyrillic is Kazakh, an apostrophe or a
    known first word is Uzbek, umlauts or 'die' German (no pack), the rest English."""

    allowed = None

    def detect(self, texts):
        out = []
        for t in texts:
            if any("\u0400" <= ch <= "\u04ff" for ch in t):
                out.append(_Det("kaz_Cyrl", 0.9))
            elif "'" in t or t.split()[0] in {"it", "biz", "bugun", "u", "fayl", "mushuk"}:
                out.append(_Det("uzn_Latn", 0.9))
            elif t.startswith("die") or any(c in t for c in "üöä"):
                out.append(_Det("deu_Latn", 0.9))
            else:
                out.append(_Det("eng_Latn", 0.9))
        return out


class GatedZoo:
    """A Zoo whose encode waits for ``gate``: lets tests hold the batcher busy."""

    def __init__(self, zoo):
        self._zoo = zoo
        self.gate = threading.Event()
        self.entered = threading.Event()

    def encode(self, *args, **kwargs):
        self.entered.set()
        assert self.gate.wait(60), "test forgot to open the gate"
        return self._zoo.encode(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._zoo, name)


@pytest.fixture(scope="session")
def serve_zoo(tiny_base, tiny_packs):
    from langzoo.modules.composer import ComposedEncoder
    from langzoo.runtime.zoo import Zoo

    packs = {"uzn_Latn": tiny_packs["uz"], "kaz_Cyrl": tiny_packs["kk"], "eng_Latn": tiny_packs["en"]}
    return Zoo(ComposedEncoder(str(tiny_base)), packs, lid=ScriptLID())


@pytest.fixture(scope="session")
def mixed_texts():
    import random

    texts = [t for lang in ("uz", "kk", "en", "de") for t in CORPUS[lang]]
    random.Random(0).shuffle(texts)
    return texts
