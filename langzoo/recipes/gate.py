"""Quality gate: the finished pack against the bare base on the dev split.

Two measurements, both label-free and available for any language with translation
pairs: en<->L bitext retrieval (error, both directions) and L–L similarity ranking
(Spearman between the L–L similarities and the base's English–English similarities of
the translations, a proxy for monolingual STS). The pack is measured with ``cla`` on
(cross-lingual mode) and off (monolingual mode, the paper's Mod_m). English is encoded
with the English SE adapter when that pack is given, else by the bare base.
"""

from __future__ import annotations

from pathlib import Path

import torch

from langzoo.modules.composer import ComposedEncoder
from langzoo.recipes import metrics as M
from langzoo.recipes.stack import encode

ENGLISH = "eng_Latn"
TOLERANCE = 0.005  # differences below this are noise on a few hundred pairs


def quality_gate(base, pack_path: Path, dev: list[tuple[str, str]], *, english_pack: Path | None = None,
                 max_len: int = 128, device=None) -> dict:
    enc = ComposedEncoder(base, device=device or "cpu")
    attached = enc.attach(pack_path)
    code = attached.code
    if english_pack is not None:
        enc.attach(english_pack)
    en_texts = [p[0] for p in dev]
    l_texts = [p[1] for p in dev]
    enc.activate(None)
    base_en = encode(enc, en_texts, None, max_len)
    base_l = encode(enc, l_texts, None, max_len)
    if english_pack is not None:
        enc.activate(ENGLISH)
        pack_en = encode(enc, en_texts, ENGLISH, max_len)
    else:
        pack_en = base_en
    enc.activate(code, alignment=True)
    pack_l = encode(enc, l_texts, code, max_len)
    enc.activate(code, alignment=False)
    pack_l_mono = encode(enc, l_texts, code, max_len)
    rows = []

    def row(metric, base_value, pack_value, higher_is_better):
        delta = pack_value - base_value
        worse = (delta < -TOLERANCE) if higher_is_better else (delta > TOLERANCE)
        rows.append({"metric": metric, "base": round(base_value, 4), "pack": round(pack_value, 4),
                     "delta": round(delta, 4), "higher_is_better": higher_is_better, "worse": bool(worse)})

    b_err, p_err = M.bitext_error(base_l, base_en), M.bitext_error(pack_l, pack_en)
    row("bitext_error_l2en", b_err["l2en_error"], p_err["l2en_error"], False)
    row("bitext_error_en2l", b_err["en2l_error"], p_err["en2l_error"], False)
    row("similarity_ranking", M.similarity_ranking(base_l, base_en), M.similarity_ranking(pack_l, base_en), True)
    row("similarity_ranking_mono", M.similarity_ranking(base_l, base_en),
        M.similarity_ranking(pack_l_mono, base_en), True)
    worse = [r["metric"] for r in rows if r["worse"]]
    verdict = ("pack is WORSE than the bare base on: " + ", ".join(worse)) if worse else \
        "pack is at least as good as the bare base on every dev measurement"
    del enc
    return {"dev_pairs": len(dev), "rows": rows, "worse": worse, "verdict": verdict, "tolerance": TOLERANCE}
