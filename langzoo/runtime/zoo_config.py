"""``zoo.json``: what a deployment serves, pinned (``Zoo.save_config`` / ``Zoo.from_config``).

    {"format": "langzoo.zoo/1",
     "base": {"id": ..., "fingerprint": "sha256:...", "path": ...},
     "languages": {"uzn_Latn": {"alias": "uz", "version": "...", "fingerprint": "sha256:...", "path": ...}},
     "fallback": "base", "max_loaded": 8,
     "detector": {"name": "<lid folder>", "settings": {"min_confidence": 0.4, "cld2_weight": 0.33, ...}},
     "composition": {"default": ["embeddings", "la", "se", {"parallel": ["cla"]}], "languages": {}},
     "transliterate": true}

A pack is pinned by version *and* fingerprint (its base and its modules' content
hashes): loading finds the version (the recorded folder, else the registry) and refuses
a pack whose content differs, so a version republished with other weights is caught.
Like sentence-transformers' ``Router`` saving its routes, the routing policy travels
with the deployment instead of living in the code that builds the zoo.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from langzoo.errors import BaseMismatchError, IntegrityError, LangzooError, ModuleFormatError, PackNotFoundError
from langzoo.languages import resolve_language
from langzoo.lid.trained import MIXTURE_NAME, MIXTURE_WITH_CLD2_NAME
from langzoo.modules.pack import pack_fingerprint, read_pack_info
from langzoo.runtime.composition import Composition

ZOO_FORMAT = "langzoo.zoo/1"
ZOO_FILE = "zoo.json"
_DETECTOR_SETTINGS = ("min_confidence", "min_probability", "pack_min_probability", "other_mass", "other_margin",
                      "foreign_margin", "neighbour_margin", "orthography_weight", "orthography_version", "max_chars",
                      "lowercase", "strict_other", "apostrophe_rule")
# detector names (``LanguageIdentifier.name``) -> the backend name that rebuilds them
_BACKEND_OF = {"lid.176": "lid.176", "glotlid": "glotlid", "langzoo-lid": "langzoo-lid-only"}
# the default mixture's names (with and without CLD2): its `zoo lid train` folder rebuilds it
_MIXTURES = frozenset({MIXTURE_NAME, MIXTURE_WITH_CLD2_NAME})


def save_zoo(zoo, path: str | os.PathLike) -> Path:
    """Write ``zoo``'s pinned configuration to ``path`` (a file, or a folder: ``zoo.json`` in it)."""
    path = Path(path)
    if path.is_dir():
        path = path / ZOO_FILE
    base = zoo.encoder.base
    languages = {code: pack_record(code, folder) for code, folder in sorted(zoo.pack_paths.items())}
    config = {"format": ZOO_FORMAT,
              "base": {"id": base.base_id, "fingerprint": base.fingerprint, "path": str(Path(base.path).resolve())},
              "languages": languages, "fallback": zoo.fallback, "max_loaded": zoo.max_loaded,
              "detector": detector_record(zoo), "composition": zoo.composition.to_json(),
              "transliterate": zoo.transliterate}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def pack_record(code: str, folder, info: dict | None = None) -> dict:
    """What pins one served pack: alias, version, fingerprint, folder (zoo.json, /info)."""
    info = read_pack_info(folder) if info is None else info
    return {"alias": resolve_language(code).alias, "version": str(info.get("version", "0")),
            "fingerprint": pack_fingerprint(info), "path": str(Path(folder).resolve())}


def detector_record(zoo) -> dict:
    """The detector as a spec ``load_detector`` takes, plus its settings; a detector
    object langzoo cannot rebuild is recorded as custom (pass ``lid=`` when loading).
    A name such as ``"default"`` is resolved first, so the pin survives a later change
    of langzoo's default detector."""
    lid = zoo.lid
    name = getattr(lid, "name", None)
    path = getattr(lid, "path", None)
    if name in _MIXTURES and path is not None:
        spec = str(Path(path).resolve().parent)  # the `zoo lid train` folder rebuilds the mixture
    elif name in _BACKEND_OF:
        spec = _BACKEND_OF[name]
    elif path is not None:
        spec = str(Path(path).resolve())
    else:
        spec = None
    settings = {k: getattr(lid, k) for k in _DETECTOR_SETTINGS if hasattr(lid, k)}
    if name in _MIXTURES:  # the mixture's weights (a later default must not change them)
        settings.update(getattr(lid, "build_options", None) or {})
    if spec is None:
        return {"name": None, "custom": type(lid).__name__, "settings": settings}
    return {"name": spec, "settings": settings}


def read_zoo_config(path: str | os.PathLike) -> dict:
    path = Path(path)
    if path.is_dir():
        path = path / ZOO_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LangzooError(f"No zoo config at {path} (write one with Zoo.save_config or `zoo encode --save-config`)") \
            from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModuleFormatError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(config, dict) or config.get("format") != ZOO_FORMAT:
        got = config.get("format") if isinstance(config, dict) else type(config).__name__
        raise ModuleFormatError(f"{path}: unsupported zoo config format {got!r} (expected {ZOO_FORMAT})")
    for key, kind in (("base", dict), ("languages", dict), ("detector", dict), ("composition", dict)):
        if not isinstance(config.get(key), kind):
            raise ModuleFormatError(f"{path}: field {key!r} must be a JSON object")
    if not isinstance(config.get("transliterate", False), bool):
        raise ModuleFormatError(f"{path}: field 'transliterate' must be true or false")
    return config


def load_zoo(cls, path, *, base=None, registry=None, device: str = "cpu", lid=None):
    """Build the zoo ``path`` pins (see the module docstring)."""
    from langzoo.modules.composer import ComposedEncoder

    config = read_zoo_config(path)
    pinned_base = config["base"]
    if base is None:
        recorded = pinned_base.get("path")
        base = recorded if recorded and Path(recorded).is_dir() else pinned_base.get("id")
    encoder = ComposedEncoder(base, device=device, merge_lora=True)
    if encoder.base.fingerprint != pinned_base.get("fingerprint"):
        raise BaseMismatchError(
            f"{path} pins base {pinned_base.get('id')} ({str(pinned_base.get('fingerprint'))[:19]}), but the base in "
            f"use is {encoder.base.base_id} ({encoder.base.fingerprint[:19]}); its packs only work on their own base. "
            "Load that base (base=...) or save a new zoo.json for this one.")
    packs = {resolve_language(code).code: pinned_pack(code, entry, registry, encoder.base.fingerprint, path)
             for code, entry in config["languages"].items()}
    detector = config["detector"]
    if lid is None:
        if detector.get("name") is None:
            raise LangzooError(f"{path} was saved with a custom language detector ({detector.get('custom')}); "
                               "pass it when loading: Zoo.from_config(path, lid=...)")
        lid = detector["name"]
    zoo = cls(encoder, packs, lid=lid, max_loaded=int(config.get("max_loaded", 8)),
              fallback=config.get("fallback", "base"), composition=Composition.from_json(config["composition"]),
              transliterate=bool(config.get("transliterate", False)))  # saved before stop 30: as it routed then
    if isinstance(lid, str):
        zoo._lid_options = dict(detector.get("settings") or {})
        if "cld2_weight" in zoo._lid_options:
            # A mixture pinned before the Lingua arbiter, the foreign margin, the pack
            # floor, the orthography stage, Lingua's word limit, the family cap, the pair
            # lexicons, the neighbour margin and the family's script check existed routes
            # as it did then.
            zoo._lid_options.setdefault("pair_weight", 0.0)
            zoo._lid_options.setdefault("foreign_margin", 0.0)
            zoo._lid_options.setdefault("pack_min_probability", None)
            zoo._lid_options.setdefault("orthography_weight", None)
            zoo._lid_options.setdefault("lingua_max_words", None)
            zoo._lid_options.setdefault("family_cap", False)
            zoo._lid_options.setdefault("lexicon_weight", 0.0)
            zoo._lid_options.setdefault("neighbour_margin", 0.0)
            zoo._lid_options.setdefault("family_same_script", False)
        if zoo._lid_options.get("orthography_weight") is not None:
            zoo._lid_options.setdefault("orthography_version", 1)  # pinned before rule set 2
        if "max_chars" in zoo._lid_options:  # a LanguageIdentifier's settings, pinned before
            zoo._lid_options.setdefault("apostrophe_rule", 1)  # the apostrophe rule existed
    if not packs:
        zoo.warn_missing_packs = False
    return zoo


def pinned_pack(code: str, entry: dict, registry, base_fingerprint: str, where) -> Path:
    """The folder of the pack ``entry`` pins: the recorded folder when it still holds that
    content, else that version from the registry; refused when the content differs."""
    from langzoo.registry.uri import open_registry

    alias = resolve_language(code).alias
    version, fingerprint = entry.get("version"), entry.get("fingerprint")
    if not isinstance(version, str) or not isinstance(fingerprint, str):
        raise ModuleFormatError(f"{where}: language {code!r} needs a 'version' and a 'fingerprint' string")
    recorded = entry.get("path")
    if recorded and (Path(recorded) / "pack.json").is_file():
        info = read_pack_info(recorded)
        if str(info.get("version")) == version and pack_fingerprint(info) == fingerprint:
            return Path(recorded)
    reg = open_registry(registry)
    try:
        folder = reg.resolve(code, base_fingerprint=base_fingerprint, version=version)
    except PackNotFoundError as exc:
        raise PackNotFoundError(f"{where} pins the {alias} pack version {version}, which is not available: {exc} "
                                f"Install that version (`zoo pull {alias} --from hf://NAMESPACE --revision "
                                f"{version}`) or save a new zoo.json.") from exc
    got = pack_fingerprint(read_pack_info(folder))
    if got != fingerprint:
        raise IntegrityError(f"{where} pins the {alias} pack {version} with fingerprint {fingerprint[:19]}, but "
                             f"{folder} holds other content under that version ({got[:19]}): the pack was rebuilt "
                             "or republished. Reinstall the pinned pack or save a new zoo.json.")
    return Path(folder)
