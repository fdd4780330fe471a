import os
import random
import sys
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/tiny.py

EN_WORDS = ["the cat", "a dog", "my friend", "the teacher", "our neighbour", "the child"]
UZ_WORDS = ["mushuk", "it", "do'stim", "o'qituvchi", "qo'shnimiz", "bola"]
EN_VERBS = ["reads a book", "opens the file", "runs in the park", "writes a letter", "sees the window"]
UZ_VERBS = ["kitob o'qiydi", "faylni ochadi", "bog'da yuguradi", "xat yozadi", "oynani ko'radi"]
EN_TIME = ["today", "at home", "every day", "now"]
UZ_TIME = ["bugun", "uyda", "har kuni", "hozir"]


def synthetic_pairs(n: int = 120, seed: int = 0) -> list[list[str]]:
    rng = random.Random(seed)
    out = set()
    while len(out) < n:
        s, v, t = rng.randrange(6), rng.randrange(5), rng.randrange(4)
        out.add((f"{EN_WORDS[s]} {EN_VERBS[v]} {EN_TIME[t]}", f"{UZ_WORDS[s]} {UZ_TIME[t]} {UZ_VERBS[v]}"))
    return [list(p) for p in sorted(out)]


@pytest.fixture
def lz_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("LANGZOO_HOME", str(home))
    monkeypatch.delenv("LANGZOO_REGISTRY", raising=False)
    return home


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory):
    from tests.tiny import make_tiny_base

    return make_tiny_base(tmp_path_factory.mktemp("base") / "tiny")


@pytest.fixture
def recipe_file(tmp_path):
    import yaml

    pairs = synthetic_pairs()
    spec = {"language": "uz",
            "data": {"translation": {"kind": "inline", "pairs": pairs},
                     "monolingual": {"kind": "from_pairs", "side": "target"},
                     "paraphrase": None, "en_paraphrase": None,
                     "real_dev": None},  # unguarded; tests/recipes/test_guarded_build.py covers the guard
            "english": {"data": {"translation": {"kind": "inline", "pairs": [[e, e.upper()] for e, _ in pairs]}}}}
    path = tmp_path / "uz.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    return path


TINY = ["tokenizer.vocab_size=200", "tokenizer.method=train", "dev_size=16", "test_size=8", "max_seq_length=24",
        "focus.fasttext_dim=16", "focus.fasttext_bucket=1000",
        "la.steps=4", "la.batch_size=8", "se.steps=4", "se.batch_size=8", "se.eval_every=2",
        "cla.steps=4", "cla.batch_size=8", "cla.eval_every=2", "english_se.steps=3", "english_se.batch_size=8",
        "la.lr=0.01", "se.lr=0.01", "cla.lr=0.01"]
