"""Checkpoint selection guarded by real sentences.

The training data of a demo build is short localisation text; its own dev split can
improve while real sentences get worse (measured on nl: the dev split said better,
Tatoeba said 5.5 -> 13.6 % error; uz: better on UI strings, worse on every public real
Uzbek set). Every build therefore gets ``data.real_dev`` (en–L translation pairs of
ordinary sentences; by default the FLORES dev sentences langzoo ships for L) and every
evaluation of a training stage also measures the active stack there. A checkpoint may
only be kept if it is worse neither than the stage's own step 0 (the stack below) nor
than the **bare base** on any of:

- ``ranking``: Spearman, over all pairs of different sentences at once (as STS ranks),
  of the L–L similarities vs the base's English–English similarities of the
  translations (monolingual structure, an L–L STS proxy);
- ``xranking``: the same for L–English similarities of different sentences
  (cross-lingual structure, an L–en STS proxy);
- ``error``: en<->L bitext retrieval error against the stage's English pivot;
- ``offset``: how far unrelated L–English pairs' mean cosine is from the base's
  English–English level (:func:`metrics.cross_offset`), which must not grow by more
  than ``offset_tolerance``: a stack that shifts L as a whole toward the English cloud
  ranks well within each language pair yet worse once pairs are mixed (language bias).

Step 0 always qualifies, so a stage that cannot help on real sentences ends as an
identity adapter (and says so in its manifest) instead of making the pack worse.
"""

from __future__ import annotations

from typing import Callable

import torch

from langzoo.recipes import metrics as M
from langzoo.recipes.stack import encode

PENALTY = 1000.0  # subtracted from a disqualified checkpoint's metric (never beats step 0)


def guard_length(ctx) -> int:
    """Token length the guard measures real sentences at: whole sentences
    (``real_dev.max_seq_length``, default 128), not the training length. At the demo's 32
    tokens a FLORES sentence is cut to its first half, and a checkpoint that ranked better
    on those prefixes ranked worse on whole sentences (uz global ranking 68.3 -> 67.6)."""
    cfg = ctx.config.get("real_dev", {}) or {}
    return max(int(cfg.get("max_seq_length", 128)), int(ctx.max_len))


def guard_scores(student: torch.Tensor, en_base: torch.Tensor, en_pivot: torch.Tensor) -> dict:
    """The guard's four measurements of L vectors ``student`` against the base's
    (``en_base``) and the pivot's (``en_pivot``) English vectors of their translations."""
    return {"ranking": round(M.sts_ranking(student, student, en_base), 4),
            "xranking": round(M.sts_ranking(student, en_pivot, en_base), 4),
            "error": M.bitext_error(student, en_pivot)["error"],
            "offset": round(M.cross_offset(student, en_base), 4)}


def guard_score(s: dict) -> float:
    """One number for choosing among qualifying checkpoints (higher is better)."""
    return s["ranking"] + s.get("xranking", 0.0) - s["error"]


def shortfalls(s: dict, ref: dict, *, ranking: float = 0.0, error: float = 0.0, offset: float = 0.01) -> list[str]:
    """The measurements on which ``s`` is worse than ``ref`` beyond the tolerances."""
    out = []
    if s["ranking"] < ref["ranking"] - ranking:
        out.append("ranking")
    if "xranking" in s and "xranking" in ref and s["xranking"] < ref["xranking"] - ranking:
        out.append("xranking")
    if s["error"] > ref["error"] + error:
        out.append("error")
    if s.get("offset", 0.0) > ref.get("offset", 0.0) + offset:
        out.append("offset")
    return out


class RealDevGuard:
    def __init__(self, ctx, enc, teacher, *, lang: str | None, pivot: str = "base"):
        self.pairs = list(getattr(ctx.splits, "real_dev", []) or [])
        self.enc, self.lang, self.ctx = enc, lang, ctx
        cfg = ctx.config.get("real_dev", {}) or {}
        self.rank_tolerance = float(cfg.get("ranking_tolerance", 0.0))
        self.error_tolerance = float(cfg.get("error_tolerance", 0.0))
        self.offset_tolerance = float(cfg.get("offset_tolerance", 0.01))
        self.max_len = guard_length(ctx)
        self.reference: dict | None = None
        self.base: dict | None = None  # the bare base's scores: no checkpoint may fall below them
        self.curve: list[dict] = []
        if self.pairs:
            en = [p[0] for p in self.pairs]
            self.en_base = teacher.vectors(en, "base", self.max_len).cpu()
            self.en_pivot = teacher.vectors(en, pivot, self.max_len).cpu()
            l_base = teacher.vectors([p[1] for p in self.pairs], "base", self.max_len).cpu()
            self.base = guard_scores(l_base, self.en_base, self.en_base)

    @property
    def active(self) -> bool:
        return bool(self.pairs)

    def scores(self) -> dict:
        student = encode(self.enc, [p[1] for p in self.pairs], self.lang, self.max_len, amp=self.ctx.amp)
        return guard_scores(student, self.en_base, self.en_pivot)

    def shortfalls(self, s: dict) -> list[str]:
        """What ``s`` loses against step 0 or against the bare base (beyond the tolerances)."""
        tol = {"ranking": self.rank_tolerance, "error": self.error_tolerance, "offset": self.offset_tolerance}
        worse = shortfalls(s, self.reference, **tol)
        if self.base is not None:
            worse += [f"{m} vs base" for m in shortfalls(s, self.base, **tol)]
        return worse

    def qualifies(self, s: dict) -> bool:
        return not self.shortfalls(s)

    def wrap(self, eval_fn: Callable[[], float], *, add_score: bool) -> Callable[[], float]:
        """``eval_fn`` for :func:`train_loop` with the guard applied (a no-op without real dev pairs).
        ``add_score`` also adds :func:`guard_score` to the metric, so among qualifying
        checkpoints the one best on real sentences wins."""
        if not self.active:
            return eval_fn

        def guarded() -> float:
            metric = eval_fn()
            s = self.scores()
            first = self.reference is None
            if first:  # the first call is train_loop's step-0 evaluation: the identity adapter
                self.reference = s
            worse = [] if first else self.shortfalls(s)  # step 0 always qualifies (it adds nothing)
            self.curve.append({**s, "qualifies": not worse, **({"worse": worse} if worse else {})})
            if add_score:
                metric += guard_score(s)
            return metric - PENALTY if worse else metric

        return guarded

    def summary(self, best_step: int | None, eval_every: int) -> dict:
        if not self.active:
            return {}
        out = {"pairs": len(self.pairs), "base": self.base, "step0": self.reference, "curve": self.curve,
               "metric": "ranking: L-L vs base en-en similarities (Spearman over all pairs); xranking: L-en "
                         "(different sentences) vs base en-en similarities; error: en<->L bitext retrieval; "
                         "offset: |mean cosine of unrelated L-en pairs - the base's en-en level|"}
        if best_step == 0 and len(self.curve) > 1:
            out["note"] = ("no checkpoint beat step 0 on real sentences without losing there: "
                           "the adapter was kept at its identity initialisation")
        return out
