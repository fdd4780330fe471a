"""build_encoders, the Zoo wrapper, and the SentenceTransformer path."""

import os

import numpy as np
import pytest

import langzoo.runtime
from langzoo.evaluation.encoders import (
    HashingNgramEncoder,
    ZooEncoder,
    accepts_lang,
    build_encoders,
    encode_texts,
)
from langzoo.evaluation.errors import EncoderConfigError

from .fakes import FakeEncoder, FakeSTEncoder


class FakeZoo:
    loads = []

    def __init__(self, kwargs):
        self.kwargs = kwargs
        self.calls = []
        self.cache_key = f"packs-{len(kwargs['languages'])}"

    @classmethod
    def load(cls, **kwargs):
        cls.loads.append(kwargs)
        return cls(kwargs)

    def encode(self, texts, lang=None, alignment=True, batch_size=32, normalize_embeddings=True,
               convert_to_numpy=True, show_progress_bar=None):
        self.calls.append({"lang": lang, "alignment": alignment})
        return np.ones((len(texts), 3), dtype=np.float32)


@pytest.fixture()
def fake_zoo(monkeypatch):
    FakeZoo.loads = []
    import langzoo.runtime.zoo

    monkeypatch.setattr(langzoo.runtime.zoo, "Zoo", FakeZoo)
    return FakeZoo


def test_build_zoo_configs(fake_zoo):
    encs = build_encoders(["base", "mod_m", "mod_mc"], base="tiny-base", languages=["nl", "pl"])
    assert fake_zoo.loads == [{"languages": [], "base": "tiny-base"},
                              {"languages": ["nl", "pl"], "base": "tiny-base"}]
    assert encs["mod_m"].zoo is encs["mod_mc"].zoo  # one loaded Zoo serves both
    assert len({e.cache_key for e in encs.values()}) == 3
    for name, expected in (("base", True), ("mod_m", False), ("mod_mc", True)):
        out = encode_texts(encs[name], ["a", "b"], "nld_Latn")
        assert out.shape == (2, 3)
        call = encs[name].zoo.calls[-1]
        assert call["lang"] == ["nld_Latn", "nld_Latn"]
        # base: no alignment argument, so FakeZoo's default (True) stays
        assert call["alignment"] is expected
    build_encoders(["base"])
    assert fake_zoo.loads[-1] == {"languages": []}  # no base given: the runtime's default


def test_build_errors(fake_zoo):
    with pytest.raises(EncoderConfigError, match="needs the language packs"):
        build_encoders(["mod_mc"])
    with pytest.raises(EncoderConfigError, match="unknown encoder configuration 'labse'"):
        build_encoders(["labse"])
    with pytest.raises(EncoderConfigError, match="given twice"):
        build_encoders(["ngram", "ngram"])
    with pytest.raises(EncoderConfigError, match="'st:' needs"):
        build_encoders(["st:"])
    with pytest.raises(EncoderConfigError, match="no encoder configuration"):
        build_encoders([])


def test_accepts_lang():
    assert accepts_lang(FakeEncoder())
    assert not accepts_lang(FakeSTEncoder())  # **kwargs does not count
    assert accepts_lang(ZooEncoder(FakeZoo({"languages": []}), None, "k"))
    assert not accepts_lang(HashingNgramEncoder())


def test_ngram_baseline_is_deterministic_and_lexical():
    enc = HashingNgramEncoder(dim=256)
    e = encode_texts(enc, ["the cat sat", "the cat sat", "zzz qqq"], "eng_Latn")
    assert np.allclose(e[0], e[1]) and np.linalg.norm(e[0]) == pytest.approx(1.0, abs=1e-6)
    assert float(e[0] @ e[2]) < float(e[0] @ e[1])


def test_sentence_transformer_path(tmp_path):
    """st:PATH loads a real (tiny, random) SentenceTransformer and never gets a lang argument."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from tiny import train_wordpiece
    from transformers import BertConfig, BertModel

    tok = train_wordpiece(["a tiny corpus of words", "another line of text"], 60)
    torch.manual_seed(0)
    bert = BertModel(BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                intermediate_size=32, max_position_embeddings=32), add_pooling_layer=False)
    hf_dir = tmp_path / "hf"
    bert.save_pretrained(hf_dir)
    tok.save_pretrained(hf_dir)
    word = Transformer(str(hf_dir), max_seq_length=32)
    SentenceTransformer(modules=[word, Pooling(16, "mean")]).save(str(tmp_path / "st"))

    encs = build_encoders([f"st:{tmp_path / 'st'}"])
    model = next(iter(encs.values()))
    assert model.cache_key.startswith("st|")
    out = encode_texts(model, ["a tiny line", "words of text"], "eng_Latn")
    assert out.shape == (2, 16)
    assert np.linalg.norm(out, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)
