"""A language pack on disk: one folder per module plus ``pack.json``.

    <pack>/pack.json          language, base, version, module kinds -> content hashes
    <pack>/embeddings/        tokenizer files + embeddings.safetensors   (not for English)
    <pack>/la/                peft LoRA (masked-LM language adapter)     (not for English)
    <pack>/se/                peft LoRA (sentence-encoding adapter)
    <pack>/cla/               parallel bottleneck adapter (alignment)   (not for English)

A pack may hold a subset of modules (a pull of ``se`` only); what a module needs
beneath it must be present for it to be usable (``PARENT_KINDS``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from langzoo.errors import BaseMismatchError, IntegrityError, MissingModuleError, ModuleFormatError
from langzoo.languages import Language, resolve_language
from langzoo.modules.manifest import MODULE_KINDS, PARENT_KINDS, ModuleManifest, verify_module

PACK_FILE = "pack.json"
PACK_FORMAT = "langzoo.pack/1"
ENGLISH = "eng_Latn"


def required_chain(kind: str, language: str) -> list[str]:
    """The module kinds that must be active (bottom-up) for ``kind`` to work.
    English (the pivot) uses the base vocabulary and only has an ``se`` adapter."""
    if resolve_language(language).code == ENGLISH:
        if kind != "se":
            raise ModuleFormatError("English packs hold only an 'se' module (English is the alignment pivot)")
        return ["se"]
    chain: list[str] = []
    todo = [kind]
    while todo:
        k = todo.pop()
        chain.append(k)
        todo.extend(PARENT_KINDS[k])
    return [k for k in MODULE_KINDS if k in chain]


@dataclass
class LanguagePack:
    path: Path
    language: Language
    base_id: str
    base_fingerprint: str
    version: str
    modules: dict[str, ModuleManifest] = field(default_factory=dict)
    info: dict = field(default_factory=dict)

    @property
    def kinds(self) -> list[str]:
        return [k for k in MODULE_KINDS if k in self.modules]

    def module_path(self, kind: str) -> Path:
        if kind not in self.modules:
            raise MissingModuleError(f"Pack {self.language.alias} at {self.path} has no {kind!r} module")
        return self.path / kind

    @property
    def size_bytes(self) -> int:
        return sum(m.size_bytes for m in self.modules.values())

    @classmethod
    def load(cls, path: str | Path, *, base_fingerprint: str | None = None, modules: list[str] | None = None,
             verify: bool = True) -> "LanguagePack":
        """Open a pack folder, verify the requested modules (and what they stand on)
        against their manifests and, if given, against the base in use."""
        path = Path(path)
        info = read_pack_info(path)
        language = resolve_language(info["language"]["code"])
        if base_fingerprint is not None and info["base"]["fingerprint"] != base_fingerprint:
            raise BaseMismatchError(
                f"Pack {language.alias} at {path} was built on base {info['base']['id']} "
                f"({info['base']['fingerprint'][:19]}), not on the base in use ({base_fingerprint[:19]})."
            )
        present = [k for k in MODULE_KINDS if (path / k).is_dir()]
        wanted = present if modules is None else sorted(
            {k for m in modules for k in required_chain(m, language.code)}, key=MODULE_KINDS.index)
        missing = [k for k in wanted if k not in present]
        if missing:
            raise MissingModuleError(f"Pack {language.alias} at {path} lacks module(s) {missing}"
                                     f"{omission_note(info, missing)}")
        loaded: dict[str, ModuleManifest] = {}
        for kind in wanted:
            manifest = verify_module(path / kind, kind=kind, base_fingerprint=info["base"]["fingerprint"],
                                     check_hashes=verify)
            recorded = info["modules"].get(kind)
            if recorded is not None and recorded != manifest.content_hash:
                raise IntegrityError(f"Pack {language.alias}: module {kind} in {path} is not the one pack.json lists")
            loaded[kind] = manifest
        for kind, manifest in loaded.items():  # each module must sit on the parents it was trained on
            for parent_kind, parent_hash in manifest.parents.items():
                parent = loaded.get(parent_kind)
                if parent is not None and parent.content_hash != parent_hash:
                    raise IntegrityError(
                        f"Pack {language.alias}: module {kind} was trained on another {parent_kind} module "
                        f"than the one in {path}"
                    )
        return cls(path, language, info["base"]["id"], info["base"]["fingerprint"], info.get("version", "0"),
                   loaded, info)


def omission_note(info: dict, kinds: list[str]) -> str:
    """Why a build left some of ``kinds`` out of the pack (pack.json ``omitted``), for error messages."""
    omitted = info.get("omitted") or {}
    return "".join(f"; {k}: {omitted[k].get('reason', 'left out by the build')}" for k in kinds if k in omitted)


def read_pack_info(path: str | Path) -> dict:
    file = Path(path) / PACK_FILE
    if not file.is_file():
        raise MissingModuleError(f"No {PACK_FILE} in {path}: not a langzoo language pack")
    try:
        info = json.loads(file.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModuleFormatError(f"{file} is not valid JSON: {exc}") from exc
    if info.get("format") != PACK_FORMAT:
        raise ModuleFormatError(f"{file}: unsupported pack format {info.get('format')!r} (expected {PACK_FORMAT})")
    for key in ("language", "base", "modules"):
        if key not in info:
            raise ModuleFormatError(f"{file}: missing field {key!r}")
    return info


def write_pack_info(path: str | Path, *, language: str | Language, base_id: str, base_fingerprint: str,
                    version: str | None = None, extra: dict | None = None) -> dict:
    """(Re)write pack.json from the module folders present in ``path``."""
    from langzoo.modules.manifest import read_manifest

    path = Path(path)
    lang = resolve_language(language)
    modules = {k: read_manifest(path / k).content_hash for k in MODULE_KINDS if (path / k).is_dir()}
    info = {
        "format": PACK_FORMAT,
        "language": {"code": lang.code, "alias": lang.alias, "name": lang.name},
        "base": {"id": base_id, "fingerprint": base_fingerprint},
        "version": version or time.strftime("%Y%m%d.%H%M%S", time.gmtime()),
        "modules": modules,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **(extra or {}),
    }
    (path / PACK_FILE).write_text(json.dumps(info, indent=2, ensure_ascii=False))
    return info
