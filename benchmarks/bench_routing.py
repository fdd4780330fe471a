"""Routing benchmark: zoo encode time / bare-base encode time on the same texts.

Mixed input of >= 2,000 sentences in 5 languages (Tatoeba X-eng sets from the dev
data folder), packs for 4 of them; the 5th goes to the base fallback. Both timings
are taken in the same run, interleaved, best of ``--repeats``; the last line is
``zoo/base time ratio: X.XX``.

Packs come from the local registry when it has them for the base (``--packs
installed``); ``--packs synthetic`` builds packs with random weights but the real
shapes, which is what speed depends on: the vocabulary the demo recipe picks for the
language (``--vocabulary auto``: the base's own when it cuts the language's Tatoeba
sentences into at most ``tokenizer.keep_base_max_ratio`` x as many pieces per word as
their English side, else the base's trimmed unigram pieces), LoRA r=8 on q/k/v and on
all linear layers, the default parallel adapter.

    python benchmarks/bench_routing.py --data ../shared/data/dev --packs synthetic
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

LANGS = {"fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pl": "pol"}


def load_pairs(data: Path, per_lang: int) -> dict[str, list[tuple[str, str]]]:
    """(English, L) Tatoeba pairs per language."""
    out = {}
    for alias, iso in LANGS.items():
        folder = data / "tatoeba"
        own = (folder / f"tatoeba.{iso}-eng.{iso}").read_text(encoding="utf-8").splitlines()
        eng = (folder / f"tatoeba.{iso}-eng.eng").read_text(encoding="utf-8").splitlines()
        out[alias] = [(e, l) for e, l in zip(eng, own) if l.strip()][:per_lang]
    return out


def synthetic_packs(base, pairs, langs, root: Path, vocabulary: str) -> tuple[list[Path], dict[str, str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from tiny import make_pack

    from langzoo.recipes.profiles import get_profile
    from langzoo.recipes.stages.tokenizer import fertility_ratio, trim_tokenizer

    demo_tok = get_profile("demo")["tokenizer"]
    base_tok = base.load_tokenizer()
    out, chosen = [], {}
    for i, lang in enumerate(langs):
        method = vocabulary
        if method == "auto":  # the demo recipe's choice (stages/tokenizer.py: choose_method)
            ratio = fertility_ratio(base_tok, pairs[lang])["fertility_ratio"]
            method = "base" if ratio <= demo_tok["keep_base_max_ratio"] else "trim"
            chosen[lang] = f"{method} (pieces/word vs English {ratio:.2f})"
        else:
            chosen[lang] = method
        tok = None if method == "base" else trim_tokenizer(base_tok, [p[1] for p in pairs[lang]],
                                                           demo_tok["vocab_size"], prefix=base.profile.prefix)
        out.append(make_pack(base.path, lang, root / lang, seed=i, tokenizer=tok, rank=8,
                             cla_config={"reduction_factor": 2}, base_vocabulary=method == "base"))
    return out, chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data/dev")
    ap.add_argument("--base", default=None)
    ap.add_argument("--packs", choices=["installed", "synthetic"], default="installed")
    ap.add_argument("--vocabulary", choices=["auto", "base", "trim"], default="auto",
                    help="synthetic packs' vocabulary (auto: what the demo recipe picks per language)")
    ap.add_argument("--per-lang", type=int, default=400)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    from langzoo.modules.composer import ComposedEncoder
    from langzoo.runtime.zoo import Zoo

    pairs = load_pairs(Path(args.data), args.per_lang)
    sentences = {lang: [p[1] for p in ps] for lang, ps in pairs.items()}
    with_packs = list(LANGS)[:4]
    items = [(s, l) for l, ss in sentences.items() for s in ss]
    random.Random(0).shuffle(items)
    texts = [s for s, _ in items]
    encoder = ComposedEncoder(args.base, merge_lora=True)  # as Zoo.load builds it
    tmp = tempfile.TemporaryDirectory()
    vocabularies: dict[str, str] = {}
    if args.packs == "synthetic":
        paths, vocabularies = synthetic_packs(encoder.base, pairs, with_packs, Path(tmp.name), args.vocabulary)
        from langzoo.languages import resolve_language

        packs = {resolve_language(l).code: p for l, p in zip(with_packs, paths)}
    else:
        from langzoo.runtime.zoo import _resolve_packs

        packs = _resolve_packs(with_packs, None, encoder.base.fingerprint)
    zoo = Zoo(encoder, packs, lid="default", max_loaded=8)
    bare = Zoo(encoder, {}, lid="default")

    zoo.encode(texts[:64], batch_size=args.batch_size)  # warm-up: attach packs, load LID
    bare.encode(texts[:64], lang="en", batch_size=args.batch_size)
    zoo_times, base_times, lid_times, switch = [], [], [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        bare.encode(texts, lang=["en"] * len(texts), batch_size=args.batch_size)  # base path, no LID
        base_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        zoo.encode(texts, batch_size=args.batch_size)
        zoo_times.append(time.perf_counter() - t0)
        lid_times.append(zoo.last_stats.lid_seconds)
        switch.append(zoo.last_stats.switch_seconds / max(1, zoo.last_stats.switches))
    # mean language-switch time measured directly: activate A then B, many times
    codes = list(packs)
    t0 = time.perf_counter()
    n_sw = 200
    for k in range(n_sw):
        encoder.activate(codes[k % len(codes)])
    switch_ms = (time.perf_counter() - t0) / n_sw * 1000
    zt, bt = min(zoo_times), min(base_times)
    lid_share = lid_times[int(np.argmin(zoo_times))] / zt
    print(f"texts: {len(texts)} in {len(LANGS)} languages, packs for {len(packs)} ({args.packs}); "
          f"batch {args.batch_size}; threads {args.threads}; device {encoder.device}")
    print(f"routes: {zoo.last_stats.routes}")
    if vocabularies:
        print(f"pack vocabularies: {vocabularies}")
    print(f"base encode: {bt:.2f} s ({len(texts) / bt:.0f} sentences/s)")
    print(f"zoo encode:  {zt:.2f} s ({len(texts) / zt:.0f} sentences/s)")
    print(f"LID share of zoo time: {100 * lid_share:.1f} %")
    print(f"mean language switch: {switch_ms:.2f} ms")
    print(f"zoo/base time ratio: {zt / bt:.2f}")


if __name__ == "__main__":
    main()
