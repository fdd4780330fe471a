"""Dominant-script detection used by the LID script check."""

from __future__ import annotations

import pytest

from langzoo.lid.evaluation import best_seconds
from langzoo.lid.scripts import (
    char_script,
    dominant_script,
    script_agrees,
    script_counts,
    scripts_for_code,
)


@pytest.mark.parametrize("text,script", [
    ("Men maktabga boraman", "Latin"),
    ("Toshkent Oʻzbekistonning poytaxti", "Latin"),  # U+02BB is not counted as a letter script
    ("Мен мактабга бораман", "Cyrillic"),
    ("Καλημέρα κόσμε", "Greek"),
    ("مرحبا بالعالم", "Arabic"),
    ("שלום עולם", "Hebrew"),
    ("你好世界", "Han"),
    ("안녕하세요 세계", "Hangul"),
    ("नमस्ते दुनिया", "Devanagari"),
    ("ሰላም ለዓለም", "Ethiopic"),
    ("ＡＢＣ ｄｅｆ", "Latin"),  # fullwidth forms
    ("USB-флешка подключена", "Cyrillic"),  # mixed: the majority wins
    ("12345 !!! 😀", None),
    ("", None),
])
def test_dominant_script(text, script):
    assert dominant_script(text) == script


def test_char_script_ignores_common_characters():
    assert char_script("7") is None and char_script(" ") is None and char_script("ʻ") is None
    assert char_script("ў") == "Cyrillic" and char_script("ğ") == "Latin"
    assert script_counts("Abc Где") == {"Latin": 3, "Cyrillic": 3}


@pytest.mark.parametrize("code,script,agrees", [
    ("uzn_Latn", "Latin", True),
    ("uzn_Latn", "Cyrillic", False),
    ("uzn_Cyrl", "Cyrillic", True),
    ("jpn_Jpan", "Hiragana", True),
    ("jpn_Jpan", "Han", True),
    ("kor_Hang", "Han", True),
    ("zho_Hans", "Hangul", False),
    ("ceb", "Latin", True),        # no script part: cannot be checked, never vetoed
    ("xyz_Qaaa", "Latin", True),   # unknown ISO 15924 code
    ("eng_Latn", None, True),      # text without a known script
])
def test_script_agrees(code, script, agrees):
    assert script_agrees(code, script) is agrees


def test_scripts_for_code():
    assert scripts_for_code("kaz_Cyrl") == {"Cyrillic"}
    assert scripts_for_code("ceb") is None


def test_script_detection_is_fast():
    text = ("Бугун ҳаво жуда иссиқ. Today is hot. " * 30)[:1000]
    dominant_script(text)  # warm the per-character cache
    script_s = best_seconds(lambda: [dominant_script(text) for _ in range(200)])
    # Baseline: one plain pass over the same characters.
    loop_s = best_seconds(lambda: [sum(1 for ch in text if ch.isalpha()) for _ in range(200)])
    assert script_s < 20 * loop_s, (script_s, loop_s)  # measured ~5x
