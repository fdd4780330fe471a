"""Unicode writing-system detection for language identification.

fastText LID models look at character n-grams and ignore the writing system as such,
so a Cyrillic Uzbek sentence can come back as ``uz`` (which the zoo reads as
``uzn_Latn``).  The runtime must never route a text to a pack whose tokenizer was
built for another script, so it checks the text's *dominant script* against the script
part of the predicted canonical code (``uzn_Latn`` -> ``Latn``).

Scripts are found from Unicode character names (``"CYRILLIC SMALL LETTER A"`` ->
Cyrillic), memoised per character, so a text costs one dict lookup per letter after
warm-up.  This avoids a hand-maintained code-point range table that would silently go
stale with new Unicode versions.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

# First word(s) of a Unicode character name -> script name used here.  Names not listed
# (punctuation, symbols, MODIFIER LETTER ..., digits) count as "Common" and are ignored.
_NAME_PREFIX_TO_SCRIPT: dict[str, str] = {
    "LATIN": "Latin",
    "CYRILLIC": "Cyrillic",
    "GREEK": "Greek",
    "COPTIC": "Coptic",
    "ARMENIAN": "Armenian",
    "GEORGIAN": "Georgian",
    "HEBREW": "Hebrew",
    "ARABIC": "Arabic",
    "SYRIAC": "Syriac",
    "THAANA": "Thaana",
    "NKO": "Nko",
    "DEVANAGARI": "Devanagari",
    "BENGALI": "Bengali",
    "GURMUKHI": "Gurmukhi",
    "GUJARATI": "Gujarati",
    "ORIYA": "Oriya",
    "TAMIL": "Tamil",
    "TELUGU": "Telugu",
    "KANNADA": "Kannada",
    "MALAYALAM": "Malayalam",
    "SINHALA": "Sinhala",
    "THAI": "Thai",
    "LAO": "Lao",
    "TIBETAN": "Tibetan",
    "MYANMAR": "Myanmar",
    "KHMER": "Khmer",
    "MONGOLIAN": "Mongolian",
    "ETHIOPIC": "Ethiopic",
    "CHEROKEE": "Cherokee",
    "CANADIAN": "Canadian_Aboriginal",
    "OGHAM": "Ogham",
    "RUNIC": "Runic",
    "TIFINAGH": "Tifinagh",
    "HANGUL": "Hangul",
    "HIRAGANA": "Hiragana",
    "KATAKANA": "Katakana",
    "BOPOMOFO": "Bopomofo",
    "CJK": "Han",  # CJK UNIFIED / COMPATIBILITY IDEOGRAPH-xxxx
    "KANGXI": "Han",
    "YI": "Yi",
    "JAVANESE": "Javanese",
    "BALINESE": "Balinese",
    "SUNDANESE": "Sundanese",
    "VAI": "Vai",
    "ADLAM": "Adlam",
    "OL": "Ol_Chiki",
}

# ISO 15924 code (the part after "_" in a canonical language code) -> the scripts a text
# in that language may be dominated by.  Japanese and Korean legitimately mix scripts.
ISO15924_TO_SCRIPTS: dict[str, frozenset[str]] = {
    "Latn": frozenset({"Latin"}),
    "Cyrl": frozenset({"Cyrillic"}),
    "Grek": frozenset({"Greek"}),
    "Copt": frozenset({"Coptic"}),
    "Armn": frozenset({"Armenian"}),
    "Geor": frozenset({"Georgian"}),
    "Hebr": frozenset({"Hebrew"}),
    "Arab": frozenset({"Arabic"}),
    "Syrc": frozenset({"Syriac"}),
    "Thaa": frozenset({"Thaana"}),
    "Nkoo": frozenset({"Nko"}),
    "Deva": frozenset({"Devanagari"}),
    "Beng": frozenset({"Bengali"}),
    "Guru": frozenset({"Gurmukhi"}),
    "Gujr": frozenset({"Gujarati"}),
    "Orya": frozenset({"Oriya"}),
    "Taml": frozenset({"Tamil"}),
    "Telu": frozenset({"Telugu"}),
    "Knda": frozenset({"Kannada"}),
    "Mlym": frozenset({"Malayalam"}),
    "Sinh": frozenset({"Sinhala"}),
    "Thai": frozenset({"Thai"}),
    "Laoo": frozenset({"Lao"}),
    "Tibt": frozenset({"Tibetan"}),
    "Mymr": frozenset({"Myanmar"}),
    "Khmr": frozenset({"Khmer"}),
    "Mong": frozenset({"Mongolian"}),
    "Ethi": frozenset({"Ethiopic"}),
    "Cher": frozenset({"Cherokee"}),
    "Cans": frozenset({"Canadian_Aboriginal"}),
    "Tfng": frozenset({"Tifinagh"}),
    "Hang": frozenset({"Hangul", "Han"}),
    "Kore": frozenset({"Hangul", "Han"}),
    "Hans": frozenset({"Han", "Bopomofo"}),
    "Hant": frozenset({"Han", "Bopomofo"}),
    "Hani": frozenset({"Han", "Bopomofo"}),
    "Jpan": frozenset({"Han", "Hiragana", "Katakana"}),
    "Hira": frozenset({"Hiragana"}),
    "Kana": frozenset({"Katakana"}),
    "Yiii": frozenset({"Yi"}),
    "Java": frozenset({"Javanese"}),
    "Bali": frozenset({"Balinese"}),
    "Sund": frozenset({"Sundanese"}),
    "Vaii": frozenset({"Vai"}),
    "Adlm": frozenset({"Adlam"}),
    "Olck": frozenset({"Ol_Chiki"}),
}

_char_script_cache: dict[str, str | None] = {}
_MISSING = object()


def char_script(ch: str) -> str | None:
    """Script of one character (``"Latin"``, ``"Cyrillic"``, ...) or None for Common/unknown."""
    cached = _char_script_cache.get(ch, _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    script: str | None = None
    if ch.isalpha():
        words = unicodedata.name(ch, "").split()
        if words:
            script = _NAME_PREFIX_TO_SCRIPT.get(words[0])
            # FULLWIDTH LATIN ..., HALFWIDTH KATAKANA ...: the script is the second word.
            if script is None and words[0] in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
                script = _NAME_PREFIX_TO_SCRIPT.get(words[1])
    _char_script_cache[ch] = script
    return script


def script_counts(text: str) -> Counter[str]:
    """Count the letters of ``text`` per script (Common characters are not counted)."""
    counts: Counter[str] = Counter()
    for ch in text:
        script = char_script(ch)
        if script is not None:
            counts[script] += 1
    return counts


def dominant_script(text: str) -> str | None:
    """The script with most letters in ``text``; None when it has no letters of a known script.

    Mixed-script languages are handled on the code side: ``jpn_Jpan`` accepts Han,
    Hiragana and Katakana, so whichever of them dominates a Japanese sentence agrees.
    """
    counts = script_counts(text)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def scripts_for_code(code: str) -> frozenset[str] | None:
    """Scripts accepted for a canonical code such as ``uzn_Latn``; None when it has no script part.

    Codes without a script (lid.176 labels that the language table does not know, like
    ``ceb``) or with an ISO 15924 code not listed here cannot be checked.
    """
    _, sep, iso15924 = code.partition("_")
    if not sep:
        return None
    return ISO15924_TO_SCRIPTS.get(iso15924)


def same_language_in_script(code: str, text_script: str | None, pool: Iterable[str]) -> list[str]:
    """The codes of ``pool`` for ``code``'s language (its ISO 639 part) whose known script
    accepts ``text_script``, sorted: ``uzn_Cyrl`` for ``uzn_Latn`` and Cyrillic text."""
    iso = code.split("_")[0]
    return sorted(c for c in pool if c.split("_")[0] == iso and text_script in (scripts_for_code(c) or ()))


def script_agrees(code: str, text_script: str | None) -> bool:
    """True when a text dominated by ``text_script`` may be routed to language ``code``.

    Unknown on either side counts as agreement: the check only vetoes a *known* conflict.
    """
    if text_script is None:
        return True
    accepted = scripts_for_code(code)
    return accepted is None or text_script in accepted
