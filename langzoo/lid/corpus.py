"""Training text for langzoo's own language identifier, from localisation catalogs.

GlotLID-style: one label per language *and script* (``uzn_Latn``, ``uzn_Cyrl``,
``srp_Latn``), text from sources that exist offline.  Debian packages that ship every
language's gettext catalogs (GTK, GLib, GNOME apps, iso-codes, xkb-data) give UI strings
for ~150 locales in one ~60 MB download; the per-language l10n caches that
``zoo data fetch`` fills (``$LANGZOO_HOME/l10n/<lang>``) add more text for the zoo's
own languages.  Only the translated side (msgstr) of each entry is used, plus the
English msgids.  FLORES sentences (the guard sets) are never read here: they are what
the detector is evaluated on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from tqdm import tqdm

from langzoo.data.catalogs import CatalogReadError, read_gettext
from langzoo.data.clean import clean_text
from langzoo.data.locales import parse_locale_tag
from langzoo.errors import LangzooError, UnknownLanguageError
from langzoo.languages import resolve_language

# Multi-language packages with the most translated strings per download (Debian 12).
LID_PACKAGES: tuple[str, ...] = (
    "iso-codes", "xkb-data", "libgtk-3-common", "libgtk-4-common", "libglib2.0-data",
    "gnome-control-center-data", "nautilus-data", "evolution-data-server-common",
    "evolution-common", "gedit-common", "gnome-shell-common", "epiphany-browser-data",
    "file-roller", "eog", "evince-common", "totem-common", "rhythmbox-data", "yelp", "seahorse",
    "gnome-software-common", "gnome-terminal-data", "gnome-maps", "gnome-system-monitor",
    "gnome-disk-utility", "gnome-calculator", "gucharmap", "gnome-contacts",
    "gnome-session-common", "gnome-settings-daemon-common", "gnome-desktop3-data", "gvfs-common",
    "simple-scan", "cheese-common", "brasero-common", "gnome-panel-data", "gnome-applets-data",
    "zenity-common",
)
# Regional tags that are the same language for LID purposes.
_MERGE_TAGS = {"en_GB": "en", "en_CA": "en", "en_AU": "en", "pt_BR": "pt", "bn_IN": "bn", "bn_BD": "bn",
               "nb_NO": "nb", "ro_MD": "ro", "zh_HK": "zh_TW", "zh_Hant": "zh_TW", "zh_Hans": "zh_CN"}
_CHINESE = {"zh_CN": "zho_Hans", "zh_TW": "zho_Hant"}
ENGLISH_LABEL = "eng_Latn"


class LidCorpusError(LangzooError):
    """The training text for the LID model cannot be fetched or read."""


def label_for_locale(tag: str) -> str | None:
    """The training label of a catalog locale: the zoo's code when it knows the language
    (``uz`` -> ``uzn_Latn``, ``uz@cyrillic`` -> ``uzn_Cyrl``), else the tag itself with
    the script variant (``sr@latin`` -> ``sr_Latn``); None for a tag that is no locale."""
    tag = _MERGE_TAGS.get(tag, tag)
    if tag in _CHINESE:
        return _CHINESE[tag]
    parsed = parse_locale_tag(tag)
    if parsed is None:
        return None
    lang, script = parsed
    for candidate in ([f"{lang}-{script}"] if script else []) + [lang]:
        try:
            return resolve_language(candidate).code
        except UnknownLanguageError:
            continue
    return f"{lang}_{script}" if script else lang


def fetch_catalog_packages(dest: Path, packages: Iterable[str] = LID_PACKAGES) -> Path:
    """Download and unpack ``packages`` (all their locales) under ``dest/root``; return it.

    Only the gettext catalogs are kept.  An existing ``dest/root`` with catalogs is reused.
    """
    from langzoo.data.fetch import _check_tools, _download, _ensure_apt_lists, candidate_versions

    root = dest / "root"
    if root.is_dir() and any(root.rglob("*.mo")):
        return root
    _check_tools()
    _ensure_apt_lists()
    names = list(packages)
    versions = candidate_versions(names)
    missing = [n for n, v in versions.items() if v is None]
    if missing:
        warnings.warn(f"apt does not know {', '.join(missing)}; skipped", stacklevel=2)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="langzoo-lid-") as tmp:
        debs = _download([n for n in names if versions[n]], versions, Path(tmp), missing)
        for deb in tqdm(sorted(debs.values()), desc="unpack catalogs", unit="pkg"):
            _unpack_catalogs(deb, root, Path(tmp) / "x")
    return root


def unpack_matching(deb: Path, scratch: Path, pattern: str) -> list[Path]:
    """Unpack ``deb`` into a fresh ``scratch`` folder; the files matching ``pattern``."""
    if scratch.exists():
        shutil.rmtree(scratch)
    res = subprocess.run(["dpkg", "-x", str(deb), str(scratch)], capture_output=True, text=True)
    if res.returncode != 0:
        raise LidCorpusError(f"`dpkg -x {deb.name}` failed: {res.stderr.strip()[-400:]}")
    return sorted(scratch.rglob(pattern))


def _unpack_catalogs(deb: Path, root: Path, scratch: Path) -> None:
    for path in unpack_matching(deb, scratch, "*.mo"):
        target = root / path.relative_to(scratch)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), target)


def _catalogs(roots: Iterable[Path]) -> Iterator[tuple[str, Path]]:
    """(locale tag, path) of every ``<tag>/LC_MESSAGES/*.mo`` under ``roots``."""
    for root in roots:
        for folder, _, files in os.walk(root):
            if Path(folder).name != "LC_MESSAGES":
                continue
            tag = Path(folder).parent.name
            for name in files:
                if name.endswith((".mo", ".gmo")):
                    yield tag, Path(folder) / name


def collect_texts(roots: Iterable[Path], *, min_texts: int = 300) -> dict[str, list[str]]:
    """Label -> distinct cleaned texts from every catalog under ``roots``.

    Translated strings are labelled by their locale; English msgids by ``eng_Latn``.
    Labels with fewer than ``min_texts`` texts are dropped (too little to learn from).
    """
    texts: dict[str, set[str]] = defaultdict(set)
    found = list(_catalogs([Path(r) for r in roots]))
    if not found:
        raise LidCorpusError(f"no gettext catalogs (<tag>/LC_MESSAGES/*.mo) under {', '.join(map(str, roots))}")
    for tag, path in tqdm(found, desc="read catalogs", unit="file"):
        label = label_for_locale(tag)
        if label is None or label == ENGLISH_LABEL:
            continue
        try:
            pairs = read_gettext(path)
        except CatalogReadError:
            continue
        for english, translated in pairs:
            text = clean_text(translated)
            if text and text != english:
                texts[label].add(text)
            source = clean_text(english)
            if source:
                texts[ENGLISH_LABEL].add(source)
    return {label: sorted(items) for label, items in sorted(texts.items()) if len(items) >= min_texts}
