"""Evaluation of one zoo configuration on one language pair: dictionary-checked alignment
precision and lexicon induction on parallel sentences, AER on gold files."""

from __future__ import annotations

import re

import numpy as np

from langzoo.align.metrics import alignment_scores, dictionary_precision, lexicon_induction, read_gold, simple_words
from langzoo.align.tokens import check_layer, default_layer, token_vectors

_TYPE = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")  # word types scored by BLI: letters only


def type_vectors(zoo, sentences: list[str], lang: str, *, layer: int, alignment: bool | None = None,
                 batch_size: int = 32) -> tuple[list[str], np.ndarray]:
    """Type-level vectors: each lowercased word's token vectors (its pieces averaged)
    averaged over all its occurrences in ``sentences``."""
    alignment = zoo.alignment if alignment is None else alignment
    words = [simple_words(s) for s in sentences]
    route = zoo.route(["x"], lang)[0]
    if route is not None and not zoo._attach_or_drop(route):
        route = zoo.route(["x"], lang)[0]
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for start in range(0, len(words), batch_size):
        batch = words[start:start + batch_size]
        for ws, tv in zip(batch, token_vectors(zoo.encoder, batch, route, layer=layer, alignment=alignment)):
            for w in sorted(set(tv.word_ids)):
                key = ws[w].lower()
                if not _TYPE.match(key):
                    continue
                vec = tv.vectors[[i for i, x in enumerate(tv.word_ids) if x == w]].mean(axis=0)
                sums[key] = sums.get(key, 0) + vec
                counts[key] = counts.get(key, 0) + 1
    vocab = sorted(sums)
    if not vocab:
        return [], np.zeros((0, zoo.encoder.body.config.hidden_size), np.float32)
    return vocab, np.stack([sums[w] / counts[w] for w in vocab]).astype(np.float32)


def evaluate_pair(zoo, src_texts: list[str], tgt_texts: list[str], src_lang: str, tgt_lang: str, dictionary, *,
                  layer: int | None = None, method: str = "softmax", threshold: float = 0.1,
                  alignment: bool | None = None, batch_size: int = 32) -> dict:
    """Dictionary-checked precision of the alignments of ``src_texts``/``tgt_texts``
    (raw sentences, split into words and punctuation) and BLI P@1/P@5 (nn, CSLS) of type
    vectors from the same sentences, scored on the dictionary's test words."""
    layer = default_layer(zoo.encoder) if layer is None else check_layer(zoo.encoder, layer)
    sw = [simple_words(t) for t in src_texts]
    tw = [simple_words(t) for t in tgt_texts]
    aligned = zoo.align([" ".join(w) for w in sw], [" ".join(w) for w in tw], src_lang, tgt_lang, method=method,
                        layer=layer, threshold=threshold, alignment=alignment, batch_size=batch_size,
                        show_progress_bar=False)
    links = [set(a.pairs) for a in aligned]
    out = {"layer": layer, "method": method, "sentences": len(src_texts),
           "links_per_word": sum(map(len, links)) / max(1, sum(map(len, sw)))}
    out.update(dictionary_precision(links, sw, tw, dictionary))
    sv, sm = type_vectors(zoo, src_texts, src_lang, layer=layer, alignment=alignment, batch_size=batch_size)
    tv, tm = type_vectors(zoo, tgt_texts, tgt_lang, layer=layer, alignment=alignment, batch_size=batch_size)
    out.update({f"bli_{k}": v for k, v in lexicon_induction(sv, sm, tv, tm, dictionary.split("test")).items()})
    return out


def evaluate_gold(zoo, src_file: str, tgt_file: str, gold_file: str, src_lang: str, tgt_lang: str, *,
                  layer: int | None = None, method: str = "softmax", threshold: float = 0.1,
                  alignment: bool | None = None) -> dict:
    """AER / precision / recall / F1 of the alignments of two tokenised, line-aligned
    files against a gold file (Pharaoh or NAACL format)."""
    from langzoo.runtime.lines import read_lines

    src, tgt = read_lines(src_file), read_lines(tgt_file)
    gold = read_gold(gold_file, n_sentences=len(src))
    aligned = zoo.align(src, tgt, src_lang, tgt_lang, method=method, layer=layer, threshold=threshold,
                        alignment=alignment, show_progress_bar=False)
    return alignment_scores([set(a.pairs) for a in aligned], gold)



def flores_pairs(lang: str, root=None) -> tuple[list[str], list[str]]:
    """English and ``lang`` sentences of ``<root>/<code>/dev.tsv`` (SIB/FLORES layout),
    parallel by index_id; ``root`` defaults to the FLORES dev sentences langzoo ships."""
    from langzoo.data.guard import guard_root
    from langzoo.data.sib import english_pairs
    from langzoo.languages import resolve_language

    pairs, _ = english_pairs(root if root is not None else guard_root(), resolve_language(lang).code)
    return [en for en, _ in pairs], [other for _, other in pairs]
