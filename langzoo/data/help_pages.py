"""Aligned English–L paragraphs from LibreOffice help pages, offline.

Debian's ``libreoffice-help-<L>`` packages ship the help as HTML under
``usr/share/libreoffice/help/<locale>/text/**.html``; ``libreoffice-help-en-us`` ships
the same files under ``en-US/``.  Paragraphs and headings carry the same ``id`` in
every language (``<p id="par_id3146957" ...>``), so a page of L and the English page
of the same relative path pair up element by element: real sentences, not UI strings.

Text is rendered the way a browser shows it (inner tags dropped, entities decoded,
``<br>``/block tags as spaces) with one twist: of the hidden platform/application
variants of a ``switchinline`` (``MAC``/``WIN``/``CALC``…) only the ``default`` one
is kept, so "Ctrl+O" is not read as "Command Ctrl+O".  Code paragraphs (class
``code``, ``codeintable``, ``smathcode``…) are skipped.  The pairs then go through the
harvest's cleaning and filter chain (:func:`langzoo.data.harvest.clean_and_filter`).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from tqdm import tqdm

from langzoo.data.errors import CatalogWarning, DataSourceError
from langzoo.data.harvest import fetch_manifests, filtered_pair_set
from langzoo.data.locales import libreoffice_locale
from langzoo.data.paths import HELP_SYSTEM_GLOBS, default_harvest_roots
from langzoo.data.sets import PairSet
from langzoo.languages import Language, resolve_language

ENGLISH_HELP_LOCALE = "en-US"
HELP_PACKAGE_PREFIX = "libreoffice-help-"
PAIRED_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
_BLOCK_TAGS = frozenset({"br", "div", "p", "li", "ul", "ol", "table", "tr", "td", "th", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP_TAGS = frozenset({"script", "style", "noscript"})
# Start tags that end an open <p> (HTML's implied </p>).
_CLOSES_P = frozenset({"p", "div", "ul", "ol", "table", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})


class HelpPageError(ValueError):
    """A help page is unreadable, not UTF-8 or empty."""


# --- locating help folders --------------------------------------------------------
def _is_help_dir(parts: tuple[str, ...] | list[str], i: int) -> bool:
    """Whether ``parts[i]`` is the ``help`` folder of a LibreOffice tree (``.../libreoffice*/help``)."""
    return parts[i] == "help" and i > 0 and parts[i - 1].lower().startswith("libreoffice")


def help_page_locale(relpath: str) -> str | None:
    """Locale folder of a help page path (``.../libreoffice/help/<tag>/....html`` → tag), else None."""
    parts = relpath.split("/")
    if not parts[-1].endswith(".html"):
        return None
    for i in range(len(parts) - 3, -1, -1):
        if _is_help_dir(parts, i):
            return parts[i + 1]
    return None


def find_help_dirs(lang: str | Language, roots: Iterable[str | Path]) -> list[tuple[Path, Path]]:
    """(en-US folder, L folder) pairs of LibreOffice help trees under ``roots``.

    An L folder (named by :func:`langzoo.data.locales.libreoffice_locale`) pairs with its
    ``en-US`` sibling; without one (the l10n cache unpacks ``libreoffice-help-nl`` and
    ``libreoffice-help-en-us`` into separate package folders) with the first ``en-US``
    help folder found under the same root.
    """
    tag = libreoffice_locale(lang)
    out: list[tuple[Path, Path]] = []
    seen: set[tuple[Path, Path]] = set()
    for root in roots:
        root = Path(root)
        if not root.is_dir():
            if not root.exists():
                warnings.warn(f"help root {root} does not exist; skipped", CatalogWarning, stacklevel=3)
            continue
        en_dirs: list[Path] = []
        l_dirs: list[Path] = []
        for dirpath, dirnames, _ in os.walk(root, followlinks=False):
            here = Path(dirpath)
            parts = here.parts
            if _is_help_dir(parts, len(parts) - 1):
                if ENGLISH_HELP_LOCALE in dirnames:
                    en_dirs.append(here / ENGLISH_HELP_LOCALE)
                if tag in dirnames:
                    l_dirs.append(here / tag)
                dirnames[:] = []  # nothing else to find inside a help tree
            else:
                dirnames.sort()
        for l_dir in l_dirs:
            sibling = l_dir.parent / ENGLISH_HELP_LOCALE
            en_dir = sibling if sibling in en_dirs else (en_dirs[0] if en_dirs else None)
            if en_dir is None:
                continue
            key = (en_dir.resolve(), l_dir.resolve())
            if key not in seen:
                seen.add(key)
                out.append((en_dir, l_dir))
    return out


# --- reading one page -------------------------------------------------------------
@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # str | _Node

    @property
    def hidden(self) -> bool:
        return "hidden" in self.attrs

    @property
    def is_default(self) -> bool:
        return self.attrs.get("id", "").startswith("default")


def _render(node: _Node, out: list[str]) -> None:
    hidden = [c for c in node.children if isinstance(c, _Node) and c.hidden]
    # Variants of a switch: keep the default one (else the first), never all of them.
    shown_hidden = [c for c in hidden if c.is_default] or hidden[:1]
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
            continue
        if child.tag in _SKIP_TAGS or (child.hidden and not any(child is c for c in shown_hidden)):
            continue
        block = child.tag in _BLOCK_TAGS
        if block:
            out.append(" ")
        _render(child, out)
        if block:
            out.append(" ")


def _is_code(node: _Node) -> bool:
    return any("code" in cls for cls in node.attrs.get("class", "").split())


class _ParagraphParser(HTMLParser):
    """Collect the text of every ``<p id>`` / ``<h1..h6 id>`` of a page, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Node] = []  # open elements of the paragraph being collected
        self.found: list[tuple[str, str]] = []  # (id, text)
        self.code = 0

    def _finish(self) -> None:
        root = self.stack[0]
        self.stack = []
        if _is_code(root):
            self.code += 1
            return
        out: list[str] = []
        _render(root, out)
        self.found.append((root.attrs["id"], " ".join("".join(out).split())))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stack and self.stack[0].tag == "p" and tag in _CLOSES_P:
            self._finish()
        amap = {k: (v if v is not None else "") for k, v in attrs}
        if not self.stack:
            if tag in PAIRED_TAGS and amap.get("id"):
                self.stack.append(_Node(tag, amap))
            return
        node = _Node(tag, amap)
        self.stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                if i == 0:
                    self._finish()
                else:
                    del self.stack[i:]
                return
        # a stray end tag: ignored

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1].children.append(data)


def read_help_page(path: str | Path) -> tuple[dict[tuple[str, int], str], int]:
    """``{(element id, occurrence): text}`` of one help page, and the number of code paragraphs skipped.

    Raises :class:`HelpPageError` for an unreadable, empty or non-UTF-8 file.  A
    paragraph left open at the end of a (truncated) file is dropped.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise HelpPageError(f"unreadable ({exc})") from exc
    if not data.strip():
        raise HelpPageError("empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HelpPageError(f"not UTF-8 ({exc})") from exc
    parser = _ParagraphParser()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything it still raises means a broken file
        raise HelpPageError(f"cannot parse HTML ({type(exc).__name__}: {exc})") from exc
    out: dict[tuple[str, int], str] = {}
    seen: Counter[str] = Counter()
    for pid, body in parser.found:
        out[(pid, seen[pid])] = body  # ids repeat where a page embeds another page's section
        seen[pid] += 1
    return out, parser.code


# --- extraction and the PairSet ---------------------------------------------------
def _skip(path: Path, reason: str, skipped: list[str]) -> None:
    skipped.append(f"{path}: {reason}")
    warnings.warn(f"skipped help page {path}: {reason}", CatalogWarning, stacklevel=3)


def extract_help_pairs(
    lang: str | Language, roots: Iterable[str | Path], *, progress: bool = False
) -> tuple[list[tuple[str, str, str]], dict]:
    """All raw (en, L, module) pairs of the help trees under ``roots`` plus statistics.

    ``module`` is the help module (``swriter``, ``scalc``, ``shared``…) for the
    per-origin counts.  Pages that exist on one side only are not read; unreadable
    pages are skipped with a :class:`CatalogWarning` and listed under ``stats["skipped"]``.
    """
    language = resolve_language(lang)
    dirs = find_help_dirs(language, roots)
    raw: list[tuple[str, str, str]] = []
    skipped: list[str] = []
    digest = hashlib.sha256()
    n_files = unmatched_files = unmatched = code = 0
    jobs: list[tuple[Path, Path, str]] = []
    for en_dir, l_dir in dirs:
        for l_file in sorted(l_dir.rglob("*.html")):
            rel = l_file.relative_to(l_dir).as_posix()
            en_file = en_dir / rel
            if en_file.is_file():
                jobs.append((en_file, l_file, rel))
            else:
                unmatched_files += 1
    for en_file, l_file, rel in tqdm(jobs, desc=f"help pages ({language.alias})", unit="page", disable=not progress):
        try:
            en_paras, en_code = read_help_page(en_file)
        except HelpPageError as exc:
            _skip(en_file, str(exc), skipped)
            continue
        try:
            l_paras, l_code = read_help_page(l_file)
        except HelpPageError as exc:
            _skip(l_file, str(exc), skipped)
            continue
        n_files += 1
        code += en_code
        for f in (en_file, l_file):
            digest.update(f"{f}:{f.stat().st_size}\n".encode())
        parts = rel.split("/")
        module = parts[1] if len(parts) > 2 and parts[0] == "text" else parts[0]
        for key, l_text in l_paras.items():
            en_text = en_paras.get(key)
            if en_text is None:
                unmatched += 1
            else:
                raw.append((en_text, l_text, module))
        unmatched += sum(1 for key in en_paras if key not in l_paras)
    stats = {
        "files": n_files,
        "help_dirs": [[str(e), str(l)] for e, l in dirs],
        "skipped": skipped,
        "unmatched_files": unmatched_files,
        "unmatched_paragraphs": unmatched,
        "code_paragraphs": code,
        "file_digest": digest.hexdigest()[:16],
        "origins": dict(Counter(o for _, _, o in raw).most_common(30)),
    }
    return raw, stats


def default_help_roots(lang: str | Language) -> list[Path]:
    """Installed help folders plus the language's l10n cache (where ``zoo data fetch`` unpacks)."""
    return default_harvest_roots(lang, HELP_SYSTEM_GLOBS)


def help_pairs(
    lang: str | Language,
    roots: Iterable[str | Path] | None = None,
    *,
    min_words: int = 1,
    max_words: int = 200,
    min_letter_ratio: float = 0.5,
    progress: bool = False,
) -> PairSet:
    """English→L paragraph pairs from LibreOffice help pages under ``roots``.

    ``roots=None`` searches :data:`langzoo.data.paths.HELP_SYSTEM_GLOBS` and the
    language's l10n cache (fill it with ``zoo data fetch --lang L``).  Cleaning, filters
    and English dedup are the harvest's (:func:`langzoo.data.harvest.clean_and_filter`).
    Raises :class:`DataSourceError` when no pair of help pages is found.
    """
    language = resolve_language(lang)
    root_list = [Path(r) for r in (roots if roots is not None else default_help_roots(language))]
    raw, stats = extract_help_pairs(language, root_list, progress=progress)
    if stats["files"] == 0:
        raise DataSourceError(
            f"No {language.name} ({libreoffice_locale(language)}) LibreOffice help pages with an en-US counterpart "
            f"under {', '.join(map(str, root_list)) or '(no roots)'}. Run `zoo data fetch --lang {language.alias}` "
            f"(it fetches {HELP_PACKAGE_PREFIX}<lang> and {HELP_PACKAGE_PREFIX}en-us), or pass roots that contain "
            ".../libreoffice/help/en-US and .../libreoffice/help/<locale>."
        )
    provenance = {
        "kind": "help",
        "lang": language.code,
        "locale": libreoffice_locale(language),
        "roots": [str(r) for r in root_list],
        "help_dirs": stats["help_dirs"],
        "files": stats["files"],
        "file_digest": stats["file_digest"],
        "skipped_files": len(stats["skipped"]),
        "unmatched_files": stats["unmatched_files"],
        "unmatched_paragraphs": stats["unmatched_paragraphs"],
        "code_paragraphs": stats["code_paragraphs"],
        "origins": stats["origins"],
        "packages": {k: v for k, v in fetch_manifests(root_list).items() if k.startswith(HELP_PACKAGE_PREFIX)},
    }
    return filtered_pair_set(raw, language, provenance, min_words=min_words, max_words=max_words,
                             min_letter_ratio=min_letter_ratio)
