"""`zoo base ...` and `zoo pack verify`: inspect base encoders and pack folders."""

from __future__ import annotations

import json


def register(sub) -> None:
    base = sub.add_parser("base", help="materialise or inspect a base encoder")
    base_sub = base.add_subparsers(dest="base_command", metavar="ACTION")
    info = base_sub.add_parser("info", help="resolve a base (materialising the offline default if needed) and show it")
    info.add_argument("--base", default=None, help="Hub id, local folder, or 'default' (offline multilingual-e5-small)")
    info.set_defaults(func=_base_info)
    base.set_defaults(func=lambda args: base.print_help() or 0)

    pack = sub.add_parser("pack", help="inspect language-pack folders")
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="ACTION")
    verify = pack_sub.add_parser("verify", help="check every file of a pack folder against its manifests")
    verify.add_argument("path")
    verify.add_argument("--base", default=None, help="also check the pack was built on this base")
    verify.set_defaults(func=_pack_verify)
    pack.set_defaults(func=lambda args: pack.print_help() or 0)


def _base_info(args) -> int:
    import time

    from langzoo.modules.base_encoder import resolve_base

    started = time.perf_counter()
    base = resolve_base(args.base)
    print(json.dumps({"base_id": base.base_id, "path": str(base.path), "fingerprint": base.fingerprint,
                      "profile": base.profile.__dict__, "resolved_in_s": round(time.perf_counter() - started, 2)},
                     indent=2))
    return 0


def _pack_verify(args) -> int:
    from langzoo.modules.pack import LanguagePack, partial_kinds

    fingerprint = None
    if args.base:
        from langzoo.modules.base_encoder import resolve_base

        fingerprint = resolve_base(args.base).fingerprint
    pack = LanguagePack.load(args.path, base_fingerprint=fingerprint)
    left_out = partial_kinds(args.path)
    print(f"OK: {pack.language.alias} ({pack.language.code}) modules {', '.join(pack.kinds)}; "
          f"base {pack.base_id}; {pack.size_bytes / 1e6:.1f} MB verified"
          + (f"; partial install without {', '.join(sorted(left_out))}" if left_out else ""))
    return 0
