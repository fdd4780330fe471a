"""The local registry: verified pack folders on disk, where the runtime looks for packs.

Layout (``root`` is ``registry_dir()`` unless given)::

    <root>/<base-key>/base.json                 base id + full fingerprint
    <root>/<base-key>/<lang-code>/latest        text file: the newest installed version
    <root>/<base-key>/<lang-code>/<version>/    a pack folder (pack.json + module folders)
    <root>/.tmp/                                installs in progress (never read as packs)

Installs are atomic (``LanguagePack.save``, the one pack writer): files are copied into
``.tmp``, verified against their manifests, and only then renamed into place (a rename
within one filesystem is atomic), so an interrupted install leaves at most junk in
``.tmp`` and never a half pack.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path

from langzoo.errors import LangzooError, MissingModuleError, PackConflictError, PackNotFoundError
from langzoo.languages import resolve_language
from langzoo.modules.pack import PACK_FILE, LanguagePack
from langzoo.paths import registry_dir
from langzoo.registry.base import BrokenPack, PackSummary, PublishedVersion, Registry, note_broken, summarize
from langzoo.registry.errors import RegistryError, VersionConflictError
from langzoo.naming import base_key, version_sort_key

BASE_FILE = "base.json"
LATEST = "latest"
TMP = ".tmp"
_STALE_TMP_S = 24 * 3600  # leftovers of interrupted installs older than this are swept


class LocalRegistry(Registry):
    def __init__(self, root: str | Path | None = None):
        self.root = Path(root).expanduser() if root is not None else registry_dir()
        self.broken: list[BrokenPack] = []  # what the last list() skipped, and why

    @property
    def uri(self) -> str:
        return self.root.resolve().as_uri()

    def __repr__(self) -> str:
        return f"LocalRegistry({str(self.root)!r})"

    # ----------------------------------------------------------------- publish
    def publish(self, pack_path: str | Path) -> PublishedVersion:
        """Verify the pack folder at ``pack_path`` and install a copy of it."""
        return self.install(LanguagePack.load(pack_path))

    def install(self, pack: LanguagePack) -> PublishedVersion:
        """Install a loaded (verified) pack. If this version is already installed with the
        same content, only modules it lacks are added (e.g. ``cla`` after an ``se`` pull);
        a version name already used by other content is refused."""
        if not pack.modules:
            raise MissingModuleError(f"Pack {pack.language.alias} at {pack.path} holds no module to install")
        lang_dir = self.root / base_key(pack.base_id, pack.base_fingerprint) / pack.language.code
        dest = lang_dir / _safe_version(pack.version)
        self._sweep_tmp()
        self._write_base_file(pack)
        lang_dir.mkdir(parents=True, exist_ok=True)
        try:  # a pull of some modules is recorded in partial.json by save: it is not damage
            added = pack.save(dest, exists="merge", tmp_root=self.root / TMP)
        except PackConflictError as exc:
            raise VersionConflictError(
                f"{dest} already holds version {pack.version} of {pack.language.alias} with other content; "
                "give the new build another version (or remove the installed one first)") from exc
        self._update_latest(lang_dir)
        return PublishedVersion(pack.language.alias, pack.version, str(dest), pack.base_id, pack.base_fingerprint,
                                pack.kinds, created=bool(added))

    # -------------------------------------------------------------------- read
    def list(self) -> list[PackSummary]:
        """Every installed pack; a broken one is skipped with a warning naming it (and kept in
        ``self.broken``) so that one bad pack does not hide all the others."""
        out, self.broken = [], []
        for bdir in self._base_dirs():
            for lang_dir in sorted(p for p in bdir.iterdir() if p.is_dir() and not p.name.startswith(".")):
                try:
                    summary = self._summary(lang_dir)
                except LangzooError as exc:
                    note_broken(self.broken, str(lang_dir), exc)
                    continue
                if summary is not None:
                    out.append(summary)
        return out

    def info(self, lang: str) -> list[PackSummary]:
        language = resolve_language(lang)
        out = [s for d in self._lang_dirs(language.code) if (s := self._summary(d)) is not None]
        if not out:
            raise PackNotFoundError(self._not_found(language.alias))
        return out

    def get(self, lang: str, base_fingerprint: str | None = None, version: str | None = None,
            modules: list[str] | None = None) -> LanguagePack:
        return LanguagePack.load(self.path_of(lang, base_fingerprint, version), base_fingerprint=base_fingerprint,
                                 modules=modules)

    def resolve(self, lang: str, base_fingerprint: str | None = None, version: str | None = None) -> Path:
        return self.path_of(lang, base_fingerprint, version)

    def path_of(self, lang: str, base_fingerprint: str | None = None, version: str | None = None) -> Path:
        """Folder of one installed pack version (no verification)."""
        lang_dir = self._pick_lang_dir(lang, base_fingerprint)
        versions = _versions(lang_dir)
        if version is None:
            version = self._latest(lang_dir, versions)
        if version not in versions:
            raise PackNotFoundError(f"Version {version!r} of {resolve_language(lang).alias} is not in {self.root} "
                                    f"(installed: {', '.join(versions) or 'none'})")
        return lang_dir / version

    # ------------------------------------------------------------------ remove
    def remove(self, lang: str, version: str | None = None, base_fingerprint: str | None = None) -> list[str]:
        lang_dir = self._pick_lang_dir(lang, base_fingerprint)
        versions = _versions(lang_dir)
        if version is not None and version not in versions:
            raise PackNotFoundError(f"Version {version!r} of {resolve_language(lang).alias} is not installed "
                                    f"(installed: {', '.join(versions)})")
        doomed = [version] if version is not None else versions
        for v in doomed:
            trash = self._tmp_dir() / "trash"
            os.rename(lang_dir / v, trash)  # disappears atomically, then is deleted
            shutil.rmtree(trash.parent, ignore_errors=True)
        if _versions(lang_dir):
            self._update_latest(lang_dir)
        else:
            shutil.rmtree(lang_dir, ignore_errors=True)
            bdir = lang_dir.parent
            if not any(p.is_dir() for p in bdir.iterdir()):
                shutil.rmtree(bdir, ignore_errors=True)
        return doomed

    # ----------------------------------------------------------------- helpers
    def _base_dirs(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def _lang_dirs(self, code: str) -> list[Path]:
        return [b / code for b in self._base_dirs() if (b / code).is_dir() and _versions(b / code)]

    def _pick_lang_dir(self, lang: str, base_fingerprint: str | None) -> Path:
        language = resolve_language(lang)
        dirs = self._lang_dirs(language.code)
        if base_fingerprint is not None:
            dirs = [d for d in dirs if _base_fingerprint(d.parent) == base_fingerprint]
        if not dirs:
            raise PackNotFoundError(self._not_found(language.alias, base_fingerprint))
        if len(dirs) > 1:
            bases = "; ".join(f"{_base_id(d.parent)} ({_base_fingerprint(d.parent)})" for d in dirs)
            raise RegistryError(f"{self.root} holds {language.alias} packs for several bases ({bases}); "
                                "pass the base fingerprint to choose one")
        return dirs[0]

    def _not_found(self, alias: str, base_fingerprint: str | None = None) -> str:
        have = sorted({s.language for s in self.list()})
        base = f" for base {base_fingerprint[:19]}" if base_fingerprint else ""
        return (f"No {alias} pack{base} in the local registry {self.root} (it has: {', '.join(have) or 'nothing'}). "
                f"Build one, `zoo publish PATH_TO_PACK`, or `zoo pull {alias} --from hf://NAMESPACE`.")

    def _summary(self, lang_dir: Path) -> PackSummary | None:
        versions = _versions(lang_dir)
        if not versions:
            return None
        path = lang_dir / self._latest(lang_dir, versions)
        pack = LanguagePack.load(path, verify=False)  # structure and sizes; hashes are checked on use
        return summarize(pack.info, pack.modules, versions, str(path))

    def _latest(self, lang_dir: Path, versions: list[str]) -> str:
        pointer = lang_dir / LATEST
        if pointer.is_file():
            name = pointer.read_text().strip()
            if name in versions:
                return name
        return versions[-1]

    def _update_latest(self, lang_dir: Path) -> None:
        versions = _versions(lang_dir)
        if versions:
            _atomic_write(lang_dir / LATEST, versions[-1] + "\n")

    def _write_base_file(self, pack: LanguagePack) -> None:
        bdir = self.root / base_key(pack.base_id, pack.base_fingerprint)
        if not (bdir / BASE_FILE).is_file():
            bdir.mkdir(parents=True, exist_ok=True)
            _atomic_write(bdir / BASE_FILE, json.dumps({"id": pack.base_id, "fingerprint": pack.base_fingerprint},
                                                       indent=2) + "\n")

    def _tmp_dir(self) -> Path:
        tmp = self.root / TMP / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        tmp.mkdir(parents=True)
        return tmp

    def _sweep_tmp(self) -> None:
        tmp_root = self.root / TMP
        if not tmp_root.is_dir():
            return
        now = time.time()
        for entry in tmp_root.iterdir():
            try:
                if now - entry.stat().st_mtime > _STALE_TMP_S:
                    shutil.rmtree(entry, ignore_errors=True)
            except OSError:
                pass


def _versions(lang_dir: Path) -> list[str]:
    """Installed versions, oldest first. A folder without pack.json is not a version."""
    if not lang_dir.is_dir():
        return []
    names = [p.name for p in lang_dir.iterdir()
             if p.is_dir() and not p.name.startswith(".") and (p / PACK_FILE).is_file()]
    return sorted(names, key=version_sort_key)


def _base_fingerprint(bdir: Path) -> str | None:
    return _base_record(bdir).get("fingerprint")


def _base_id(bdir: Path) -> str:
    return _base_record(bdir).get("id", bdir.name)


def _base_record(bdir: Path) -> dict:
    try:
        return json.loads((bdir / BASE_FILE).read_text())
    except (OSError, json.JSONDecodeError):
        return {}


def _safe_version(version: str) -> str:
    if not version or version in (".", "..") or version.startswith(".") or any(c in version for c in "/\\\0"):
        raise RegistryError(f"Pack version {version!r} cannot be used as a folder name")
    return version


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(text)
    os.replace(tmp, path)
