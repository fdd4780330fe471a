"""A language pack on disk: one folder per module plus ``pack.json``.

    <pack>/pack.json          language, base, version, module kinds -> content hashes
    <pack>/embeddings/        tokenizer files + embeddings.safetensors   (not for English)
    <pack>/la/                peft LoRA (masked-LM language adapter)     (not for English)
    <pack>/se/                peft LoRA (sentence-encoding adapter)
    <pack>/cla/               parallel bottleneck adapter (alignment)   (not for English)

A pack may hold a subset of modules (a pull of ``se`` only): such an install records
the modules it left out in ``partial.json``. Otherwise every module pack.json lists
must be there (a deleted ``cla`` would silently switch alignment off), and a module
needs every module beneath it (``PARENT_KINDS``): ``cla`` without the ``se`` it was
trained on gives wrong vectors, not an error.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from langzoo.errors import BaseMismatchError, IntegrityError, MissingModuleError, ModuleFormatError
from langzoo.languages import ENGLISH, Language, resolve_language
from langzoo.modules.manifest import MODULE_KINDS, PARENT_KINDS, ModuleManifest, verify_module
from langzoo.modules.shapes import check_pack_info

PACK_FILE = "pack.json"
PARTIAL_FILE = "partial.json"  # modules a partial install (pull --modules) deliberately left out
PACK_FORMAT = "langzoo.pack/1"


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
        unlisted = [k for k in present if k not in info["modules"]]
        if unlisted:
            raise ModuleFormatError(f"Pack {language.alias} at {path} has module folder(s) {unlisted} that its "
                                    f"{PACK_FILE} does not list; remove them or rebuild the pack")
        if modules is None:
            left_out = partial_kinds(path)
            absent = [k for k in MODULE_KINDS if k in info["modules"] and k not in present and k not in left_out]
            if absent:
                raise MissingModuleError(
                    f"Pack {language.alias} at {path}: {PACK_FILE} lists module(s) {absent} but the folder has none: "
                    "the copy is incomplete (a module folder was deleted or a copy interrupted). Pull or copy the "
                    f"pack again (`zoo pull {language.alias} --from hf://NAMESPACE`), or rebuild it.")
            wanted = present
        else:
            wanted = sorted({k for m in modules for k in required_chain(m, language.code)}, key=MODULE_KINDS.index)
        needed = sorted({k for m in wanted for k in required_chain(m, language.code)}, key=MODULE_KINDS.index)
        missing = [k for k in needed if k not in present]
        if missing:
            users = [k for k in wanted if set(required_chain(k, language.code)) & set(missing)]
            raise MissingModuleError(f"Pack {language.alias} at {path} lacks module(s) {missing}"
                                     f"{' that ' + ', '.join(users) + ' stand(s) on' if users != missing else ''}"
                                     f"{omission_note(info, missing)}; pull or rebuild the whole pack")
        loaded: dict[str, ModuleManifest] = {}
        expected_identity = info.get("manifest_hashes") or {}
        for kind in wanted:
            manifest = verify_module(path / kind, kind=kind, base_fingerprint=info["base"]["fingerprint"],
                                     check_hashes=verify)
            recorded = info["modules"].get(kind)
            if recorded is not None and recorded != manifest.content_hash:
                raise IntegrityError(f"Pack {language.alias}: module {kind} in {path} is not the one pack.json lists")
            if manifest.lang.code != language.code:
                raise IntegrityError(f"Pack {language.alias} at {path}: module {kind} says it is for "
                                     f"{manifest.language.get('code')}; its manifest was edited or copied from "
                                     "another pack")
            if kind in expected_identity and expected_identity[kind] != manifest.identity_hash:
                raise IntegrityError(f"Pack {language.alias} at {path}: {kind}/manifest.json was edited after the "
                                     "pack was built (language, base, parents or config differ from what "
                                     f"{PACK_FILE} records); restore it or pull the pack again")
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
    if not isinstance(info, dict):
        raise ModuleFormatError(f"{file}: expected a JSON object, got {type(info).__name__}")
    if info.get("format") != PACK_FORMAT:
        raise ModuleFormatError(f"{file}: unsupported pack format {info.get('format')!r} (expected {PACK_FORMAT})")
    check_pack_info(info, str(file))
    return info


def partial_kinds(path: str | Path) -> set[str]:
    """Modules a partial install of this pack left out on purpose (``partial.json``)."""
    file = Path(path) / PARTIAL_FILE
    if not file.is_file():
        return set()
    try:
        data = json.loads(file.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModuleFormatError(f"{file} is not valid JSON: {exc}") from exc
    left_out = data.get("left_out") if isinstance(data, dict) else None
    if not isinstance(left_out, list) or any(k not in MODULE_KINDS for k in left_out):
        raise ModuleFormatError(f"{file}: 'left_out' must be a list of module kinds")
    return set(left_out)


def mark_partial(path: str | Path, left_out: list[str]) -> None:
    """Record (or, with nothing left out, clear) which listed modules a partial install omits."""
    file = Path(path) / PARTIAL_FILE
    if not left_out:
        file.unlink(missing_ok=True)
        return
    kinds = [k for k in MODULE_KINDS if k in left_out]
    file.write_text(json.dumps({"left_out": kinds, "note": "installed without these modules (zoo pull --modules); "
                                                          "pull them to complete the pack"}, indent=2) + "\n")


def write_pack_info(path: str | Path, *, language: str | Language, base_id: str, base_fingerprint: str,
                    version: str | None = None, extra: dict | None = None) -> dict:
    """(Re)write pack.json from the module folders present in ``path``."""
    from langzoo.modules.manifest import read_manifest

    path = Path(path)
    lang = resolve_language(language)
    manifests = {k: read_manifest(path / k) for k in MODULE_KINDS if (path / k).is_dir()}
    modules = {k: m.content_hash for k, m in manifests.items()}
    info = {
        "format": PACK_FORMAT,
        "language": {"code": lang.code, "alias": lang.alias, "name": lang.name},
        "base": {"id": base_id, "fingerprint": base_fingerprint},
        "version": version or time.strftime("%Y%m%d.%H%M%S", time.gmtime()),
        "modules": modules,
        "manifest_hashes": {k: m.identity_hash for k, m in manifests.items()},
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **(extra or {}),
    }
    (path / PACK_FILE).write_text(json.dumps(info, indent=2, ensure_ascii=False))
    return info
