"""``zoo detect``: language identification of each line of a text file.

    zoo detect --in texts.txt [--lid SPEC] [--allowed uz,kk,en] [--json]
    zoo detect --benchmark [--lid SPEC] [--allowed ...]

``--lid`` takes a registered detector name (``zoo lid backends``: ``default``,
``langzoo-lid``, ``lid.176``, ``glotlid``, ...) or a path to a fastText model, a folder
with GlotLID's ``model.bin`` or a folder made by ``zoo lid train``.  With ``--allowed``
(the zoo's packs) the ``route`` column is where a zoo sends the text: its pack or the
bare base; as in a zoo, Cyrillic Uzbek may then be detected (``uzn_Cyrl``) when the
Latin uz pack is allowed, and its route is that pack.
"""

from __future__ import annotations

import argparse
import json
import time

from langzoo.cli_args import split_commas
from langzoo.errors import LangzooError
from langzoo.transliteration import PACK_SCRIPT_VARIANTS, script_variants
from langzoo.lid.fasttext_lid import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_OTHER_MASS,
    LanguageIdentifier,
)
from langzoo.lid.backends import load_detector


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``detect`` subcommand to an argparse subparsers object."""
    p = subparsers.add_parser(
        "detect",
        help="identify the language of each line of a text file",
        description="Identify the language of each line of a text file (default: langzoo's shipped "
                    "model mixed with lid.176 and CLD2, offline; GlotLID and others with --lid).",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--in", dest="input", metavar="FILE",
                     help="UTF-8 text file, one text per line ('-' for stdin)")
    src.add_argument("--benchmark", action="store_true",
                     help="run the built-in benchmark (9 languages, short/medium sentences) "
                          "and report accuracy, texts/s and load time")
    p.add_argument("--lid", default="default", metavar="SPEC",
                   help="a detector name (`zoo lid backends`: default = langzoo-lid when a trained "
                        "model exists, else lid.176; glotlid uses the network unless cached) or a "
                        "model path (default: %(default)s)")
    p.add_argument("--allowed", metavar="CODES",
                   help="comma-separated languages to restrict answers to, e.g. uz,kk,en (a zoo's "
                        "packs); texts in other languages are reported as 'other' and the route "
                        "column is the pack such a zoo uses or 'base' (without --allowed every "
                        "detected language counts as having a pack)")
    p.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE,
                   help="below this confidence the answer is none (default: %(default)s)")
    p.add_argument("--other-mass", type=float, default=DEFAULT_OTHER_MASS,
                   help="with --allowed: report 'other' when at least this share of the "
                        "probability lies outside the allowed set (default: %(default)s)")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help="classify only this many leading characters (default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    p.set_defaults(func=run_detect)
    return p


def _read_lines(path: str) -> list[str]:
    from langzoo.runtime.lines import read_lines  # the same line rules as `zoo encode`

    return read_lines(path)


def _build(args) -> tuple[LanguageIdentifier, float]:
    allowed = split_commas(args.allowed) if args.allowed else None
    start = time.perf_counter()
    lid = load_detector(args.lid, allowed=allowed, min_confidence=args.min_confidence,
                        other_mass=args.other_mass, max_chars=args.max_chars)
    if lid.allowed is not None:  # what a zoo with these packs allows (Zoo.lid): their other scripts too
        lid.allowed = sorted(set(lid.allowed) | set(script_variants(lid.allowed)))
    return lid, time.perf_counter() - start


def _route(lang: str | None) -> str:
    """Where a zoo with the allowed packs sends a text detected as ``lang``."""
    return PACK_SCRIPT_VARIANTS.get(lang, lang) if lang is not None else "base"


def run_detect(args) -> int:
    """Entry point of ``zoo detect``; returns the process exit code."""
    from rich.console import Console

    err = Console(stderr=True)
    try:
        lid, load_s = _build(args)
        if args.benchmark:
            return _run_benchmark(lid, load_s, as_json=args.json)
        lines = _read_lines(args.input)
    except (LangzooError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        return 2
    detections = lid.detect(lines)
    if args.json:
        for n, (text, det) in enumerate(zip(lines, detections), start=1):
            print(json.dumps({"line": n, "lang": det.lang, "confidence": round(det.confidence, 4),
                              "reason": det.reason, "route": _route(det.lang),
                              "raw_label": det.raw_label,
                              "text": text[:200]}, ensure_ascii=False))
        return 0
    from rich.table import Table

    table = Table(title=f"Language identification ({lid.name})")
    for col, kw in (("line", {"justify": "right"}), ("lang", {}), ("conf", {"justify": "right"}),
                    ("reason", {}), ("route", {}), ("model label", {}), ("text", {"overflow": "ellipsis"})):
        table.add_column(col, **kw)
    for n, (text, det) in enumerate(zip(lines, detections), start=1):
        # The route a zoo whose packs are --allowed takes: the language's pack or the bare base.
        table.add_row(str(n), det.lang or "-", f"{det.confidence:.3f}", det.reason, _route(det.lang),
                      det.raw_label, text[:80])
    Console().print(table)
    return 0


def _run_benchmark(lid: LanguageIdentifier, load_s: float, *, as_json: bool) -> int:
    from langzoo.lid.evaluation import alias, evaluate, throughput

    rows = evaluate(lid)
    speed = throughput(lid)
    if as_json:
        for row in rows:
            print(json.dumps({"lang": row.lang, "length": row.length, "correct": row.correct,
                              "total": row.total, "wrong": row.wrong}, ensure_ascii=False))
        print(json.dumps({"texts_per_s": round(speed), "load_s": round(load_s, 4)}))
        return 0
    from rich.console import Console
    from rich.table import Table

    allowed = ",".join(sorted(alias(c) for c in lid.allowed)) if lid.allowed else "none"
    table = Table(title=f"LID benchmark ({lid.name}; allowed: {allowed})")
    for col in ("lang", "length", "correct", "mistakes"):
        table.add_column(col)
    for row in rows:
        wrong = ", ".join(f"{alias(k)} ×{v}" for k, v in sorted(row.wrong.items()))
        table.add_row(alias(row.lang), row.length, f"{row.correct}/{row.total}", wrong)
    console = Console()
    console.print(table)
    console.print(f"load {load_s * 1000:.0f} ms; {speed:,.0f} texts/s on 2,000 mixed sentences")
    return 0
