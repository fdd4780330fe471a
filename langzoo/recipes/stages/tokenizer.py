"""Stage ``tokenizer``: train a new tokenizer for L of the base's kind.

``train_new_from_iterator`` keeps the base's pipeline (normaliser, pre-tokeniser,
post-processor) and model kind (unigram for XLM-R/e5, WordPiece for BERT/LaBSE),
and re-creates the special tokens first, in the base's id order, so that the ids
that matter for the body (``<pad>``: RoBERTa-style position ids skip it; ``<s>``,
``</s>``, ``<unk>`` in XLM-R) keep the base's ids where the base has them at 0..k-1.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path

from langzoo.modules.manifest import ALLOWED_FILES
from langzoo.recipes.errors import RecipeDataError
from langzoo.recipes.stages.context import StageContext
from langzoo.recipes.settings import Settings, integer, one_of, real, setting
from langzoo.recipes.stages.descriptor import Stage, register_stage

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


def trim_tokenizer(base_tok, texts: list[str], vocab_size: int, prefix: str = ""):
    """A tokenizer made of the base's own unigram pieces that L text uses (most frequent
    first, up to ``vocab_size``; every character L uses is kept even beyond it), with the
    base's scores and pipeline.

    Why: on a CPU budget a freshly trained vocabulary cannot relearn what the base knows
    (the demo uz pack trained that way lost to the base everywhere). A trimmed vocabulary
    segments L text as the base does, its embedding rows are the base's own (FOCUS on a
    fully overlapping vocabulary copies them), so the adapters start from the base's
    quality, while the pack's embedding matrix is a few % of the base's 250K rows.
    """
    from collections import Counter

    from tokenizers import Tokenizer

    spec = json.loads(base_tok.backend_tokenizer.to_str())
    if spec["model"]["type"] != "Unigram":
        raise RecipeDataError(f"tokenizer.method=trim needs a unigram (XLM-R/e5) base, not {spec['model']['type']}; "
                              "use tokenizer.method=train")
    counts: Counter = Counter()
    chars: set[str] = set()
    for i in range(0, len(texts), 1000):
        batch = [prefix + t for t in texts[i:i + 1000]]  # the encoder always sees the prefix
        for ids in base_tok(batch, add_special_tokens=False)["input_ids"]:
            counts.update(ids)
        chars.update(*map(set, batch))
    vocab = spec["model"]["vocab"]
    piece_id = {piece: i for i, (piece, _) in enumerate(vocab)}
    specials = sorted(set(base_tok.all_special_ids))
    # Single characters seen in L (alone and word-initial) so unseen words still segment
    # into known pieces rather than <unk>.
    char_ids = {piece_id[p] for c in chars for p in (c, "▁" + c) if p in piece_id} - set(specials)
    budget = max(0, int(vocab_size) - len(specials) - len(char_ids))
    frequent = [i for i, _ in counts.most_common() if i not in specials and i not in char_ids][:budget]
    kept = sorted(set(frequent) | char_ids)  # in the base's order
    order = [i for i in specials if i < len(vocab)] + kept
    new_id = {vocab[i][0]: n for n, i in enumerate(order)}
    for added in sorted(spec.get("added_tokens", []), key=lambda a: a["id"]):
        new_id.setdefault(added["content"], len(new_id))  # added tokens outside the model vocabulary
    spec["model"]["vocab"] = [vocab[i] for i in order]
    spec["model"]["unk_id"] = new_id[base_tok.unk_token]
    for added in spec.get("added_tokens", []):
        added["id"] = new_id[added["content"]]
    post = spec.get("post_processor") or {}
    for processor in post.get("processors", [post]):
        for entry in (processor.get("special_tokens") or {}).values():
            entry["ids"] = [new_id[t] for t in entry["tokens"]]
        for key in ("sep", "cls"):
            if key in processor:
                processor[key] = [processor[key][0], new_id[processor[key][0]]]
    backend = Tokenizer.from_str(json.dumps(spec))
    kwargs = {k: v for k, v in base_tok.special_tokens_map.items() if isinstance(v, str)}
    return type(base_tok)(tokenizer_object=backend, **kwargs)


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


def fertility_ratio(base_tok, pairs: list[tuple[str, str]]) -> dict:
    """Pieces per word of the base tokenizer on the L side and on the English side of
    (en, L) pairs: how much more finely the base cuts L than its best-covered language."""
    if not pairs:
        return {}

    def fertility(texts):
        words = sum(len(t.split()) for t in texts) or 1
        return sum(len(base_tok.tokenize(t)) for t in texts) / words

    f_l, f_en = fertility([p[1] for p in pairs]), fertility([p[0] for p in pairs])
    return {"fertility_base": round(f_l, 3), "fertility_base_english": round(f_en, 3),
            "fertility_ratio": round(f_l / max(f_en, 1e-9), 3)}


def base_fertility(ctx: StageContext, base_tok, n: int = 2000) -> dict:
    """:func:`fertility_ratio` on the first ``n`` training pairs."""
    return fertility_ratio(base_tok, ctx.splits.train[:n])


def choose_method(ctx: StageContext, base_tok) -> tuple[str, str]:
    """``auto``: keep the base's vocabulary when the base already segments L about as
    compactly as English (a demo-sized vocabulary can only cut such a language more
    finely: on nl, trimming to 8K pieces alone raised Tatoeba error 5.5 -> 13.5 %), or
    when no real sentences can check a smaller one (the focus stage refuses a new
    vocabulary that loses there; unchecked, a trimmed uz vocabulary cost FLORES bitext
    error 1.94 -> 5.73 % before any adapter); otherwise trim the base's unigram
    vocabulary, or train a new one on WordPiece bases."""
    stats = base_fertility(ctx, base_tok)
    limit = float(ctx.cfg.get("keep_base_max_ratio", 1.4))
    ratio = stats.get("fertility_ratio")
    if ratio is not None and ratio <= limit:
        return "base", (f"auto: the base cuts {ctx.lang.alias} into {ratio:.2f}x as many pieces per word as English "
                        f"(<= {limit}): its own vocabulary is kept")
    if not ctx.splits.real_dev:
        return "base", (f"auto: pieces-per-word ratio to English {ratio} > {limit}, but no real {ctx.lang.alias} "
                        "sentences (data.real_dev) to check a new vocabulary on: the base's own is kept")
    kind = json.loads(base_tok.backend_tokenizer.to_str())["model"]["type"]
    method = "trim" if kind == "Unigram" else "train"
    return method, (f"auto: pieces-per-word ratio to English {ratio} > {limit}; "
                    f"{'trim the unigram' if method == 'trim' else 'train a new'} vocabulary (kept only if it is "
                    "no worse than the base's on the real sentences)")



@dataclass
class TokenizerConfig(Settings):
    method: str | None = setting("train a new WordPiece vocabulary, trim the base's own unigram pieces, keep the "
                                 "base's vocabulary, or auto (choose_method)", one_of("train", "trim", "base", "auto"))
    vocab_size: int | None = setting("size of a trained or trimmed vocabulary", integer(1))
    max_sentences: int | None = setting("monolingual sentences the vocabulary is made from", integer(1))
    keep_base_max_ratio: float | None = setting("auto keeps the base's vocabulary while it splits L into at most this "
                                                "many times the pieces per word it needs for English", real(0, above=True))



def run(ctx: StageContext, out: Path) -> dict:
    texts = ctx.splits.monolingual[: int(ctx.cfg.get("max_sentences", 10**9))]
    if len(texts) < MIN_TEXTS:
        raise RecipeDataError(f"Only {len(texts)} {ctx.lang.alias} texts to train a tokenizer on (need >= {MIN_TEXTS}); "
                              "check the recipe's data.monolingual / data.translation sources")
    base_tok = ctx.base.load_tokenizer()
    method = ctx.cfg.get("method", "train")
    why = "set in the config"
    if method == "auto":
        method, why = choose_method(ctx, base_tok)
    if method == "base":
        return {"method": "base", "reason": why, "texts": len(texts), **base_fertility(ctx, base_tok)}
    if method == "trim":
        tok = trim_tokenizer(base_tok, texts, int(ctx.cfg["vocab_size"]), prefix=ctx.base.profile.prefix)
    elif method == "train":
        tok = train_tokenizer(base_tok, texts, int(ctx.cfg["vocab_size"]))
    else:
        raise RecipeDataError(f"tokenizer.method must be 'train', 'trim', 'base' or 'auto', not {method!r}")
    if tok.pad_token_id is None:
        raise RecipeDataError("the trained tokenizer has no pad token")
    tok.model_max_length = ctx.base.profile.max_seq_length
    save_tokenizer(tok, out / "tokenizer")
    kind = json.loads((out / "tokenizer" / "tokenizer.json").read_text())["model"]["type"]
    mapping = special_id_map(base_tok, tok)
    info = {"method": method, "reason": why, "vocab_size": len(tok), "requested_vocab_size": int(ctx.cfg["vocab_size"]), "model": kind,
            "special_tokens": mapping, "texts": len(texts),
            "same_special_ids": sorted(t for t, m in mapping.items() if m["base_id"] == m["new_id"])}
    # Average pieces per word, new vs base tokenizer: the point of a new vocabulary.
    sample = texts[:500]
    words = sum(len(t.split()) for t in sample) or 1
    info["fertility_new"] = round(sum(len(tok.tokenize(t)) for t in sample) / words, 3)
    info["fertility_base"] = round(sum(len(base_tok.tokenize(t)) for t in sample) / words, 3)
    return info


STAGE = register_stage(Stage(
    "tokenizer", "the language's vocabulary (or the base's, kept)", run, TokenizerConfig,
    reads=("monolingual", "train", "real_dev")))
