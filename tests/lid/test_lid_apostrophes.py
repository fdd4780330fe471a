"""Which apostrophes the detector turns into Uzbek's oʻ / gʻ before the models read a text."""

import pytest

from langzoo.lid.apostrophes import unify_uzbek_apostrophes

OKINA = "\u02bb"


@pytest.mark.parametrize("text, expected", [
    ("O'zbekiston", f"O{OKINA}zbekiston"),
    ("O‘ZBEKISTON", f"O{OKINA}ZBEKISTON"),  # capitals throughout
    ("bog` va tog’", f"bog{OKINA} va tog{OKINA}"),  # gʻ ends words
    ("mo''jiza", f"mo{OKINA}'jiza"),  # oʻ then the tutuq belgisi
    ("obro'-e'tibor", f"obro{OKINA}-e'tibor"),
    ("Men o'qiyapman.", f"Men o{OKINA}qiyapman."),
    ("'thing'", f"'thing{OKINA}"),  # after g every mark is still converted
    ("o'sdi, o'n, to's-to'polon", f"o{OKINA}sdi, o{OKINA}n, to{OKINA}s-to{OKINA}polon"),
])
def test_uzbek_apostrophes_are_unified(text, expected):
    assert unify_uzbek_apostrophes(text) == expected


@pytest.mark.parametrize("text", [
    "Aspetta un po'.",  # Italian: oʻ never ends an Uzbek word
    "Lo 'strano' furto",  # a closing quote after o
    "It is five o'clock.",
    "Meet me at 6 O'Clock",
    "Sean O'Connor and O’Neill",  # Irish names: a capital, then a lower-case letter
    "po' ",
    "radio'",
    "Het is zo'n 4000 km.",  # Dutch "such a"
    "ijmo'iy, jami’o’i",  # a glottal stop before a vowel: Uzbek's tutuq belgisi, Hausa's
    "Ontario's parks, King's Cross, torpedo’s",  # English and Dutch 's
])
def test_other_apostrophes_after_o_are_left_alone(text):
    assert unify_uzbek_apostrophes(text) == text


def test_rule_1_converts_every_apostrophe_after_o_or_g():
    assert unify_uzbek_apostrophes("un po' o'clock O'Neill", rule=1) == f"un po{OKINA} o{OKINA}clock O{OKINA}Neill"


def test_words_merely_starting_like_the_exceptions_are_uzbek():
    # "o'clocks" is no English word; two capitals follow the mark in "O'ZBek"; "so'Bra" is no name.
    assert unify_uzbek_apostrophes("o'clocks") == f"o{OKINA}clocks"
    assert unify_uzbek_apostrophes("O'ZBek") == f"O{OKINA}ZBek"
    assert unify_uzbek_apostrophes("so'Bra") == f"so{OKINA}Bra"  # not word-initial


def test_an_unknown_rule_is_a_clear_error():
    with pytest.raises(ValueError, match="apostrophe rule"):
        unify_uzbek_apostrophes("o'z", rule=3)
