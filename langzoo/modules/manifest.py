"""Module manifests: what a module is, what it was built from, and every file's hash.

Each module folder (one per registered kind: ``embeddings/``, ``la/``, ``se/``, ``cla/``,
see ``langzoo/modules/kinds/``) holds a ``manifest.json``. Loading a module verifies its
files against the manifest before any weight is read, and refuses file types that could
run code (only safetensors weights and plain-text configs/tokenizers are allowed; each
kind lists the files its modules may hold).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from langzoo.errors import BaseMismatchError, IntegrityError, MissingModuleError, ModuleFormatError
from langzoo.languages import Language, resolve_language
from langzoo.modules.hashing import sha256_file, sha256_json
from langzoo.modules.kinds import get_module_kind, is_module_kind, kind_names
from langzoo.modules.kinds.embeddings import BASE_VOCABULARY, uses_base_vocabulary  # noqa: F401  (re-exported)
from langzoo.modules.shapes import check_manifest_data

MANIFEST = "manifest.json"
MODULE_FORMAT = "langzoo.module/1"
UNSAFE_SUFFIXES = {".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".py", ".npy", ".npz", ".h5", ".msgpack"}


class _AllowedFiles(Mapping):
    """``ALLOWED_FILES[kind]``: the files a module of ``kind`` may hold, read from the kind
    registry (kept as a mapping for code that indexes it; new code calls get_module_kind)."""

    def __getitem__(self, kind: str) -> frozenset[str]:
        if not is_module_kind(kind):
            raise KeyError(kind)
        return get_module_kind(kind).allowed_files

    def __iter__(self):
        return iter(kind_names())

    def __len__(self) -> int:
        return len(kind_names())


ALLOWED_FILES = _AllowedFiles()


@dataclass
class FileRecord:
    sha256: str
    size: int


@dataclass
class ModuleManifest:
    kind: str
    language: dict  # {"code": "uzn_Latn", "alias": "uz", "name": "Uzbek"}
    base: dict  # {"id": ..., "fingerprint": ...}
    files: dict[str, FileRecord]
    parents: dict[str, str] = field(default_factory=dict)  # kind -> parent's content_hash
    config: dict = field(default_factory=dict)  # hyper-parameters
    data: dict = field(default_factory=dict)  # provenance of the training data
    metrics: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    created: str = ""
    format: str = MODULE_FORMAT

    @property
    def content_hash(self) -> str:
        """Identity of the module: a hash over its files' hashes (not over metadata,
        so re-describing a module does not change what it is)."""
        return "sha256:" + sha256_json({name: rec.sha256 for name, rec in self.files.items()})

    @property
    def identity_hash(self) -> str:
        """A hash over what the module *is and stands on*: kind, language, base, parents,
        files and training config (not metrics or provenance notes, which may be
        re-described). pack.json records it, so editing a manifest's language or parents
        after the build is caught."""
        return "sha256:" + sha256_json({
            "kind": self.kind, "language": self.language.get("code"), "base": self.base.get("fingerprint"),
            "parents": self.parents, "files": {n: [r.sha256, r.size] for n, r in self.files.items()},
            "config": self.config})

    @property
    def lang(self) -> Language:
        return resolve_language(self.language["code"])

    @property
    def size_bytes(self) -> int:
        return sum(rec.size for rec in self.files.values())

    def to_dict(self) -> dict:
        data = asdict(self)
        data["content_hash"] = self.content_hash
        return data

    @classmethod
    def from_dict(cls, data: dict, where: str | Path = MANIFEST) -> "ModuleManifest":
        if not isinstance(data, dict):
            raise ModuleFormatError(f"{where}: expected a JSON object, got {type(data).__name__}")
        if data.get("format") != MODULE_FORMAT:
            raise ModuleFormatError(f"Unsupported module format {data.get('format')!r} (expected {MODULE_FORMAT})")
        check_manifest_data(data, str(where))
        get_module_kind(data["kind"])  # an unknown kind has no allow-list: refuse before reading names
        for name in data["files"]:  # names become paths (and Hub downloads): allow-list them first
            _check_allowed(data["kind"], name, Path(where).parent)
        try:
            files = {name: FileRecord(**rec) for name, rec in data["files"].items()}
            fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "files"}
            manifest = cls(files=files, **fields)
        except (KeyError, TypeError) as exc:
            raise ModuleFormatError(f"Malformed module manifest: {exc}") from exc
        return manifest


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("langzoo", "torch", "transformers", "peft", "adapters", "sentence-transformers", "deepfocus"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def write_manifest(folder: str | Path, *, kind: str, language: str | Language, base_id: str,
                   base_fingerprint: str, parents: dict[str, str] | None = None, config: dict | None = None,
                   data: dict | None = None, metrics: dict | None = None) -> ModuleManifest:
    """Hash the files already written into ``folder`` and write its manifest."""
    folder = Path(folder)
    module_kind = get_module_kind(kind)
    lang = resolve_language(language)
    files = {}
    for path in sorted(folder.iterdir()):
        if path.name == MANIFEST or path.is_dir():
            continue
        _check_allowed(kind, path.name, folder)
        files[path.name] = FileRecord(sha256_file(path), path.stat().st_size)
    missing = [n for n in module_kind.required(config) if n not in files]
    if missing:
        raise MissingModuleError(f"Module {kind} in {folder} lacks required files {missing}")
    manifest = ModuleManifest(
        kind=kind, language={"code": lang.code, "alias": lang.alias, "name": lang.name},
        base={"id": base_id, "fingerprint": base_fingerprint}, files=files, parents=dict(parents or {}),
        config=config or {}, data=data or {}, metrics=metrics or {}, versions=library_versions(),
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    (folder / MANIFEST).write_text(json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False))
    return manifest


def update_metrics(folder: str | Path, metrics: dict) -> ModuleManifest:
    """Merge ``metrics`` into a written manifest (does not change the content hash)."""
    manifest = read_manifest(folder)
    manifest.metrics.update(metrics)
    (Path(folder) / MANIFEST).write_text(json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False))
    return manifest


def read_manifest(folder: str | Path) -> ModuleManifest:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise MissingModuleError(f"No {MANIFEST} in {folder}: not a langzoo module folder (or an incomplete copy)")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModuleFormatError(f"{path} is not valid JSON: {exc}") from exc
    return ModuleManifest.from_dict(data, path)


def verify_module(folder: str | Path, *, kind: str | None = None, base_fingerprint: str | None = None,
                  check_hashes: bool = True) -> ModuleManifest:
    """Read and verify a module folder; raise a specific error on the first problem."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if kind is not None and manifest.kind != kind:
        raise ModuleFormatError(f"{folder} holds a {manifest.kind!r} module, expected {kind!r}")
    if base_fingerprint is not None and manifest.base.get("fingerprint") != base_fingerprint:
        raise BaseMismatchError(
            f"Module {manifest.kind} ({manifest.language.get('alias')}) in {folder} was built on base "
            f"{manifest.base.get('id')} ({_short(manifest.base.get('fingerprint'))}), not on the base in use "
            f"({_short(base_fingerprint)}). Rebuild or pull the pack for this base."
        )
    for path in folder.iterdir():
        if path.name != MANIFEST and path.is_file():
            _check_allowed(manifest.kind, path.name, folder)
    for name, rec in manifest.files.items():
        _check_allowed(manifest.kind, name, folder)
        path = folder / name
        if not path.is_file():
            raise MissingModuleError(f"Module {manifest.kind} in {folder} is missing its file {name}")
        size = path.stat().st_size
        if size != rec.size:
            raise IntegrityError(f"{path}: size {size} bytes, manifest says {rec.size}: file is truncated or altered")
        if check_hashes:
            digest = sha256_file(path)
            if digest != rec.sha256:
                raise IntegrityError(f"{path}: sha256 {digest[:12]}… does not match the manifest ({rec.sha256[:12]}…): "
                                     "the file was altered or corrupted")
    return manifest


def _check_allowed(kind: str, name: str, folder: Path) -> None:
    allowed = get_module_kind(kind).allowed_files
    if name in allowed:
        return
    suffix = Path(name).suffix.lower()
    if suffix in UNSAFE_SUFFIXES:
        raise ModuleFormatError(
            f"{folder / name}: langzoo refuses {suffix} files in modules (they can run code when loaded); "
            "only safetensors weights are accepted"
        )
    raise ModuleFormatError(f"{folder / name}: unexpected file in a {kind!r} module (a {kind} module may hold only "
                            f"{', '.join(sorted(allowed))}); the pack is malformed or not from langzoo")


def _short(fp: str | None) -> str:
    return (fp or "unknown")[:19]
