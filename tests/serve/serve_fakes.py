"""Test doubles for the serving tests (a unique module name: no clash with other conftests)."""

import threading
from langzoo.lid.detection import Detection as _Det


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
