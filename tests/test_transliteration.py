"""Cyrillic Uzbek -> Latin for the Latin uz pack (and the approximate way back, for benchmarks)."""

import pytest

from langzoo.transliteration import (PACK_SCRIPT_VARIANTS, converts_script, to_pack_script, uzbek_cyrillic_to_latin,
                                     uzbek_latin_to_cyrillic)


@pytest.mark.parametrize("cyrillic, latin", [
    ("Ўзбекистон", "Oʻzbekiston"),
    ("ғалаба", "gʻalaba"),
    ("ер ва ел", "yer va yel"),          # е is ye at the start of a word
    ("поезд", "poyezd"),                  # ... and after a vowel
    ("объект", "obʼyekt"),                # ... and after ъ (which is the tutuq belgisi)
    ("маъно", "maʼno"),
    ("Шаҳар", "Shahar"),                  # a digraph keeps the word's case
    ("ШАҲАР", "SHAHAR"),
    ("Чиройли", "Chiroyli"),
    ("цирк", "sirk"),                     # ц is s at the start and after a consonant
    ("милиция", "militsiya"),             # ... and ts after a vowel
    ("Исҳоқ", "Isʼhoq"),                  # сҳ must not read as sh
    ("қўшиқ", "qoʻshiq"),
    ("Юлдуз ёки Ясин", "Yulduz yoki Yasin"),
])
def test_official_correspondences(cyrillic, latin):
    assert uzbek_cyrillic_to_latin(cyrillic) == latin


def test_latin_and_other_characters_are_kept():
    text = "Oʻzbekiston, 2024-yil: 5 % (NASA) — «Salom»!"
    assert uzbek_cyrillic_to_latin(text) == text
    assert uzbek_cyrillic_to_latin("Мен iPhone 15 олдим.") == "Men iPhone 15 oldim."
    assert uzbek_cyrillic_to_latin("") == ""


@pytest.mark.parametrize("latin", [
    "Toshkent Oʻzbekistonning poytaxti va eng katta shahri hisoblanadi.",
    "Yoʻlda yomgʻir yogʻdi, ertaga esa qor yogʻadi.",
    "Bu maʼlumot yangi emas.",
    "Politsiya muvaffaqiyatsizlikdan keyin keldi.",  # полиция, but -siz after t stays тс
])
def test_latin_to_cyrillic_and_back_is_the_same_text(latin):
    cyrillic = uzbek_latin_to_cyrillic(latin)
    assert not any("a" <= ch.lower() <= "z" for ch in cyrillic)
    assert uzbek_cyrillic_to_latin(cyrillic) == latin


def test_only_packs_with_a_conversion_convert():
    assert PACK_SCRIPT_VARIANTS["uzn_Cyrl"] == "uzn_Latn" and converts_script("uzn_Latn")
    assert not converts_script("kaz_Cyrl") and not converts_script(None)
    assert to_pack_script("kaz_Cyrl", "Сәлем") == "Сәлем"
    assert to_pack_script(None, "Салом") == "Салом"
    assert to_pack_script("uzn_Latn", "Салом") == "Salom"


def test_symbols_and_brands_stay_latin_in_cyrillic():
    assert uzbek_latin_to_cyrillic("pH (potensial vodorod), iPhone va DNK.") == \
        "pH (потенсиал водород), iPhone ва ДНК."
