"""Run tasks for several encoders in one go, through the embedding cache."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from langzoo.evaluation.cache import EmbeddingCache, text_key
from langzoo.evaluation.encoders import encode_texts
from langzoo.evaluation.errors import EvaluationError
from langzoo.evaluation.tasks import Task, TaskScores

log = logging.getLogger(__name__)

# Texts per encode call: small enough for a steady progress bar, large enough that
# the encoder's own length-sorted batching still pays off.
ENCODE_CHUNK = 1024


class _MemoryCache:
    """Same interface as EmbeddingCache, for runs without a cache folder."""

    def __init__(self):
        self._rows: dict[str, np.ndarray] = {}

    def __contains__(self, key):
        return key in self._rows

    def get(self, keys):
        return np.stack([self._rows[k] for k in keys])

    def put(self, keys, embeddings):
        for k, row in zip(keys, np.asarray(embeddings, dtype=np.float32)):
            self._rows.setdefault(k, row)


@dataclass
class EvaluationResult:
    """Everything a run measured: ``scores[config][task]`` plus timings."""

    tasks: list[Task]
    configs: list[str]
    scores: dict[str, dict[str, TaskScores]] = field(default_factory=dict)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)
    timing: dict[str, dict[str, float]] = field(default_factory=dict)
    wall_s: float = 0.0

    def task(self, name: str) -> Task:
        return next(t for t in self.tasks if t.name == name)

    def to_dict(self) -> dict:
        return {
            "configs": list(self.configs),
            "tasks": [t.describe() for t in self.tasks],
            "scores": {
                c: {t: {"main": s.main, "details": _jsonable(s.details)} for t, s in per.items()}
                for c, per in self.scores.items()
            },
            "errors": self.errors,
            "timing": self.timing,
            "wall_s": self.wall_s,
        }


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    return obj


def _collect(tasks: Sequence[Task]) -> dict[str, list[str]]:
    """Unique texts per language over all tasks, in first-seen order."""
    by_lang: dict[str, dict[str, None]] = {}
    for task in tasks:
        for lang, texts in task.requests():
            by_lang.setdefault(lang, {}).update(dict.fromkeys(texts))
    return {lang: list(d) for lang, d in by_lang.items()}


def _embed_all(name: str, encoder, store_for, needed: dict[str, list[str]], batch_size: int,
               show_progress: bool) -> dict[str, float]:
    """Encode every needed text its store lacks (one shard per language) and return counts/timing."""
    missing = {}
    n_cached = 0
    for lang, texts in needed.items():
        store = store_for(lang)
        todo = [t for t in texts if text_key(lang, t) not in store]
        n_cached += len(texts) - len(todo)
        if todo:
            missing[lang] = todo
    total = sum(len(v) for v in missing.values())
    t0 = time.perf_counter()
    with tqdm(total=total, desc=f"encode [{name}]", unit="text", disable=not show_progress or total == 0,
              leave=False) as bar:
        width = None
        for lang, todo in missing.items():
            bar.set_postfix_str(lang)
            for i in range(0, len(todo), ENCODE_CHUNK):
                chunk = todo[i:i + ENCODE_CHUNK]
                emb = encode_texts(encoder, chunk, lang, batch_size=batch_size)
                if width is not None and emb.shape[1] != width:
                    raise EvaluationError(f"encoder {name!r} returned embeddings of different widths")
                width = emb.shape[1]
                # one shard per chunk: an interrupted run keeps everything encoded so far
                store_for(lang).put([text_key(lang, t) for t in chunk], emb)
                bar.update(len(chunk))
    return {"encode_s": time.perf_counter() - t0, "texts_encoded": total, "texts_cached": n_cached}


def _stores(name: str, encoder, cache_dir, shared: dict):
    """Store per language: the configuration's own, or one shared with other configurations
    when the encoder says (``cache_key_for(lang)``) that language's vectors are not its own."""
    own_key = getattr(encoder, "cache_key", None)
    per_lang = getattr(encoder, "cache_key_for", None)

    def open_store(slot, label, key):
        if slot not in shared:
            shared[slot] = EmbeddingCache(cache_dir, label, key) if cache_dir is not None else _MemoryCache()
        return shared[slot]

    own = open_store(("own", name, own_key), name, own_key)

    def store_for(lang: str):
        key = per_lang(lang) if per_lang is not None else own_key
        return own if key == own_key else open_store(("shared", key), "shared", key)

    return store_for


def run_evaluation(tasks: Sequence[Task], encoders: Mapping[str, object], *, cache_dir: str | Path | None = None,
                   batch_size: int = 32, show_progress: bool = True) -> EvaluationResult:
    """Evaluate every encoder on every task.

    Embeddings come from ``cache_dir`` (per configuration name + the encoder's
    ``cache_key``) when given, and new ones are stored there. A task whose metric
    fails (e.g. too few items) is recorded in ``errors`` and the run goes on;
    encoder failures stop the run.
    """
    if not tasks:
        raise EvaluationError("no tasks to run")
    if not encoders:
        raise EvaluationError("no encoders to compare")
    names = [t.name for t in tasks]
    if len(set(names)) != len(names):
        raise EvaluationError(f"task names must be unique, got {names}")
    start = time.perf_counter()
    result = EvaluationResult(tasks=list(tasks), configs=list(encoders))
    needed = _collect(tasks)
    shared: dict[str, object] = {}  # stores that several configurations share, by cache key
    for name, encoder in encoders.items():
        store_for = _stores(name, encoder, cache_dir, shared)
        timing = _embed_all(name, encoder, store_for, needed, batch_size, show_progress)

        def embed(lang: str, texts: Sequence[str], _store_for=store_for) -> np.ndarray:
            return _store_for(lang).get([text_key(lang, t) for t in texts])

        t0 = time.perf_counter()
        result.scores[name] = {}
        for task in tqdm(tasks, desc=f"score  [{name}]", disable=not show_progress, leave=False):
            try:
                result.scores[name][task.name] = task.evaluate(embed)
            except EvaluationError as e:
                log.warning("task %s failed for %s: %s", task.name, name, e)
                result.errors.setdefault(name, {})[task.name] = str(e)
        timing["score_s"] = time.perf_counter() - t0
        result.timing[name] = timing
    result.wall_s = time.perf_counter() - start
    return result
