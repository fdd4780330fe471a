"""`zoo encode`: embed the lines of a text file with automatic language routing."""

from __future__ import annotations

import json
from pathlib import Path

from langzoo.errors import InvalidInputError
from langzoo.languages import parse_language_list


def register(sub) -> None:
    from langzoo.corpus.cli import add_arguments

    p = sub.add_parser("encode", help="encode a text file into an .npy matrix, or a corpus into shards")
    p.add_argument("--in", dest="inp", required=True,
                   help="UTF-8 text file, one text per line ('-' for stdin); in corpus mode also .jsonl, .parquet, "
                        ".gz or a folder of them")
    p.add_argument("--out", required=True,
                   help="output .npy file (float32, one row per input line), or a folder: corpus mode "
                        "(streamed, sharded, resumable)")
    p.add_argument("--lang", default=None, help="language of every line (default: detect per line)")
    p.add_argument("--base", default=None, help="base encoder (default: the offline multilingual-e5-small)")
    p.add_argument("--languages", default=None,
                   help="comma-separated language codes or pack folders, 'installed' (default) or 'none'")
    p.add_argument("--registry", default=None, help="registry: local folder (default local) or hf://NAMESPACE")
    p.add_argument("--lid", default=None, help="language identifier: a name from `zoo lid backends` (default: langzoo-lid "
                        "mixed with lid.176 and CLD2, else lid.176) or a model path")
    p.add_argument("--fallback", default=None, choices=["base", "english"],
                   help="where texts without a pack go (default: the bare base)")
    p.add_argument("--no-alignment", action="store_true", help="switch the cla adapters off (monolingual use)")
    p.add_argument("--no-transliterate", action="store_true",
                   help="leave texts of a pack's language in another script (Cyrillic Uzbek) to the fallback "
                        "instead of converting them for the pack")
    p.add_argument("--config", default=None,
                   help="zoo.json pinning languages, pack versions, fallback, detector and composition "
                        "(instead of --languages/--lid/--fallback/--no-alignment/--no-transliterate)")
    p.add_argument("--save-config", default=None, help="also write the zoo used as a zoo.json to this path")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--routes", default=None, help="also write the pack used per line to this JSON file")
    add_arguments(p)
    p.set_defaults(func=_encode)

    x = sub.add_parser("export", help="write one language's encoder as a sentence-transformers folder (LoRA merged)")
    x.add_argument("lang", help="language code of an installed pack, or 'base' for the bare base")
    x.add_argument("--out", required=True, help="output folder")
    x.add_argument("--base", default=None, help="base encoder (default: the offline multilingual-e5-small)")
    x.add_argument("--registry", default=None, help="registry holding the pack (default: local)")
    x.add_argument("--overwrite", action="store_true")
    x.set_defaults(func=_export)


def _read_lines(path: str) -> list[str]:
    from langzoo.runtime.lines import read_lines

    return read_lines(path)


def _encode(args) -> int:
    import numpy as np

    from langzoo.corpus.cli import is_corpus_run, run as run_corpus
    from langzoo.runtime.zoo import Zoo

    if args.config:
        given = [f for f, v in (("--languages", args.languages), ("--lid", args.lid), ("--fallback", args.fallback),
                                ("--no-alignment", args.no_alignment),
                                ("--no-transliterate", args.no_transliterate)) if v]
        if given:
            raise InvalidInputError(f"--config pins what {', '.join(given)} would set; give one or the other")
        options = dict(base=args.base, registry=args.registry, config=args.config)
    else:
        options = dict(base=args.base, languages=parse_language_list(args.languages or "installed"), registry=args.registry,
                       lid=args.lid or "default", fallback=args.fallback or "base", alignment=not args.no_alignment)
        if args.no_transliterate:  # only when given: a corpus run started without the flag still resumes
            options["transliterate"] = False
    if is_corpus_run(args):
        if args.save_config:
            raise InvalidInputError("--save-config is for an .npy --out; write the zoo.json with a one-file "
                                    "`zoo encode` or Zoo.save_config, then pass it with --config")
        return run_corpus(args, options)
    texts = _read_lines(args.inp)
    zoo = Zoo.load(**options)
    vectors = zoo.encode(texts, lang=args.lang, batch_size=args.batch_size, show_progress_bar=True)
    np.save(args.out, vectors)
    stats = zoo.last_stats
    if args.routes:
        Path(args.routes).write_text(json.dumps(zoo.route(texts, args.lang)))
    routes = ", ".join(f"{k}: {v}" for k, v in sorted(stats.routes.items()))
    print(f"wrote {vectors.shape[0]} x {vectors.shape[1] if vectors.ndim == 2 else 0} to {args.out} "
          f"({routes or 'no texts'}; {stats.encode_seconds:.1f} s)")
    if args.save_config:
        print(f"zoo config written to {zoo.save_config(args.save_config)}")
    return 0



def _export(args) -> int:
    from langzoo.runtime.zoo import Zoo

    bare = args.lang == "base"
    zoo = Zoo.load(base=args.base, languages=[] if bare else [args.lang], registry=args.registry)
    path = zoo.export(None if bare else args.lang, args.out, overwrite=args.overwrite)
    print(f"exported to {path} (load with SentenceTransformer({str(path)!r}); cla is not included: "
          "exports are monolingual)")
    return 0
