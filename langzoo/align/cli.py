"""`zoo align`: word-align two line-aligned files, one Pharaoh line per pair."""

from __future__ import annotations

import sys

from langzoo.align.extract import METHODS
from langzoo.languages import parse_language_list


def register(sub) -> None:
    p = sub.add_parser("align", help="word-align two line-aligned text files (Pharaoh i-j output)",
                       description="Line N of --src is aligned with line N of --tgt; words are the whitespace-"
                                   "separated tokens of a line (tokenise the files first for punctuation-split "
                                   "indices). Each side uses its own language pack.")
    p.add_argument("--src", required=True, help="source file, UTF-8, one text per line ('-' for stdin)")
    p.add_argument("--tgt", required=True, help="target file, line-aligned with --src")
    p.add_argument("--src-lang", default=None, help="language of every source line (default: detect per line)")
    p.add_argument("--tgt-lang", default=None, help="language of every target line (default: detect per line)")
    p.add_argument("--out", default=None, help="output file (default: standard output)")
    p.add_argument("--method", default="softmax", choices=METHODS,
                   help="softmax: row/column softmax + threshold intersection (AccAlign, default); "
                        "argmax: mutual best; itermax: SimAlign's iterative argmax")
    p.add_argument("--layer", type=int, default=None,
                   help="hidden layer the token vectors come from (0 = embeddings; default: the middle layer)")
    p.add_argument("--threshold", type=float, default=0.1, help="softmax probability threshold (default 0.1)")
    p.add_argument("--scores", action="store_true", help="write i-j:score items")
    p.add_argument("--base", default=None, help="base encoder (default: the offline multilingual-e5-small)")
    p.add_argument("--languages", default="installed",
                   help="comma-separated language codes or pack folders, 'installed' (default) or 'none'")
    p.add_argument("--registry", default=None, help="registry: local folder (default local) or hf://NAMESPACE")
    p.add_argument("--lid", default="default", help="language identifier: a name from `zoo lid backends` (default: langzoo-lid, else lid.176) or a model path")
    p.add_argument("--no-alignment", action="store_true", help="switch the cla adapters off")
    p.add_argument("--no-align-module", action="store_true",
                   help="leave packs' word-alignment (align) modules off (default: used where a pack has one)")
    p.add_argument("--batch-size", type=int, default=32)
    p.set_defaults(func=_align)



def _align(args) -> int:
    from langzoo.errors import InvalidInputError
    from langzoo.runtime.lines import read_lines
    from langzoo.runtime.zoo import Zoo

    if args.src == "-" and args.tgt == "-":
        raise InvalidInputError("--src and --tgt cannot both be standard input")
    src, tgt = read_lines(args.src), read_lines(args.tgt)
    if len(src) != len(tgt):
        raise InvalidInputError(f"{args.src} has {len(src)} lines but {args.tgt} has {len(tgt)}: the files must "
                                "be line-aligned")
    zoo = Zoo.load(base=args.base, languages=parse_language_list(args.languages), registry=args.registry, lid=args.lid,
                   alignment=not args.no_alignment)
    result = zoo.align(src, tgt, args.src_lang, args.tgt_lang, method=args.method, layer=args.layer,
                       threshold=args.threshold, batch_size=args.batch_size, show_progress_bar=True,
                       align_module=not args.no_align_module)
    text = "".join(a.pharaoh(args.scores) + "\n" for a in result)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {len(result)} alignment lines to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
