"""Where the data layer keeps things on disk.

``LANGZOO_HOME`` (default ``~/.cache/langzoo``) is the root; localisation packages
fetched by :func:`langzoo.data.fetch_l10n_packages` live in
``$LANGZOO_HOME/l10n/<alias>/`` and harvested pair files in ``$LANGZOO_HOME/data/``.
"""

from __future__ import annotations

import glob
from pathlib import Path

from langzoo.languages import Language, resolve_language
from langzoo.paths import langzoo_home  # noqa: F401  (re-exported by langzoo.data)

# Folders where installed software keeps its catalogs: gettext .mo files, LibreOffice
# resources, Firefox/Thunderbird language packs.
SYSTEM_LOCALE_GLOBS: tuple[str, ...] = (
    "/usr/share/locale",
    "/usr/share/locale-langpack",
    "/usr/local/share/locale",
    "/usr/lib/*/lang",
    "/usr/lib/libreoffice/program/resource",
    "/usr/lib/firefox*/browser/extensions",
    "/usr/lib/firefox*/browser/omni.ja",
    "/usr/lib/firefox*/omni.ja",
    "/usr/lib/thunderbird/extensions",
    "/usr/lib/thunderbird/omni.ja",
)
# Folders of installed LibreOffice help pages (``help/<locale>/text/**.html``).
HELP_SYSTEM_GLOBS: tuple[str, ...] = (
    "/usr/share/libreoffice/help",
    "/opt/libreoffice*/help",
)


def l10n_cache_dir(lang: str | Language) -> Path:
    """Cache folder of fetched localisation packages for one language."""
    return langzoo_home() / "l10n" / resolve_language(lang).alias


def data_dir() -> Path:
    """Folder for harvested / synthesised data files."""
    return langzoo_home() / "data"


def system_roots(globs: tuple[str, ...] = SYSTEM_LOCALE_GLOBS) -> list[Path]:
    """Existing system folders that may hold localisation catalogs (or, given
    :data:`HELP_SYSTEM_GLOBS`, LibreOffice help pages)."""
    found: list[Path] = []
    for pattern in globs:
        for hit in sorted(glob.glob(pattern)):
            path = Path(hit)
            if path.exists() and path not in found:
                found.append(path)
    return found


def default_harvest_roots(lang: str | Language, globs: tuple[str, ...] = SYSTEM_LOCALE_GLOBS) -> list[Path]:
    """System catalog folders (``globs``) plus the language's l10n cache folder (if fetched)."""
    roots = system_roots(globs)
    cache = l10n_cache_dir(lang)
    if cache.exists():
        roots.append(cache)
    return roots
