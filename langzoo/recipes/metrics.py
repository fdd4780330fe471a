"""Dev-split measurements written into module manifests and the quality gate."""

from __future__ import annotations

import torch

from langzoo.retrieval import bitext_error, retrieval_accuracy  # noqa: F401  (shared with evaluation)


def _spearman_rows(a: torch.Tensor, b: torch.Tensor) -> float:
    """Mean per-row Spearman correlation of two square similarity matrices (diagonal left out)."""
    n = a.shape[0]
    if n < 3:
        return float("nan")
    mask = ~torch.eye(n, dtype=torch.bool)
    ra = a[mask].view(n, n - 1).argsort(1).argsort(1).float()
    rb = b[mask].view(n, n - 1).argsort(1).argsort(1).float()
    ra = ra - ra.mean(1, keepdim=True)
    rb = rb - rb.mean(1, keepdim=True)
    corr = (ra * rb).sum(1) / (ra.norm(dim=1) * rb.norm(dim=1)).clamp(min=1e-9)
    return float(corr.mean())


def similarity_ranking(l_vecs: torch.Tensor, reference: torch.Tensor) -> float:
    """How well L–L similarities rank like a reference's (the base's English–English
    similarities of the same sentences' translations): a label-free STS proxy."""
    return _spearman_rows(l_vecs @ l_vecs.T, reference @ reference.T)


def mean_cosine(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a * b).sum(-1).mean()) if len(a) else float("nan")


def cross_offset(l_vecs: torch.Tensor, en_vecs: torch.Tensor) -> float:
    """How far the mean cosine of *unrelated* L–English pairs is from the mean
    English–English cosine of the same pairs (absolute difference; ``en_vecs`` are the
    base's vectors of the translations). A pack that moves L vectors toward or away from
    the English cloud as a whole shifts every cross-lingual similarity, which
    mixed-language ranking (language bias) pays for; the base itself sits near 0."""
    n = l_vecs.shape[0]
    if n < 2:
        return 0.0
    off = ~torch.eye(n, dtype=torch.bool)
    return abs(float((l_vecs @ en_vecs.T)[off].mean() - (en_vecs @ en_vecs.T)[off].mean()))


def _spearman(a: torch.Tensor, b: torch.Tensor) -> float:
    """Spearman correlation of two flat tensors (ties broken by position: cosines rarely tie)."""
    if a.numel() < 3:
        return float("nan")
    ra = a.argsort().argsort().float()
    rb = b.argsort().argsort().float()
    ra, rb = ra - ra.mean(), rb - rb.mean()
    return float((ra * rb).sum() / (ra.norm() * rb.norm()).clamp(min=1e-9))


def sts_ranking(a: torch.Tensor, b: torch.Tensor, reference: torch.Tensor) -> float:
    """Spearman, over every pair of *different* sentences at once, between the
    similarities of ``a`` rows to ``b`` rows and the reference's similarities of the same
    pairs (``a is b``: L–L; ``b`` English: L–en). Ranked globally, as STS scores are: a
    per-row ranking (:func:`similarity_ranking`) forgives a pack that moves whole rows up
    or down, which an STS benchmark does not (measured on uz FLORES dev: per-row 0.502 ->
    0.521 while the global ranking fell 68.3 -> 67.6)."""
    n = a.shape[0]
    ones = torch.ones(n, n, dtype=torch.bool)
    # L-L similarities are symmetric: each pair once; L-en ones are not: every ordered pair
    pairs = torch.triu(ones, 1) if a is b else ~torch.eye(n, dtype=torch.bool)
    return _spearman((a @ b.T)[pairs], (reference @ reference.T)[pairs])
