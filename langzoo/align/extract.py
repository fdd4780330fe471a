"""Alignment extraction: from a token similarity matrix to aligned token pairs.

Pure numpy, no models. Three methods:

- ``softmax`` (AccAlign / awesome-align): softmax over each row (source -> target) and
  each column (target -> source) of the similarity matrix; a pair aligns when both
  probabilities exceed ``threshold``. Its score is the smaller of the two.
- ``argmax``: a pair aligns when each token is the other's most similar (mutual argmax).
- ``itermax`` (SimAlign): argmax, then repeatedly mutual argmax among pairs where at
  least one side is still unaligned, with pairs whose both sides are unaligned preferred
  (the similarity of a pair with one side already aligned is damped by ``alpha``).

Scores of ``argmax``/``itermax`` pairs are their similarities.
"""

from __future__ import annotations

import numpy as np

METHODS = ("softmax", "argmax", "itermax")


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    x = x - x.max(axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def softmax_intersection(sim: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """Score matrix of the softmax method: min(row prob, column prob) where both exceed
    ``threshold``, 0 elsewhere."""
    sim = np.asarray(sim, dtype=np.float64)
    if sim.size == 0:
        return np.zeros(sim.shape)
    fwd = _softmax(sim, axis=1)
    bwd = _softmax(sim, axis=0)
    score = np.minimum(fwd, bwd)
    return np.where((fwd > threshold) & (bwd > threshold), score, 0.0)


def mutual_argmax(sim: np.ndarray) -> np.ndarray:
    """Boolean matrix: True where row i's best column is j and column j's best row is i."""
    sim = np.asarray(sim, dtype=np.float64)
    out = np.zeros(sim.shape, dtype=bool)
    if sim.size == 0:
        return out
    rows = np.arange(sim.shape[0])
    best_col = sim.argmax(axis=1)
    best_row = sim.argmax(axis=0)
    mutual = best_row[best_col] == rows
    out[rows[mutual], best_col[mutual]] = True
    return out


def itermax(sim: np.ndarray, max_rounds: int = 2, alpha: float = 0.9) -> np.ndarray:
    """Boolean matrix of the itermax method (SimAlign, Jalili Sabet et al. 2020).

    Round 1 is the mutual argmax. Each further round looks only at pairs with at least
    one unaligned side: a pair with both sides unaligned keeps its similarity, a pair
    with one aligned side is multiplied by ``alpha``; mutual argmaxes among them are
    added. Stops after ``max_rounds`` rounds or when a round adds nothing.
    """
    sim = np.asarray(sim, dtype=np.float64)
    aligned = mutual_argmax(sim)
    if min(sim.shape, default=0) <= 2:
        return aligned  # SimAlign's rule too: on tiny matrices a second round only adds noise
    # Shift to non-negative so that masking with 0 / damping with alpha ranks as intended.
    base = sim - sim.min()
    for _ in range(max_rounds - 1):
        row_free = ~aligned.any(axis=1)
        col_free = ~aligned.any(axis=0)
        if not row_free.any() and not col_free.any():
            break
        eligible = row_free[:, None] | col_free[None, :]
        weight = np.where(row_free[:, None] & col_free[None, :], 1.0, alpha)
        masked = np.where(eligible, base * weight, -1.0)
        new = mutual_argmax(masked) & eligible
        if not (new & ~aligned).any():
            break
        aligned |= new
    return aligned


def extract(sim: np.ndarray, method: str = "softmax", *, threshold: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """(aligned mask, scores) of ``method`` on a similarity matrix. The mask is kept apart
    from the scores: an argmax pair's similarity may be 0 or negative."""
    sim = np.asarray(sim, dtype=np.float64)
    if sim.ndim != 2:
        raise ValueError(f"a similarity matrix must be 2-D, got shape {sim.shape}")
    if method == "softmax":
        scores = softmax_intersection(sim, threshold)
        return scores > 0, scores
    if method == "argmax":
        return mutual_argmax(sim), sim
    if method == "itermax":
        return itermax(sim), sim
    raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


def word_alignment(token_mask: np.ndarray, token_scores: np.ndarray, src_words: list[int],
                   tgt_words: list[int]) -> dict[tuple[int, int], float]:
    """Word pairs from token pairs: words i and j align when any of their pieces align;
    the pair's score is the best of its aligned piece pairs. ``src_words[t]`` is the word
    index of source token ``t`` (likewise for the target)."""
    out: dict[tuple[int, int], float] = {}
    for s, t in zip(*np.nonzero(token_mask)):
        key = (src_words[s], tgt_words[t])
        score = float(token_scores[s, t])
        if key not in out or score > out[key]:
            out[key] = score
    return dict(sorted(out.items()))
