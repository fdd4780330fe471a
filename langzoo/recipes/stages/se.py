"""Stage ``se`` (and ``english_se``): sentence-encoding LoRA on all linear layers,
stacked on the frozen ``la`` (English: on the bare base).

Objectives (recorded in the manifest):

- ``mnrl`` (paper): MultipleNegativesRankingLoss on (L, L') paraphrase pairs.
- ``distill`` (fallback when the recipe has no L paraphrase data, e.g. offline):
  multilingual knowledge distillation. The student's vector of an L sentence is pulled
  toward the frozen base's vector of its English translation (``en_weight``) and of the
  L sentence itself under the base vocabulary (``l_weight``); optionally the in-batch
  similarity structure is kept close to the base's (``structure_weight``), the cosines
  to the other sentences' English vectors at the base's English–English level
  (``cross_weight``), and an in-batch contrastive term against the English targets is
  added (``contrastive_weight``).
  This keeps the result aligned with the base instead of drifting to a new space.

``auto`` picks ``mnrl`` when paraphrase pairs exist, else ``distill``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


from langzoo.modules.adapter_io import save_lora
from langzoo.modules.manifest import read_manifest, write_manifest
from langzoo.recipes import losses as L
from langzoo.recipes import metrics as M
from langzoo.recipes.errors import RecipeDataError
from langzoo.recipes.real_dev import RealDevGuard
from langzoo.recipes.stack import add_lora, encode, encoder_with, features, freeze_all_but
from langzoo.recipes.stages.context import StageContext
from langzoo.recipes.build_settings import DistillWeights, LoraSettings, PairTrainingSettings, objective as objective_setting
from langzoo.recipes.settings import setting
from langzoo.recipes.stages.descriptor import Stage, register_stage
from langzoo.recipes.teacher import ENGLISH, Teacher
from langzoo.recipes.training import index_batches, seed_everything, steps_for, train_loop


def choose_objective(cfg: dict, n_paraphrase: int) -> tuple[str, str]:
    wanted = cfg.get("objective", "auto")
    if wanted == "auto":
        if n_paraphrase:
            return "mnrl", f"{n_paraphrase} paraphrase pairs available"
        return "distill", ("no paraphrase pairs in the recipe: distillation toward the frozen base "
                           "(keeps the adapter aligned with the base's space)")
    if wanted == "mnrl" and not n_paraphrase:
        raise RecipeDataError("se.objective=mnrl needs paraphrase pairs (data.paraphrase); none were found")
    if wanted not in ("mnrl", "distill"):
        raise RecipeDataError(f"unknown SE objective {wanted!r} (auto, mnrl, distill)")
    return wanted, "set in the config"


def sides(ctx: StageContext, pairs):
    """(own-language side, other side) of translation pairs; English recipes hold (en, X)."""
    if ctx.lang.code == ENGLISH:
        return [p[0] for p in pairs], [p[1] for p in pairs]
    return [p[1] for p in pairs], [p[0] for p in pairs]


def dev_scores(ctx, enc, teacher, code) -> dict:
    own, other = sides(ctx, ctx.splits.dev)
    if not own:
        return {}
    student = encode(enc, own, code, ctx.max_len, amp=ctx.amp)
    ref = teacher.vectors(other, "base").cpu()
    en_ref = teacher.vectors([p[0] for p in ctx.splits.dev], "base").cpu()
    return {"retrieval_acc": round(M.retrieval_accuracy(student, ref), 4),
            "similarity_ranking": round(M.similarity_ranking(student, en_ref), 4)}



@dataclass
class SeConfig(PairTrainingSettings):
    objective: str | None = objective_setting("auto", "mnrl", "distill")
    lora: LoraSettings | None = setting("LoRA of the sentence-encoding adapter", section_of=LoraSettings)
    distill: DistillWeights | None = setting("loss weights of the distill objective", section_of=DistillWeights)



def run(ctx: StageContext, out: Path) -> dict:
    cfg = ctx.cfg
    english = ctx.lang.code == ENGLISH
    code = ctx.lang.code
    tok_lang = None if english else code
    objective, why = choose_objective(cfg, len(ctx.splits.paraphrase))
    train_pairs = ctx.splits.paraphrase if objective == "mnrl" else ctx.splits.train
    if not train_pairs:
        raise RecipeDataError(f"SE ({objective}) has no training pairs; check the recipe's data sources")
    seed_everything(int(ctx.config.get("seed", 42)))
    packs = {} if english else {code: {"embeddings": ctx.parents["la"] / "embeddings", "la": ctx.parents["la"] / "la"}}
    with encoder_with(ctx.base, device=ctx.device, packs=packs) as enc, \
            Teacher(ctx.base, device=ctx.device, max_len=ctx.max_len, amp=ctx.amp) as teacher:
        enc.activate(tok_lang, alignment=False)
        name = add_lora(enc, "se", code, cfg["lora"])
        params = freeze_all_but(enc.body, f".{name}.")
        before = dev_scores(ctx, enc, teacher, tok_lang)
        batches = index_batches(len(train_pairs), int(cfg["batch_size"]), int(ctx.config.get("seed", 42)))
        d = cfg.get("distill", {})
        scale = float(cfg.get("scale", 20.0))

        def loss_fn(step):
            batch = [train_pairs[i] for i in next(batches)]
            with ctx.amp():
                if objective == "mnrl":
                    a = features(enc, [p[0] for p in batch], tok_lang, ctx.max_len)
                    b = features(enc, [p[1] for p in batch], tok_lang, ctx.max_len)
                    return L.mnrl(a, b, scale)
                own, _ = sides(ctx, batch)
                student = features(enc, own, tok_lang, ctx.max_len)
            en_t = teacher.vectors([p[0] for p in batch], "base")
            weights = {**d, "l_weight": 0.0} if english else d  # English: its own text is the target already
            return L.distillation(student, en_t, lambda: teacher.vectors(own, "base"), weights, scale)

        def dev_metric():
            s = dev_scores(ctx, enc, teacher, tok_lang)
            return s.get("retrieval_acc", 0.0) + s.get("similarity_ranking", 0.0)

        guard = RealDevGuard(ctx, enc, teacher, lang=tok_lang)
        eval_fn = guard.wrap(dev_metric, add_score=True)

        steps = steps_for(cfg, len(train_pairs))
        result = train_loop(stage=f"{ctx.lang.alias}:{ctx.name}", params=params, loss_fn=loss_fn, steps=steps, lr=float(cfg["lr"]),
                            warmup=float(cfg.get("warmup", 0)), eval_fn=eval_fn if ctx.splits.dev else None,
                            eval_every=int(cfg.get("eval_every") or 0), patience=int(cfg.get("patience") or 0),
                            modules_train=[enc.body])
        after = dev_scores(ctx, enc, teacher, tok_lang)
        save_lora(enc.peft_model, name, out / "se", base_id=ctx.base.base_id)
    parents = {} if english else {"la": read_manifest(ctx.parents["la"] / "la").content_hash}
    config = {"objective": objective, "objective_reason": why, "lora": cfg["lora"], "steps": steps,
              "batch_size": int(cfg["batch_size"]), "lr": float(cfg["lr"]), "max_seq_length": ctx.max_len,
              "bf16": ctx.bf16, **({"distill": d} if objective == "distill" else {"scale": scale})}
    metrics = {"dev_before": before, "dev_after": after,
               "dev_metric": "retrieval: own-language side (student) -> other side (frozen base); "
                             "similarity_ranking: Spearman vs the base's English-English similarities",
               **result.summary()}
    if guard.active:
        metrics["real_dev"] = guard.summary(result.best_step, int(cfg.get("eval_every") or 0))
    write_manifest(out / "se", kind="se", parents=parents, config=config,
                   data=ctx.data_provenance("paraphrase" if objective == "mnrl" else "translation"),
                   metrics=metrics, **ctx.manifest_common())
    return {"config": config, "metrics": metrics}


STAGE = register_stage(Stage(
    "se", "sentence-encoding LoRA (English: the pivot's own SE, from the english_se section)", run, SeConfig,
    parents=("la",), reads=("train", "paraphrase", "dev", "real_dev"), produces=("se",),
    trains=True, guarded=True, sections=("english_se",)))
