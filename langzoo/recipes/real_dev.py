"""Checkpoint selection guarded by real sentences.

The training data of a demo build is short localisation text; its own dev split can
improve while real sentences get worse (measured on nl: the dev split said better,
Tatoeba said 5.5 -> 13.6 % error). When the recipe supplies ``data.real_dev`` (en–L
translation pairs of ordinary sentences, e.g. FLORES dev), every evaluation of a
training stage also measures the active stack there, and a checkpoint may only be
kept if it is not worse than the stage's own step 0 (the stack below, i.e. the bare
base for the first stage on the base vocabulary) on either measurement:

- ``ranking``: Spearman of the L–L similarities vs the base's English–English
  similarities of the translations (monolingual structure);
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

from langzoo.recipes import metrics as M
from langzoo.recipes.stack import encode

PENALTY = 1000.0  # subtracted from a disqualified checkpoint's metric (never beats step 0)


class RealDevGuard:
    def __init__(self, ctx, enc, teacher, *, lang: str | None, pivot: str = "base"):
        self.pairs = list(getattr(ctx.splits, "real_dev", []) or [])
        self.enc, self.lang, self.ctx = enc, lang, ctx
        cfg = ctx.config.get("real_dev", {}) or {}
        self.rank_tolerance = float(cfg.get("ranking_tolerance", 0.0))
        self.error_tolerance = float(cfg.get("error_tolerance", 0.0))
        self.offset_tolerance = float(cfg.get("offset_tolerance", 0.01))
        self.reference: dict | None = None
        self.curve: list[dict] = []
        if self.pairs:
            en = [p[0] for p in self.pairs]
            self.en_base = teacher.vectors(en, "base").cpu()
            self.en_pivot = teacher.vectors(en, pivot).cpu()

    @property
    def active(self) -> bool:
        return bool(self.pairs)

    def scores(self) -> dict:
        student = encode(self.enc, [p[1] for p in self.pairs], self.lang, self.ctx.max_len, amp=self.ctx.amp)
        return {"ranking": round(M.similarity_ranking(student, self.en_base), 4),
                "error": M.bitext_error(student, self.en_pivot)["error"],
                "offset": round(M.cross_offset(student, self.en_base), 4)}

    def qualifies(self, s: dict) -> bool:
        ref = self.reference
        return (s["ranking"] >= ref["ranking"] - self.rank_tolerance
                and s["error"] <= ref["error"] + self.error_tolerance
                and s.get("offset", 0.0) <= ref.get("offset", 0.0) + self.offset_tolerance)

    def wrap(self, eval_fn: Callable[[], float], *, add_score: bool) -> Callable[[], float]:
        """``eval_fn`` for :func:`train_loop` with the guard applied (a no-op without real dev pairs).
        ``add_score`` also adds ``ranking - error`` to the metric, so among qualifying
        checkpoints the one best on real sentences wins."""
        if not self.active:
            return eval_fn

        def guarded() -> float:
            metric = eval_fn()
            s = self.scores()
            if self.reference is None:  # the first call is train_loop's step-0 evaluation
                self.reference = s
            ok = self.qualifies(s)
            self.curve.append({**s, "qualifies": ok})
            if add_score:
                metric += s["ranking"] - s["error"]
            return metric if ok else metric - PENALTY

        return guarded

    def summary(self, best_step: int | None, eval_every: int) -> dict:
        if not self.active:
            return {}
        out = {"pairs": len(self.pairs), "step0": self.reference, "curve": self.curve,
               "metric": "ranking: L-L vs base en-en similarities (Spearman); error: en<->L bitext retrieval; "
                         "offset: |mean cosine of unrelated L-en pairs - the base's en-en level|"}
        if best_step == 0 and len(self.curve) > 1:
            out["note"] = ("no checkpoint beat step 0 on real sentences without losing there: "
                           "the adapter was kept at its identity initialisation")
        return out
