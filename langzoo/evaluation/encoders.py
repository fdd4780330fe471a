"""Encoders compared by the runner, and how configuration names become encoders.

An encoder is any object with the SentenceTransformer-compatible method
``encode(texts, batch_size=..., show_progress_bar=..., convert_to_numpy=True,
normalize_embeddings=True) -> ndarray``; if that method has an explicit ``lang``
parameter it also gets ``lang=[code, ...]`` (one canonical code per text), which is
how the langzoo runtime routes texts to language packs without language ID.
An optional ``cache_key`` attribute (string) fingerprints the configuration for
the embedding cache.
"""

from __future__ import annotations

import hashlib
import inspect
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from langzoo.evaluation.errors import EncoderConfigError, EncoderOutputError

CONFIG_HELP = ("'base' (bare base encoder), 'mod_m' (language packs, no alignment adapter), "
               "'mod_mc' (language packs + alignment adapter), 'st:PATH' (a SentenceTransformer), "
               "'ngram' (hashed character n-gram baseline)")


def accepts_lang(encoder) -> bool:
    """True if ``encoder.encode`` names a ``lang`` parameter (``**kwargs`` alone does not count:
    SentenceTransformer.encode has ``**kwargs`` and would pass ``lang`` on to the model)."""
    try:
        params = inspect.signature(encoder.encode).parameters
    except (TypeError, ValueError):
        return False
    p = params.get("lang")
    return p is not None and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)


def encode_texts(encoder, texts: Sequence[str], lang: str, *, batch_size: int = 32,
                 show_progress_bar: bool = False) -> np.ndarray:
    """Embed ``texts`` (all in language ``lang``) as a float32 [n, dim] array."""
    texts = list(texts)
    kwargs = dict(batch_size=batch_size, show_progress_bar=show_progress_bar, convert_to_numpy=True,
                  normalize_embeddings=True)
    if accepts_lang(encoder):
        kwargs["lang"] = [lang] * len(texts)
    out = encoder.encode(texts, **kwargs)
    if hasattr(out, "detach"):  # a torch tensor despite convert_to_numpy
        out = out.detach().float().cpu().numpy()
    arr = np.asarray(out, dtype=np.float32)
    if arr.ndim != 2 or arr.shape[0] != len(texts):
        raise EncoderOutputError(f"{type(encoder).__name__}.encode returned shape {arr.shape} for {len(texts)} texts; "
                                 "expected [n_texts, dim]")
    if not np.all(np.isfinite(arr)):
        raise EncoderOutputError(f"{type(encoder).__name__}.encode returned NaN/inf embeddings")
    return arr


class ZooEncoder:
    """Adapts a :class:`langzoo.runtime.Zoo` to the encoder protocol with a fixed alignment switch."""

    def __init__(self, zoo, alignment: bool | None, cache_key: str):
        self.zoo = zoo
        self.alignment = alignment
        self.cache_key = cache_key

    def cache_key_for(self, lang: str) -> str:
        """Cache namespace of texts in ``lang``: what the zoo encodes them with (the bare
        base, or that language's modules, ``cla`` only when used). Configurations that
        encode a language alike share it: a base + Mod_m + Mod_mc run encodes base-routed
        texts once, English (no ``cla``) twice instead of three times."""
        vectors_key = getattr(self.zoo, "vectors_key", None)
        return vectors_key(lang, self.alignment) if vectors_key is not None else self.cache_key

    def encode(self, texts, lang=None, batch_size=32, show_progress_bar=None, convert_to_numpy=True,
               normalize_embeddings=True):
        kwargs = dict(lang=lang, batch_size=batch_size, show_progress_bar=show_progress_bar,
                      convert_to_numpy=convert_to_numpy, normalize_embeddings=normalize_embeddings)
        if self.alignment is not None:
            kwargs["alignment"] = self.alignment
        return self.zoo.encode(texts, **kwargs)


class HashingNgramEncoder:
    """Lexical baseline: L2-normalised counts of hashed character 2-4-grams (deterministic, no model).

    Useful as a floor: a language pack that does not beat surface overlap on a task
    has not learned much there. It ignores ``lang``.
    """

    def __init__(self, dim: int = 512, ngram_range: tuple[int, int] = (2, 4)):
        self.dim = dim
        self.ngram_range = ngram_range
        self.cache_key = f"ngram:dim={dim}:n={ngram_range[0]}-{ngram_range[1]}"

    def encode(self, texts, batch_size=32, show_progress_bar=None, convert_to_numpy=True, normalize_embeddings=True):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        lo, hi = self.ngram_range
        for i, text in enumerate(texts):
            t = f" {text.lower()} "
            for n in range(lo, hi + 1):
                for j in range(len(t) - n + 1):
                    out[i, zlib.crc32(t[j:j + n].encode("utf-8")) % self.dim] += 1.0
        if normalize_embeddings:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out /= np.where(norms == 0, 1.0, norms)
        return out


def _path_fingerprint(path: str) -> str:
    """Names, sizes and mtimes of a local model folder, so a retrained model gets a new cache entry."""
    p = Path(path)
    if not p.exists():
        return path
    h = hashlib.sha256(str(p.resolve()).encode())
    for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
        if f.is_file():
            st = f.stat()
            h.update(f"{f.relative_to(p) if p.is_dir() else f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _zoo_fingerprint(zoo) -> str:
    for attr in ("cache_key", "fingerprint"):
        value = getattr(zoo, attr, None)
        if callable(value):
            value = value()
        if value:
            return str(value)
    return ""


def _import_zoo():
    """The runtime's Zoo, imported lazily (it pulls torch/transformers)."""
    try:
        from langzoo.runtime.zoo import Zoo
    except ImportError as e:
        raise EncoderConfigError(f"the langzoo runtime (langzoo.runtime.zoo.Zoo) cannot be imported: {e}") from e
    return Zoo


def build_encoders(configs: Sequence[str], base: str | None = None,
                   languages: Sequence[str] | None = None) -> dict[str, object]:
    """Turn configuration names into encoders (see :data:`CONFIG_HELP`).

    ``base`` is passed to ``Zoo.load`` (its default base when None); ``languages``
    are the packs to load for ``mod_m``/``mod_mc`` (required for them). ``mod_m``
    and ``mod_mc`` share one loaded Zoo.
    """
    if not configs:
        raise EncoderConfigError(f"no encoder configuration given; use any of {CONFIG_HELP}")
    languages = [x for x in (languages or []) if x]
    encoders: dict[str, object] = {}
    zoos: dict[tuple, object] = {}

    def load_zoo(langs: list[str]):
        key = tuple(langs)
        if key not in zoos:
            Zoo = _import_zoo()
            kwargs = {"languages": list(langs)}
            if base is not None:
                kwargs["base"] = base
            zoos[key] = Zoo.load(**kwargs)
        return zoos[key]

    for config in configs:
        config = config.strip()
        if config in encoders:
            raise EncoderConfigError(f"configuration {config!r} given twice")
        if config == "base":
            zoo = load_zoo([])
            encoders[config] = ZooEncoder(zoo, None, f"zoo|base={base}|packs=|{_zoo_fingerprint(zoo)}")
        elif config in ("mod_m", "mod_mc"):
            if not languages:
                raise EncoderConfigError(f"configuration {config!r} needs the language packs to load "
                                         "(languages=[...], CLI: --languages uz,kk)")
            zoo = load_zoo(languages)
            alignment = config == "mod_mc"
            encoders[config] = ZooEncoder(
                zoo, alignment,
                f"zoo|base={base}|packs={','.join(sorted(languages))}|alignment={alignment}|{_zoo_fingerprint(zoo)}")
        elif config.startswith("st:"):
            path = config[3:]
            if not path:
                raise EncoderConfigError("'st:' needs a model path or id, e.g. st:/models/my-encoder")
            from sentence_transformers import SentenceTransformer  # lazy: heavy import

            try:
                model = SentenceTransformer(path)
            except OSError as e:
                raise EncoderConfigError(f"cannot load SentenceTransformer {path!r}: {e}") from e
            model.cache_key = f"st|{_path_fingerprint(path)}"
            encoders[config] = model
        elif config == "ngram":
            encoders[config] = HashingNgramEncoder()
        else:
            raise EncoderConfigError(f"unknown encoder configuration {config!r}; use {CONFIG_HELP}")
    return encoders
