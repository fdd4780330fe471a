"""Word alignment of parallel texts through a `Zoo`: each side is routed to its own
language's pack (own tokenizer and modules) on the shared body, token vectors of one
layer are compared by dot product (as AccAlign does), and aligned token pairs are
extracted (see ``extract``) and mapped to whitespace-word pairs."""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field

import numpy as np

from langzoo.align.extract import METHODS, extract, word_alignment
from langzoo.align.tokens import TokenVectors, check_layer, default_layer, split_words, token_vectors
from langzoo.errors import InvalidInputError
from langzoo.runtime.inputs import check_texts, encodable

# Characters kept per text before tokenising, as in Zoo.encode: bounds the tokenizer's
# work on pathological inputs; the base's max length cuts far earlier anyway.
_MAX_CHARS_PER_TOKEN = 16
_CHUNK_PAIRS = 256  # pairs whose token vectors are held at once


@dataclass
class WordAlignment:
    """The aligned word pairs of one sentence pair (0-based whitespace-word indices)."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)

    def pharaoh(self, with_scores: bool = False) -> str:
        """``i-j`` items separated by spaces (``i-j:score`` with scores)."""
        if with_scores:
            return " ".join(f"{i}-{j}:{s:.3f}" for (i, j), s in zip(self.pairs, self.scores))
        return " ".join(f"{i}-{j}" for i, j in self.pairs)


def align_vectors(src: TokenVectors, tgt: TokenVectors, method: str, threshold: float) -> WordAlignment:
    """Word alignment of one pair from its two sides' token vectors."""
    if not len(src.word_ids) or not len(tgt.word_ids):
        return WordAlignment()
    sim = src.vectors.astype(np.float64) @ tgt.vectors.astype(np.float64).T
    mask, scores = extract(sim, method, threshold=threshold)
    words = word_alignment(mask, scores, src.word_ids, tgt.word_ids)
    return WordAlignment(list(words), list(words.values()))


def _check_options(method: str, threshold: float, batch_size: int) -> None:
    if method not in METHODS:
        raise InvalidInputError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if not 0.0 <= threshold < 1.0:
        raise InvalidInputError(f"threshold must be in [0, 1), got {threshold!r}")
    if batch_size < 1:
        raise InvalidInputError("batch_size must be at least 1")


def _side_vectors(zoo, words: list[list[str]], routes: list, *, layer: int, alignment: bool,
                  batch_size: int) -> list[TokenVectors]:
    """Token vectors of one side's texts, grouped by route, length-sorted batches."""
    out: list[TokenVectors | None] = [None] * len(words)
    groups: dict = {}
    for i, r in enumerate(routes):
        groups.setdefault(r, []).append(i)
    for route, idx in groups.items():
        idx = sorted(idx, key=lambda i: -sum(len(w) for w in words[i]))
        for s in range(0, len(idx), batch_size):
            chunk = idx[s:s + batch_size]
            for i, vec in zip(chunk, token_vectors(zoo.encoder, [words[i] for i in chunk], route, layer=layer,
                                                   alignment=alignment)):
                out[i] = vec
    return out


def _attached_routes(zoo, texts: list[str], lang) -> list:
    """The pack per text (``None``: bare base), each pack attached; a pack removed from the
    registry since the zoo was loaded is dropped and its texts re-routed (as encode does)."""
    routes = zoo.route(texts, lang)
    for code in sorted({r for r in routes if r is not None}):
        if not zoo._attach_or_drop(code):
            return _attached_routes(zoo, texts, lang)
    return routes


def align_texts(zoo, src_texts, tgt_texts, src_lang=None, tgt_lang=None, *, method: str = "softmax",
                layer: int | None = None, threshold: float = 0.1, batch_size: int = 32,
                show_progress_bar: bool | None = None, alignment: bool | None = None) -> list[WordAlignment]:
    """One `WordAlignment` per (source, target) pair; see `Zoo.align`."""
    _check_options(method, threshold, batch_size)
    src, tgt = check_texts(src_texts), check_texts(tgt_texts)
    if len(src) != len(tgt):
        raise InvalidInputError(f"align() needs as many target texts as source texts; got {len(src)} and {len(tgt)}")
    if not src:
        return []
    enc = zoo.encoder
    layer = default_layer(enc) if layer is None else check_layer(enc, layer)
    alignment = zoo.alignment if alignment is None else alignment
    max_chars = enc.profile.max_seq_length * _MAX_CHARS_PER_TOKEN
    src_words = [split_words(encodable(t[:max_chars])) for t in src]
    tgt_words = [split_words(encodable(t[:max_chars])) for t in tgt]
    src_routes = _attached_routes(zoo, src, src_lang)
    tgt_routes = _attached_routes(zoo, tgt, tgt_lang)
    show = show_progress_bar if show_progress_bar is not None else (len(src) >= 8 * batch_size and sys.stderr.isatty())
    from tqdm.auto import tqdm

    out: list[WordAlignment] = []
    truncated = 0
    with tqdm(total=len(src), desc="Aligning", unit="pair", disable=not show) as bar:
        for start in range(0, len(src), _CHUNK_PAIRS):
            stop = start + _CHUNK_PAIRS
            kw = dict(layer=layer, alignment=alignment, batch_size=batch_size)
            s_vec = _side_vectors(zoo, src_words[start:stop], src_routes[start:stop], **kw)
            t_vec = _side_vectors(zoo, tgt_words[start:stop], tgt_routes[start:stop], **kw)
            for a, b in zip(s_vec, t_vec):
                truncated += a.truncated + b.truncated
                out.append(align_vectors(a, b, method, threshold))
            bar.update(len(s_vec))
    if truncated:
        warnings.warn(f"{truncated} text(s) reached {enc.profile.max_seq_length} tokens and were truncated: their "
                      "later words have no alignment", stacklevel=3)
    return out
