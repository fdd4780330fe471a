"""`zoo build` command."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "build", help="build a language pack (tokenizer+FOCUS, LA, SE, CLA) from a recipe",
        description="Build a language pack stage by stage. Finished stages are cached, so an interrupted "
                    "build resumes where it stopped and an identical rerun is instant.")
    p.add_argument("--lang", help="language code (uz, kk, de, en, ...); required unless --list-settings")
    p.add_argument("--base", default=None, help="base encoder: Hub id, local folder, or 'default' (offline e5-small)")
    p.add_argument("--profile", default="demo", choices=["demo", "paper"], help="hyper-parameter profile")
    p.add_argument("--recipe", default=None, help="a recipe YAML file instead of the shipped one for --lang")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a setting, e.g. --set la.steps=500 --set data.translation.cap=5000 (repeatable)")
    p.add_argument("--out", default=None, help="also write the pack to this folder")
    p.add_argument("--registry", default=None, help="registry to install into (default: the local registry)")
    p.add_argument("--no-publish", action="store_true", help="do not install the pack into the registry")
    p.add_argument("--no-gate", action="store_true", help="skip the final comparison with the bare base")
    p.add_argument("--publish-worse", action="store_true",
                   help="install the pack even when the gate finds it worse than the bare base on real sentences")
    p.add_argument("--show-config", action="store_true", help="print the resolved config and exit")
    p.add_argument("--list-settings", action="store_true",
                   help="list every setting --set can change (what it accepts, its value in --profile, help) and exit")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import yaml
    from rich.console import Console

    from langzoo.errors import LangzooError
    from langzoo.languages import resolve_language
    from langzoo.recipes.spec import build_config, load_spec

    console = Console(stderr=True)
    if args.list_settings:
        print(settings_listing(args.profile))
        return 0
    if not args.lang:
        console.print("[red]error:[/red] --lang is required (e.g. --lang uz)")
        return 2
    try:
        if args.show_config:
            spec = load_spec(args.recipe or resolve_language(args.lang).alias)
            print(yaml.safe_dump(build_config(spec, args.profile, args.overrides), sort_keys=False, allow_unicode=True))
            return 0
        from langzoo.recipes.runner import build
        from langzoo.recipes.summary import print_summary

        result = build(args.lang, base=args.base, profile=args.profile, overrides=args.overrides,
                       recipe=args.recipe, out=args.out, publish=not args.no_publish, registry=args.registry,
                       gate=not args.no_gate, publish_worse=args.publish_worse,
                       log=lambda msg: console.print(msg))
    except KeyboardInterrupt:
        console.print("[yellow]interrupted: finished stages are cached; rerun the same command to resume")
        return 130
    except LangzooError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 2
    from langzoo.recipes import distributed

    distributed.finish()  # all processes built their share; leave together
    code = 0
    if distributed.world().is_main:  # one summary per launch, from the process that built the pack
        print_summary(result, Console())
        if result.refused:
            code = 1
    return distributed.exit_if_launched(code)


def settings_listing(profile: str) -> str:
    """Every declared setting (global and per stage section) with what it accepts, its
    value in ``profile`` and its help text, from the typed settings classes."""
    from langzoo.recipes.profiles import get_profile
    from langzoo.recipes.validate import describe_settings

    values = get_profile(profile)
    lines = [f"Settings of `zoo build` (--set KEY=VALUE); values of the {profile!r} profile:"]
    for key, accepts, help_text in describe_settings():
        node = values
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and accepts == "a section":
            value = ""
        else:
            value = "(not set)" if node is None else repr(node)
        lines.append(f"  {key} = {value}".rstrip() + f"   [{accepts}]")
        lines.append(f"      {help_text}")
    return "\n".join(lines)
