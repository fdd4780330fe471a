"""Fake encoders for runner tests."""

import hashlib

import numpy as np


def text_vector(text: str, dim: int = 16) -> np.ndarray:
    seed = int(hashlib.md5(text.encode()).hexdigest()[:8], 16)
    return np.random.default_rng(seed).standard_normal(dim).astype(np.float32)


class FakeEncoder:
    """Records every encode call; ``table`` pins chosen texts to chosen vectors."""

    def __init__(self, table=None, cache_key="fake-v1", dim=16):
        self.table = table or {}
        self.cache_key = cache_key
        self.dim = dim
        self.calls = []

    def encode(self, texts, lang=None, batch_size=32, show_progress_bar=None, convert_to_numpy=True,
               normalize_embeddings=True):
        self.calls.append((list(texts), lang))
        rows = [np.asarray(self.table[t], dtype=np.float32) if t in self.table else text_vector(t, self.dim)
                for t in texts]
        return np.stack(rows)


class FakeSTEncoder(FakeEncoder):
    """Like SentenceTransformer: no ``lang`` parameter, but ``**kwargs``."""

    def encode(self, texts, prompt_name=None, batch_size=32, show_progress_bar=None, convert_to_numpy=True,
               normalize_embeddings=False, **kwargs):
        assert "lang" not in kwargs, "lang must not reach an encoder without a lang parameter"
        return super().encode(texts, None, batch_size, show_progress_bar, convert_to_numpy, normalize_embeddings)
