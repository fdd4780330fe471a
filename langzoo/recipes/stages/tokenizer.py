"""Stage ``tokenizer``: train a new tokenizer for L of the base's kind.

``train_new_from_iterator`` keeps the base's pipeline (normaliser, pre-tokeniser,
post-processor) and model kind (unigram for XLM-R/e5, WordPiece for BERT/LaBSE),
and re-creates the special tokens first, in the base's id order, so that the ids
that matter for the body (``<pad>``: RoBERTa-style position ids skip it; ``<s>``,
``</s>``, ``<unk>`` in XLM-R) keep the base's ids where the base has them at 0..k-1.
"""

from __future__ import annotations

import json
from pathlib import Path

from langzoo.modules.manifest import ALLOWED_FILES
from langzoo.recipes.errors import RecipeDataError
from langzoo.recipes.stages.context import StageContext

MIN_TEXTS = 20


def train_tokenizer(base_tok, texts: list[str], vocab_size: int):
    """Train a tokenizer like ``base_tok`` on ``texts``; shrinks the size if the corpus is too small."""
    size = int(vocab_size)
    last = None
    for _ in range(6):
        try:
            tok = base_tok.train_new_from_iterator(iter(texts), vocab_size=size, length=len(texts))
            return tok
        except Exception as exc:  # tokenizers' unigram trainer refuses sizes the corpus cannot fill
            last = exc
            size = max(len(base_tok.all_special_tokens) + 50, size // 2)
    raise RecipeDataError(f"Could not train a tokenizer on {len(texts)} texts (last error: {last})")


def special_id_map(base_tok, new_tok) -> dict:
    out = {}
    for attr in ("pad_token", "unk_token", "cls_token", "sep_token", "bos_token", "eos_token", "mask_token"):
        token = getattr(base_tok, attr, None)
        if token:
            out[token] = {"base_id": base_tok.convert_tokens_to_ids(token), "new_id": new_tok.convert_tokens_to_ids(token)}
    return out


def save_tokenizer(tok, folder: Path) -> None:
    """``save_pretrained`` and drop every file an ``embeddings`` module may not hold."""
    folder.mkdir(parents=True, exist_ok=True)
    tok.save_pretrained(folder)
    for path in folder.iterdir():
        if path.name not in ALLOWED_FILES["embeddings"]:
            path.unlink()


def run(ctx: StageContext, out: Path) -> dict:
    texts = ctx.splits.monolingual[: int(ctx.cfg.get("max_sentences", 10**9))]
    if len(texts) < MIN_TEXTS:
        raise RecipeDataError(f"Only {len(texts)} {ctx.lang.alias} texts to train a tokenizer on (need >= {MIN_TEXTS}); "
                              "check the recipe's data.monolingual / data.translation sources")
    base_tok = ctx.base.load_tokenizer()
    tok = train_tokenizer(base_tok, texts, int(ctx.cfg["vocab_size"]))
    if tok.pad_token_id is None:
        raise RecipeDataError("the trained tokenizer has no pad token")
    tok.model_max_length = ctx.base.profile.max_seq_length
    save_tokenizer(tok, out / "tokenizer")
    kind = json.loads((out / "tokenizer" / "tokenizer.json").read_text())["model"]["type"]
    mapping = special_id_map(base_tok, tok)
    info = {"vocab_size": len(tok), "requested_vocab_size": int(ctx.cfg["vocab_size"]), "model": kind,
            "special_tokens": mapping, "texts": len(texts),
            "same_special_ids": sorted(t for t, m in mapping.items() if m["base_id"] == m["new_id"])}
    # Average pieces per word, new vs base tokenizer: the point of a new vocabulary.
    sample = texts[:500]
    words = sum(len(t.split()) for t in sample) or 1
    info["fertility_new"] = round(sum(len(tok.tokenize(t)) for t in sample) / words, 3)
    info["fertility_base"] = round(sum(len(base_tok.tokenize(t)) for t in sample) / words, 3)
    return info
