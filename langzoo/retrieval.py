"""Bitext retrieval error: the one implementation the build checks (``langzoo.recipes``,
torch tensors) and the evaluation suites (``langzoo.evaluation``, numpy arrays) share.

Row i of ``queries`` translates row i of ``docs``; a query is a hit when its nearest doc
by dot product is the aligned one (index equality, as in the LASER/Tatoeba evaluation,
so a duplicate doc that wins counts as an error). Callers pass normalised vectors when
they mean cosine. It lives at the package top so neither side imports the other.
Each array library computes with its own dtype and mean, so a build's numbers (float32
torch) are exactly what they were before the two copies were merged.
"""

from __future__ import annotations


def _is_torch(x) -> bool:
    return type(x).__module__.startswith("torch")


def retrieval_accuracy(queries, docs) -> float:
    """Share of queries whose nearest doc is the aligned one (``nan`` with no queries)."""
    if len(queries) == 0:
        return float("nan")
    sims = queries @ docs.T
    if _is_torch(sims):
        import torch

        return float((sims.argmax(dim=1) == torch.arange(len(queries))).float().mean())
    import numpy as np

    return float(np.mean(np.argmax(sims, axis=1) == np.arange(sims.shape[0])))


def retrieval_error(queries, docs) -> float:
    """One direction of bitext mining: share (0..1) of queries whose nearest doc is not the aligned one."""
    return 1 - retrieval_accuracy(queries, docs)


def bitext_error(l_vecs, en_vecs) -> dict:
    """en<->L bitext retrieval error rates (share, 0..1) both ways and their mean, rounded to 4 places."""
    l2e = retrieval_error(l_vecs, en_vecs)
    e2l = retrieval_error(en_vecs, l_vecs)
    return {"l2en_error": round(l2e, 4), "en2l_error": round(e2l, 4), "error": round((l2e + e2l) / 2, 4)}
