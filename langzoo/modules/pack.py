"""A language pack on disk: one folder per module plus ``pack.json``.

``LanguagePack.load(src)`` is the only reader and ``LanguagePack.save(dest)`` the only
writer of pack folders (builds, stage stacks, registry installs all go through it);
``LanguagePack.assemble(modules, ...)`` makes an unsaved pack from finished module
folders. Saving is atomic: everything is written into a staging folder beside the
destination (or under ``tmp_root``), checked, and renamed into place.

    <pack>/pack.json          language, base, version, module kinds -> content hashes
    <pack>/embeddings/        tokenizer files + embeddings.safetensors   (not for English)
    <pack>/la/                peft LoRA (masked-LM language adapter)     (not for English)
    <pack>/se/                peft LoRA (sentence-encoding adapter)
    <pack>/cla/               parallel bottleneck adapter (alignment)   (not for English)

A pack may hold a subset of modules (a pull of ``se`` only): such an install records
the modules it left out in ``partial.json``. Otherwise every module pack.json lists
must be there (a deleted ``cla`` would silently switch alignment off), and a module
needs every module beneath it (its kind's ``parents``, see ``langzoo/modules/kinds``):
``cla`` without the ``se`` it was trained on gives wrong vectors, not an error.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from langzoo.errors import BaseMismatchError, IntegrityError, MissingModuleError, ModuleFormatError, PackConflictError
from langzoo.languages import ENGLISH, Language, resolve_language
from langzoo.modules.hashing import sha256_json
from langzoo.modules.kinds import get_module_kind, is_module_kind, kind_names, kind_order
from langzoo.modules.manifest import ModuleManifest, read_manifest, verify_module
from langzoo.modules.shapes import check_pack_info

PACK_FILE = "pack.json"
PARTIAL_FILE = "partial.json"  # modules a partial install (pull --modules) deliberately left out
PACK_FORMAT = "langzoo.pack/1"


def required_chain(kind: str, language: str) -> list[str]:
    """The module kinds that must be active (bottom-up) for ``kind`` to work: the kind and
    its parents, transitively. English (the pivot) uses the base vocabulary: its packs
    hold only the kinds that say ``in_english_pack`` (the ``se`` adapter), on the bare base."""
    english = resolve_language(language).code == ENGLISH
    if english and not get_module_kind(kind).in_english_pack:
        own = " or ".join(f"'{k}'" for k in kind_names() if get_module_kind(k).in_english_pack)
        raise ModuleFormatError(f"English packs hold only an {own} module (English is the alignment pivot)")
    chain: set[str] = set()
    todo = [kind]
    while todo:
        k = todo.pop()
        chain.add(k)
        todo.extend(get_module_kind(k).parents)
    if english:
        chain = {k for k in chain if get_module_kind(k).in_english_pack}
    return kind_order(chain)


@dataclass
class LanguagePack:
    path: Path | None  # None: assembled from module folders elsewhere (``sources``), not saved yet
    language: Language
    base_id: str
    base_fingerprint: str
    version: str
    modules: dict[str, ModuleManifest] = field(default_factory=dict)
    info: dict = field(default_factory=dict)  # the pack.json content
    sources: dict[str, Path] = field(default_factory=dict)  # kind -> module folder outside ``path``

    @property
    def kinds(self) -> list[str]:
        return kind_order(self.modules)

    @property
    def fingerprint(self) -> str:
        """What the pack *is* (see ``pack_fingerprint``), so a deployment can pin it (zoo.json)."""
        return pack_fingerprint(self.info)

    def module_path(self, kind: str) -> Path:
        if kind not in self.modules:
            raise MissingModuleError(f"Pack {self.language.alias} at {self.path} has no {kind!r} module")
        return self.sources.get(kind) or self.path / kind

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
        present = [k for k in kind_names() if (path / k).is_dir()]
        unlisted = [k for k in present if k not in info["modules"]]
        if unlisted:
            raise ModuleFormatError(f"Pack {language.alias} at {path} has module folder(s) {unlisted} that its "
                                    f"{PACK_FILE} does not list; remove them or rebuild the pack")
        if modules is None:
            left_out = partial_kinds(path)
            absent = [k for k in kind_order(info["modules"]) if k not in present and k not in left_out]
            if absent:
                raise MissingModuleError(
                    f"Pack {language.alias} at {path}: {PACK_FILE} lists module(s) {absent} but the folder has none: "
                    "the copy is incomplete (a module folder was deleted or a copy interrupted). Pull or copy the "
                    f"pack again (`zoo pull {language.alias} --from hf://NAMESPACE`), or rebuild it.")
            wanted = present
        else:
            wanted = kind_order({k for m in modules for k in required_chain(m, language.code)})
        needed = kind_order({k for m in wanted for k in required_chain(m, language.code)})
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

    # ------------------------------------------------------------------ writing
    @classmethod
    def assemble(cls, modules: dict[str, str | Path], *, language: str | Language, base_id: str,
                 base_fingerprint: str, version: str | None = None, extra: dict | None = None) -> "LanguagePack":
        """An unsaved pack made of finished module folders (``{kind: folder}``, anywhere):
        its pack.json content lists their content and manifest hashes. ``save`` writes it."""
        lang = resolve_language(language)
        manifests = {k: read_manifest(modules[k]) for k in kind_order(modules)}
        info = {
            "format": PACK_FORMAT,
            "language": {"code": lang.code, "alias": lang.alias, "name": lang.name},
            "base": {"id": base_id, "fingerprint": base_fingerprint},
            "version": version or time.strftime("%Y%m%d.%H%M%S", time.gmtime()),
            "modules": {k: m.content_hash for k, m in manifests.items()},
            "manifest_hashes": {k: m.identity_hash for k, m in manifests.items()},
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **(extra or {}),
        }
        return cls(None, lang, base_id, base_fingerprint, info["version"], manifests, info,
                   {k: Path(modules[k]) for k in manifests})

    def save(self, dest: str | Path, *, exists: str = "replace", link: bool = False, verify: bool = True,
             tmp_root: str | Path | None = None) -> list[str]:
        """Write this pack (pack.json, its modules, ``partial.json`` for listed modules it
        lacks) to ``dest``; returns the module kinds written.

        The pack is written into a staging folder (beside ``dest``, or under ``tmp_root``),
        checked (``verify``: every file's sha256, else structure and sizes) and renamed into
        place, so an interrupted save leaves ``dest`` as it was. ``exists="replace"`` swaps
        an existing ``dest`` for the new pack; ``"merge"`` (registry installs) adds only the
        modules ``dest`` lacks, each whole or not at all, and raises PackConflictError when
        ``dest`` holds other content. ``link=True`` writes symlinks to the module folders
        instead of copies (stage stacks during builds)."""
        if exists not in ("replace", "merge"):
            raise ValueError(f"exists must be 'replace' or 'merge', not {exists!r}")
        dest = Path(dest)
        if exists == "merge" and (dest / PACK_FILE).is_file():
            return self._complete(dest, link=link, verify=verify, tmp_root=tmp_root)
        staging = _staging_dir(dest, tmp_root)
        try:
            for kind in self.kinds:
                _place_module(self.module_path(kind), staging / kind, link)
            self._write_info(staging / PACK_FILE)
            mark_partial(staging, [k for k in self.info["modules"] if k not in self.modules])
            LanguagePack.load(staging, base_fingerprint=self.base_fingerprint, verify=verify)
            if not dest.exists():
                try:
                    os.rename(staging, dest)
                    return self.kinds
                except OSError:  # someone saved the same place meanwhile
                    if exists != "merge" or not (dest / PACK_FILE).is_file():
                        raise
                    return self._complete(dest, link=link, verify=verify, tmp_root=tmp_root)
            old = staging.with_name(staging.name + ".old")
            os.rename(dest, old)  # the swap: dest is missing only between these two renames
            os.rename(staging, dest)
            shutil.rmtree(old, ignore_errors=True)
            return self.kinds
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _complete(self, dest: Path, *, link: bool, verify: bool, tmp_root) -> list[str]:
        """Add the modules ``dest`` (the same pack, partially installed) lacks."""
        existing = read_pack_info(dest)
        if existing["modules"] != self.info["modules"] or existing["base"] != self.info["base"]:
            raise PackConflictError(f"{dest} already holds version {existing.get('version')} of "
                                    f"{self.language.alias} with other content")
        added = []
        for kind in self.kinds:
            if (dest / kind).is_dir():
                continue
            staging = _staging_dir(dest, tmp_root)
            try:
                _place_module(self.module_path(kind), staging / kind, link)
                verify_module(staging / kind, kind=kind, base_fingerprint=self.base_fingerprint, check_hashes=verify)
                try:
                    os.rename(staging / kind, dest / kind)  # each module appears whole or not at all
                    added.append(kind)
                except OSError:
                    if not (dest / kind).is_dir():
                        raise
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        if added:
            mark_partial(dest, [k for k in existing["modules"] if not (dest / k).is_dir()])
        return added

    def _write_info(self, file: Path) -> None:
        """pack.json: the loaded file byte for byte when unchanged (it is what was published)."""
        source = self.path / PACK_FILE if self.path is not None else None
        if source is not None and source.is_file() and read_pack_info(self.path) == self.info:
            shutil.copyfile(source, file)
        else:
            file.write_text(json.dumps(self.info, indent=2, ensure_ascii=False))

def pack_fingerprint(info: dict) -> str:
    """A pack.json's identity: its base and its modules' content hashes (not its version
    name or build notes, which may be re-described)."""
    return "sha256:" + sha256_json({"base": info["base"]["fingerprint"], "modules": info.get("modules", {})})


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
    if not isinstance(left_out, list) or not all(is_module_kind(k) for k in left_out):
        raise ModuleFormatError(f"{file}: 'left_out' must be a list of module kinds")
    return set(left_out)


def mark_partial(path: str | Path, left_out: list[str]) -> None:
    """Record (or, with nothing left out, clear) which listed modules a partial install omits."""
    file = Path(path) / PARTIAL_FILE
    if not left_out:
        file.unlink(missing_ok=True)
        return
    _atomic_write(file, json.dumps({"left_out": kind_order(left_out),
                                    "note": "installed without these modules (zoo pull --modules); "
                                            "pull them to complete the pack"}, indent=2) + "\n")


def _staging_dir(dest: Path, tmp_root: str | Path | None) -> Path:
    """A fresh folder on ``dest``'s filesystem (renames into place are atomic there)."""
    root = Path(tmp_root) if tmp_root is not None else dest.parent
    root.mkdir(parents=True, exist_ok=True)
    prefix = "" if tmp_root is not None else f".{dest.name}.tmp-"
    folder = root / f"{prefix}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    folder.mkdir()
    return folder


def _place_module(src: Path, dst: Path, link: bool) -> None:
    """Copy a module folder's files (following symlinks: HF cache snapshots are symlinks to
    blobs), or link to the folder."""
    if link:
        os.symlink(Path(src).resolve(), dst, target_is_directory=True)
        return
    dst.mkdir(parents=True)
    for item in Path(src).iterdir():
        if item.is_file():
            shutil.copyfile(item, dst / item.name)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(text)
    os.replace(tmp, path)
