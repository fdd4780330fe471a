"""Fetch Debian localisation packages into a cache folder without installing them.

For each package: ``apt-get download`` the .deb into a scratch folder, ``dpkg -x`` it,
and keep only the catalog files of the requested language (and the English reference
files of Mozilla language packs; for LibreOffice help packages, the HTML pages of L's
locale and of en-US), so that the ~230 MB of multi-language packages do not
pile up once per language.  ``manifest.json`` in the cache records name, version, size
and sha256 of every fetched .deb; a package already in the manifest at the same
version is skipped, which makes the fetch idempotent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from langzoo.modules.hashing import sha256_file
from langzoo.data.errors import FetchError, FetchWarning
from langzoo.data.harvest import ARCHIVE_SUFFIXES, GETTEXT_SUFFIXES, KEYED_SUFFIXES
from langzoo.data.help_pages import ENGLISH_HELP_LOCALE, help_page_locale
from langzoo.data.locales import is_english_tag, language_packages, libreoffice_locale, locale_matches
from langzoo.data.paths import l10n_cache_dir
from langzoo.languages import Language, resolve_language

MANIFEST = "manifest.json"


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def _check_tools() -> None:
    for tool in ("apt-get", "apt-cache", "dpkg"):
        if shutil.which(tool) is None:
            raise FetchError(
                f"`{tool}` not found: `zoo data fetch` needs a Debian/Ubuntu system. "
                "Elsewhere, copy .mo/.po/.ftl files into a folder and pass it to `zoo data harvest --root`."
            )


def _ensure_apt_lists() -> None:
    """Run `apt-get update` once when apt has never downloaded package lists."""
    lists = Path("/var/lib/apt/lists")
    if lists.is_dir() and any(p.name.endswith(("_Packages", "_Packages.lz4", "_Packages.gz", "_Packages.xz")) for p in lists.iterdir()):
        return
    res = _run(["apt-get", "update"])
    if res.returncode != 0:
        raise FetchError(f"`apt-get update` failed (run it as root, with network):\n{res.stderr.strip()[-800:]}")


def candidate_versions(packages: list[str]) -> dict[str, str | None]:
    """Version apt would download per package (None: apt does not know it), one apt call."""
    out: dict[str, str | None] = {p: None for p in packages}
    if not packages:
        return out
    res = _run(["apt-cache", "policy", *packages])
    current: str | None = None
    for line in res.stdout.splitlines():
        if line and not line[0].isspace() and line.endswith(":"):
            current = line[:-1].split(":")[0] if line[:-1] not in out else line[:-1]
        elif current is not None and line.strip().startswith("Candidate:"):
            value = line.split(":", 1)[1].strip()
            out[current] = None if value in ("", "(none)") else value
    return out


def keep_member(relpath: str, lang: Language) -> bool:
    """Whether an extracted file is a catalog of ``lang`` (or an English Mozilla reference),
    or a LibreOffice help page of ``lang``'s locale or en-US (not the media, scripts, css)."""
    help_tag = help_page_locale(relpath)
    if help_tag is not None:
        return help_tag in (libreoffice_locale(lang), ENGLISH_HELP_LOCALE)
    parts = relpath.split("/")
    name = parts[-1]
    if not name.endswith(GETTEXT_SUFFIXES + KEYED_SUFFIXES + ARCHIVE_SUFFIXES):
        return False
    if name.endswith(ARCHIVE_SUFFIXES):
        # Mozilla language packs are named langpack-<tag>@...xpi; omni.ja is the en-US build.
        if name.startswith("langpack-"):
            tag = name[len("langpack-") :].split("@")[0]
            return locale_matches(tag, lang) or is_english_tag(tag)
        return name == "omni.ja"
    if len(parts) >= 3 and parts[-2] == "LC_MESSAGES":
        return locale_matches(parts[-3], lang)
    if name.endswith(".po"):
        return locale_matches(name[:-3], lang)
    # .ftl / .properties on disk: keep when a path segment names L or English.
    return any(locale_matches(p, lang) or is_english_tag(p) for p in parts[:-1])


def _download(names: list[str], versions: dict, tmpdir: Path, missing: list[str]) -> dict[str, Path]:
    """apt-get download ``names`` into ``tmpdir``; {name: .deb path}."""
    # Sandbox::User=root: the _apt user cannot write into a private temp folder.
    cmd = ["apt-get", "-o", "APT::Sandbox::User=root", "download"]
    res = _run(cmd + [f"{n}={versions[n]}" for n in names], cwd=tmpdir)
    if res.returncode != 0 and len(names) > 1:
        # One bad package fails the whole run: retry one by one to isolate it.
        for deb in tmpdir.glob("*.deb"):
            deb.unlink()
        found: dict[str, Path] = {}
        for n in names:
            found.update(_download([n], versions, tmpdir, missing))
        return found
    if res.returncode != 0:
        if "Unable to locate" in res.stderr or "candidate" in res.stderr:
            missing.append(names[0])
            warnings.warn(f"package {names[0]}: {res.stderr.strip()}; skipped", FetchWarning, stacklevel=3)
            return {}
        raise FetchError(f"`apt-get download {names[0]}` failed:\n{res.stderr.strip()[-800:]}")
    found = {}
    for deb in tmpdir.glob("*.deb"):
        name = deb.name.split("_")[0]
        if name in names:
            found[name] = deb
    return found


def _unpack_pruned(deb: Path, target: Path, language: Language, tmpdir: Path) -> int:
    """dpkg -x a .deb and move only the files :func:`keep_member` wants into ``target``."""
    unpacked = tmpdir / "x"
    if unpacked.exists():
        shutil.rmtree(unpacked)
    res = _run(["dpkg", "-x", str(deb), str(unpacked)])
    if res.returncode != 0:
        raise FetchError(f"`dpkg -x {deb.name}` failed:\n{res.stderr.strip()[-800:]}")
    if target.exists():
        shutil.rmtree(target)
    kept = 0
    for path in unpacked.rglob("*"):
        if path.is_file() and not path.is_symlink():
            rel = path.relative_to(unpacked).as_posix()
            if keep_member(rel, language):
                dest = target / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), dest)
                kept += 1
    target.mkdir(parents=True, exist_ok=True)  # marks "fetched, nothing for L" too
    shutil.rmtree(unpacked)
    return kept


def _load_manifest(cache: Path) -> dict:
    path = cache / MANIFEST
    if path.is_file():
        try:
            return json.loads(path.read_text())
        except ValueError:
            warnings.warn(f"{path} is corrupt; fetching everything again", FetchWarning, stacklevel=3)
    return {"packages": {}, "missing": []}


def fetch_l10n_packages(
    lang: str | Language,
    cache_dir: str | Path | None = None,
    *,
    packages: Iterable[str] | None = None,
    progress: bool = True,
) -> list[Path]:
    """Download and unpack the localisation packages of ``lang`` into ``cache_dir``.

    ``cache_dir`` defaults to ``$LANGZOO_HOME/l10n/<alias>/``; ``packages`` defaults
    to :func:`langzoo.data.locales.language_packages`.  Packages that apt does not know
    (e.g. ``libreoffice-l10n-ky``) are skipped with a :class:`FetchWarning`.  Returns
    the folders of the packages now in the cache (fetched now or before).  Nothing is
    installed; needs ``apt-get``/``dpkg`` and network access to the Debian mirror.
    """
    language = resolve_language(lang)
    cache = Path(cache_dir) if cache_dir is not None else l10n_cache_dir(language)
    _check_tools()
    _ensure_apt_lists()
    cache.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(cache)
    wanted = list(dict.fromkeys(packages if packages is not None else language_packages(language)))
    started = time.monotonic()
    downloaded = 0
    missing: list[str] = []
    out: list[Path] = []
    versions = candidate_versions(wanted)
    todo: list[str] = []
    for name in wanted:
        version = versions.get(name)
        known = manifest["packages"].get(name)
        if version is None:
            missing.append(name)
            warnings.warn(f"package {name} does not exist in the apt sources; skipped", FetchWarning, stacklevel=2)
        elif known and known.get("version") == version and (cache / name).is_dir():
            out.append(cache / name)  # already fetched: idempotent
        else:
            todo.append(name)
    with tempfile.TemporaryDirectory(prefix="langzoo-fetch-") as tmp:
        tmpdir = Path(tmp)
        # Download in chunks (one apt run fetches in parallel; far faster than one run
        # per package) and unpack each .deb right away.
        for start in tqdm(range(0, len(todo), 20), desc=f"fetch {language.alias}", unit="chunk", disable=not progress):
            chunk = todo[start : start + 20]
            debs = _download(chunk, versions, tmpdir, missing)
            for name, deb in debs.items():
                size = deb.stat().st_size
                downloaded += size
                kept = _unpack_pruned(deb, cache / name, language, tmpdir)
                manifest["packages"][name] = {"version": versions[name], "deb_size": size, "sha256": sha256_file(deb), "files": kept}
                deb.unlink()
                out.append(cache / name)
            # Write after each chunk so an interrupted fetch resumes where it stopped.
            (cache / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    manifest["missing"] = sorted(set(missing))
    manifest["last_fetch"] = {"seconds": round(time.monotonic() - started, 1), "downloaded_bytes": downloaded}
    (cache / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return out
