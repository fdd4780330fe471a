"""Cleaning rules for localisation strings and text pairs.

UI strings carry things that are not language: printf/Qt/Python/Fluent placeholders,
accelerator marks, markup, entities.  :func:`clean_text` removes them and normalises
Unicode; :func:`pair_reject_reason` decides whether a cleaned (en, L) pair is kept.
Every rule is a small function so that tests can exercise it alone.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from langzoo.languages import Language, resolve_language

# --- placeholders -----------------------------------------------------------------
# Order matters: the longer, more specific forms go first so that e.g. "%1$s" is not
# eaten as "%1" followed by a stray "$s".
_PLACEHOLDER_PATTERNS: tuple[str, ...] = (
    r"%\([A-Za-z_][\w.-]*\)[-+ #0]*\d*(?:\.\d+)?[a-zA-Z]",  # %(name)s  (Python)
    r"%\d+\$[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|q|j|z|t|I64|I32)?[diouxXeEfFgGaAcspn@]",  # %1$s
    r"%[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t|I64|I32)?[diouxXeEfFgGaAcspnS@](?![A-Za-z])",  # %s %d %.2f %lu %S
    r"%(?:PRODUCTNAME|PRODUCTVERSION|[A-Z][A-Z0-9_]{2,})\b",  # LibreOffice %PRODUCTNAME, %FILENAME
    r"%[A-Za-z_][\w-]*%",  # %NAME%
    r"%\d+",  # Qt/KDE %1
    r"\$\([A-Za-z_][\w-]*\)",  # $(ARG1)
    r"\$(?:\d+|S)\b",  # $1, $S (LibreOffice / Mozilla .properties)
    r"\$[A-Z][A-Z0-9_]*\$",  # $ARG1$
    r"\{\s*\$[\w-]+\s*\}",  # Fluent { $var } left unresolved
    r"\{\{[^{}]*\}\}",  # {{ name }} (Jinja/Mustache)
    r"\{\s*[\w.:!-]*\s*\}",  # {0}, {name}, {name:>3}, {}
    r"@\w+@",  # @NAME@ (autotools substitution left in catalogs)
    r"#\d+\b",  # Mozilla PluralForm #1
)
_PLACEHOLDER_RE = re.compile("|".join(f"(?:{p})" for p in _PLACEHOLDER_PATTERNS))

# --- markup -----------------------------------------------------------------------
_TAG_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s+[^<>]*?)?/?>")
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")

# --- accelerators -----------------------------------------------------------------
# "(_F)" / "(&F)" appended by CJK-style translations, then the mark itself.
_ACCEL_SUFFIX_RE = re.compile(r"\s*\(\s*[_&~][A-Za-z0-9]\s*\)")
_ACCEL_MARKS = ("_", "&", "~")

# --- whitespace and invisible characters ------------------------------------------
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACE_RE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([.,;:!?…)\]»])")
_SPACE_AFTER_OPEN_RE = re.compile(r"([(\[«])\s+")
_EMPTY_BRACKETS_RE = re.compile(r"[(\[]\s*[)\]]|\"\s*\"|'\s*'|“\s*”|«\s*»")
_ESCAPES = {"\\n": " ", "\\t": " ", "\\r": " "}

# Translator-credit pseudo messages that gettext projects carry; not translations.
CREDIT_MSGIDS = frozenset(
    {
        "translator-credits",
        "translator_credits",
        "your names",
        "your emails",
        "name of translators",
        "email of translators",
        "translated by",
        "credits",
    }
)

# --- Uzbek apostrophes ------------------------------------------------------------
# Uzbek Latin writes oʻ/gʻ with U+02BB (MODIFIER LETTER TURNED COMMA) and the tutuq
# belgisi (glottal stop, "maʼno") with U+02BC (MODIFIER LETTER APOSTROPHE), as the 1995
# alphabet and the Unicode recommendations do.  Catalogs mix ' ‘ ’ ` ´ ʻ ʼ freely.
UZ_OKINA = "\u02bb"  # ʻ  in oʻ, gʻ
UZ_TUTUQ = "\u02bc"  # ʼ  tutuq belgisi
_APOS = "'\u2018\u2019`\u00b4\u02bb\u02bc\u02b9"
_UZ_OG_RE = re.compile(rf"(?<![^\W\d_])([oOgG])[{_APOS}](?=[^\W\d_])")  # word-initial/any oʻ
_UZ_OG_MID_RE = re.compile(rf"(?<=[^\W\d_])([oOgG])[{_APOS}](?=[^\W\d_]|\s|$|[.,;:!?)])")  # tugʻ, bogʻ
# After o/g an apostrophe is always the oʻ/gʻ letter, never a tutuq belgisi.
_UZ_TUTUQ_RE = re.compile(rf"(?<=[^\W\d_])(?<![oOgG])[{_APOS}](?=[^\W\d_])")


def normalize_uzbek_apostrophes(text: str) -> str:
    """Map every apostrophe form in Uzbek Latin to ʻ (after o/g) or ʼ (tutuq belgisi).

    Only apostrophes *inside* words are touched, so quotation marks around a word
    ('Fayl') stay as they are.
    """
    text = _UZ_OG_RE.sub(lambda m: m.group(1) + UZ_OKINA, text)
    text = _UZ_OG_MID_RE.sub(lambda m: m.group(1) + UZ_OKINA, text)
    return _UZ_TUTUQ_RE.sub(UZ_TUTUQ, text)


def normalize_azerbaijani(text: str) -> str:
    """Azerbaijani schwa: the look-alike U+01DD/U+018E (ǝ Ǝ) to U+0259/U+018F (ə Ə)."""
    return text.replace("\u01dd", "\u0259").replace("\u018e", "\u018f")


# Per-language normalisers, keyed by canonical language code.
LANGUAGE_NORMALIZERS: dict[str, Callable[[str], str]] = {
    "uzn_Latn": normalize_uzbek_apostrophes,
    "azj_Latn": normalize_azerbaijani,
}


def strip_placeholders(text: str) -> str:
    """Remove printf/Qt/Python/Fluent/LibreOffice placeholders; ``%%`` becomes ``%``."""
    text = text.replace("%%", "\x00")
    text = _PLACEHOLDER_RE.sub(" ", text)
    return text.replace("\x00", "%")


def strip_markup(text: str) -> str:
    """Drop HTML/XML tags and entities (``&amp;`` → ``&``, ``&nbsp;`` → space)."""
    text = _TAG_RE.sub(" ", text)
    return _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)


def strip_accelerators(text: str) -> str:
    """Remove keyboard accelerator marks: ``_File``, ``~File``, ``&File``, ``Fi_le``, ``(_F)``.

    A mark counts as an accelerator only where it is directly followed by a letter or
    digit, and ``&&`` (a literal ampersand in Qt) is kept as ``&``.  Entities must be
    removed first (they look like ``&name;``), which :func:`clean_text` does by calling
    this before :func:`strip_markup` and skipping entity-shaped matches.
    """
    text = _ACCEL_SUFFIX_RE.sub("", text)
    text = text.replace("&&", "\x01")
    for mark in _ACCEL_MARKS:
        if mark not in text:
            continue
        if mark == "&":
            # "&File" but not "&amp;" (an entity, handled by strip_markup).
            text = re.sub(r"&(?=[^\W_])(?![A-Za-z][A-Za-z0-9]*;|#\w+;)", "", text)
        elif mark == "_":
            # One underscore before a letter = accelerator; several = identifier, keep.
            if len(re.findall(r"_(?=[^\W_])", text)) == 1 and "__" not in text:
                text = re.sub(r"_(?=[^\W_])", "", text)
        else:
            text = re.sub(r"~(?=[^\W_])", "", text)
    return text.replace("\x01", "&")


def collapse_whitespace(text: str) -> str:
    """One space between words, none before closing punctuation, none at the ends."""
    for esc, repl in _ESCAPES.items():
        text = text.replace(esc, repl)
    text = _INVISIBLE_RE.sub("", text)
    text = _SPACE_RE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN_RE.sub(r"\1", text)
    return text.strip()


def clean_text(text: str, lang: str | Language | None = None) -> str:
    """Apply every cleaning rule to one string (either side of a pair).

    Steps: NFC → accelerators → placeholders → markup/entities → language-specific
    normalisation → whitespace (incl. NBSP, soft hyphens, zero-width characters).
    ``lang=None`` (English) skips the language step.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = strip_accelerators(text)
    text = strip_placeholders(text)
    text = strip_markup(text)
    text = _EMPTY_BRACKETS_RE.sub(" ", text)
    if lang is not None:
        normalizer = LANGUAGE_NORMALIZERS.get(resolve_language(lang).code)
        if normalizer is not None:
            text = normalizer(text)
    text = collapse_whitespace(text)
    # Strings that were only a placeholder plus punctuation ("%s:") end up as ":".
    return "" if not any(ch.isalnum() for ch in text) else text


# --- pair filters -----------------------------------------------------------------
def letter_ratio(text: str) -> float:
    """Share of letters among the non-space characters (0.0 for an empty string)."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 0.0
    return sum(ch.isalpha() for ch in chars) / len(chars)


_SCRIPT_PREFIX = {"Latn": "LATIN", "Cyrl": "CYRILLIC", "Arab": "ARABIC", "Grek": "GREEK",
                  "Hebr": "HEBREW", "Deva": "DEVANAGARI", "Ethi": "ETHIOPIC", "Hang": "HANGUL",
                  "Telu": "TELUGU"}


def script_ratio(text: str, script: str) -> float | None:
    """Share of letters written in ``script`` (ISO 15924); None when unknown/no letters."""
    prefix = _SCRIPT_PREFIX.get(script)
    letters = [ch for ch in text if ch.isalpha()]
    if prefix is None or not letters:
        return None
    return sum(unicodedata.name(ch, "").startswith(prefix) for ch in letters) / len(letters)


def word_count(text: str) -> int:
    return len(text.split())


def pair_reject_reason(
    en: str,
    other: str,
    *,
    lang: Language | None = None,
    min_words: int = 1,
    max_words: int = 200,
    min_letter_ratio: float = 0.5,
    min_script_ratio: float = 0.5,
) -> str | None:
    """Name of the first filter a cleaned pair fails, or None when it is kept.

    Filters (in this order, the names are the keys of the counts table):
    ``empty``, ``identical`` (same on both sides, case-insensitive: untranslated),
    ``too_short`` / ``too_long`` (words on either side), ``non_letters`` (fewer than
    ``min_letter_ratio`` letters on either side), ``wrong_script`` (the L side is
    mostly not in L's script, e.g. an untranslated English string in a Kazakh catalog).
    """
    if not en or not other:
        return "empty"
    if en.casefold() == other.casefold():
        return "identical"
    if min(word_count(en), word_count(other)) < min_words:
        return "too_short"
    if max(word_count(en), word_count(other)) > max_words:
        return "too_long"
    if letter_ratio(en) < min_letter_ratio or letter_ratio(other) < min_letter_ratio:
        return "non_letters"
    if lang is not None:
        ratio = script_ratio(other, lang.script)
        if ratio is not None and ratio < min_script_ratio:
            return "wrong_script"
    return None
