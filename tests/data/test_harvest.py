import warnings

import pytest

from langzoo.data import CatalogWarning, DataSourceError, harvest
from langzoo.data.catalogs import parse_fluent, resolve_fluent
from langzoo.data.clean import UZ_OKINA
from langzoo.data.harvest import clean_and_filter

from .conftest import write_mo


def test_harvest_extracts_and_cleans(catalog_root):
    ps = harvest("uz", [catalog_root])
    d = dict(ps.pairs)
    # gettext .mo: accelerators, placeholders, markup, apostrophes cleaned
    assert d["Open the file"] == "Faylni ochish"
    assert d["Save changes to?"] == f"ga o{UZ_OKINA}zgarishlar saqlansinmi?"
    assert d["Delete all items & folders"] == f"Barcha elementlar & jildlarni o{UZ_OKINA}chirish"
    # .po: fuzzy and obsolete entries skipped, translated one kept
    assert d["Show hidden files"] == f"Yashirin fayllarni ko{UZ_OKINA}rsatish"
    assert "Quit now" not in d and "Old string here" not in d
    # identical and credits dropped; other locales (de, uz@cyrillic) not harvested
    assert "Print" not in d and "translator-credits" not in d
    assert "Close the window" not in d
    # Fluent, matched by id against en-US: select default variant, term resolved
    assert d["Open the selected file now"] == "Tanlangan faylni hozir ochish"
    assert d["Delete these items permanently"] == f"Bu elementlarni butunlay o{UZ_OKINA}chirish"
    assert d["Restart Firefox to apply the changes"].startswith(f"O{UZ_OKINA}zgarishlarni")
    assert d["Hello, welcome back to your mailbox"] == "Salom, pochta qutingizga xush kelibsiz"
    assert "This message exists only in English" not in d
    # .xpi archives, matched against the en-GB language pack (.ftl and .properties)
    assert d["Write a new message to your contacts"] == "Kontaktlaringizga yangi xabar yozish"
    assert d["Write a new message to your contacts now"] == "Kontaktlaringizga yangi xabar yozish now"


def test_dedup_on_english_and_counts(catalog_root):
    ps = harvest("uz", [catalog_root])
    ens = [en.casefold() for en, _ in ps.pairs]
    assert len(ens) == len(set(ens))
    c = ps.counts
    assert list(c)[0] == "extracted" and list(c)[-1] == "dedup_en"
    assert c["dedup_en"] == len(ps.pairs)
    assert c["extracted"] > c["identical"] >= c["dedup_en"]
    assert c["empty"] == c["extracted"] - 1  # only "%s:"; credits are never extracted
    assert ps.provenance["catalogs"] >= 5
    assert ps.provenance["counts"] == c


def test_min_words_filter(catalog_root):
    ps = harvest("uz", [catalog_root], min_words=4)
    assert all(len(en.split()) >= 4 and len(l.split()) >= 4 for en, l in ps.pairs)
    assert ps.counts["too_short"] < ps.counts["identical"]


def test_majority_translation_wins():
    log_pairs = [("Open", "Ochish"), ("Open", "Ochmoq"), ("Open", "Ochish"), ("open", "Och")]
    assert clean_and_filter(log_pairs, "uz") == [("Open", "Ochish")]


def test_untranslated_copies_dropped():
    raw = [("Headings must be labelled.", "Headings must be labeled."), ("Headings are here", "Sarlavhalar shu yerda"),
           ("Must be labeled again", "Yana belgilanishi kerak")]
    out = clean_and_filter(raw, "uz")
    assert ("Headings must be labelled.", "Headings must be labeled.") not in out
    assert len(out) == 2


def test_malformed_and_empty_catalogs_skipped(tmp_path, catalog_root):
    bad = catalog_root / "share/locale/uz/LC_MESSAGES"
    (bad / "broken.mo").write_bytes(b"\x00\x01garbage that is not a mo file")
    (bad / "empty.mo").write_bytes(b"")
    (catalog_root / "po/broken").mkdir()
    (catalog_root / "po/broken/uz.po").write_text('msgid "x\nmsgstr bad"""', encoding="utf-8")
    ftl = catalog_root / "ftl/uz/browser/bad.ftl"
    ftl.write_bytes(b"\xff\xfe not utf8")
    (catalog_root / "langpack-uz@firefox.xpi").write_bytes(b"not a zip")
    with pytest.warns(CatalogWarning) as rec:
        ps = harvest("uz", [catalog_root])
    msgs = " ".join(str(w.message) for w in rec)
    assert "broken.mo" in msgs and "empty.mo" in msgs and "langpack-uz@firefox.xpi" in msgs
    assert ps.provenance["skipped_catalogs"] >= 4
    assert len(ps) > 5  # the good catalogs still count


def test_no_catalogs_is_a_clear_error(tmp_path):
    write_mo(tmp_path / "de/LC_MESSAGES/a.mo", [("Open", "Öffnen")])
    with pytest.raises(DataSourceError, match="zoo data fetch --lang uz"):
        harvest("uz", [tmp_path])


def test_missing_root_warns(tmp_path, catalog_root):
    with pytest.warns(CatalogWarning, match="does not exist"):
        harvest("uz", [catalog_root, tmp_path / "nope"])


def test_fluent_parser_details():
    msgs, terms = parse_fluent("-brand = Thunderbird\nmsg = Use { -brand } and { \"quotes\" }\n    continued line\n.bad\n")
    assert terms == {"brand": "Thunderbird"}
    assert resolve_fluent(msgs["msg"], terms) == "Use Thunderbird and quotes continued line"
    msgs, _ = parse_fluent("m = x\n    .label = Label text\n    .tooltip = Tip\n")
    assert msgs == {"m": "x", "m.label": "Label text", "m.tooltip": "Tip"}


def test_cyrillic_uzbek_harvested_separately(catalog_root):
    ps = harvest("uz-Cyrl", [catalog_root])
    assert ps.pairs == [("Close the window", "Ойнани ёпиш")]
