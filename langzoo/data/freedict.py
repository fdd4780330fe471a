"""Fetch FreeDict bilingual dictionaries (Debian ``dict-freedict-X-Y``) without installing them.

The dictionaries are GPL and other licences, so langzoo never ships them: ``apt-get
download`` fetches the .deb, ``dpkg -x`` unpacks it, and only the dictd files
(``*.index``, ``*.dict.dz``) and the copyright file are kept in
``$LANGZOO_HOME/dictionaries/freedict/<package>/``. Both directions (English -> L and
L -> English) are fetched where Debian has them; ``manifest.json`` records versions
and sha256 so that a second fetch skips what is there.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from pathlib import Path

from langzoo.data.errors import FetchError, FetchWarning
from langzoo.languages import resolve_language
from langzoo.paths import langzoo_home

MANIFEST = "manifest.json"


def freedict_dir() -> Path:
    return langzoo_home() / "dictionaries" / "freedict"


def iso3(lang: str) -> str:
    """FreeDict's ISO 639-3 code of a language (``de`` -> ``deu``)."""
    return resolve_language(lang).code.split("_")[0]


def freedict_packages(lang: str, pivot: str = "en") -> list[str]:
    a, b = iso3(pivot), iso3(lang)
    return [f"dict-freedict-{a}-{b}", f"dict-freedict-{b}-{a}"]


def _keep(rel: str) -> bool:
    return rel.startswith("usr/share/dictd/") or rel.endswith("/copyright")


def fetch_freedict(lang: str, cache_dir: str | Path | None = None, *, pivot: str = "en") -> list[Path]:
    """Fetch the FreeDict dictionaries between ``pivot`` (English) and ``lang``; returns
    the package folders now in the cache. Packages Debian does not have are skipped with
    a warning; an error when neither direction exists."""
    from langzoo.data.fetch import _check_tools, _download, _ensure_apt_lists, _load_manifest, _run, candidate_versions
    from langzoo.modules.hashing import sha256_file

    cache = Path(cache_dir) if cache_dir is not None else freedict_dir()
    _check_tools()
    _ensure_apt_lists()
    cache.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(cache)
    wanted = freedict_packages(lang, pivot)
    versions = candidate_versions(wanted)
    out, todo, missing = [], [], []
    for name in wanted:
        known = manifest["packages"].get(name)
        if versions.get(name) is None:
            missing.append(name)
        elif known and known.get("version") == versions[name] and (cache / name).is_dir():
            out.append(cache / name)
        else:
            todo.append(name)
    with tempfile.TemporaryDirectory(prefix="langzoo-freedict-") as tmp:
        tmpdir = Path(tmp)
        for name, deb in _download(todo, versions, tmpdir, missing).items() if todo else []:
            unpacked = tmpdir / "x"
            shutil.rmtree(unpacked, ignore_errors=True)
            res = _run(["dpkg", "-x", str(deb), str(unpacked)])
            if res.returncode != 0:
                raise FetchError(f"`dpkg -x {deb.name}` failed:\n{res.stderr.strip()[-800:]}")
            target = cache / name
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for path in unpacked.rglob("*"):
                if path.is_file() and not path.is_symlink() and _keep(path.relative_to(unpacked).as_posix()):
                    shutil.move(str(path), target / path.name)
            manifest["packages"][name] = {"version": versions[name], "deb_size": deb.stat().st_size,
                                          "sha256": sha256_file(deb)}
            out.append(target)
    manifest["missing"] = sorted(set(manifest.get("missing", [])) - set(manifest["packages"]) | set(missing))
    (cache / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    for name in missing:
        warnings.warn(f"Debian has no {name}; skipped", FetchWarning, stacklevel=2)
    if not out:
        raise FetchError(f"No FreeDict dictionary between {pivot} and {lang} in the apt sources ({', '.join(wanted)})")
    return out
