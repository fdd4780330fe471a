"""Script conversion for packs built in one script of a language written in two.

Uzbek is written in Latin (the official alphabet since 1995, and the uz pack's script)
and still widely in Cyrillic.  A pack's FOCUS vocabulary and adapters saw only its own
script, so a Cyrillic Uzbek text gains nothing from the Latin pack as written; converted
to Latin it is the text the pack was built for.  The conversion is the official 1995
correspondence, a letter-for-letter mapping with two context rules (е, ц), so it needs no
model: about 0.25 ms for a FLORES sentence, 0.5 % of the zoo's encode time.

``PACK_SCRIPT_VARIANTS`` tells the router which detected label may use which pack, and
``to_pack_script`` converts a text for the pack it is routed to.  Measured in
``benchmarks/LID_RESULTS.md`` (stop 30).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from langzoo.data.clean import UZ_OKINA, UZ_TUTUQ

__all__ = ["PACK_SCRIPT_VARIANTS", "converts_script", "has_cyrillic", "script_variants", "to_pack_script",
           "uzbek_cyrillic_to_latin", "uzbek_latin_to_cyrillic"]

# The apostrophes of Uzbek Latin as langzoo's cleaned training text writes them: ʻ in oʻ,
# gʻ and ʼ for the tutuq belgisi.
OKINA, TUTUQ = UZ_OKINA, UZ_TUTUQ

# Lower-case Cyrillic letter -> Latin, for the letters without a context rule.  щ and ы
# occur in Russian loans written the Russian way.
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ё": "yo", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "x", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": TUTUQ,
    "ь": "", "ы": "i", "э": "e", "ю": "yu", "я": "ya", "ў": "o" + OKINA, "қ": "q", "ғ": "g" + OKINA,
    "ҳ": "h",
}
_CYRILLIC_VOWELS = frozenset("аеёиоуэюяў")
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def has_cyrillic(text: str) -> bool:
    """Does ``text`` have a letter of the Cyrillic block?"""
    return _HAS_CYRILLIC.search(text) is not None


def _cased(latin: str, upper: bool, whole_word_upper: bool) -> str:
    if not upper or not latin:
        return latin
    return latin.upper() if whole_word_upper else latin[0].upper() + latin[1:]


def uzbek_cyrillic_to_latin(text: str) -> str:
    """Cyrillic Uzbek in the Latin alphabet: ``"Ўзбекистон"`` -> ``"Oʻzbekiston"``.

    е is "ye" at the start of a word and after a vowel, ъ or ь ("ер" -> "yer"), else "e";
    ц is "s" at the start of a word and after a consonant, else "ts"; сҳ is "sʼh", so it
    does not read as sh.  A letter that becomes two keeps the case of the word
    (ШАҲАР -> SHAHAR, Шаҳар -> Shahar).  Other characters, Latin ones included, are kept,
    so a Latin text comes back unchanged.
    """
    if not has_cyrillic(text):
        return text
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        low = ch.lower()
        prev = text[i - 1].lower() if i > 0 else ""
        if low == "е":
            starts = not prev.isalpha() or prev in _CYRILLIC_VOWELS or prev in "ъь"
            latin = "ye" if starts else "e"
        elif low == "ц":
            latin = "s" if not prev.isalpha() or prev not in _CYRILLIC_VOWELS else "ts"
        elif low == "ҳ" and prev == "с":
            latin = TUTUQ + "h"
        elif low in _CYRILLIC_TO_LATIN:
            latin = _CYRILLIC_TO_LATIN[low]
        else:
            out.append(ch)
            continue
        neighbours = (text[i - 1] if i > 0 else "") + (text[i + 1] if i + 1 < n else "")
        word_upper = any(c.isalpha() and c.isupper() for c in neighbours)
        out.append(_cased(latin, ch != low, word_upper))
    return "".join(out)


# Latin -> Cyrillic, longest spelling first.  Only for building Cyrillic test text from
# Latin sentences (benchmarks, tests): Latin does not mark every Cyrillic distinction
# (ц, ь, Russian loans), so this direction is approximate.
_APOSTROPHES = "'\u2018\u2019`\u02bb\u02bc"
_LATIN_TO_CYRILLIC = [
    *((f"o{a}", "ў") for a in _APOSTROPHES), *((f"g{a}", "ғ") for a in _APOSTROPHES),
    ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"),
    ("a", "а"), ("b", "б"), ("d", "д"), ("f", "ф"), ("g", "г"), ("h", "ҳ"), ("i", "и"),
    ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "қ"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("x", "х"), ("y", "й"), ("z", "з"),
    ("c", "с"), ("w", "в"),
]
_LATIN_VOWELS = frozenset("aeiou")


# A word with a capital after a small letter (pH, iPhone, mRNA) is a symbol or a brand
# that Cyrillic text keeps in Latin letters.
_KEPT_LATIN = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*")


def uzbek_latin_to_cyrillic(text: str) -> str:
    """Latin Uzbek in Cyrillic letters (approximate; see ``_LATIN_TO_CYRILLIC``): "ye" and
    a word-initial e or one after a vowel are е and э as Cyrillic writes them, an
    apostrophe not after o or g is ъ, the ts of loans in -tsiya is ц; symbols and brands
    (pH, iPhone) stay Latin."""
    pieces = re.split(r"(\s+)", text)
    return "".join(p if _KEPT_LATIN.fullmatch(p.strip(".,;:!?()\"'«»")) else _latin_to_cyrillic(p) for p in pieces)


def _latin_to_cyrillic(text: str) -> str:
    out = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        low = ch.lower()
        prev = text[i - 1].lower() if i > 0 else ""
        word_start = not prev.isalpha()
        if low == "y" and text[i + 1:i + 2].lower() == "e" and (word_start or prev in _LATIN_VOWELS):
            out.append("Е" if ch.isupper() else "е")
            i += 2
            continue
        if low == "y" and text[i + 1:i + 2].lower() == "o" and text[i + 2:i + 3] in _APOSTROPHES:
            out.append("Й" if ch.isupper() else "й")  # yoʻl is йўл, not ёъл
            i += 1
            continue
        if low == "e":
            cyr = "э" if word_start or prev in _LATIN_VOWELS else "е"
            out.append(cyr.upper() if ch.isupper() else cyr)
            i += 1
            continue
        if low == "t" and text[i + 1:i + 4].lower() == "siy":
            out.append("Ц" if ch.isupper() else "ц")  # politsiya is полиция (loans in -tsiya)
            i += 2
            continue
        if ch in _APOSTROPHES and prev.isalpha() and text[i + 1:i + 2].isalpha():
            out.append("ъ")
            i += 1
            continue
        for latin, cyr in _LATIN_TO_CYRILLIC:
            if text[i:i + len(latin)].lower() == latin:
                out.append(cyr.upper() if ch.isupper() else cyr)
                i += len(latin)
                break
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# Detected label -> the pack code whose script it can be converted to.
PACK_SCRIPT_VARIANTS: dict[str, str] = {"uzn_Cyrl": "uzn_Latn"}
# Pack code -> the conversion of any text routed to it into the pack's script.
_TO_PACK_SCRIPT: dict[str, Callable[[str], str]] = {"uzn_Latn": uzbek_cyrillic_to_latin}


def script_variants(packs: Iterable[str]) -> dict[str, str]:
    """Detected code -> pack, for the ``packs`` a text in another script may use after
    conversion (``uzn_Cyrl`` -> ``uzn_Latn`` when ``uzn_Latn`` is among them)."""
    packs = set(packs)
    return {variant: code for variant, code in PACK_SCRIPT_VARIANTS.items() if code in packs}


def converts_script(code: str | None) -> bool:
    """Does ``code``'s pack convert the texts routed to it (``to_pack_script``)?"""
    return code in _TO_PACK_SCRIPT


def to_pack_script(code: str | None, text: str) -> str:
    """``text`` in the script of ``code``'s pack (unchanged when there is nothing to convert)."""
    convert = _TO_PACK_SCRIPT.get(code) if code is not None else None
    return convert(text) if convert is not None else text
