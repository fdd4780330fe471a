"""Training objectives (all on pooled sentence vectors)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def mnrl(anchors: torch.Tensor, positives: torch.Tensor, scale: float = 20.0) -> torch.Tensor:
    """MultipleNegativesRankingLoss: in-batch softmax over scaled cosine similarities."""
    a = F.normalize(anchors.float(), dim=-1)
    p = F.normalize(positives.float(), dim=-1)
    scores = scale * a @ p.T
    return F.cross_entropy(scores, torch.arange(len(a), device=a.device))


def cosine_to_one(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """sentence-transformers' CosineSimilarityLoss with label 1 (translation pairs)."""
    cos = F.cosine_similarity(a.float(), b.float(), dim=-1)
    return F.mse_loss(cos, torch.ones_like(cos))


def distance(student: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """1 - cosine to a frozen target vector (multilingual knowledge distillation)."""
    return (1 - F.cosine_similarity(student.float(), target.float(), dim=-1)).mean()


def structure(student: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
    """MSE between the in-batch cosine-similarity matrices: keeps the student's
    similarity structure close to the reference's (the base's)."""
    s = F.normalize(student.float(), dim=-1)
    r = F.normalize(reference.float(), dim=-1)
    return F.mse_loss(s @ s.T, r @ r.T)


def cross_structure(student: torch.Tensor, english: torch.Tensor) -> torch.Tensor:
    """MSE between the student's L-to-English cosines and the English-English cosines of
    the batch's translations, off the diagonal (the diagonal is ``distance``'s job).

    Pulling each L vector to its own translation says nothing about where it sits
    relative to *other* English sentences; measured on SICK-NL, the distilled nl pack
    raised the mean cosine of unrelated nl-en pairs from 0.774 (the base's en-en level,
    0.776) to 0.799, so mixed-language similarity lists ranked worse (language bias
    1.5 -> 5.9). This term keeps that level, and the ranking, at the base's."""
    s = F.normalize(student.float(), dim=-1)
    e = F.normalize(english.float(), dim=-1)
    n = len(s)
    if n < 2:
        return s.sum() * 0
    off = ~torch.eye(n, dtype=torch.bool, device=s.device)
    return F.mse_loss((s @ e.T)[off], (e @ e.T)[off])


def distillation(student: torch.Tensor, english: torch.Tensor, base_own, weights: dict, scale: float,
                 *, l_weight_default: float = 0.0) -> torch.Tensor:
    """The demo objectives' loss (SE fallback and CLA ``distill``), weighted terms:
    ``en_weight`` · distance to the frozen English vectors, ``l_weight`` · distance to the
    base's vectors of the same L texts, ``structure_weight`` · keep the base's L–L
    similarity structure, ``en_structure_weight`` · move the L–L similarity structure
    toward the English–English one of the translations, ``cross_weight`` · keep the L-to-English similarities of
    different sentences at the base's English-English level (:func:`cross_structure`),
    ``contrastive_weight`` · MNRL against the English vectors.
    ``base_own`` is a callable returning the base's vectors of the L texts, evaluated at
    most once (a teacher forward pass costs as much as the student's)."""
    loss = float(weights.get("en_weight", 1.0)) * distance(student, english)
    l_weight = float(weights.get("l_weight", l_weight_default))
    structure_weight = float(weights.get("structure_weight", 0))
    if l_weight > 0 or structure_weight > 0:
        own = base_own()
        if l_weight > 0:
            loss = loss + l_weight * distance(student, own)
        if structure_weight > 0:
            loss = loss + structure_weight * structure(student, own)
    en_structure_weight = float(weights.get("en_structure_weight", 0))
    if en_structure_weight > 0:  # L-L similarities ranked like the English translations' (en STS is the base's best)
        loss = loss + en_structure_weight * structure(student, english)
    cross_weight = float(weights.get("cross_weight", 0))
    if cross_weight > 0:
        loss = loss + cross_weight * cross_structure(student, english)
    contrastive_weight = float(weights.get("contrastive_weight", 0))
    if contrastive_weight > 0:
        loss = loss + contrastive_weight * mnrl(student, english, scale)
    return loss
