"""`zoo serve`: put a `Zoo` behind an OpenAI- and TEI-compatible HTTP endpoint."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve embeddings over HTTP (OpenAI /v1/embeddings and TEI /embed)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--packs", default=None,
                   help="what to serve: comma-separated language codes or pack folders, 'installed' (default) "
                        "or 'none' (the bare base)")
    p.add_argument("--config", default=None,
                   help="zoo.json written by Zoo.save_config or `zoo encode --save-config`: pins the packs "
                        "(versions), detector, fallback and composition (instead of --packs/--lid/--fallback/"
                        "--no-alignment/--no-transliterate)")
    p.add_argument("--base", default=None, help="base encoder (default: the offline multilingual-e5-small)")
    p.add_argument("--registry", default=None, help="registry: local folder (default local) or hf://NAMESPACE")
    p.add_argument("--lid", default=None, help="language identifier: a name from `zoo lid backends` (default: langzoo-lid mixed with "
                        "lid.176, else lid.176) or a model path")
    p.add_argument("--fallback", default=None, choices=["base", "english"])
    p.add_argument("--no-alignment", action="store_true", help="switch the cla adapters off by default")
    p.add_argument("--no-transliterate", action="store_true",
                   help="leave texts of a pack's language in another script (Cyrillic Uzbek) to the fallback")
    p.add_argument("--device", default=None, help="torch device (default cpu)")
    p.add_argument("--model-name", default="langzoo", help="model name in OpenAI responses (default langzoo)")
    p.add_argument("--max-batch-size", type=int, default=256, help="texts per dynamic batch (default 256)")
    p.add_argument("--max-wait-ms", type=float, default=5.0, help="longest wait to fill a batch (default 5)")
    p.add_argument("--max-queue", type=int, default=8192, help="texts waiting before 429 (default 8192)")
    p.add_argument("--max-items", type=int, default=2048, help="texts per request (default 2048)")
    p.add_argument("--timeout", type=float, default=60.0, help="per-request timeout in seconds (default 60)")
    p.add_argument("--graceful-timeout", type=float, default=None,
                   help="seconds to wait for in-flight requests on shutdown (default: until they finish)")
    p.set_defaults(func=_serve)


def zoo_options(args) -> dict:
    """Zoo.load keyword arguments from the flags; a --config zoo.json pins what --packs,
    --lid, --fallback and --no-alignment would set, so giving both is refused."""
    from langzoo.errors import InvalidInputError
    from langzoo.languages import parse_language_list

    options = {key: getattr(args, key) for key in ("base", "registry", "device") if getattr(args, key) is not None}
    if args.config:
        given = [flag for flag, value in (("--packs", args.packs), ("--lid", args.lid), ("--fallback", args.fallback),
                                          ("--no-alignment", args.no_alignment),
                                          ("--no-transliterate", args.no_transliterate)) if value]
        if given:
            raise InvalidInputError(f"--config pins what {', '.join(given)} would set; give one or the other")
        return {**options, "config": args.config}
    options["languages"] = parse_language_list(args.packs)
    for key in ("lid", "fallback"):
        if getattr(args, key) is not None:
            options[key] = getattr(args, key)
    if args.no_alignment:
        options["alignment"] = False
    if args.no_transliterate:
        options["transliterate"] = False
    return options


def _serve(args) -> int:
    _require_serve_extra()
    from langzoo.runtime.zoo import Zoo
    from langzoo.serve.app import ServeSettings, create_app
    from langzoo.serve.config import zoo_info
    from langzoo.serve.server import run

    options = zoo_options(args)
    zoo = Zoo.load(**options)
    settings = ServeSettings(model_name=args.model_name, max_batch_size=args.max_batch_size,
                             max_wait_ms=args.max_wait_ms, max_queue=args.max_queue, max_items=args.max_items,
                             request_timeout=args.timeout)
    app = create_app(zoo, settings, zoo_info(zoo))
    langs = ", ".join(zoo.languages) or "none (bare base)"
    print(f"serving {zoo.encoder.base.base_id} with packs: {langs} on http://{args.host}:{args.port}", flush=True)
    run(app, args.host, args.port, graceful_timeout=args.graceful_timeout)
    return 0


def _require_serve_extra() -> None:
    from langzoo.errors import LangzooError

    for module in ("fastapi", "uvicorn"):
        try:
            __import__(module)
        except ModuleNotFoundError:
            raise LangzooError(f"`zoo serve` needs {module}: pip install 'langzoo[serve]'") from None
