"""`zoo eval --suite align`: word alignment and lexicon induction for en-L pairs and
encoder configurations (base, mod_m, mod_mc, mod_w), plus AER when gold files are given.
mod_m / mod_mc leave a pack's word-alignment (``align``) module off; mod_w uses it where
a pack has one (with that pack's cla off, as the module was trained), else it is mod_mc."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

from langzoo.cli_args import split_commas

CONFIGS = ("base", "mod_m", "mod_mc", "mod_w")


def add_arguments(p) -> None:
    g = p.add_argument_group("--suite align (word alignment / lexicon induction)")
    g.add_argument("--align-langs", default="de,tr,nl,es",
                   help="languages L of the en-L pairs (default de,tr,nl,es); needs `zoo data fetch --lang L "
                        "--dictionaries`")
    g.add_argument("--layer", type=int, default=None, help="hidden layer (default: the aligner's default)")
    g.add_argument("--method", default="softmax", choices=["softmax", "argmax", "itermax"])
    g.add_argument("--gold", default=None, help="gold alignments (Pharaoh i-j/ipj or NAACL 'sent i j S|P') for AER")
    g.add_argument("--gold-src", default=None, help="tokenised source (English) file of --gold")
    g.add_argument("--gold-tgt", default=None, help="tokenised target file of --gold")
    g.add_argument("--gold-lang", default=None, help="language of --gold-tgt")


def _zoo_for(config: str, languages: list[str], base, cache: dict):
    from langzoo.runtime.zoo import Zoo

    key = () if config == "base" else tuple(languages)
    if key not in cache:
        cache[key] = Zoo.load(base=base, languages=list(key), lid="unused")
    return cache[key], (None if config == "base" else config != "mod_m")


def _uses_align(config: str) -> bool:
    return config == "mod_w"


def evaluate(configs: list[str], langs: list[str], *, languages: list[str], base=None, data=None, layer=None,
             method="softmax", gold=None) -> list[dict]:
    """One result row per (pair, configuration)."""
    from langzoo.align.dictionary import load_freedict
    from langzoo.align.evaluate import evaluate_gold, evaluate_pair, flores_pairs
    from langzoo.errors import LangzooError

    bad = [c for c in configs if c not in CONFIGS]
    if bad:
        raise LangzooError(f"--suite align takes the configurations {', '.join(CONFIGS)}; not {', '.join(bad)}")
    if any(c != "base" for c in configs) and not languages:
        raise LangzooError("mod_m / mod_mc / mod_w need the packs to load: --languages tr,en")
    zoos: dict = {}
    rows = []
    for lang in langs:
        dictionary = load_freedict(lang)
        src, tgt = flores_pairs(lang, data)
        for config in configs:
            zoo, alignment = _zoo_for(config, languages, base, zoos)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row = evaluate_pair(zoo, src, tgt, "en", lang, dictionary, layer=layer, method=method,
                                    alignment=alignment, align_module=_uses_align(config))
            row.update(pair=f"en-{lang}", config=config, routes=_routes(zoo, lang, alignment, _uses_align(config)))
            rows.append(row)
    if gold:
        for config in configs:
            zoo, alignment = _zoo_for(config, languages, base, zoos)
            row = evaluate_gold(zoo, gold["src"], gold["tgt"], gold["gold"], "en", gold["lang"], layer=layer,
                                method=method, alignment=alignment, align_module=_uses_align(config))
            row.update(pair=f"en-{gold['lang']} (gold)", config=config,
                       routes=_routes(zoo, gold["lang"], alignment, _uses_align(config)))
            rows.append(row)
    return rows


def _routes(zoo, lang: str, alignment, align_module: bool = False) -> str:
    """What each side ran through: ``base`` or the pack (with ``+cla`` when its cla was on,
    ``+align`` when its word-alignment module was)."""
    from langzoo.modules.pack import read_pack_info

    out = []
    for code in ("en", lang):
        route = zoo.route(["x"], code)[0]
        if route is None:
            out.append("base")
            continue
        modules = read_pack_info(zoo.pack_paths[route])["modules"]
        if align_module and "align" in modules:
            out.append(f"{route}+align")
            continue
        use_cla = "cla" in modules and (zoo.alignment if alignment is None else alignment)
        out.append(f"{route}{'+cla' if use_cla else ''}")
    return " / ".join(out)


def _fmt(v) -> str:
    if isinstance(v, float):
        return "-" if math.isnan(v) else f"{v:.3f}"
    return str(v)


def run_cli(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from langzoo.errors import LangzooError

    console, err = Console(width=200), Console(stderr=True)  # wide: the table has 13 columns
    configs = split_commas(args.configs)
    langs = split_commas(args.align_langs)
    languages = split_commas(args.languages)
    gold = None
    if args.gold:
        if not (args.gold_src and args.gold_tgt and args.gold_lang):
            err.print("[red]error:[/red] --gold needs --gold-src, --gold-tgt and --gold-lang")
            return 2
        gold = {"src": args.gold_src, "tgt": args.gold_tgt, "gold": args.gold, "lang": args.gold_lang}
    try:
        rows = evaluate(configs, langs, languages=languages, base=args.base, data=args.data, layer=args.layer,
                        method=args.method, gold=gold)
    except LangzooError as exc:
        err.print(f"[red]error:[/red] {exc}")
        return 1
    cols = ["pair", "config", "routes", "dict_precision", "checked", "bli_nn_p@1", "bli_csls_p@1", "bli_csls_p@5",
            "bli_queries", "aer", "precision", "recall", "f1"]
    cols = [c for c in cols if any(c in r for r in rows)]
    table = Table(title=f"word alignment ({args.method}, layer {rows[0]['layer'] if rows and 'layer' in rows[0] else 'default'})")
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*(_fmt(r.get(c, "")) for c in cols))
    console.print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "align_results.json").write_text(json.dumps(rows, indent=1, default=float))
    console.print(f"wrote {out / 'align_results.json'}")
    return 0
