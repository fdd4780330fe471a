"""Stage ``focus``: initialise the new vocabulary's embedding matrix with FOCUS.

fastText is trained here (not by deepfocus, whose default uses 2M hash buckets,
256 MB+ per language) on the L corpus tokenised with the new tokenizer, exactly as
deepfocus does it (tokens joined by spaces, CBOW), then passed to
``deepfocus.FOCUS(fasttext_model_path=...)``. deepfocus' ``language_identifier``
option downloads word vectors, so it is never used.
"""

from __future__ import annotations

from dataclasses import dataclass
import os
import shutil
import tempfile
from pathlib import Path

import torch

from langzoo.fasttext_matrix import FULL_INIT_THREADS, input_matrix_problem
from langzoo.modules.adapter_io import save_embeddings
from langzoo.modules.manifest import BASE_VOCABULARY, update_metrics, write_manifest
from langzoo.recipes import metrics as M
from langzoo.recipes.errors import RecipeDataError
from langzoo.recipes.stack import encode, encoder_with
from langzoo.recipes.stages.context import StageContext
from langzoo.recipes.settings import Settings, integer, setting
from langzoo.recipes.stages.descriptor import Stage, register_stage


def train_fasttext(corpus_file: Path, model_file: Path, *, dim: int, epochs: int, min_count: int, bucket: int,
                   threads: int) -> dict:
    """Train CBOW fastText; fastText can hit "Encountered NaN" or an empty vocabulary on
    tiny corpora, so retry with gentler settings before giving up. ``threads`` is raised to
    at least 11 because of fastText's partial initialisation (``langzoo.fasttext_matrix``);
    on a smaller machine the extra threads share its cores."""
    import fasttext

    attempts = [
        dict(lr=0.05, minCount=min_count, epoch=epochs, dim=dim),
        # t=1: no random subsampling of frequent pieces, which on a tiny corpus can drop
        # every training example of an epoch (loss 0/0 -> "Encountered NaN")
        dict(lr=0.02, minCount=1, epoch=max(epochs, 5), dim=dim, t=1.0),
        dict(lr=0.01, minCount=1, epoch=max(epochs, 10), dim=min(dim, 50), t=1.0),
        dict(lr=0.005, minCount=1, epoch=max(epochs, 10), dim=min(dim, 16), model="skipgram", t=1.0),
    ]
    errors = []
    for settings in attempts:
        kwargs = {"model": "cbow", "neg": 10, "bucket": bucket, "minn": 2, "maxn": 5, "verbose": 0,
                  "thread": max(threads, FULL_INIT_THREADS), **settings}
        try:
            model = fasttext.train_unsupervised(str(corpus_file), **kwargs)
        except (RuntimeError, ValueError) as exc:  # "Encountered NaN", "Empty vocabulary"
            errors.append(f"{settings}: {exc}")
            continue
        problem = input_matrix_problem(model)
        if problem is None:
            model.save_model(str(model_file))
            return {**{k: v for k, v in kwargs.items() if k != "verbose"}, "words": len(model.words),
                    "retries": len(errors)}
        errors.append(f"{settings}: {problem}")
    raise RecipeDataError("fastText training failed with every setting: " + " | ".join(errors))


class _TorchCosine:
    """Stand-in for ``fastdist`` inside deepfocus: the same cosine matrix computed with
    torch. fastdist's numba kernel costs ~8 s of JIT compilation per process and is
    slower than one matrix product."""

    @staticmethod
    def cosine_matrix_to_matrix(a, b):
        ta = torch.nn.functional.normalize(torch.from_numpy(a).float(), dim=-1)
        tb = torch.nn.functional.normalize(torch.from_numpy(b).float(), dim=-1)
        return (ta @ tb.T).numpy()


def focus_init(target_tok, source_tok, source_embeddings: torch.Tensor, fasttext_path: Path, seed: int) -> torch.Tensor:
    import deepfocus.focus as dfocus

    original = dfocus.fastdist
    dfocus.fastdist = _TorchCosine
    try:
        return dfocus.FOCUS(target_tokenizer=target_tok, source_tokenizer=source_tok,
                            source_embeddings=source_embeddings, fasttext_model_path=str(fasttext_path),
                            processes=1, seed=seed, verbosity="silent")
    finally:
        dfocus.fastdist = original


def random_control(n_rows: int, source: torch.Tensor, target_tok, source_tok, seed: int) -> torch.Tensor:
    """The control FOCUS is measured against: N(mean, std) of the source rows, with the
    special tokens copied (as any initialisation would)."""
    gen = torch.Generator().manual_seed(seed)
    mean, std = source.mean(0), source.std(0)
    out = mean + std * torch.randn(n_rows, source.shape[1], generator=gen)
    for token in target_tok.all_special_tokens:
        src_id = source_tok.convert_tokens_to_ids(token)
        if src_id is not None and src_id >= 0:
            out[target_tok.convert_tokens_to_ids(token)] = source[src_id]
    return out



@dataclass
class FocusConfig(Settings):
    fasttext_dim: int | None = setting("dimension of the auxiliary fastText vectors", integer(1))
    fasttext_epochs: int | None = setting("fastText training epochs", integer(1))
    fasttext_min_count: int | None = setting("fastText: least occurrences of a word", integer(1))
    fasttext_bucket: int | None = setting("fastText: hash buckets for character n-grams", integer(0))
    max_sentences: int | None = setting("monolingual sentences fastText trains on", integer(1))



def run(ctx: StageContext, out: Path) -> dict:
    from transformers import AutoTokenizer

    cfg = ctx.cfg
    if not (ctx.parents["tokenizer"] / "tokenizer").is_dir():  # tokenizer.method=base
        return keep_base_vocabulary(ctx, out)
    tok_dir = ctx.parents["tokenizer"] / "tokenizer"
    target_tok = AutoTokenizer.from_pretrained(tok_dir, use_fast=True, fix_mistral_regex=False)
    source_tok = ctx.base.load_tokenizer()
    texts = ctx.splits.monolingual[: int(cfg.get("max_sentences", 10**9))]
    source_vocab = source_tok.get_vocab()
    target_vocab = target_tok.get_vocab()
    if all(token in source_vocab for token in target_vocab):
        # Every token is one of the base's (tokenizer.method=trim): FOCUS would copy each
        # row from the base, so copy them directly and skip fastText.
        source = ctx.base.load_model().get_input_embeddings().weight.detach().float()
        rows = torch.tensor([source_vocab[t] for t, _ in sorted(target_vocab.items(), key=lambda kv: kv[1])])
        weight = source[rows].clone()
        emb_dir = out / "embeddings"
        shutil.copytree(tok_dir, emb_dir)
        save_embeddings(weight, emb_dir)
        config = {"vocab_size": len(target_tok), "init": "copied base rows (vocabulary is a subset of the base's)",
                  "dtype": "float16"}
        write_manifest(emb_dir, kind="embeddings", config=config, data=ctx.data_provenance("monolingual"),
                       **ctx.manifest_common())
        result = {"config": config, "metrics": measure(ctx, emb_dir, target_tok, source_tok, source)}
        return guard_vocabulary(ctx, out, result)
    with tempfile.TemporaryDirectory(prefix="langzoo-focus-") as tmp:
        corpus = Path(tmp) / "corpus.txt"
        with corpus.open("w", encoding="utf-8") as fh:
            for text in texts:  # as deepfocus does: the new tokenizer's pieces joined by spaces
                pieces = target_tok.tokenize(text)
                if pieces:
                    fh.write(" ".join(pieces) + "\n")
        ft_file = Path(tmp) / "fasttext.bin"
        ft_info = train_fasttext(corpus, ft_file, dim=int(cfg["fasttext_dim"]), epochs=int(cfg["fasttext_epochs"]),
                                 min_count=int(cfg["fasttext_min_count"]), bucket=int(cfg["fasttext_bucket"]),
                                 threads=max(1, min(4, os.cpu_count() or 1)))
        source = ctx.base.load_model().get_input_embeddings().weight.detach().float()
        weight = focus_init(target_tok, source_tok, source, ft_file, int(ctx.config.get("seed", 42)))
    if weight.shape != (len(target_tok), source.shape[1]) or not torch.isfinite(weight).all():
        raise RecipeDataError(f"FOCUS returned a {tuple(weight.shape)} matrix with non-finite values")
    emb_dir = out / "embeddings"
    shutil.copytree(tok_dir, emb_dir)
    save_embeddings(weight, emb_dir)
    config = {"vocab_size": len(target_tok), "init": "focus", "fasttext": ft_info, "dtype": "float16"}
    write_manifest(emb_dir, kind="embeddings", config=config, data=ctx.data_provenance("monolingual"),
                   **ctx.manifest_common())
    metrics = measure(ctx, emb_dir, target_tok, source_tok, source)
    return guard_vocabulary(ctx, out, {"config": config, "metrics": metrics})


def keep_base_vocabulary(ctx: StageContext, out: Path, *, why: str = "", metrics: dict | None = None) -> dict:
    """An ``embeddings`` module that only records "L uses the base's vocabulary" (no files)."""
    emb_dir = out / "embeddings"
    emb_dir.mkdir(parents=True)
    config = {"vocabulary": BASE_VOCABULARY, "init": "none: the base's tokenizer and embedding matrix are used as they are",
              **({"reason": why} if why else {})}
    write_manifest(emb_dir, kind="embeddings", config=config, data=ctx.data_provenance("monolingual"),
                   metrics=metrics or {}, **ctx.manifest_common())
    return {"config": config, "metrics": metrics or {}}


def guard_vocabulary(ctx: StageContext, out: Path, result: dict) -> dict:
    """Keep the new vocabulary only if it is no worse than the base's on real sentences.

    Why here: every later stage starts from this matrix and compares itself with its
    own step 0, so a loss the vocabulary causes would be baked in before any check
    (measured: uz trimmed to the pieces of its UI strings, base rows copied, no adapters:
    FLORES bitext error 1.94 -> 5.73 %, STS 69.0 -> 64.7)."""
    if not ctx.splits.real_dev:
        return result
    check = vocabulary_check(ctx, out / "embeddings")
    result = {**result, "metrics": {**result.get("metrics", {}), "vocabulary_guard": check}}
    if not check["worse"]:
        update_metrics(out / "embeddings", {"vocabulary_guard": check})
        return result
    shutil.rmtree(out / "embeddings")
    why = (f"real-sentence guard: the {result['config'].get('vocab_size')}-piece vocabulary was worse than the "
           f"base's on {', '.join(check['worse'])} ({check['pairs']} en-L pairs); the base vocabulary is kept")
    return {**keep_base_vocabulary(ctx, out, why=why, metrics={"vocabulary_guard": check}), "vocabulary_refused": why}


def vocabulary_check(ctx: StageContext, emb_dir: Path) -> dict:
    """Guard scores of L text under the new vocabulary (no adapters) vs under the base's."""
    from langzoo.recipes.real_dev import guard_length, guard_scores, shortfalls

    pairs = ctx.splits.real_dev
    en, l_texts = [p[0] for p in pairs], [p[1] for p in pairs]
    n = guard_length(ctx)
    with encoder_with(ctx.base, device=ctx.device, packs={ctx.lang.code: {"embeddings": emb_dir}}) as enc:
        enc.activate(None)
        en_base = encode(enc, en, None, n, amp=ctx.amp)
        l_base = encode(enc, l_texts, None, n, amp=ctx.amp)
        enc.activate(ctx.lang.code)
        l_new = encode(enc, l_texts, ctx.lang.code, n, amp=ctx.amp)
    base, new = guard_scores(l_base, en_base, en_base), guard_scores(l_new, en_base, en_base)
    tol = ctx.config.get("real_dev") or {}
    worse = shortfalls(new, base, ranking=float(tol.get("ranking_tolerance", 0.0)),
                       error=float(tol.get("error_tolerance", 0.0)), offset=float(tol.get("offset_tolerance", 0.01)))
    return {"pairs": len(pairs), "base_vocabulary": base, "new_vocabulary": new, "worse": worse}


def measure(ctx: StageContext, emb_dir: Path, target_tok, source_tok, source: torch.Tensor) -> dict:
    """Mean cosine (new vocabulary vs base) of dev L sentences, FOCUS vs random init."""
    from langzoo.modules.manifest import update_metrics

    dev_l = [p[1] for p in ctx.splits.dev]
    if not dev_l:
        return {}
    with encoder_with(ctx.base, device=ctx.device, packs={ctx.lang.code: {"embeddings": emb_dir}}) as enc:
        enc.activate(None)
        base_vecs = encode(enc, dev_l, None, ctx.max_len, amp=ctx.amp)
        enc.activate(ctx.lang.code)
        focus_vecs = encode(enc, dev_l, ctx.lang.code, ctx.max_len, amp=ctx.amp)
        emb = enc.packs[ctx.lang.code].embeddings
        with torch.no_grad():
            emb.weight.copy_(random_control(emb.num_embeddings, source, target_tok, source_tok, 0).to(emb.weight))
        rand_vecs = encode(enc, dev_l, ctx.lang.code, ctx.max_len, amp=ctx.amp)
    metrics = {"dev_cosine_to_base": round(M.mean_cosine(focus_vecs, base_vecs), 4),
               "dev_cosine_to_base_random_init": round(M.mean_cosine(rand_vecs, base_vecs), 4),
               "dev_sentences": len(dev_l)}
    update_metrics(emb_dir, metrics)
    return metrics


STAGE = register_stage(Stage(
    "focus", "FOCUS initialisation of the new vocabulary's embeddings", run, FocusConfig,
    parents=("tokenizer",), reads=("monolingual", "dev", "real_dev"), guarded=True))
