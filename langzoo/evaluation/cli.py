"""`zoo eval`: run an evaluation suite for several encoder configurations and write reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from langzoo.cli_args import split_commas
from langzoo.evaluation.encoders import CONFIG_HELP


def register(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "eval",
        help="evaluate encoder configurations (base, language packs) on STS/STR/bitext/classification sets",
        description="Run every task of a suite found under --data for each configuration, print a table and "
                    "write results.json, results.md and results.png to --out. Embeddings are cached under "
                    "--cache-dir (default OUT/cache), so re-runs only encode new texts.",
    )
    p.add_argument("--suite", default="dev", choices=["dev", "flores-dev", "align"],
                   help="folder layout of --data ('dev': sts17/ sick/ tatoeba/ sib/ str24/ flores-dev/; "
                        "'flores-dev': <lang>/dev.tsv, by default the FLORES dev sentences langzoo ships; "
                        "'align': word alignment + lexicon induction on en-L <lang>/dev.tsv pairs, by default "
                        "the shipped FLORES dev, scored with FreeDict dictionaries)")
    p.add_argument("--data", default=None, help="folder with the suite's files (required for --suite dev)")
    p.add_argument("--configs", default="base,mod_m,mod_mc", help=f"comma-separated; each one of {CONFIG_HELP}")
    p.add_argument("--base", default=None, help="base encoder for base/mod_m/mod_mc (runtime default if omitted)")
    p.add_argument("--languages", default=None, help="language packs for mod_m/mod_mc, comma-separated (e.g. nl,pl)")
    p.add_argument("--tasks", default=None, help="comma-separated task names/families or globs (e.g. sts17,tatoeba-*)")
    p.add_argument("--out", default="zoo-eval", help="output folder (default: ./zoo-eval)")
    p.add_argument("--cache-dir", default=None, help="embedding cache folder (default: OUT/cache)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write cached embeddings")
    p.add_argument("--max-items", type=int, default=None, help="use only the first N items of each task")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--list", action="store_true", help="list the tasks found (with item counts) and exit")
    from langzoo.align.eval_cli import add_arguments

    add_arguments(p)
    p.set_defaults(func=run_cli)
    return p


def run_cli(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from langzoo.errors import LangzooError
    from langzoo.evaluation.catalog import load_suite
    from langzoo.evaluation.encoders import build_encoders
    from langzoo.evaluation.report import print_table, write_reports
    from langzoo.evaluation.runner import run_evaluation

    if args.suite == "align":
        from langzoo.align.eval_cli import run_cli as run_align

        return run_align(args)
    console = Console(stderr=False)
    err = Console(stderr=True)
    if args.max_items is not None and args.max_items < 1:
        err.print("[red]error:[/red] --max-items must be ≥ 1")
        return 2
    if args.data is None and args.suite == "dev":
        err.print("[red]error:[/red] --suite dev needs --data DIR (a folder with sts17/ sick/ tatoeba/ sib/ ...)")
        return 2
    try:
        tasks = load_suite(args.suite, args.data, tasks=split_commas(args.tasks) or None, max_items=args.max_items)
        if args.list:
            table = Table(title=f"tasks in {args.data or 'the shipped FLORES dev sentences'}")
            for col in ("task", "kind", "languages", "items"):
                table.add_column(col)
            for t in tasks:
                table.add_row(t.name, t.kind, " ".join(t.languages), str(t.n_items))
            console.print(table)
            return 0
        configs = split_commas(args.configs)
        encoders = build_encoders(configs, base=args.base, languages=split_commas(args.languages))
        out = Path(args.out)
        cache_dir = None if args.no_cache else Path(args.cache_dir or out / "cache")
        result = run_evaluation(tasks, encoders, cache_dir=cache_dir, batch_size=args.batch_size,
                                show_progress=sys.stderr.isatty())
    except LangzooError as e:
        err.print(f"[red]error:[/red] {e}")
        return 1
    print_table(result, console)
    paths = write_reports(result, out)
    console.print("wrote " + ", ".join(str(p) for p in paths.values()) + f" ({result.wall_s:.1f} s)")
    return 0 if not result.errors else 3
