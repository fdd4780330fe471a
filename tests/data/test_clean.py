import pytest

from langzoo.data.clean import (
    UZ_OKINA,
    UZ_TUTUQ,
    clean_text,
    normalize_uzbek_apostrophes,
    pair_reject_reason,
    strip_accelerators,
    strip_markup,
    strip_placeholders,
)
from langzoo.languages import resolve_language


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Delete %s now", "Delete now"),
        ("Copied %d files", "Copied files"),
        ("Page %1$s of %2$s pages", "Page of pages"),
        ("Hello %(name)s there", "Hello there"),
        ("Value $(ARG1) is wrong", "Value is wrong"),
        ("Hi { $user } there", "Hi there"),
        ("Item {0} of {1}", "Item of"),
        ("Disk %1 is full", "Disk is full"),
        ("Progress 50%% done", "Progress 50% done"),
        ("Restart %PRODUCTNAME now", "Restart now"),
        ("Found #1 results", "Found results"),
    ],
)
def test_placeholders_removed(raw, expected):
    assert clean_text(raw) == expected


def test_placeholder_function_alone():
    assert "%s" not in strip_placeholders("a %s b %.2f c %lu")
    assert strip_placeholders("100%% sure") == "100% sure"


@pytest.mark.parametrize(
    "raw, expected",
    [("_File", "File"), ("~Edit", "Edit"), ("&View", "View"), ("Save _As", "Save As"), ("O_pen", "Open"),
     ("Tom && Jerry", "Tom & Jerry"), ("ファイル(_F)", "ファイル"), ("file_name_here", "file_name_here")],
)
def test_accelerators(raw, expected):
    assert strip_accelerators(raw) == expected


def test_markup_and_entities():
    assert clean_text("Delete <b>all</b> files &amp; folders") == "Delete all files & folders"
    assert clean_text('<a href="x">Link</a>&nbsp;text') == "Link text"
    assert strip_markup("a &lt;b&gt;") == "a <b>"
    # an entity is not an accelerator: &amp; must not lose its '&'
    assert clean_text("Tom &amp; Jerry") == "Tom & Jerry"


def test_whitespace_and_invisible_characters():
    assert clean_text("  Open\n the\t\tfile \u00adnow ?") == "Open the file now?"
    assert clean_text("a\u200bb  c") == "ab c"


def test_nfc_normalisation():
    decomposed = "Lo\u0308schen"  # o + combining diaeresis
    assert clean_text(decomposed, "de") == "L\u00f6schen"


def test_only_placeholder_becomes_empty():
    assert clean_text("%s:") == ""
    assert clean_text("{0}") == ""


@pytest.mark.parametrize("variant", ["'", "\u2018", "\u2019", "`", "\u02bb", "\u02bc"])
def test_uzbek_apostrophes_normalised(variant):
    text = f"o{variant}zbek ko{variant}rsat bog{variant} ma{variant}lumot"
    out = normalize_uzbek_apostrophes(text)
    assert out == f"o{UZ_OKINA}zbek ko{UZ_OKINA}rsat bog{UZ_OKINA} ma{UZ_TUTUQ}lumot"


def test_uzbek_quotes_kept_and_only_for_uzbek():
    assert normalize_uzbek_apostrophes("'Fayl' menyusi") == "'Fayl' menyusi"
    assert clean_text("don't", "de") == "don't"  # other languages untouched
    assert clean_text("G'alaba", "uz") == f"G{UZ_OKINA}alaba"


def test_reject_reasons():
    uz = resolve_language("uz")
    kk = resolve_language("kk")
    assert pair_reject_reason("", "x", lang=uz) == "empty"
    assert pair_reject_reason("Print", "print", lang=uz) == "identical"
    assert pair_reject_reason("Open file", "Faylni ochish", lang=uz, min_words=3) == "too_short"
    assert pair_reject_reason("Open file", "Faylni ochish", lang=uz, min_words=2) is None
    assert pair_reject_reason("a b c d", "e f g h", lang=uz, max_words=3) == "too_long"
    assert pair_reject_reason("1234 5678 ab", "1234 5678 cd", lang=uz) == "non_letters"
    assert pair_reject_reason("Open the file", "Open das file", lang=kk) == "wrong_script"
    assert pair_reject_reason("Open the file", "Файлды ашу", lang=kk) is None
