"""The corpus-scale options of `zoo encode` (used when --out is a folder)."""

from __future__ import annotations

from pathlib import Path

from langzoo.errors import InvalidInputError


def add_arguments(p) -> None:
    g = p.add_argument_group("corpus mode (when --out is a folder, not a .npy file)")
    g.add_argument("--engine", choices=["local", "ray"], default=None,
                   help="local (default): this process; ray: Ray Data actors on RAY_ADDRESS or a local cluster")
    g.add_argument("--format", choices=["parquet", "npy"], default="parquet",
                   help="parquet (default: part-NNNNN.parquet with id and embedding) or npy shards with .ids.json")
    g.add_argument("--shard-size", type=int, default=10_000, help="rows per output shard (default 10000)")
    g.add_argument("--text-field", default="text", help="JSON lines / Parquet column with the text (default text)")
    g.add_argument("--id-field", default=None, help="column with ids (default: the row number)")
    g.add_argument("--lang-field", default=None, help="column with a language code (or null) per row")
    g.add_argument("--num-actors", type=int, default=2, help="Ray actors, one Zoo each (default 2)")
    g.add_argument("--cpus-per-actor", type=float, default=1.0, help="CPUs per Ray actor (default 1)")
    g.add_argument("--gpus-per-actor", type=float, default=0.0, help="GPUs per Ray actor (default 0)")


def is_corpus_run(args) -> bool:
    return args.engine is not None or not str(args.out).endswith(".npy")


def run(args, zoo_options: dict) -> int:
    from langzoo.corpus.engines import run_local, run_ray
    from langzoo.corpus.output import check_run
    from langzoo.corpus.plan import Job, make_plan
    from langzoo.corpus.sources import Fields, corpus_files

    if getattr(args, "routes", None):
        raise InvalidInputError("--routes needs a .npy --out; in corpus mode ask the server for routes instead")
    if str(args.out).endswith(".npy"):
        raise InvalidInputError(f"--engine writes shards into a folder; give --out a folder, not {args.out}")
    if args.inp == "-":
        raise InvalidInputError("corpus mode reads files or folders, not standard input")
    files = corpus_files([args.inp])
    out = Path(args.out)
    plan = make_plan(files, args.shard_size)
    fields = Fields(args.text_field, args.id_field, args.lang_field)
    job = Job(str(out), args.format, fields, args.lang, args.batch_size)
    check_run(out, {"inputs": [str(f.resolve()) for f in files], "shard_size": args.shard_size,
                    "format": args.format, "fields": job.to_dict()["fields"], "lang": args.lang,
                    "zoo": {k: v if isinstance(v, (str, int, float, bool, list, type(None))) else str(v)
                            for k, v in sorted(zoo_options.items())},
                    "shards": len(plan), "rows": sum(s.count for s in plan)})
    if args.engine == "ray":
        done = run_ray(plan, job, zoo_options, num_actors=args.num_actors, cpus_per_actor=args.cpus_per_actor,
                       gpus_per_actor=args.gpus_per_actor)
    else:
        done = run_local(plan, job, zoo_options)
    rows = sum(s.count for s in plan)
    print(f"{rows} texts in {len(plan)} shards in {out} ({done} encoded now, {len(plan) - done} already done)")
    return 0
