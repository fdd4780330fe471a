import pytest

from serve_fakes import ScriptLID
from tiny import CORPUS


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
