"""Readers for localisation catalogs: gettext .po/.mo, Mozilla Fluent .ftl, .properties.

Readers return raw (source, translation) pairs or {message id: text} maps; cleaning is
done later (:mod:`langzoo.data.clean`).  They raise :class:`CatalogReadError` on a
malformed or empty file so that the harvester can skip it with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from langzoo.data.clean import CREDIT_MSGIDS
from langzoo.data.errors import DataError


class CatalogReadError(DataError):
    """A catalog file is malformed, empty or unreadable."""


# KDE 3-era catalogs put the context into the msgid: "_: context\nText".
_KDE_CONTEXT_RE = re.compile(r"^_:[^\n]*\n")


def read_gettext(path: str | Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translated, non-fuzzy, non-obsolete entry of a .po/.mo.

    Plural entries give (msgid, first plural form).  The header entry and translator
    credits are skipped.
    """
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise CatalogReadError(f"{path}: empty catalog")
        if path.suffix in (".mo", ".gmo"):
            catalog = polib.mofile(str(path))
        else:
            catalog = polib.pofile(str(path))
    except CatalogReadError:
        raise
    except (OSError, ValueError, UnicodeDecodeError, IndexError, KeyError) as exc:
        raise CatalogReadError(f"{path}: cannot parse catalog ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # polib raises bare Exception subclasses for syntax errors
        raise CatalogReadError(f"{path}: cannot parse catalog ({exc})") from exc
    out: list[tuple[str, str]] = []
    for entry in catalog:
        if not entry.msgid or getattr(entry, "obsolete", False) or "fuzzy" in getattr(entry, "flags", ()):
            continue
        msgid = _KDE_CONTEXT_RE.sub("", entry.msgid)
        if msgid.strip().casefold() in CREDIT_MSGIDS:
            continue
        msgstr = entry.msgstr
        if not msgstr and entry.msgstr_plural:
            msgstr = entry.msgstr_plural.get(0) or entry.msgstr_plural.get("0") or ""
        if msgstr:
            out.append((msgid, msgstr))
    return out


def catalog_language(path: str | Path) -> str | None:
    """The ``Language:`` header of a .po/.mo (used when the path does not name a locale)."""
    path = Path(path)
    try:
        catalog = polib.mofile(str(path)) if path.suffix in (".mo", ".gmo") else polib.pofile(str(path))
    except Exception:
        return None
    lang = catalog.metadata.get("Language", "").strip()
    return lang or None


# --- Fluent -----------------------------------------------------------------------
_FTL_ENTRY_RE = re.compile(r"^(-?[A-Za-z][\w-]*)\s*=\s?(.*)$")
_FTL_ATTR_RE = re.compile(r"^\s+\.([A-Za-z][\w-]*)\s*=\s?(.*)$")
_FTL_VARIANT_RE = re.compile(r"(\*?)\[\s*([^\]]+?)\s*\]")


def parse_fluent(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """Parse Fluent source into ({message id or id.attr: pattern}, {term: pattern}).

    Patterns are returned unresolved (placeables still in braces); multi-line values
    are joined with spaces.  Raises :class:`CatalogReadError` when nothing parses.
    """
    messages: dict[str, str] = {}
    terms: dict[str, str] = {}
    current: str | None = None
    lines_of: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line:
            if current is not None:
                lines_of[current].append("")
            continue
        if line.startswith("#"):
            current = None
            continue
        if not line[0].isspace():
            m = _FTL_ENTRY_RE.match(line)
            current = m.group(1) if m else None
            if current is not None:
                lines_of[current] = [m.group(2)]
            continue
        if current is None:
            continue
        am = _FTL_ATTR_RE.match(line)
        if am:
            base = current.split(".")[0]
            current = f"{base}.{am.group(1)}"
            lines_of[current] = [am.group(2)]
        else:
            lines_of[current].append(line.strip())
    for key, parts in lines_of.items():
        value = " ".join(p for p in parts if p).strip()
        if not value and not key.startswith("-"):
            continue  # a message with attributes only
        (terms if key.startswith("-") else messages)[key.lstrip("-") if key.startswith("-") else key] = value
    if not messages and not terms and text.strip() and not all(
        ln.startswith("#") or not ln.strip() for ln in text.splitlines()
    ):
        raise CatalogReadError("no Fluent messages found")
    return messages, terms


def _matching_brace(s: str, start: int) -> int:
    """Index of the '}' closing the '{' at ``start`` (string literals respected), or -1."""
    depth = 0
    i = start
    in_str = False
    while i < len(s):
        ch = s[i]
        if in_str:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def resolve_fluent(pattern: str, terms: dict[str, str], _depth: int = 0) -> str:
    """Turn a Fluent pattern into plain text.

    ``{ "literal" }`` → literal; ``{ -term }`` → the term's (resolved) value;
    ``{ $var -> [one] … *[other] X }`` → the default variant X; variables, functions and
    message references → a ``{ $var }`` placeholder (removed by cleaning).
    """
    if _depth > 8:  # cyclic term references
        return pattern
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch != "{":
            out.append(ch)
            i += 1
            continue
        end = _matching_brace(pattern, i)
        if end < 0:
            out.append(pattern[i:])
            break
        out.append(_resolve_placeable(pattern[i + 1 : end].strip(), terms, _depth))
        i = end + 1
    return "".join(out)


def _resolve_placeable(inner: str, terms: dict[str, str], depth: int) -> str:
    arrow = _top_level_arrow(inner)
    if arrow >= 0:
        body = inner[arrow + 2 :]
        variants = list(_FTL_VARIANT_RE.finditer(body))
        for k, m in enumerate(variants):
            if m.group(1) == "*":
                stop = variants[k + 1].start() if k + 1 < len(variants) else len(body)
                return resolve_fluent(body[m.end() : stop].strip(), terms, depth + 1)
        return "{ $var }"
    if inner.startswith('"') and inner.endswith('"'):
        return inner[1:-1]
    m = re.match(r"-([A-Za-z][\w-]*)(\s*\(.*\))?$", inner, re.S)
    if m and m.group(1) in terms:
        return resolve_fluent(terms[m.group(1)], terms, depth + 1)
    return "{ $var }"


def _top_level_arrow(inner: str) -> int:
    depth = 0
    for i, ch in enumerate(inner):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "-" and depth == 0 and inner[i : i + 2] == "->":
            return i
    return -1


# --- .properties ------------------------------------------------------------------
def parse_properties(text: str) -> dict[str, str]:
    """Java-style ``key = value`` files (Mozilla chrome strings), continuations joined."""
    out: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line or line[0] in "#!":
            continue
        while line.endswith("\\") and i < len(lines):
            line = line[:-1] + lines[i].strip()
            i += 1
        m = re.match(r"([^=:\s]+)\s*[=:]\s*(.*)$", line)
        if m:
            value = m.group(2)
            value = re.sub(r"\\u([0-9a-fA-F]{4})", lambda u: chr(int(u.group(1), 16)), value)
            out[m.group(1)] = value.replace("\\n", " ")
    return out
