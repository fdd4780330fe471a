from langzoo.cli_args import split_commas
from langzoo.languages import parse_language_list


def test_split_commas_strips_items_and_drops_empty_ones():
    assert split_commas(" uz, kk,,en ,") == ["uz", "kk", "en"]
    assert split_commas(None) == split_commas("") == split_commas(" , ") == []


def test_language_lists_keep_their_special_values():
    assert parse_language_list(None) == parse_language_list("installed") == "installed"
    assert parse_language_list("none") == []
    assert parse_language_list("uz, kk") == ["uz", "kk"]
