"""Stage ``align``: the word-alignment adapter (module kind ``align``), a peft LoRA on the
pack's stack (embeddings + la + se active and frozen, ``cla`` off) trained on the
recipe's en-L translation pairs (the ``cla`` stage's data) with AccAlign-style
self-training (Wang et al. 2022):

- **self-training**: each batch's own confident alignments, the softmax intersection
  of the layer-``layer`` token similarities at ``threshold`` (exactly what ``zoo align``
  extracts, ``langzoo.align.extract``), computed without gradients, are the targets of a
  cross-entropy on the row and column softmaxes (sharpening what the model already
  aligns with confidence);
- **parallel sentences** (``sentence_weight``): an in-batch contrastive loss on the
  mean of each sentence's layer-``layer`` token vectors, so translations share one
  neighbourhood at that layer.

The English side is the bare base (no gradients; English packs keep the base's
vocabulary and their ``se`` only). Checkpoints are chosen by the margin of dev bitext
retrieval *through token alignment* (each L sentence scores each English one by the
mean of its tokens' best cosine), and, with ``data.real_dev``, the real-sentence guard measures
sentence embeddings of the stack *with the align module on*: a checkpoint that would
make them worse is refused, although ``encode`` never loads the module.
"""

from __future__ import annotations

from dataclasses import dataclass
import contextlib
from pathlib import Path

import numpy as np
import torch

from langzoo.align.extract import softmax_intersection
from langzoo.align.tokens import check_layer, default_layer
from langzoo.modules.adapter_io import save_lora
from langzoo.modules.manifest import read_manifest, write_manifest
from langzoo.recipes import losses as L
from langzoo.recipes.build_settings import LoraSettings, PairTrainingSettings
from langzoo.recipes.errors import RecipeDataError
from langzoo.recipes.real_dev import RealDevGuard
from langzoo.recipes.settings import integer, real, setting
from langzoo.recipes.stack import add_lora, encoder_with, freeze_all_but
from langzoo.recipes.stages.context import StageContext
from langzoo.recipes.stages.descriptor import Stage, register_stage
from langzoo.recipes.teacher import Teacher
from langzoo.recipes.training import index_batches, seed_everything, steps_for, train_loop

DEV_PAIRS = 128  # dev pairs the token-alignment retrieval is measured on (an N x N comparison)


@dataclass
class AlignConfig(PairTrainingSettings):
    lora: LoraSettings | None = setting("LoRA of the word-alignment adapter", section_of=LoraSettings)
    layer: int | None = setting("hidden layer aligned (0: the aligner's default, the middle layer)", integer(0))
    threshold: float | None = setting("softmax-intersection threshold of the self-labelled alignments", real(0, 1))
    sentence_weight: float | None = setting("weight of the parallel-sentence (in-batch contrastive) loss", real(0))


def layer_tokens(enc, texts: list[str], lang: str | None, layer: int, max_len: int):
    """Layer-``layer`` hidden states of ``texts`` (tokenised word by word with the base's
    prefix, as ``langzoo.align.tokens`` does at run time) and the mask of their content
    tokens (no prefix, no special tokens). Keeps gradients."""
    prefix = enc.profile.prefix.split()
    tok = enc.tokenizer_for(lang)
    batch = tok([prefix + t.split() for t in texts], is_split_into_words=True, padding=True, truncation=True,
                max_length=max_len, return_tensors="pt")
    content = torch.tensor([[w is not None and w >= len(prefix) for w in batch.word_ids(i)]
                            for i in range(len(texts))], dtype=torch.bool)
    enc.activate(lang)
    out = enc.body(input_ids=batch["input_ids"].to(enc.device), attention_mask=batch["attention_mask"].to(enc.device),
                   output_hidden_states=True)
    return out.hidden_states[layer], content.to(enc.device)


def self_training_loss(h_l, m_l, h_en, m_en, threshold: float) -> torch.Tensor | None:
    """AccAlign's self-training objective over a batch: cross-entropy of the row and
    column softmaxes at the batch's own confident (softmax-intersection) alignments.
    ``None`` when no pair of the batch has any."""
    total, n = h_l.new_zeros(()), 0
    for i in range(h_l.shape[0]):
        a, b = h_l[i][m_l[i]].float(), h_en[i][m_en[i]].float()
        if not len(a) or not len(b):
            continue
        sim = a @ b.T
        labels = torch.from_numpy(softmax_intersection(sim.detach().cpu().double().numpy(), threshold) > 0).to(sim.device)
        if not labels.any():
            continue
        fwd, bwd = sim.log_softmax(1), sim.log_softmax(0)
        total = total - (fwd[labels].sum() + bwd[labels].sum()) / 2
        n += int(labels.sum())
    return total / n if n else None


def mean_tokens(h, m) -> torch.Tensor:
    w = m.unsqueeze(-1).to(h.dtype)
    return (h * w).sum(1) / w.sum(1).clamp(min=1)


@torch.no_grad()
def token_retrieval(enc, pairs, lang: str, layer: int, max_len: int, batch_size: int = 32) -> dict:
    """En<->L retrieval by token alignment on dev pairs (needs no gold): each English
    candidate is scored by the mean over the L tokens of their best cosine to its tokens.
    ``accuracy``: share of L sentences whose translation scores best; ``margin``: mean of
    (the translation's score - the best other score), the continuous measure checkpoints
    are chosen by (accuracy saturates: tr help pages 0.96 at step 0)."""
    def vectors(texts, side_lang):
        out = []
        for i in range(0, len(texts), batch_size):
            h, m = layer_tokens(enc, texts[i:i + batch_size], side_lang, layer, max_len)
            h = torch.nn.functional.normalize(h.float(), dim=-1)
            out += [h[j][m[j]].cpu() for j in range(h.shape[0])]
        return out

    was_training = enc.body.training
    enc.body.eval()
    en_vecs, l_vecs = vectors([p[0] for p in pairs], None), vectors([p[1] for p in pairs], lang)
    enc.activate(lang)  # L's stack stays active: the guard's encode() measures the active stack
    if was_training:
        enc.body.train()
    hits, margin = 0, 0.0
    for i, a in enumerate(l_vecs):
        scores = np.array([float((a @ b.T).max(1).values.mean()) if len(a) and len(b) else -1.0 for b in en_vecs])
        hits += int(np.argmax(scores) == i)
        margin += scores[i] - (np.delete(scores, i).max() if len(scores) > 1 else 0.0)
    n = max(1, len(pairs))
    return {"accuracy": round(hits / n, 4), "margin": round(margin / n, 5)}


def run(ctx: StageContext, out: Path) -> dict:
    cfg = ctx.cfg
    code = ctx.lang.code
    pairs = ctx.splits.train
    if not pairs:
        raise RecipeDataError("the align stage needs en-L translation pairs (data.translation)")
    seed = int(ctx.config.get("seed", 42))
    seed_everything(seed)
    la_dir, se_dir = ctx.parents["la"], ctx.parents["se"]
    packs = {code: {"embeddings": la_dir / "embeddings", "la": la_dir / "la", "se": se_dir / "se"}}
    threshold, weight = float(cfg.get("threshold", 0.1)), float(cfg.get("sentence_weight", 1.0))
    scale, bs = float(cfg.get("scale", 20.0)), int(cfg["batch_size"])
    dev = list(ctx.splits.dev[:DEV_PAIRS])
    with encoder_with(ctx.base, device=ctx.device, packs=packs) as enc, \
            (Teacher(ctx.base, device=ctx.device, max_len=ctx.max_len, amp=ctx.amp) if ctx.splits.real_dev
             else contextlib.nullcontext()) as teacher:  # a second model only when real sentences guard it
        layer = check_layer(enc, int(cfg.get("layer") or 0) or default_layer(enc))
        name = add_lora(enc, "align", code, cfg["lora"])
        enc.packs[code].lora.append(name)  # while training, activate(L) includes it (encode and the guard see it)
        enc.active = None
        params = freeze_all_but(enc.body, f".{name}.")
        batches = index_batches(len(pairs), bs, seed)
        labelled = []  # share of each batch's token pairs with a self-label (the manifest's learning curve)

        def loss_fn(step):
            batch = [pairs[i] for i in next(batches)]
            with torch.no_grad(), ctx.amp():
                h_en, m_en = layer_tokens(enc, [p[0] for p in batch], None, layer, ctx.max_len)
            with ctx.amp():
                h_l, m_l = layer_tokens(enc, [p[1] for p in batch], code, layer, ctx.max_len)
            loss = self_training_loss(h_l, m_l, h_en, m_en, threshold)
            labelled.append(loss is not None)
            loss = h_l.sum() * 0.0 if loss is None else loss
            if weight:
                loss = loss + weight * L.mnrl(mean_tokens(h_l.float(), m_l), mean_tokens(h_en.float(), m_en), scale)
            return loss

        def dev_scores():
            return token_retrieval(enc, dev, code, layer, ctx.max_len) if dev else {}

        def dev_metric():
            return dev_scores().get("margin", 0.0)

        before = dev_scores()
        guard = RealDevGuard(ctx, enc, teacher, lang=code)
        eval_fn = guard.wrap(dev_metric, add_score=False)  # alignment decides among harmless checkpoints
        steps = steps_for(cfg, len(pairs))
        result = train_loop(stage=f"{ctx.lang.alias}:align", params=params, loss_fn=loss_fn, steps=steps,
                            lr=float(cfg["lr"]), warmup=float(cfg.get("warmup", 0)),
                            eval_fn=eval_fn if dev or guard.active else None,
                            eval_every=int(cfg.get("eval_every") or 0), patience=int(cfg.get("patience") or 0),
                            modules_train=[enc.body])
        after = dev_scores()
        save_lora(enc.peft_model, name, out / "align", base_id=ctx.base.base_id)
    config = {"lora": cfg["lora"], "layer": layer, "threshold": threshold, "sentence_weight": weight, "scale": scale,
              "steps": steps, "batch_size": bs, "lr": float(cfg["lr"]), "max_seq_length": ctx.max_len,
              "bf16": ctx.bf16, "stack": "embeddings + la + se (cla off); English side: the bare base",
              "objective": "AccAlign self-training (softmax-intersection self-labels, row+column cross-entropy) "
                           "+ in-batch contrastive loss on mean layer token vectors"}
    metrics = {"dev_before": before, "dev_after": after,
               "dev_metric": "en<->L retrieval by token alignment (mean over L tokens of the best cosine) at the "
                             "aligned layer: accuracy, and the margin of the translation over the best other "
                             "sentence (checkpoints are chosen by the margin)",
               "batches_with_self_labels": round(sum(labelled) / max(1, len(labelled)), 4), **result.summary()}
    if guard.active:
        metrics["real_dev"] = guard.summary(result.best_step, int(cfg.get("eval_every") or 0))
    write_manifest(out / "align", kind="align", parents={"se": read_manifest(se_dir / "se").content_hash},
                   config=config, data=ctx.data_provenance("translation"), metrics=metrics, **ctx.manifest_common())
    return {"config": config, "metrics": metrics}


STAGE = register_stage(Stage(
    "align", "word-alignment adapter: LoRA self-trained on its own confident alignments (used by align only)",
    run, AlignConfig, parents=("la", "se"), reads=("train", "dev", "real_dev"), produces=("align",),
    trains=True, guarded=True))
