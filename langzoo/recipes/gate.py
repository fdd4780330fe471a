"""Quality gate: the finished pack against the bare base.

Measured on **real sentences** (``data.real_dev``: by default the FLORES dev sentences
langzoo ships for L) when the build has them, and always also on the training data's
own dev split, which is reported but never decides: a uz pack built on UI strings
improved there while it lost on every public real Uzbek set.

Label-free measurements, available for any language with translation pairs: en<->L
bitext retrieval error (both directions), L–L similarity ranking (Spearman, over all
pairs at once as STS ranks, between the L–L similarities and the base's English–English
similarities of the translations, an STS proxy) and L–English ranking (the same for
L–English similarities of different sentences, a cross-lingual STS proxy). The pack is measured with ``cla`` on
(cross-lingual mode, the paper's Mod_mc) and off (monolingual mode, Mod_m). English is
encoded with the English SE adapter when that pack is given, else by the bare base.
"""

from __future__ import annotations

from pathlib import Path

from langzoo.languages import ENGLISH
from langzoo.modules.composer import ComposedEncoder
from langzoo.recipes import metrics as M
from langzoo.recipes.stack import encode

TOLERANCE = 0.005  # below one bitext miss in 99 sentences; ranking noise on a few hundred pairs
NOT_CHECKED = "not checked on real sentences"


def quality_gate(base, pack_path: Path, dev: list[tuple[str, str]], *, real_dev: list[tuple[str, str]] | None = None,
                 english_pack: Path | None = None, max_len: int = 128, device=None,
                 real_max_len: int = 128) -> dict:
    """``max_len``: tokens for the training data's dev split; ``real_max_len``: for the real
    sentences, measured whole."""
    enc = ComposedEncoder(base, device=device or "cpu")
    try:
        code = enc.attach(pack_path).code
        if english_pack is not None:
            enc.attach(english_pack)
        dev_rows = compare(enc, code, dev, english_pack is not None, max_len) if dev else []
        real_rows = compare(enc, code, real_dev, english_pack is not None, max(real_max_len, max_len)) \
            if real_dev else []
    finally:
        del enc
    return gate_verdict(dev_rows, real_rows, dev_pairs=len(dev), real_pairs=len(real_dev or []))


def compare(enc, code: str, pairs: list[tuple[str, str]], english_pack: bool, max_len: int) -> list[dict]:
    """Rows of base vs pack measurements on ``pairs`` (en, L)."""
    en_texts, l_texts = [p[0] for p in pairs], [p[1] for p in pairs]
    enc.activate(None)
    base_en = encode(enc, en_texts, None, max_len)
    base_l = encode(enc, l_texts, None, max_len)
    if english_pack:
        enc.activate(ENGLISH)
        pack_en = encode(enc, en_texts, ENGLISH, max_len)
    else:
        pack_en = base_en
    enc.activate(code, alignment=True)
    with_cla = encode(enc, l_texts, code, max_len)
    enc.activate(code, alignment=False)
    without_cla = encode(enc, l_texts, code, max_len)
    rows = []

    def row(metric, base_value, pack_value, higher_is_better):
        delta = pack_value - base_value
        worse = (delta < -TOLERANCE) if higher_is_better else (delta > TOLERANCE)
        rows.append({"metric": metric, "base": round(base_value, 4), "pack": round(pack_value, 4),
                     "delta": round(delta, 4), "higher_is_better": higher_is_better, "worse": bool(worse)})

    b_err = M.bitext_error(base_l, base_en)
    for suffix, pack_l in (("", with_cla), (" (no cla)", without_cla)):
        p_err = M.bitext_error(pack_l, pack_en)
        row("bitext_error_l2en" + suffix, b_err["l2en_error"], p_err["l2en_error"], False)
        row("bitext_error_en2l" + suffix, b_err["en2l_error"], p_err["en2l_error"], False)
        row("similarity_ranking" + suffix, M.sts_ranking(base_l, base_l, base_en),
            M.sts_ranking(pack_l, pack_l, base_en), True)
        row("cross_ranking" + suffix, M.sts_ranking(base_l, base_en, base_en),
            M.sts_ranking(pack_l, pack_en, base_en), True)
    return rows


def gate_verdict(dev_rows: list[dict], real_rows: list[dict], *, dev_pairs: int, real_pairs: int) -> dict:
    """What the pack was checked on and whether it is worse than the bare base there.
    Real sentences decide when present; without them the verdict says so."""
    dev_worse = [r["metric"] for r in dev_rows if r["worse"]]
    real_worse = [r["metric"] for r in real_rows if r["worse"]]
    if real_rows:
        checked_on = f"{real_pairs} real en-L sentence pairs (data.real_dev)"
        worse = real_worse
        verdict = (f"pack is WORSE than the bare base on real sentences on: {', '.join(worse)}" if worse else
                   f"pack is at least as good as the bare base on {real_pairs} real sentences "
                   "(bitext both ways, L-L and L-en ranking, with and without cla)")
        gains = [r["metric"] for r in real_rows if abs(r["delta"]) > TOLERANCE and not r["worse"]]
    else:
        checked_on = f"{NOT_CHECKED}; only the training data's dev split ({dev_pairs} pairs)"
        worse = dev_worse
        verdict = (f"{NOT_CHECKED} (none for this language: pass data.real_dev); on the training data's dev "
                   "split: " + (f"worse than the bare base on {', '.join(dev_worse)}" if dev_worse
                                else "no worse than the bare base"))
        gains = []
    return {"checked_on": checked_on, "real_pairs": real_pairs, "real_rows": real_rows, "dev_pairs": dev_pairs,
            "rows": dev_rows, "dev_worse": dev_worse, "worse": worse, "gains": gains, "verdict": verdict,
            "tolerance": TOLERANCE}
