"""`zoo data ...` subcommands: fetch, harvest, stats, translate."""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

from rich.console import Console

from langzoo.errors import LangzooError


def register(subparsers) -> None:
    """Add ``zoo data`` with its subcommands to an argparse subparsers object."""
    data = subparsers.add_parser("data", help="training data: fetch/harvest localisation catalogs, inspect files")
    sub = data.add_subparsers(dest="data_command", required=True)

    p = sub.add_parser("fetch", help="download Debian localisation packages of a language into the l10n cache (no install)")
    p.add_argument("--lang", required=True)
    p.add_argument("--cache", type=Path, default=None, help="cache folder (default $LANGZOO_HOME/l10n/<lang>)")
    p.add_argument("--package", action="append", dest="packages", help="fetch only these packages (repeatable)")
    p.add_argument("--list", action="store_true", help="print the package list and exit")
    p.add_argument("--dictionaries", action="store_true",
                   help="fetch the FreeDict English<->L dictionaries (dict-freedict-*, for `zoo eval --suite align`) "
                        "into $LANGZOO_HOME/dictionaries/freedict instead")
    p.set_defaults(func=_cmd_fetch)

    p = sub.add_parser("harvest", help="extract clean English→L pairs from .mo/.po/.ftl catalogs (or LibreOffice help pages)")
    p.add_argument("--lang", required=True)
    p.add_argument("--source", choices=("catalogs", "help"), default="catalogs",
                   help="catalogs: .mo/.po/.ftl strings; help: paragraphs of LibreOffice help pages (default catalogs)")
    p.add_argument("--root", action="append", type=Path, dest="roots",
                   help="folder/file to search (repeatable; default: system locale/help folders + l10n cache)")
    p.add_argument("--out", type=Path, default=None,
                   help="output .jsonl or .tsv (default $LANGZOO_HOME/data/harvest-<lang>.jsonl, help-<lang>.jsonl for --source help)")
    p.add_argument("--min-words", type=int, default=1)
    p.add_argument("--max-words", type=int, default=200)
    p.add_argument("--quiet-warnings", action="store_true", help="do not print one line per skipped catalog")
    p.set_defaults(func=_cmd_harvest)

    p = sub.add_parser("stats", help="counts and length statistics of a data file")
    p.add_argument("file", type=Path)
    p.add_argument("--columns", nargs="+", default=None, help="columns to read (names or 0-based indices)")
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("translate", help="machine-translate English paraphrase pairs into L (NLLB-style model)")
    p.add_argument("--lang", required=True)
    p.add_argument("--model", required=True, help="local model folder or Hub id (e.g. facebook/nllb-200-distilled-600M)")
    p.add_argument("--in", dest="inp", type=Path, required=True, help="English pairs file (.tsv/.csv/.jsonl/.parquet)")
    p.add_argument("--columns", nargs=2, default=None, help="the two English columns (default: first two / en1 en2)")
    p.add_argument("--out", type=Path, required=True, help="output .jsonl (appended to; resumable)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--max-rows", type=int, default=None)
    p.set_defaults(func=_cmd_translate)


def _console() -> Console:
    return Console(stderr=True)


def _cmd_fetch(args: argparse.Namespace) -> int:
    from langzoo.data.fetch import fetch_l10n_packages
    from langzoo.data.locales import language_packages
    from langzoo.data.paths import l10n_cache_dir

    if args.dictionaries:
        return _cmd_fetch_dictionaries(args)
    if args.list:
        print("\n".join(args.packages or language_packages(args.lang)))
        return 0
    console = _console()
    cache = args.cache or l10n_cache_dir(args.lang)
    t0 = time.monotonic()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dirs = fetch_l10n_packages(args.lang, cache, packages=args.packages)
    except LangzooError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 1
    for w in caught:
        console.print(f"[yellow]warning:[/yellow] {w.message}")
    manifest = json.loads((Path(cache) / "manifest.json").read_text())
    last = manifest.get("last_fetch", {})
    console.print(
        f"{len(dirs)} packages in {cache} ({len(manifest.get('missing', []))} not available); "
        f"downloaded {last.get('downloaded_bytes', 0) / 1e6:.1f} MB in {time.monotonic() - t0:.0f} s"
    )
    return 0


def _cmd_fetch_dictionaries(args: argparse.Namespace) -> int:
    from langzoo.data.freedict import fetch_freedict, freedict_packages

    if args.list:
        print("\n".join(freedict_packages(args.lang)))
        return 0
    console = _console()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dirs = fetch_freedict(args.lang, args.cache)
    except LangzooError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 1
    for w in caught:
        console.print(f"[yellow]warning:[/yellow] {w.message}")
    console.print("dictionaries: " + ", ".join(str(d) for d in dirs))
    return 0


def _write_pairs(pairs, out: Path, lang_alias: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        if out.suffix == ".tsv":
            for en, other in pairs:
                f.write(f"{en.replace(chr(9), ' ')}\t{other.replace(chr(9), ' ')}\n")
        else:
            for en, other in pairs:
                f.write(json.dumps({"en": en, lang_alias: other}, ensure_ascii=False) + "\n")


def _cmd_harvest(args: argparse.Namespace) -> int:
    from langzoo.data.harvest import harvest
    from langzoo.data.help_pages import help_pairs
    from langzoo.data.paths import data_dir
    from langzoo.data.report import print_counts
    from langzoo.languages import resolve_language

    console = _console()
    try:
        language = resolve_language(args.lang)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            extract = help_pairs if args.source == "help" else harvest
            ps = extract(language, args.roots, min_words=args.min_words, max_words=args.max_words, progress=True)
    except LangzooError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 1
    if caught:
        if not args.quiet_warnings:
            for w in caught[:20]:
                console.print(f"[yellow]warning:[/yellow] {w.message}")
        console.print(f"[yellow]{len(caught)} {'help page' if args.source == 'help' else 'catalog'}(s) skipped[/yellow]")
    stem = "help" if args.source == "help" else "harvest"
    out = args.out or data_dir() / f"{stem}-{language.alias}.jsonl"
    _write_pairs(ps.pairs, out, language.alias)
    out.with_name(out.name + ".provenance.json").write_text(json.dumps(ps.provenance, indent=1, ensure_ascii=False))
    found = f"{ps.provenance['files']} help pages" if args.source == "help" else f"{ps.provenance['catalogs']} catalogs"
    print_counts(ps.counts, title=f"{stem} {language.alias}: {found}", console=console)
    console.print(f"{len(ps):,} pairs → {out}")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from rich.table import Table

    from langzoo.data.files import file_format, read_rows

    console = _console()
    try:
        fmt, _ = file_format(args.file)
        cols = args.columns
        if cols is None:
            cols = None if fmt == "txt" else _guess_columns(args.file, fmt)
        cols = [int(c) if isinstance(c, str) and c.isdigit() else c for c in cols] if cols else None
        rows = list(read_rows(args.file, cols))
    except LangzooError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 1
    ncol = len(rows[0]) if rows else 0
    table = Table(title=f"{args.file} ({len(rows):,} rows)", title_justify="left")
    for name in ("column", "non-empty", "unique", "mean words", "max words"):
        table.add_column(name, justify="right" if name != "column" else "left")
    for c in range(ncol):
        vals = [r[c] for r in rows]
        words = [len(v.split()) for v in vals]
        table.add_row(str(cols[c] if cols else c), f"{sum(1 for v in vals if v.strip()):,}", f"{len(set(vals)):,}",
                      f"{sum(words) / max(len(words), 1):.1f}", str(max(words, default=0)))
    console.print(table)
    dup = sum(n - 1 for n in Counter(rows).values() if n > 1)
    console.print(f"duplicate rows: {dup:,}")
    return 0


def _guess_columns(path: Path, fmt: str) -> list:
    """First two fields (by name for jsonl/parquet, by index for tsv/csv)."""
    if fmt in ("tsv", "csv"):
        return [0, 1]
    if fmt == "jsonl":
        from langzoo.data.files import _open_text, file_format

        with _open_text(path, file_format(path)[1]) as f:
            for line in f:
                if line.strip():
                    return [k for k, v in json.loads(line).items() if isinstance(v, str)][:2]
    import pyarrow.parquet as pq

    return pq.read_schema(path).names[:2]


def _cmd_translate(args: argparse.Namespace) -> int:
    from langzoo.data.files import file_format, read_rows
    from langzoo.data.mt import load_mt_model, synthesize_paraphrases

    console = _console()
    try:
        cols = args.columns or _guess_columns(args.inp, file_format(args.inp)[0])
        cols = [int(c) if isinstance(c, str) and c.isdigit() else c for c in cols]
        pairs = [tuple(r) for r in read_rows(args.inp, cols)][: args.max_rows]
        model, tok = load_mt_model(args.model)
        synthesize_paraphrases(pairs, args.out, model, tok, lang=args.lang, batch_size=args.batch_size)
    except LangzooError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 1
    console.print(f"translations of {len(pairs):,} pairs in {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m langzoo.data.cli data harvest ...`) until wired into `zoo`."""
    parser = argparse.ArgumentParser(prog="zoo")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
