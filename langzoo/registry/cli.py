"""`zoo publish | list | pull | info | rm`: the registry on the command line."""

from __future__ import annotations

import argparse
import functools
import json
import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from langzoo.cli_args import split_commas
from langzoo.errors import LangzooError, LangzooWarning
from langzoo.modules.kinds import kind_order
from langzoo.modules.pack import PACK_FILE
from langzoo.registry.base import PackSummary
from langzoo.registry.hub import HubRegistry
from langzoo.registry.local import LocalRegistry
from langzoo.registry.uri import open_registry

REMOTE_ENV = "LANGZOO_REMOTE"  # default for --from / --remote, e.g. hf://my-org


def register(subparsers) -> None:
    p = subparsers.add_parser("publish", help="publish a language pack to a registry (local or hf://NAMESPACE)",
                              description="Publish PACK (a pack folder, or a language in the local registry) "
                                          "to --to (default: the local registry). Identical content is a no-op.")
    p.add_argument("pack", help="pack folder, or a language code (taken from the local registry)")
    p.add_argument("--to", default=None, help="target registry: local (default), a folder, file://PATH, hf://NAMESPACE")
    p.add_argument("--version", help="with a language: which installed version (default: latest)")
    p.add_argument("--base-fingerprint", help="with a language: which base's pack (when there are several)")
    p.add_argument("--private", action="store_true", help="Hub: create the repo private")
    p.add_argument("--license", help="Hub: license for the model card (default: pack.json 'license' or 'other')")
    p.add_argument("--repo-name", help="Hub: repo name instead of langzoo-<base>-<lang>")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_cli(cmd_publish))

    p = subparsers.add_parser("list", help="list language packs (local registry, or --remote)")
    p.add_argument("--remote", default=None, help="registry to list: hf://NAMESPACE, a folder (default: local)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cli(cmd_list))

    p = subparsers.add_parser("pull", help="download + verify a language pack from the Hub, install it locally")
    p.add_argument("lang", help="language code, e.g. uz")
    p.add_argument("--from", dest="source", default=os.environ.get(REMOTE_ENV),
                   help=f"hf://NAMESPACE (default: ${REMOTE_ENV})")
    p.add_argument("--modules", help="comma-separated kinds (e.g. se or la,se,cla); what they need comes along")
    p.add_argument("--revision", help="pack version (tag), branch or commit (default: main)")
    p.add_argument("--base-fingerprint", help="fingerprint of the base in use (sha256:...)")
    p.add_argument("--base", default="default",
                   help="base whose fingerprint is checked when --base-fingerprint is not given (default: the "
                        "offline multilingual-e5-small; materialised on first use)")
    p.add_argument("--repo-name", help="repo name in the namespace (skips the search)")
    p.add_argument("--no-install", action="store_true", help="only fill the HF cache, do not install locally")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cli(cmd_pull))

    p = subparsers.add_parser("info", help="details of one language's pack(s)")
    p.add_argument("lang")
    p.add_argument("--remote", default=None, help="hf://NAMESPACE or a folder (default: local registry)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cli(cmd_info))

    p = subparsers.add_parser("rm", help="remove a language pack (or one version) from a registry")
    p.add_argument("lang")
    p.add_argument("--version", help="remove only this version (default: all versions)")
    p.add_argument("--base-fingerprint", help="which base's pack (when there are several)")
    p.add_argument("--remote", default=None, help="hf://NAMESPACE or a folder (default: local registry)")
    p.add_argument("--yes", action="store_true", help="needed to delete on the Hub")
    p.set_defaults(func=_cli(cmd_rm))


def _cli(fn):
    """Report langzoo errors as one clear line and exit status 1 (no traceback)."""
    @functools.wraps(fn)
    def run(args) -> int:
        try:
            return fn(args)
        except LangzooError as exc:
            Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
            return 1
    return run


def cmd_publish(args) -> int:
    target = open_registry(args.to)
    path = Path(args.pack)
    if not (path / PACK_FILE).is_file():  # a language: take the pack from the local registry
        path = LocalRegistry().resolve(args.pack, args.base_fingerprint, args.version)
    if isinstance(target, HubRegistry):
        result = target.publish(path, private=args.private, license=args.license, repo=args.repo_name)
    else:
        result = target.publish(path)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    elif result.created:
        print(f"published {result.language} {result.version} ({', '.join(result.modules)}) -> {result.location}"
              + (f" @ {result.commit[:12]}" if result.commit else ""))
    else:
        print(f"{result.location} already holds this content (version {result.version}); nothing published")
    return 0


def cmd_list(args) -> int:
    import warnings

    registry = open_registry(args.remote)
    with warnings.catch_warnings():  # broken packs are shown below instead
        warnings.simplefilter("ignore", LangzooWarning)
        summaries = registry.list()
    broken = getattr(registry, "broken", [])
    if args.json:
        print(json.dumps([s.to_dict() for s in summaries]
                         + [{"broken": b.location, "error": b.error} for b in broken], indent=2))
        return 0
    _print_summaries(summaries, False, title=registry.uri)
    for b in broken:
        Console(stderr=True).print(f"[bold red]broken:[/] {b.location}: {b.error}", highlight=False)
    return 0


def cmd_info(args) -> int:
    registry = open_registry(args.remote)
    summaries = registry.info(args.lang)
    if args.json:
        print(json.dumps([s.to_dict() for s in summaries], indent=2))
        return 0
    console = Console()
    for s in summaries:
        console.print(f"[bold]{s.name}[/] ({s.code}, alias {s.language})  base {s.base_id}  {s.base_fingerprint}")
        console.print(f"  location: {s.location}\n  versions: {', '.join(s.versions)} (latest {s.version})")
        table = Table("module", "size", "metrics")
        for kind, size in s.modules.items():
            table.add_row(kind, _human(size), json.dumps(s.metrics.get(kind, {}), ensure_ascii=False))
        console.print(table)
    return 0


def cmd_pull(args) -> int:
    if not args.source:
        raise_usage = f"zoo pull needs --from hf://NAMESPACE (or ${REMOTE_ENV})"
        Console(stderr=True).print(f"[bold red]error:[/] {raise_usage}", highlight=False)
        return 2
    registry = open_registry(args.source)
    if not isinstance(registry, HubRegistry):
        Console(stderr=True).print("[bold red]error:[/] --from must be hf://NAMESPACE", highlight=False)
        return 2
    modules = split_commas(args.modules) if args.modules else None
    fingerprint = args.base_fingerprint
    if fingerprint is None:  # the base in use decides which pack fits; resolving it may materialise it
        from langzoo.modules.base_encoder import resolve_base

        fingerprint = resolve_base(args.base).fingerprint
    pack = registry.pull(args.lang, modules=modules, revision=args.revision, base_fingerprint=fingerprint,
                         install=not args.no_install, repo=args.repo_name)
    if args.json:
        print(json.dumps({"language": pack.language.alias, "version": pack.version, "modules": pack.kinds,
                          "path": str(pack.path), "bytes": pack.size_bytes}, indent=2))
    else:
        print(f"pulled {pack.language.alias} {pack.version} ({', '.join(pack.kinds)}, {_human(pack.size_bytes)}) "
              f"-> {pack.path}")
    return 0


def cmd_rm(args) -> int:
    registry = open_registry(args.remote)
    if isinstance(registry, HubRegistry) and not args.yes:
        Console(stderr=True).print("[bold red]error:[/] deleting on the Hub needs --yes", highlight=False)
        return 2
    removed = registry.remove(args.lang, version=args.version, base_fingerprint=args.base_fingerprint)
    print("removed " + ", ".join(removed))
    return 0


def _print_summaries(summaries: list[PackSummary], as_json: bool, title: str) -> None:
    if as_json:
        print(json.dumps([s.to_dict() for s in summaries], indent=2))
        return
    table = Table(title=title)
    for col in ("lang", "name", "modules", "versions", "size", "base", "metrics"):
        table.add_column(col)
    for s in summaries:
        mods = ", ".join(f"{k} {_human(s.modules[k])}" for k in kind_order(s.modules))
        metrics = "; ".join(f"{k}: {_metric_text(v)}" for k, v in s.metrics.items())
        table.add_row(s.language, s.name, mods, ", ".join(s.versions), _human(s.size_bytes),
                      f"{s.base_id} ({s.base_fingerprint[7:19]})", metrics)
    if not summaries:
        print(f"no packs in {title}")
        return
    Console().print(table)


def _metric_text(metrics: dict) -> str:
    parts = []
    for name, value in metrics.items():
        if isinstance(value, dict) and "value" in value:
            value = value["value"]
        if isinstance(value, (int, float)):
            parts.append(f"{name}={value:.4g}")
        elif isinstance(value, dict):
            parts += [f"{name}/{k}={v:.4g}" for k, v in value.items() if isinstance(v, (int, float))]
    return ", ".join(parts)


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry for these subcommands (the `zoo` CLI wires ``register`` itself)."""
    parser = argparse.ArgumentParser(prog="zoo")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)
