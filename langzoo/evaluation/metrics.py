"""Evaluation metrics of the modular sentence encoder paper (Huang et al., ACL 2025, §4.3).

Pure numpy/scipy/scikit-learn; every function takes embeddings (or similarity
scores) and gold values and returns plain floats. Scales follow the paper:
Spearman ×100, bitext error rate in %, accuracy in %, RSIM as a Pearson r in [-1, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, permutations
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.stats import pearsonr, spearmanr

from langzoo import retrieval
from langzoo.evaluation.errors import EvaluationError


def _as_matrix(x: np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise EvaluationError(f"{name} must be a non-empty 2-D array [n, dim], got shape {arr.shape}")
    return arr


def l2_normalize(x: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation; zero rows stay zero (their cosine with anything is 0)."""
    arr = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.where(norms == 0.0, 1.0, norms)


def paired_cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of row i of ``a`` with row i of ``b``."""
    a = _as_matrix(a, "a")
    b = _as_matrix(b, "b")
    if a.shape != b.shape:
        raise EvaluationError(f"paired embeddings differ in shape: {a.shape} vs {b.shape}")
    return np.sum(l2_normalize(a) * l2_normalize(b), axis=1)


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """[len(a), len(b)] matrix of cosine similarities."""
    return l2_normalize(_as_matrix(a, "a")) @ l2_normalize(_as_matrix(b, "b")).T


def spearman_x100(predicted: Sequence[float], gold: Sequence[float]) -> float:
    """Spearman rank correlation ×100 (ties get average ranks).

    Returns NaN when either side is constant (the correlation is undefined), so that
    a degenerate encoder shows up as NaN in the report instead of crashing the run.
    """
    p = np.asarray(predicted, dtype=np.float64)
    g = np.asarray(gold, dtype=np.float64)
    if p.shape != g.shape or p.ndim != 1:
        raise EvaluationError(f"predicted and gold must be 1-D of equal length, got {p.shape} and {g.shape}")
    if len(p) < 2:
        raise EvaluationError("Spearman correlation needs at least 2 items")
    if np.all(p == p[0]) or np.all(g == g[0]):
        return float("nan")
    return float(spearmanr(p, g).statistic * 100.0)


def sts_spearman(emb1: np.ndarray, emb2: np.ndarray, gold: Sequence[float]) -> float:
    """STS / STR score: Spearman ×100 between cosine(emb1[i], emb2[i]) and gold[i]."""
    return spearman_x100(paired_cosine(emb1, emb2), gold)


def bitext_error_rate(src: np.ndarray, tgt: np.ndarray) -> float:
    """Bitext-mining error rate in % (row i of ``src`` translates row i of ``tgt``).

    For each source sentence the nearest target by cosine is retrieved; it is an
    error unless it is the aligned one (index equality, as in the LASER/Tatoeba
    evaluation, so a duplicate target sentence counts as an error when it wins).
    Both directions (src→tgt and tgt→src) are computed and averaged.
    """
    src = _as_matrix(src, "src")
    tgt = _as_matrix(tgt, "tgt")
    if src.shape[0] != tgt.shape[0]:
        raise EvaluationError(f"bitext sides differ in length: {src.shape[0]} vs {tgt.shape[0]}")
    src, tgt = l2_normalize(src), l2_normalize(tgt)
    return float((retrieval.retrieval_error(src, tgt) + retrieval.retrieval_error(tgt, src)) / 2.0 * 100.0)


def multiparallel_bitext_error(embeddings: Mapping[str, np.ndarray]) -> dict[tuple[str, str], float]:
    """Bitext error rate (both directions averaged) for every unordered language pair.

    ``embeddings[lang]`` holds the same n sentences (row-aligned) in each language.
    Keys of the result are ``(a, b)`` with a < b in the mapping's iteration order.
    """
    langs = list(embeddings)
    if len(langs) < 2:
        raise EvaluationError("multi-parallel bitext mining needs at least 2 languages")
    return {(a, b): bitext_error_rate(embeddings[a], embeddings[b]) for a, b in combinations(langs, 2)}


def train_probe(train_x: np.ndarray, train_y: Sequence, seed: int = 0, max_iter: int = 1000):
    """Logistic-regression probe on frozen embeddings (scikit-learn, fixed ``seed``)."""
    from sklearn.linear_model import LogisticRegression  # sklearn import is slow: only when used

    train_x = _as_matrix(train_x, "train_x")
    if len(train_y) != train_x.shape[0]:
        raise EvaluationError(f"{len(train_y)} training labels for {train_x.shape[0]} embeddings")
    if len(set(train_y)) < 2:
        raise EvaluationError("classification training data has fewer than 2 classes")
    return LogisticRegression(max_iter=max_iter, random_state=seed).fit(train_x, list(train_y))


def probe_accuracy(probe, test_x: np.ndarray, test_y: Sequence) -> float:
    """Accuracy in % of a trained probe on test embeddings."""
    test_x = _as_matrix(test_x, "test_x")
    if len(test_y) != test_x.shape[0]:
        raise EvaluationError(f"{len(test_y)} test labels for {test_x.shape[0]} embeddings")
    return float(np.mean(probe.predict(test_x) == np.asarray(list(test_y), dtype=object)) * 100.0)


def classification_accuracy(
    train_x: np.ndarray,
    train_y: Sequence,
    test_x: np.ndarray,
    test_y: Sequence,
    seed: int = 0,
    max_iter: int = 1000,
) -> float:
    """Accuracy in % of a logistic-regression probe trained on frozen embeddings.

    Zero-shot cross-lingual transfer is the same call with ``train_*`` from the
    source language (English) and ``test_*`` from the target language.
    """
    return probe_accuracy(train_probe(train_x, train_y, seed, max_iter), test_x, test_y)


@dataclass(frozen=True)
class LanguageBias:
    """Result of :func:`language_bias`."""

    per_pair: dict[tuple[str, str], float]  # Spearman ×100 of each bilingual combination
    average: float  # mean of per_pair
    pooled: float  # Spearman ×100 on all bilingual combinations pooled into one set
    bias: float  # average - pooled


def language_bias(similarities: Mapping[tuple[str, str], Sequence[float]], gold: Sequence[float]) -> LanguageBias:
    """Language bias of a multilingual encoder on a multi-parallel STS-style set.

    Definition (as used in the modular sentence encoder paper, after Roy et al. 2020):
    for a set of n sentence pairs available in several languages, each bilingual
    combination (A, B) — sentence 1 in language A, sentence 2 in language B —
    yields n cosine similarities scored against the same n gold values.

    * ``average``: the Spearman ×100 of each combination on its own, averaged;
    * ``pooled``: all combinations' (similarity, gold) items pooled into one set of
      n × #combinations items, one Spearman ×100 over it;
    * ``bias = average - pooled``.

    A model whose similarity scale depends on the languages involved (e.g. es–en
    pairs always score higher than ar–pl pairs) keeps a good per-combination
    ranking but ranks badly once the combinations are mixed, so its bias is large.
    A language-agnostic model has bias ≈ 0.

    ``similarities`` maps (A, B) to the n cosines of that combination; which
    combinations to include (ordered cross-language pairs in the runner) is the
    caller's choice.
    """
    g = np.asarray(gold, dtype=np.float64)
    if not similarities:
        raise EvaluationError("language bias needs at least one language combination")
    per_pair: dict[tuple[str, str], float] = {}
    pooled_sim: list[np.ndarray] = []
    for combo, sims in similarities.items():
        s = np.asarray(sims, dtype=np.float64)
        if s.shape != g.shape:
            raise EvaluationError(f"combination {combo} has {s.shape} similarities for {g.shape} gold scores")
        per_pair[combo] = spearman_x100(s, g)
        pooled_sim.append(s)
    average = float(np.mean(list(per_pair.values())))
    pooled = spearman_x100(np.concatenate(pooled_sim), np.tile(g, len(pooled_sim)))
    return LanguageBias(per_pair=per_pair, average=average, pooled=pooled, bias=average - pooled)


def cross_lingual_combinations(langs: Sequence[str], include_same: bool = False) -> list[tuple[str, str]]:
    """Ordered (A, B) combinations for multi-parallel STS: A≠B unless ``include_same``."""
    combos = list(permutations(langs, 2))
    if include_same:
        combos = [(lang, lang) for lang in langs] + combos
    return combos


def rsim(emb_a: np.ndarray, emb_b: np.ndarray) -> float:
    """Representational similarity (RSIM) of two languages over a parallel corpus.

    With n parallel sentences, take the n×n cosine matrix within language A and
    within language B; RSIM is the Pearson correlation between their upper
    triangles (the n(n-1)/2 off-diagonal pairs). 1 means the two languages'
    embedding spaces are isomorphic on this corpus.
    """
    a = _as_matrix(emb_a, "emb_a")
    b = _as_matrix(emb_b, "emb_b")
    if a.shape[0] != b.shape[0]:
        raise EvaluationError(f"RSIM needs parallel sets of equal size, got {a.shape[0]} and {b.shape[0]}")
    if a.shape[0] < 3:
        raise EvaluationError("RSIM needs at least 3 parallel sentences")
    iu = np.triu_indices(a.shape[0], k=1)
    sa = cosine_matrix(a, a)[iu]
    sb = cosine_matrix(b, b)[iu]
    if np.all(sa == sa[0]) or np.all(sb == sb[0]):
        return float("nan")
    return float(pearsonr(sa, sb).statistic)


def retrieval_error(src: np.ndarray, tgt: np.ndarray) -> float:
    """One direction of bitext mining: % of ``src`` rows whose nearest ``tgt`` row
    (cosine) is not the aligned one."""
    return retrieval.retrieval_error(l2_normalize(_as_matrix(src, "src")), l2_normalize(_as_matrix(tgt, "tgt"))) * 100.0


def structure_ranking(a: np.ndarray, b: np.ndarray, reference: np.ndarray) -> float:
    """Spearman ×100 between the similarities of ``a`` rows to *other* ``b`` rows and the
    reference's similarities of the same pairs (``a is b``: L–L; ``b`` English: L–en).
    Every off-diagonal pair counts once per ordered pair; label-free STS proxy."""
    sims = cosine_matrix(a, b)
    ref = cosine_matrix(reference, reference)
    off = ~np.eye(sims.shape[0], dtype=bool)
    return spearman_x100(sims[off], ref[off])
