"""Routing benchmark for language identification (issue 15): where do real sentences go?

For a zoo whose installed packs are ``--packs`` (plus the English pivot, which every
built pack brings along), each sentence of each language found under ``--data`` (the
layout of ``../shared/data/dev``) is routed by the runtime itself (``Zoo.route``) and
counted as: its own pack, the English pack, some other pack, or the bare base (no
language, "other", unsure). Short (<= 8 words) and long sentences are reported
separately, with the detection speed in texts/s. No pack files are needed: routing only
looks at the pack *codes*, so the zoo is made with placeholder paths and no encoder.

    python benchmarks/bench_lid.py --data ../shared/data/dev --packs uz --packs uz,kk,tr,nl,es,pl \
        --packs recipes --out lid.json

(``--packs recipes``: a pack for every language with a shipped recipe.)

``--treebanks DIR`` adds the sentences of Universal Dependencies treebanks (``*.conllu``
under DIR, e.g. github.com/UniversalDependencies/UD_Uzbek-UT, UD_Kazakh-KTB,
UD_Kyrgyz-KTMU, UD_Turkish-GB), as very short (<= 4 words), short and long rows: real
sentences from sources the detector never saw.

``--lingua-testdata DIR`` adds real short texts the dev sets lack: the test data of the
Lingua detector (``language-models/<iso>/testdata/`` of github.com/pemistahl/lingua-rs,
Apache-2.0; texts from the Leipzig Corpora Collection, CC BY), 1,000 single words, 1,000
word pairs and 1,000 sentences per language, reported as the length classes ``word``,
``pair`` and ``sentence``, and the sentences of up to 8 words again as ``short-sentence``.
Lingua is one of the default detector's stages, and its models come from the same corpora
(other texts): read these rows with that in mind.

Uzbek is also written in Cyrillic, and a zoo with the (Latin) uz pack routes Cyrillic
Uzbek there, converted (``Zoo(transliterate=True)``).  The dev sets have no Cyrillic
Uzbek, so the Uzbek sentences are converted to Cyrillic (``uzbek_latin_to_cyrillic``) and
reported as ``uz-Cyrl``: real sentences in a machine-made spelling (the conversion back
restores 99.9 % of FLORES dev words).

Targets (issue 15): >= 97 % to the own pack, <= 1 % of a no-pack language into some
pack, <= 1 % to English; lines missing them are listed after each table.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

from langzoo.cli_args import split_commas
from langzoo.languages import ENGLISH, resolve_language
from langzoo.runtime.zoo import Zoo

SHORT_MAX_WORDS = 8
CUT_SIZES = (3, 5, 8)
WINDOW_SIZES, WINDOW_STRIDE = (3, 5), 2
TARGET_OWN, TARGET_INTO_PACK, TARGET_ENGLISH = 97.0, 1.0, 1.0
# Chinese and Japanese write no spaces: count two Han/kana characters as one word (a
# Chinese word is 1.5-2 characters) so that FLORES Chinese is not all "short".
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def n_words(text: str) -> int:
    cjk = len(_CJK.findall(text))
    return len(_CJK.sub(" ", text).split()) + (cjk + 1) // 2


def is_short(text: str) -> bool:
    """Whether ``text`` is a short sentence (at most ``SHORT_MAX_WORDS`` words)."""
    return n_words(text) <= SHORT_MAX_WORDS


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _tsv_column(path: Path, column: int, header: bool) -> list[str]:
    # FLORES/SIB text has quote characters of its own: read with quoting off.
    rows = list(csv.reader(path.open(encoding="utf-8", newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r[column] for r in rows[1 if header else 0:] if len(r) > column]


def load_sentences(data: Path) -> dict[str, dict[str, list[str]]]:
    """``{canonical code: {source: [sentences]}}`` from every known set under ``data``.

    A sentence that occurs in several sets of one language is counted once (the SIB
    splits and flores-dev share FLORES sentences; Tatoeba's English sides repeat).
    """
    found: dict[str, dict[str, list[str]]] = {}
    seen: dict[str, set[str]] = {}

    def add(lang: str, source: str, texts: list[str]) -> None:
        code = resolve_language(lang).code
        keep = seen.setdefault(code, set())
        for t in (t.strip() for t in texts):
            if t and t not in keep:
                keep.add(t)
                found.setdefault(code, {}).setdefault(source, []).append(t)

    for path in sorted((data / "tatoeba").glob("tatoeba.*-eng.*")):  # tatoeba.fra-eng.{fra,eng}
        add(path.suffix[1:], "tatoeba", _lines(path))
    for kind in ("sib", "flores-dev"):
        for path in sorted((data / kind).glob("*/*.tsv")):  # <lang>/{train,dev,test}.tsv
            add(path.parent.name, kind, _tsv_column(path, 2, header=True))
    sick = data / "sick"
    for name, lang in (("SICK_NL.txt", "nld"), ("SICK_PL_test.txt", "pol")):
        if (sick / name).is_file():
            add(lang, "sick", _tsv_column(sick / name, 1, True) + _tsv_column(sick / name, 2, True))
    for path in sorted((data / "sts17").glob("sts17.*.tsv")):  # score, s1, s2
        first, second = path.name.split(".")[1].split("-")
        if (first, second) == ("ar", "en"):  # this track has English first
            first, second = second, first
        add(first, "sts17", _tsv_column(path, 1, False))
        add(second, "sts17", _tsv_column(path, 2, False))
    for path in sorted((data / "str24").glob("*_test.csv")):  # Text holds the pair's two lines
        with path.open(encoding="utf-8", newline="") as f:
            add(path.name.split("_")[0], "str24", [s for row in csv.DictReader(f) for s in row["Text"].split("\n")])
    return found


def with_cyrillic_uzbek(sentences: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    """``sentences`` plus its Uzbek sentences converted to Cyrillic, as ``uzn_Cyrl``
    (sources named ``<source>-to-cyrillic``), unless real Cyrillic Uzbek is there."""
    from langzoo.transliteration import uzbek_latin_to_cyrillic

    if "uzn_Latn" not in sentences or "uzn_Cyrl" in sentences:
        return sentences
    converted = {f"{source}-to-cyrillic": [uzbek_latin_to_cyrillic(t) for t in texts]
                 for source, texts in sentences["uzn_Latn"].items()}
    return {**sentences, "uzn_Cyrl": converted}


LINGUA_KINDS = {"single-words": "word", "word-pairs": "pair", "sentences": "sentence"}
# Lingua's sentences of up to SHORT_MAX_WORDS words, reported again on their own: real short
# sentences, the kind the held-out sets are ("Ona Latimeria adı verildi.").
LINGUA_SHORT = "short-sentence"
LINGUA_LENGTHS = ("word", "pair", LINGUA_SHORT, "sentence")


def load_lingua_testdata(folder: Path, langs: set[str] | None = None) -> dict[str, dict[str, list[str]]]:
    """``{canonical code: {length class: [texts]}}`` from Lingua's test data: ``folder``
    holds ``<iso>/testdata/<kind>.txt`` (lingua-rs's ``language-models``, or the
    repository around it); sentences of up to ``SHORT_MAX_WORDS`` words are also a class of
    their own (``LINGUA_SHORT``).  Languages langzoo does not know are skipped; ``langs``
    (aliases or codes) keeps only those."""
    if (folder / "language-models").is_dir():
        folder = folder / "language-models"
    wanted = None if langs is None else {resolve_language(x).code for x in langs}
    found: dict[str, dict[str, list[str]]] = {}
    for lang_dir in sorted(p for p in folder.iterdir() if (p / "testdata").is_dir()):
        try:
            code = resolve_language(lang_dir.name).code
        except (KeyError, ValueError):
            continue
        if wanted is not None and code not in wanted:
            continue
        for kind, length in LINGUA_KINDS.items():
            path = lang_dir / "testdata" / f"{kind}.txt"
            if path.is_file():
                texts = [t.strip() for t in _lines(path) if t.strip()]
                if not texts:
                    continue
                found.setdefault(code, {})[length] = texts
                short = [t for t in texts if is_short(t)] if length == "sentence" else []
                if short:
                    found[code][LINGUA_SHORT] = short
    return found


TREEBANK_LENGTHS = ("ud-very-short", "ud-short", "ud-long")
VERY_SHORT_MAX_WORDS = 4  # like the very short (Tatoeba-style) row: "Ona kuldi.", "Yorgun."
_UD_TEXT = "# text = "


def _treebank_language(path: Path) -> str | None:
    """The canonical code of a UD file named ``<lang>_<treebank>-ud-<split>.conllu`` (UD's
    convention: ``uz_ut-ud-test.conllu``, ``kk_ktb-ud-train.conllu``); ``None`` for a
    language langzoo does not know or another name."""
    head = path.name.split("_", 1)[0] if "_" in path.name else ""
    try:
        return resolve_language(head).code if head else None
    except (KeyError, ValueError):
        return None


def load_treebanks(folder: Path, langs: set[str] | None = None) -> dict[str, dict[str, list[str]]]:
    """``{canonical code: {length class: [texts]}}`` from Universal Dependencies treebanks.

    Every ``*.conllu`` under ``folder`` (the UD repositories, e.g. ``UD_Uzbek-UT/``, as
    cloned or unpacked) gives its sentences (``# text = `` lines), each once per language,
    in three classes: ``ud-very-short`` (<= ``VERY_SHORT_MAX_WORDS`` words), ``ud-short``
    (<= ``SHORT_MAX_WORDS``, the very short ones included) and ``ud-long``.  Treebanks are
    real sentences of news, fiction, grammar books, reviews and spoken queries, none of
    them from the dev sets or the detector's training text: an independent check of the
    short rows.  Files of languages langzoo does not know are skipped; ``langs`` (aliases
    or codes) keeps only those.
    """
    wanted = None if langs is None else {resolve_language(x).code for x in langs}
    found: dict[str, dict[str, list[str]]] = {}
    seen: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.conllu")):
        code = _treebank_language(path)
        if code is None or (wanted is not None and code not in wanted):
            continue
        keep = seen.setdefault(code, set())
        for line in _lines(path):
            text = line[len(_UD_TEXT):].strip() if line.startswith(_UD_TEXT) else ""
            if not text or text in keep:
                continue
            keep.add(text)
            words = n_words(text)
            classes = found.setdefault(code, {name: [] for name in TREEBANK_LENGTHS})
            if words <= VERY_SHORT_MAX_WORDS:
                classes["ud-very-short"].append(text)
            classes["ud-short" if words <= SHORT_MAX_WORDS else "ud-long"].append(text)
    return {code: {k: v for k, v in classes.items() if v} for code, classes in found.items()}


RECIPES = "recipes"  # --packs recipes: a pack for every language langzoo ships a recipe for


def pack_codes(spec: str) -> list[str]:
    """The pack codes of one ``--packs`` value: comma-separated languages, or ``recipes``.

    A zoo with every recipe's pack is where leaks show that a smaller zoo hides: Hausa
    openings ("Lawan ya ce") reached only the fr pack (stop 35).
    """
    if spec.strip() == RECIPES:
        from langzoo.recipes.spec import available_specs

        return available_specs()
    return split_commas(spec)


def make_zoo(packs: list[str], lid) -> Zoo:
    """A zoo with these pack codes and the English pivot, routing with ``lid``.

    ``Zoo.route`` needs only the pack codes (the encoder and pack folders are touched
    when encoding), so nothing has to be built or installed to measure routing.
    """
    codes = {resolve_language(c).code for c in packs} | {ENGLISH}
    return Zoo(None, {c: Path(f"<not installed: {c}>") for c in sorted(codes)}, lid=lid)


def _pct(k: int, n: int) -> float | None:
    return round(100.0 * k / n, 2) if n else None


def cut_short(texts: list[str], sizes: tuple[int, ...] = CUT_SIZES) -> list[str]:
    """Short texts made from long ones: the first 3, 5 and 8 words of each (distinct).

    Used where a language has (almost) no naturally short sentences in the data (the
    Turkic FLORES sets): a prefix of real prose is real short text, though a sentence
    opening rather than a whole short sentence.
    """
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        words = text.split()
        for k in sizes:
            if len(words) > k:
                cut = " ".join(words[:k])
                if cut not in seen:
                    seen.add(cut)
                    out.append(cut)
    return out


def windows(texts: list[str], sizes: tuple[int, ...] = WINDOW_SIZES, stride: int = WINDOW_STRIDE) -> list[str]:
    """Every ``stride``-th run of 3 and of 5 words inside each text (repeats kept).

    Openings (:func:`cut_short`) are few (about 3 per sentence) and often start with a
    name; windows from anywhere in the sentence give five times as many short texts and a
    steadier estimate when two detectors are compared.
    """
    out: list[str] = []
    for text in texts:
        words = text.split()
        for k in sizes:
            out += [" ".join(words[i:i + k]) for i in range(0, max(1, len(words) - k + 1), stride)]
    return out


def _parts(texts: list[str], min_short: int) -> dict[str, list[str]]:
    short = [t for t in texts if is_short(t)]
    long = [t for t in texts if not is_short(t)]
    parts = {"short": short, "long": long}
    if len(short) < min_short:
        parts["cut"] = cut_short(long)
        parts["window"] = windows(long)
    return parts


def measure(zoo: Zoo, sentences: dict[str, dict[str, list[str]]], min_short: int = 0) -> dict:
    """Per language and length class: counts and shares of each route, and texts/s.

    Length classes: ``short`` (<= 8 words), ``long``, and ``cut`` and ``window`` (see
    :func:`cut_short`, :func:`windows`)
    for languages with fewer than ``min_short`` short sentences.
    """
    parts = {lang: _parts([t for src in by_source.values() for t in src], min_short)
             for lang, by_source in sentences.items()}
    sources = {lang: {s: len(v) for s, v in by_source.items()} for lang, by_source in sentences.items()}
    return measure_parts(zoo, parts, sources)


def measure_parts(zoo: Zoo, parts: dict[str, dict[str, list[str]]],
                  sources: dict[str, dict[str, int]] | None = None) -> dict:
    """:func:`measure` for texts already in length classes: ``{code: {length: [texts]}}``."""
    rows = []
    for lang in sorted(parts, key=lambda c: resolve_language(c).alias):
        for length, part in parts[lang].items():
            if not part:
                continue
            started = time.perf_counter()
            routes = zoo.route(part)  # the runtime's own decision: pack code or None (bare base)
            seconds = time.perf_counter() - started
            reasons = Counter(d.reason for d in zoo.detect(part) if d.lang is None)
            counts = Counter("base" if r is None else r for r in routes)
            n = len(part)
            pack = zoo.pack_for(lang)  # its own pack, or the pack of its language in another script
            own = counts[pack] if pack is not None else 0
            english = counts[ENGLISH] if lang != ENGLISH else 0
            into_pack = n - own - english - counts["base"]
            rows.append({
                "lang": resolve_language(lang).alias, "code": lang, "has_pack": pack is not None,
                "length": length, "n": n,
                "own_pct": _pct(own, n) if pack is not None else None,
                "english_pct": _pct(english, n) if lang != ENGLISH else None,
                "other_pack_pct": _pct(into_pack, n), "base_pct": _pct(counts["base"], n),
                "texts_per_s": round(n / seconds) if seconds > 0 else None,
                "routes": dict(counts.most_common()), "base_reasons": dict(reasons.most_common()),
                "sources": (sources or {}).get(lang, {length: n}),
            })
    return {"packs": [resolve_language(c).alias for c in zoo.languages], "rows": rows}


def misses(result: dict) -> list[str]:
    """Lines of ``result`` that miss the issue's targets, in words."""
    out = []
    for r in result["rows"]:
        where = f"{r['lang']} {r['length']} (n={r['n']})"
        if r["own_pct"] is not None and r["own_pct"] < TARGET_OWN:
            out.append(f"{where}: {r['own_pct']:.1f} % to its own pack (target >= {TARGET_OWN:.0f} %)")
        if not r["has_pack"] and r["other_pack_pct"] > TARGET_INTO_PACK:
            into = ", ".join(f"{resolve_language(c).alias} {k}" for c, k in r["routes"].items()
                             if c not in ("base", ENGLISH))
            out.append(f"{where}: {r['other_pack_pct']:.1f} % into a pack ({into}; target <= {TARGET_INTO_PACK:.0f} %)")
        if r["english_pct"] is not None and r["english_pct"] > TARGET_ENGLISH:
            out.append(f"{where}: {r['english_pct']:.1f} % to English (target <= {TARGET_ENGLISH:.0f} %)")
    return out


def table(result: dict, lengths: tuple[str, ...] = ("short", "long")) -> str:
    """A markdown table: one line per language, the length classes side by side."""
    def f(v):
        return "–" if v is None else f"{v:.1f}"

    head = "| lang | pack | " + " | ".join(f"n {a} | own | en | other pack | base" for a in lengths) + " | texts/s |"
    lines = [head, "|" + "---|" * 2 + "---:|" * (5 * len(lengths) + 1)]
    by_lang: dict[str, dict[str, dict]] = {}
    for r in result["rows"]:
        if r["length"] in lengths:
            by_lang.setdefault(r["lang"], {})[r["length"]] = r
    for lang, parts in sorted(by_lang.items(), key=lambda kv: (not next(iter(kv[1].values()))["has_pack"], kv[0])):
        cells = [lang, "yes" if next(iter(parts.values()))["has_pack"] else "no"]
        for length in lengths:
            r = parts.get(length)
            cells += [str(r["n"]) if r else "0"] + [f(r[k]) if r else "–" for k in
                                                   ("own_pct", "english_pct", "other_pack_pct", "base_pct")]
        n = sum(r["n"] for r in parts.values())
        secs = sum(r["n"] / r["texts_per_s"] for r in parts.values() if r["texts_per_s"])
        cells.append(f"{n / secs:,.0f}" if secs else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _extra_texts(parser: argparse.ArgumentParser, option: str, folder: Path | None, langs: str | None,
                 loader, nothing: str) -> dict[str, dict[str, list[str]]] | None:
    """The texts an optional folder option (``--lingua-testdata``, ``--treebanks``) names,
    read by ``loader``; ``None`` when the option is not given, a usage error when the
    folder is missing or holds nothing the loader knows."""
    if folder is None:
        return None
    if not folder.is_dir():
        parser.error(f"{option} {folder} is not a folder")
    found = loader(folder, set(split_commas(langs)) if langs else None)
    if not found:
        parser.error(f"{nothing} under {folder}")
    return found


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, required=True, help="folder in the layout of ../shared/data/dev")
    p.add_argument("--packs", action="append", required=True,
                   help="installed packs, comma-separated (e.g. uz,kk), or 'recipes' for every language "
                        "with a shipped recipe; repeat for several zoo configurations")
    p.add_argument("--lid", default="default", help="LID spec as for Zoo.load: default (lid.176), glotlid, a path")
    p.add_argument("--out", type=Path, help="write the results as JSON here")
    p.add_argument("--min-short", type=int, default=50,
                   help="languages with fewer short sentences also get 'cut' rows: the first 3/5/8 words "
                        "of their long sentences (default: %(default)s)")
    p.add_argument("--lingua-testdata", type=Path, metavar="DIR",
                   help="also route Lingua's test data (lingua-rs language-models/; single words, word pairs, "
                        "sentences per language)")
    p.add_argument("--lingua-langs", help="only these languages of --lingua-testdata, comma-separated (e.g. az,tr,kk)")
    p.add_argument("--treebanks", type=Path, metavar="DIR",
                   help="also route the sentences of the Universal Dependencies treebanks (*.conllu) under DIR, "
                        "as very short (<= 4 words), short and long sentences")
    p.add_argument("--treebank-langs", help="only these languages of --treebanks, comma-separated")
    args = p.parse_args(argv)

    from langzoo.lid import load_detector

    sentences = load_sentences(args.data)
    if not sentences:
        p.error(f"no known data sets under {args.data}")
    sentences = with_cyrillic_uzbek(sentences)
    lingua = _extra_texts(p, "--lingua-testdata", args.lingua_testdata, args.lingua_langs, load_lingua_testdata,
                          "no Lingua test data (<iso>/testdata/*.txt)")
    treebanks = _extra_texts(p, "--treebanks", args.treebanks, args.treebank_langs, load_treebanks,
                             "no treebank sentences (<lang>_*.conllu with '# text = ' lines)")
    started = time.perf_counter()
    lid = load_detector(args.lid)
    load_s = time.perf_counter() - started
    results = []
    for spec in args.packs:
        zoo = make_zoo(pack_codes(spec), lid)
        with warnings.catch_warnings():  # "LID model cannot predict X" once per route call is noise here
            warnings.simplefilter("ignore")
            result = measure(zoo, sentences, args.min_short)
            if lingua is not None:
                result["rows"] += measure_parts(zoo, lingua)["rows"]
            if treebanks is not None:
                result["rows"] += measure_parts(zoo, treebanks)["rows"]
        result.update(lid=lid.name, lid_load_s=round(load_s, 2), misses=misses(result))
        results.append(result)
        print(f"\n## packs: {', '.join(result['packs'])} (LID {lid.name}; own/en/other pack/base in %)\n")
        print(table(result))
        if any(r["length"] == "cut" for r in result["rows"]):
            print(f"\nShort texts cut from long sentences (first {'/'.join(map(str, CUT_SIZES))} words), "
                  f"for languages with < {args.min_short} short sentences:\n")
            print(table(result, ("cut", "long")))
            print(f"\nWindows of {'/'.join(map(str, WINDOW_SIZES))} words (every {WINDOW_STRIDE}nd word) "
                  "inside the same long sentences:\n")
            print(table(result, ("window", "long")))
        if lingua is not None:
            print("\nLingua's test data (Leipzig corpora): single words, word pairs, sentences of up to "
                  f"{SHORT_MAX_WORDS} words, all sentences:\n")
            print(table(result, LINGUA_LENGTHS))
        if treebanks is not None:
            print(f"\nUniversal Dependencies treebanks: sentences of up to {VERY_SHORT_MAX_WORDS} words, of up to "
                  f"{SHORT_MAX_WORDS} words, longer:\n")
            print(table(result, TREEBANK_LENGTHS))
        print("\nMissing the targets:" if result["misses"] else "\nAll targets met.")
        for line in result["misses"]:
            print(f"- {line}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
