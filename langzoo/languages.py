"""Language codes used across langzoo.

A language is named canonically as ISO 639-3 + ISO 15924 script (``uzn_Latn``, the
GlotLID/FLORES convention) and has a short alias (``uz``) that users type and that
fastText's lid.176 predicts. Macro-language codes (``uzb``) and aliases resolve to
the canonical entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langzoo.cli_args import split_commas
from langzoo.errors import UnknownLanguageError

ENGLISH = "eng_Latn"  # the alignment pivot: every cla maps its language onto English


@dataclass(frozen=True)
class Language:
    code: str  # canonical: ISO 639-3 + "_" + script, e.g. "uzn_Latn"
    alias: str  # short user-facing code, ISO 639-1 where one exists, e.g. "uz"
    name: str

    @property
    def iso639_3(self) -> str:
        return self.code.split("_")[0]

    @property
    def script(self) -> str:
        return self.code.split("_")[1]


# (canonical, alias, English name, extra codes that also resolve here)
_TABLE: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("eng_Latn", "en", "English", ("eng",)),
    ("uzn_Latn", "uz", "Uzbek", ("uzb", "uzn", "uzb_Latn")),
    ("uzn_Cyrl", "uz-Cyrl", "Uzbek (Cyrillic)", ("uzb_Cyrl",)),
    ("kaz_Cyrl", "kk", "Kazakh", ("kaz",)),
    ("kir_Cyrl", "ky", "Kyrgyz", ("kir",)),
    ("azj_Latn", "az", "Azerbaijani", ("aze", "azj", "aze_Latn")),
    ("tur_Latn", "tr", "Turkish", ("tur",)),
    ("tat_Cyrl", "tt", "Tatar", ("tat",)),
    ("tuk_Latn", "tk", "Turkmen", ("tuk",)),
    ("deu_Latn", "de", "German", ("deu", "ger")),
    ("fra_Latn", "fr", "French", ("fra", "fre")),
    ("spa_Latn", "es", "Spanish", ("spa",)),
    ("ita_Latn", "it", "Italian", ("ita",)),
    ("nld_Latn", "nl", "Dutch", ("nld", "dut")),
    ("pol_Latn", "pl", "Polish", ("pol",)),
    ("ces_Latn", "cs", "Czech", ("ces", "cze")),
    ("por_Latn", "pt", "Portuguese", ("por",)),
    ("rus_Cyrl", "ru", "Russian", ("rus",)),
    ("ukr_Cyrl", "uk", "Ukrainian", ("ukr",)),
    ("arb_Arab", "ar", "Arabic", ("ara", "arb", "ara_Arab")),
    ("kor_Hang", "ko", "Korean", ("kor",)),
    ("zho_Hans", "zh", "Chinese (Simplified)", ("zho", "cmn", "chi", "cmn_Hans")),
    ("jpn_Jpan", "ja", "Japanese", ("jpn",)),
    ("hin_Deva", "hi", "Hindi", ("hin",)),
    ("mar_Deva", "mr", "Marathi", ("mar",)),
    ("tel_Telu", "te", "Telugu", ("tel",)),
    ("amh_Ethi", "am", "Amharic", ("amh",)),
    ("hau_Latn", "ha", "Hausa", ("hau",)),
    ("kin_Latn", "rw", "Kinyarwanda", ("kin",)),
    ("swh_Latn", "sw", "Swahili", ("swa", "swh")),
    ("fin_Latn", "fi", "Finnish", ("fin",)),
    ("hun_Latn", "hu", "Hungarian", ("hun",)),
    ("ell_Grek", "el", "Greek", ("ell", "gre")),
    ("heb_Hebr", "he", "Hebrew", ("heb",)),
    ("pes_Arab", "fa", "Persian", ("fas", "pes", "per")),
    ("vie_Latn", "vi", "Vietnamese", ("vie",)),
    ("ind_Latn", "id", "Indonesian", ("ind",)),
    ("tgk_Cyrl", "tg", "Tajik", ("tgk",)),
    ("mon_Cyrl", "mn", "Mongolian", ("mon", "khk", "khk_Cyrl")),
]

_UNLISTED = re.compile(r"[A-Za-z]{3}_[A-Za-z]{4}", re.ASCII)
LANGUAGES: dict[str, Language] = {}
_LOOKUP: dict[str, Language] = {}
for _code, _alias, _name, _extra in _TABLE:
    _lang = Language(_code, _alias, _name)
    LANGUAGES[_code] = _lang
    for _key in (_code, _alias, *_extra):
        _LOOKUP[_key.lower()] = _lang


def resolve_language(code: str | Language) -> Language:
    """Return the :class:`Language` for any accepted spelling (``uz``, ``uzb``, ``uzn_Latn``)."""
    if isinstance(code, Language):
        return code
    if not isinstance(code, str) or not code.strip():
        raise UnknownLanguageError(f"Language code must be a non-empty string, got {code!r}")
    key = code.strip().replace("-", "_").lower()
    lang = _LOOKUP.get(key) or _LOOKUP.get(code.strip().lower())
    if lang is not None:
        return lang
    # Unlisted but well-formed ISO 639-3 + script codes are accepted as they are, so
    # that a user can build a pack for a language this table does not know.
    # Both parts must be ASCII letters: the code becomes a folder name in registries and
    # a Hub repo name, so "abc_/../" must never get through.
    if _UNLISTED.fullmatch(code.strip()):
        iso, script = code.strip().split("_")
        canonical = f"{iso.lower()}_{script.title()}"
        return Language(canonical, canonical, canonical)
    known = ", ".join(sorted({lang.alias for lang in LANGUAGES.values()}))
    raise UnknownLanguageError(
        f"Unknown language code {code!r}. Use an ISO 639-1 alias ({known}) "
        "or an ISO 639-3 + script code such as 'uzn_Latn'."
    )


def parse_language_list(value: str | None):
    """A ``--languages``/``--packs`` value: ``installed`` (or nothing) -> ``"installed"``,
    ``none`` -> ``[]`` (the bare base), else the comma-separated codes or pack folders."""
    if value in (None, "installed"):
        return "installed"
    if value == "none":
        return []
    return split_commas(value)
