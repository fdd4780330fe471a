"""Shape checks for the JSON files of the pack format (``pack.json``, ``manifest.json``).

Valid JSON of the wrong shape (``"modules": []``, ``"language": "uz"``, a manifest that
is ``[]``) must end as a ``ModuleFormatError`` naming the field, not as an
AttributeError deep inside a loader. Packs come from the Hub, so every name that
later becomes a path (module kinds) is checked against the format's allow-list here,
before anything is downloaded or opened.
"""

from __future__ import annotations

from langzoo.errors import LangzooError, ModuleFormatError



def _module_kinds() -> tuple[str, ...]:
    from langzoo.modules.kinds import kind_names  # the registered kinds, looked up now (plugins add some)

    return kind_names()


def _need(cond: bool, where: str, what: str) -> None:
    if not cond:
        raise ModuleFormatError(f"{where}: {what}. The file is malformed; pull or build the pack again.")


def _is_str(value) -> bool:
    return isinstance(value, str) and bool(value)


def _language(value, where: str) -> None:
    from langzoo.languages import resolve_language

    _need(isinstance(value, dict) and _is_str(value.get("code")), where,
          "'language' must be an object with a 'code' string")
    try:
        resolve_language(value["code"])
    except LangzooError as exc:
        raise ModuleFormatError(f"{where}: language {value['code']!r} is not a valid code ({exc})") from None


def _base(value, where: str) -> None:
    _need(isinstance(value, dict) and _is_str(value.get("fingerprint")) and _is_str(value.get("id")), where,
          "'base' must be an object with 'id' and 'fingerprint' strings")


def _kinds(mapping: dict, where: str, field: str) -> None:
    unknown = [k for k in mapping if k not in _module_kinds()]
    _need(not unknown, where, f"{field} names unknown module kind(s) {unknown}; the format allows "
                              f"{list(_module_kinds())}")


def check_pack_info(info, where: str) -> None:
    """Raise ModuleFormatError unless ``info`` has the shape of a pack.json."""
    _need(isinstance(info, dict), where, f"expected a JSON object, got {type(info).__name__}")
    for key in ("language", "base", "modules"):
        _need(key in info, where, f"missing field {key!r}")
    _language(info["language"], where)
    _base(info["base"], where)
    modules = info["modules"]
    _need(isinstance(modules, dict), where, "'modules' must be an object of module kind -> content hash")
    _kinds(modules, where, "'modules'")
    _need(all(_is_str(v) for v in modules.values()), where, "every 'modules' value must be a content hash string")
    _need(isinstance(info.get("version", "0"), (str, int, float)), where, "'version' must be a string")
    for key in ("omitted", "manifest_hashes", "build"):
        _need(isinstance(info.get(key, {}), dict), where, f"{key!r} must be an object")
    _kinds(info.get("omitted") or {}, where, "'omitted'")
    _kinds(info.get("manifest_hashes") or {}, where, "'manifest_hashes'")


def check_manifest_data(data, where: str) -> None:
    """Raise ModuleFormatError unless ``data`` has the shape of a module manifest.json."""
    _need(isinstance(data, dict), where, f"expected a JSON object, got {type(data).__name__}")
    _need(data.get("kind") in _module_kinds(), where,
          f"unknown module kind {data.get('kind')!r}; expected one of {list(_module_kinds())}")
    _language(data.get("language"), where)
    _base(data.get("base"), where)
    files = data.get("files")
    _need(isinstance(files, dict), where, "'files' must be an object of file name -> {sha256, size}")
    for name, rec in files.items():
        _need(isinstance(rec, dict) and _is_str(rec.get("sha256")) and isinstance(rec.get("size"), int)
              and not isinstance(rec.get("size"), bool) and rec["size"] >= 0, where,
              f"file record {name!r} must be {{'sha256': str, 'size': int >= 0}}")
    parents = data.get("parents", {})
    _need(isinstance(parents, dict) and all(_is_str(v) for v in parents.values()), where,
          "'parents' must be an object of module kind -> content hash")
    _kinds(parents, where, "'parents'")
    for key in ("config", "data", "metrics", "versions"):
        _need(isinstance(data.get(key, {}), dict), where, f"{key!r} must be an object")
