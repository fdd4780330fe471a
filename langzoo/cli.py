"""The `zoo` command. Each part of langzoo registers its own subcommands."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from langzoo.errors import LangzooError

# (module, function) pairs that add subcommands; order = order in `zoo --help`.
COMMAND_PROVIDERS = [
    ("langzoo.modules.cli", "register"),
    ("langzoo.data.cli", "register"),
    ("langzoo.recipes.cli", "register"),
    ("langzoo.registry.cli", "register"),
    ("langzoo.runtime.cli", "register"),
    ("langzoo.lid.cli", "register"),
    ("langzoo.lid.train_cli", "register"),
    ("langzoo.align.cli", "register"),
    ("langzoo.evaluation.cli", "register"),
    ("langzoo.serve.cli", "register"),
]


def build_parser() -> argparse.ArgumentParser:
    from langzoo import __version__

    parser = argparse.ArgumentParser(
        prog="zoo",
        description="langzoo: per-language sentence-encoder modules — build, publish, pull, encode, evaluate.",
    )
    parser.add_argument("--version", action="version", version=f"langzoo {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug information")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name, func in COMMAND_PROVIDERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:  # a real missing dependency, not an absent provider
                raise
            continue
        getattr(module, func)(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 0 if args.command is None else 2
    try:
        return int(args.func(args) or 0)
    except LangzooError as exc:
        print(f"zoo: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("zoo: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
