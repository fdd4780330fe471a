"""Stage ``la``: masked-LM language adapter (peft LoRA on query/key/value) with the
new embedding matrix trainable.

Sentence encoders ship no MLM head, so a small one is added for training only:
dense + GELU + LayerNorm + a decoder tied to the input embeddings (as BERT's). It
is discarded afterwards. Outputs: ``la/`` (LoRA without embedding layers) and the
trained ``embeddings/`` (tokenizer + matrix, fp16 by default).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path

import torch

from langzoo.modules.adapter_io import save_embeddings, save_lora
from langzoo.modules.manifest import read_manifest, uses_base_vocabulary, write_manifest
from langzoo.recipes.errors import RecipeDataError
from langzoo.recipes.real_dev import RealDevGuard
from langzoo.recipes.stack import add_lora, encoder_with, freeze_all_but, tokenize
from langzoo.recipes.stages.context import StageContext
from langzoo.recipes.build_settings import LoraSettings, TrainingSettings
from langzoo.recipes.settings import boolean, real, setting
from langzoo.recipes.stages.descriptor import Stage, register_stage
from langzoo.recipes.teacher import Teacher
from langzoo.recipes.training import index_batches, seed_everything, train_loop


class MLMHead(torch.nn.Module):
    """BERT-style MLM head with a decoder tied to the input embeddings. ``rows``
    restricts the output to a subset of the vocabulary (on the base's 250K-piece
    vocabulary, the pieces L text uses: same targets, ~15x cheaper softmax)."""

    def __init__(self, embeddings: torch.nn.Embedding, eps: float = 1e-12, rows: torch.Tensor | None = None):
        super().__init__()
        hidden, vocab = embeddings.weight.shape[1], embeddings.weight.shape[0]
        self.dense = torch.nn.Linear(hidden, hidden)
        self.norm = torch.nn.LayerNorm(hidden, eps=eps)
        self.embeddings = embeddings  # tied decoder: logits = h @ E^T + b
        self.register_buffer("rows", rows)
        # label id -> output index (-100: not an output of this head)
        lookup = torch.full((vocab,), -100, dtype=torch.long)
        lookup[rows if rows is not None else torch.arange(vocab)] = torch.arange(len(rows) if rows is not None else vocab)
        self.register_buffer("lookup", lookup)
        self.bias = torch.nn.Parameter(torch.zeros(len(rows) if rows is not None else vocab))

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        h = self.norm(torch.nn.functional.gelu(self.dense(hidden)))
        weight = self.embeddings.weight if self.rows is None else self.embeddings.weight[self.rows]
        return h @ weight.T + self.bias


def used_rows(enc, texts: list[str], code: str, specials: list[int]) -> torch.Tensor:
    """Ids of the pieces that L's training and dev texts use (plus special tokens):
    every MLM target is one of them."""
    tok = enc.tokenizer_for(code)
    seen = set(specials)
    for i in range(0, len(texts), 1000):
        for ids in tok(texts[i:i + 1000], add_special_tokens=False)["input_ids"]:
            seen.update(ids)
    return torch.tensor(sorted(seen), dtype=torch.long)


_VOCAB_SIZES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _vocab_size(tok) -> int:
    # len() of a fast tokenizer rebuilds the whole vocabulary each call (~140 ms on the
    # 250K e5 vocabulary, a tenth of a CPU step); a tokenizer does not change while training.
    size = _VOCAB_SIZES.get(tok)
    if size is None:
        size = _VOCAB_SIZES[tok] = len(tok)
    return size


def mask_tokens(ids: torch.Tensor, attention: torch.Tensor, tok, prob: float, gen: torch.Generator):
    """BERT masking: ``prob`` of the real tokens are targets; 80 % -> mask, 10 % random, 10 % kept."""
    ids = ids.clone()
    special = torch.zeros_like(ids, dtype=torch.bool)
    for sid in tok.all_special_ids:
        special |= ids == sid
    candidates = attention.bool() & ~special
    rnd = torch.rand(ids.shape, generator=gen).to(ids.device)
    targets = candidates & (rnd < prob)
    # at least one target per row that has candidates, so short UI strings still teach something
    none = ~targets.any(1) & candidates.any(1)
    if none.any():
        first = (candidates.float() + torch.rand(ids.shape, generator=gen).to(ids.device) * 0.5).argmax(1)
        targets[none, first[none]] = True
    labels = torch.where(targets, ids, torch.full_like(ids, -100))
    action = torch.rand(ids.shape, generator=gen).to(ids.device)
    mask_id = tok.mask_token_id if tok.mask_token_id is not None else tok.unk_token_id
    ids[targets & (action < 0.8)] = mask_id
    swap = targets & (action >= 0.8) & (action < 0.9)
    ids[swap] = torch.randint(_vocab_size(tok), ids.shape, generator=gen).to(ids.device)[swap]
    return ids, labels


def mlm_loss(enc, head, texts, code, max_len, prob, gen, amp):
    tok = enc.tokenizer_for(code)
    ids, attention = tokenize(enc, texts, code, max_len, prefix=False)
    masked, labels = mask_tokens(ids, attention, tok, prob, gen)
    with amp():
        hidden = enc.body(input_ids=masked, attention_mask=attention).last_hidden_state
        sel = labels != -100
        logits = head(hidden[sel])
    return torch.nn.functional.cross_entropy(logits.float(), head.lookup[labels[sel]], ignore_index=-100)


@torch.no_grad()
def dev_mlm_loss(enc, head, texts, code, max_len, prob, amp, batch_size=32) -> float:
    """Dev MLM loss with a fixed masking seed (same masks before and after training)."""
    enc.body.eval()
    gen = torch.Generator().manual_seed(1234)
    total, n = 0.0, 0
    for i in range(0, len(texts), batch_size):
        chunk = texts[i:i + batch_size]
        total += float(mlm_loss(enc, head, chunk, code, max_len, prob, gen, amp)) * len(chunk)
        n += len(chunk)
    return total / max(1, n)



@dataclass
class LaConfig(TrainingSettings):
    lora: LoraSettings | None = setting("LoRA of the language adapter", section_of=LoraSettings)
    mask_prob: float | None = setting("share of tokens masked for the masked-LM loss", real(0, 1, above=True))
    train_embeddings: bool | None = setting("also train the new vocabulary's embeddings", boolean)



def run(ctx: StageContext, out: Path) -> dict:
    cfg = ctx.cfg
    texts = ctx.splits.monolingual
    if not texts:
        raise RecipeDataError("no monolingual text for the LA stage")
    dev = [p[1] for p in ctx.splits.dev] or texts[:64]
    code = ctx.lang.code
    seed_everything(int(ctx.config.get("seed", 42)))
    focus_dir = ctx.parents["focus"] / "embeddings"
    own_vocabulary = not uses_base_vocabulary(read_manifest(focus_dir))
    with encoder_with(ctx.base, device=ctx.device, packs={code: {"embeddings": focus_dir}}) as enc, \
            (Teacher(ctx.base, device=ctx.device, max_len=ctx.max_len, amp=ctx.amp) if ctx.splits.real_dev
             else contextlib.nullcontext()) as teacher:  # a second model only when real sentences guard LA
        enc.activate(code)
        name = add_lora(enc, "la", code, cfg["lora"])
        # on the base vocabulary the matrix is the base's, shared by every language: frozen
        emb = enc.packs[code].embeddings if own_vocabulary else enc.base_embeddings
        rows = None if own_vocabulary else used_rows(enc, texts + dev, code, enc.tokenizer_for(code).all_special_ids)
        head = MLMHead(emb, rows=rows).to(ctx.device)
        extra = [emb.weight] if own_vocabulary and cfg.get("train_embeddings", True) else []
        params = freeze_all_but(enc.body, f".{name}.", extra) + list(head.dense.parameters()) + \
            list(head.norm.parameters()) + [head.bias]
        prob = float(cfg.get("mask_prob", 0.15))
        before = dev_mlm_loss(enc, head, dev, code, ctx.max_len, prob, ctx.amp)
        batches = index_batches(len(texts), int(cfg["batch_size"]), int(ctx.config.get("seed", 42)))
        gen = torch.Generator().manual_seed(int(ctx.config.get("seed", 42)))

        def loss_fn(step):
            return mlm_loss(enc, head, [texts[i] for i in next(batches)], code, ctx.max_len, prob, gen, ctx.amp)

        guard = RealDevGuard(ctx, enc, teacher, lang=code)
        # MLM loss decides among checkpoints that do not hurt real sentences
        eval_fn = guard.wrap(lambda: -dev_mlm_loss(enc, head, dev, code, ctx.max_len, prob, ctx.amp), add_score=False)
        result = train_loop(stage=f"{ctx.lang.alias}:la", params=params, loss_fn=loss_fn, steps=int(cfg["steps"]), lr=float(cfg["lr"]),
                            warmup=float(cfg.get("warmup", 0)), eval_fn=eval_fn,
                            eval_every=int(cfg.get("eval_every") or 0), patience=int(cfg.get("patience") or 0),
                            modules_train=[enc.body, head])
        after = dev_mlm_loss(enc, head, dev, code, ctx.max_len, prob, ctx.amp)
        # embeddings module: the FOCUS tokenizer + the trained matrix
        emb_dir = out / "embeddings"
        if own_vocabulary:
            shutil.copytree(focus_dir, emb_dir, ignore=shutil.ignore_patterns("manifest.json", "embeddings.safetensors"))
            save_embeddings(emb.weight, emb_dir)
            focus_manifest = read_manifest(focus_dir)
            emb_manifest = write_manifest(
                emb_dir, kind="embeddings", data=focus_manifest.data,
                config={**focus_manifest.config, "trained_with": "la (masked LM)" if extra else "none (frozen)"},
                metrics={"focus": focus_manifest.metrics, "focus_content_hash": focus_manifest.content_hash},
                **ctx.manifest_common())
        else:  # the base-vocabulary marker module passes through unchanged
            shutil.copytree(focus_dir, emb_dir)
            emb_manifest = read_manifest(emb_dir)
        save_lora(enc.peft_model, name, out / "la", base_id=ctx.base.base_id)
    metrics = {"dev_mlm_loss_before": round(before, 4), "dev_mlm_loss_after": round(after, 4), **result.summary()}
    if guard.active:
        metrics["real_dev"] = guard.summary(result.best_step, int(cfg.get("eval_every") or 0))
    config = {"lora": cfg["lora"], "steps": int(cfg["steps"]), "batch_size": int(cfg["batch_size"]),
              "lr": float(cfg["lr"]), "mask_prob": prob, "train_embeddings": bool(extra),
              "max_seq_length": ctx.max_len, "bf16": ctx.bf16,
              "mlm_head": "dense+gelu+layernorm, decoder tied to the input embeddings; discarded after training"}
    write_manifest(out / "la", kind="la", parents={"embeddings": emb_manifest.content_hash}, config=config,
                   data=ctx.data_provenance("monolingual"), metrics=metrics, **ctx.manifest_common())
    (out / "la_losses.json").write_text(json.dumps(result.losses[-200:]))
    return {"config": config, "metrics": metrics}


STAGE = register_stage(Stage(
    "la", "language adapter: LoRA trained with masked-LM on L text", run, LaConfig,
    parents=("focus",), reads=("monolingual", "dev", "real_dev"), produces=("embeddings", "la"),
    trains=True, guarded=True))
