"""Scores for word alignments and lexicon induction.

- AER / precision / recall / F1 against gold sure/possible links (Och & Ney 2003).
- Dictionary-checked precision: of the aligned word pairs whose two words are both in
  the dictionary, the share that the dictionary lists as translations.
- Bilingual lexicon induction: P@k of nearest-neighbour and CSLS retrieval
  (Conneau et al. 2018) from type vectors.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from langzoo.errors import InvalidInputError

Links = set[tuple[int, int]]
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|\S")
_NAACL = re.compile(r"^\d+\s+\d+\s+\d+(\s+[SP])?(\s+[\d.]+)?$")


def simple_words(text: str) -> list[str]:
    """Words and punctuation marks of a raw sentence, for files that are not tokenised."""
    return _WORDS.findall(text)


def read_gold(path: str | Path, n_sentences: int | None = None) -> list[tuple[Links, Links]]:
    """(sure, possible) links per sentence; possible includes sure. Two formats:
    Pharaoh lines (``0-1 2p3``, ``?`` also marks possible; 0-based, one line per sentence)
    and the NAACL/Moses test format (``sent src tgt [S|P]``, 1-based, sentences from 1)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    first = next((x.strip() for x in lines if x.strip()), "")
    if _NAACL.match(first):
        return _read_naacl(lines, n_sentences, path)
    out = []
    for no, line in enumerate(lines, 1):
        sure, possible = set(), set()
        for item in line.split():
            m = re.fullmatch(r"(\d+)([-p?])(\d+)", item)
            if not m:
                raise InvalidInputError(f"{path} line {no}: {item!r} is not a Pharaoh link (i-j, or ipj / i?j for "
                                        "possible)")
            link = (int(m.group(1)), int(m.group(3)))
            possible.add(link)
            if m.group(2) == "-":
                sure.add(link)
        out.append((sure, possible))
    return out


def _read_naacl(lines: list[str], n_sentences: int | None, path) -> list[tuple[Links, Links]]:
    rows = [x.split() for x in lines if x.strip()]
    n = n_sentences or max(int(r[0]) for r in rows)
    out: list[tuple[Links, Links]] = [(set(), set()) for _ in range(n)]
    for r in rows:
        sent, i, j = int(r[0]), int(r[1]) - 1, int(r[2]) - 1
        if not 1 <= sent <= n or i < 0 or j < 0:
            raise InvalidInputError(f"{path}: link {' '.join(r)} is out of range (1-based sentence/word numbers)")
        out[sent - 1][1].add((i, j))
        if len(r) < 4 or r[3] == "S":
            out[sent - 1][0].add((i, j))
    return out


def alignment_scores(predicted: list[Links], gold: list[tuple[Links, Links]]) -> dict[str, float]:
    """Precision, recall, F1 (against sure links for recall, possible for precision) and AER."""
    if len(predicted) != len(gold):
        raise InvalidInputError(f"{len(predicted)} predicted alignments for {len(gold)} gold sentences")
    a = s = ap = as_ = 0
    for pred, (sure, possible) in zip(predicted, gold):
        possible = possible | sure
        a += len(pred)
        s += len(sure)
        ap += len(pred & possible)
        as_ += len(pred & sure)
    precision = ap / a if a else 0.0
    recall = as_ / s if s else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    aer = 1.0 - (ap + as_) / (a + s) if a + s else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "aer": aer, "links": a, "sure": s}


def dictionary_precision(predicted: list[Links], src_words: list[list[str]], tgt_words: list[list[str]],
                         dictionary) -> dict[str, float]:
    """Of the aligned pairs whose source word is a dictionary headword and whose target
    word is a dictionary translation of some headword, the share that are translations
    of each other (lowercased)."""
    checked = correct = 0
    for links, sw, tw in zip(predicted, src_words, tgt_words):
        for i, j in links:
            s, t = sw[i].lower(), tw[j].lower()
            if s in dictionary.pairs and t in dictionary.targets:
                checked += 1
                correct += dictionary.translates(s, t)
    return {"dict_precision": correct / checked if checked else float("nan"), "checked": checked}


def _prepare(x: np.ndarray, center: bool = True) -> np.ndarray:
    """Unit length, mean-centred, unit length again (contextual vectors share a common
    direction that otherwise dominates cosine similarity)."""
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    if center:
        x = x - x.mean(axis=0, keepdims=True)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def lexicon_induction(src_vocab: list[str], src_vecs: np.ndarray, tgt_vocab: list[str], tgt_vecs: np.ndarray,
                      dictionary, ks: tuple[int, ...] = (1, 5), csls_k: int = 10, center: bool = True) -> dict[str, float]:
    """P@k of retrieving a dictionary translation among the target vocabulary for every
    source word that has one in it, by cosine (``nn``) and by CSLS. ``center``: mean-centre
    each side's unit vectors first (on by default; off only for tiny hand-made sets)."""
    tgt_index = {w: i for i, w in enumerate(tgt_vocab)}
    queries, golds = [], []
    for i, w in enumerate(src_vocab):
        gold = {tgt_index[t] for t in dictionary.pairs.get(w, ()) if t in tgt_index}
        if gold:
            queries.append(i)
            golds.append(gold)
    out: dict[str, float] = {"queries": len(queries)}
    if not queries:
        return out
    s, t = _prepare(src_vecs.astype(np.float64), center), _prepare(tgt_vecs.astype(np.float64), center)
    sim = s[queries] @ t.T
    k_t = min(csls_k, len(src_vocab))
    k_s = min(csls_k, len(tgt_vocab))
    # CSLS: 2cos - mean cos of the target's k nearest sources - mean cos of the source's k nearest targets
    r_tgt = np.sort(t @ s.T, axis=1)[:, -k_t:].mean(axis=1)
    r_src = np.sort(sim, axis=1)[:, -k_s:].mean(axis=1)
    csls = 2 * sim - r_tgt[None, :] - r_src[:, None]
    for name, scores in (("nn", sim), ("csls", csls)):
        order = np.argsort(-scores, axis=1)
        for k in ks:
            hits = [bool(set(order[q, :k].tolist()) & golds[q]) for q in range(len(queries))]
            out[f"{name}_p@{k}"] = float(np.mean(hits))
    return out
