"""The orthography stage: letters a language does not write lower its share, Turkish's
apostrophe before suffixes raises Turkish's, and the detector reads both from the text
as written (its models see it lower-cased)."""

from __future__ import annotations

import numpy as np
import pytest

from langzoo.lid.fasttext_lid import LanguageIdentifier
from langzoo.lid.orthography import (
    EXCLUDED_FACTOR,
    Orthography,
    azerbaijani_suffix_marks,
    azerbaijani_word_marks,
    kazakh_word_marks,
    turkish_suffix_marks,
    uzbek_word_marks,
)


@pytest.mark.parametrize("text", [
    "General James Ewing, Trenton Feribotu'nda",
    "Ryan Gosling ve Emma Stone'un",  # the silent e of a foreign name
    "2009'dan beri",
    "NASA'nın sondası",
    "Dev Slalom’u ise,",  # typographic apostrophe
    "Claudia Loesch'ten 2:11:60",
    "Paris'teki evinde",
])
def test_turkish_suffixes_after_an_apostrophe_are_markers(text):
    assert len(turkish_suffix_marks(text)) == 1


@pytest.mark.parametrize("text", [
    "It's John's car, isn't it?",  # English 's / 't
    "Hawai'i is an island",  # a one-vowel "suffix" after a vowel
    "Jami’in hulda da jama’a",  # Hausa glottal stops
    "Quelqu'un est-il mort ?",  # French elision
    "D'Alema e dell'Italia, Sant'Anna",
    "O'zbekiston",  # Uzbek oʻ after a one-letter stem
    "bu va'da emas",  # Uzbek tutuq, lower case: not a proper noun
    "Kennedy'ego i Joyce'a",  # Polish endings after foreign names
    "Feribotu nda",  # no apostrophe
])
def test_other_apostrophes_are_not_markers(text):
    assert turkish_suffix_marks(text) == []


@pytest.mark.parametrize("text, stems", [
    ("DNT-nin genetik bir", ["DNT"]),
    ("5-ci sırada olan", ["5"]),
    ("1960-cı illərdə və 2004-cü ildə", ["1960", "2004"]),
    ("ABŞ-da yaşayır", ["ABŞ"]),
    # Uzbek dates, Polish and Dutch inflected abbreviations, English compounds, Turkish.
    ("2009-yil 11-sentyabrdan", []),
    ("SUV-a, NDP-leider, 17-story, COVID-19, F-16", []),
    ("DNA'nın 5. sırada", []),
])
def test_azerbaijani_hyphenated_suffixes(text, stems):
    assert azerbaijani_suffix_marks(text) == stems


@pytest.mark.parametrize("text, words", [
    ("Kişi gitara çalır.", ["çalır"]),
    ("Uşaqlar parkda oynayırlar.", ["oynayırlar"]),
    ("Qadın soğan doğrayır", ["doğrayır"]),
    ("Bu doğru deyil, o bunu edir", ["deyil", "edir"]),
    ("BU DOĞRU DEYİL", ["deyil"]),  # Turkic upper case: İ is i
    # Turkish: aorists with -ır that Turkish has, -ar aorists, -yor, and nouns in -ayır.
    ("Adam gitar çalar, çocuk görür ve yatır.", []),
    ("Çocuklar parkta oynuyor; hayır, çayırlar ve panayır değil. Bolayır", []),
])
def test_azerbaijani_verb_forms(text, words):
    assert azerbaijani_word_marks(text) == words


@pytest.mark.parametrize("text, words", [
    ("Men kutyapman.", ["kutyapman"]),
    ("Bolalar oʻynashyapti.", ["oʻynashyapti"]),
    ("Siz nima qilyapsiz?", ["qilyapsiz", "nima"]),
    ("ketayotgan odam", ["ketayotgan"]),
    ("Narxlar oshmoqda.", ["oshmoqda"]),
    # In capitals too (the quick scan before the per-word search ignores case, as it does).
    ("MEN KUTYAPMAN", ["KUTYAPMAN"]), ("Ketayotgan odam", ["Ketayotgan"]),
    # Turkish "yap" is a verb of its own; neither it nor its forms are markers.
    ("Ne yapman gerekiyor?", []), ("Bunu yaptı.", []), ("yapmanı istiyorum", []),
    ("A happy man", []), ("Yapı Kredi", []),
    # Everyday words, with any of Uzbek's apostrophes; the neighbours' own words are not.
    ("Bu nima?", ["nima"]), ("Yoʻq, rahmat.", ["yo'q", "rahmat"]), ("Nima bo‘ladi?", ["nima", "bo'ladi"]),
    ("Menga yordam kerak.", ["menga", "kerak"]),
    ("Bu nə?", []), ("Bana yardım gerek.", []), ("Mənə kömək lazımdır.", []), ("Merci bilan", []),
])
def test_uzbek_verb_forms_and_words(text, words):
    assert uzbek_word_marks(text) == words


def test_kazakh_words_kyrgyz_spells_otherwise():
    assert kazakh_word_marks("Балалар ойнап жатыр.") == ["балалар"]
    assert kazakh_word_marks("Олар осы үйде.") == ["олар", "осы"]
    assert kazakh_word_marks("Балдар ойноп жатышат. Алар ушул үйдө.") == []
    # Kazakh's separate question particle; Kyrgyz joins its own (барбы?), Tatar's "ме" is out.
    assert kazakh_word_marks("Томнан хабар бар ма?") == ["ма"] and kazakh_word_marks("Сен барасың ба ?") == ["ба"]
    assert kazakh_word_marks("Суу барбы?") == kazakh_word_marks("Ол килә ме?") == kazakh_word_marks("Мама?") == []
    # The words are Cyrillic: a Latin text has none, a mixed one keeps its Cyrillic ones.
    assert kazakh_word_marks("olar osy balalar") == [] and kazakh_word_marks("Tom: ОЛАР осы жерде") == ["олар", "осы"]
    out = Orthography(0.5).adjust("Балалар ойнап жатыр.", {"kir_Cyrl": 0.6, "kaz_Cyrl": 0.4})
    assert out["kaz_Cyrl"] == pytest.approx(0.7)


def test_an_uzbek_marker_moves_weight_to_uzbek():
    out = Orthography(0.5).adjust("Men kutyapman.", {"tur_Latn": 0.9, "uzn_Latn": 0.1})
    assert out["uzn_Latn"] == pytest.approx(0.55) and out["tur_Latn"] == pytest.approx(0.45)


def test_an_azerbaijani_marker_moves_weight_to_azerbaijani():
    out = Orthography(0.5).adjust("DNT-nin genetik bir", {"tur_Latn": 0.9, "azj_Latn": 0.1})
    assert out["azj_Latn"] == pytest.approx(0.55) and out["tur_Latn"] == pytest.approx(0.45)


def test_a_stem_ending_in_o_or_g_may_be_uzbek_and_spares_it():
    assert turkish_suffix_marks("Chang'i va To'la") == ["Chang", "To"]
    dist = {"uzn_Latn": 0.9, "eng_Latn": 0.1}
    uzbek = Orthography(0.5).adjust("Chang'i hamda snoubord", dist)
    assert uzbek["uzn_Latn"] == pytest.approx(0.9) and uzbek["tur_Latn"] == pytest.approx(0.05)
    # Another marked name that Uzbek would not write lifts the exemption.
    turkish = Orthography(0.5).adjust("Chicago'dan Ankara'ya", dist)
    assert max(turkish, key=turkish.get) == "tur_Latn"


def test_a_letter_the_language_does_not_write_moves_its_share_to_the_neighbour():
    dist = {"tur_Latn": 0.55, "azj_Latn": 0.44, "eng_Latn": 0.01}
    out = Orthography().adjust("lələklərin yetişkin canlının", dist)
    assert max(out, key=out.get) == "azj_Latn"
    assert sum(out.values()) == pytest.approx(1.0)
    assert out["tur_Latn"] == pytest.approx(0.55 * EXCLUDED_FACTOR / sum(
        [0.55 * EXCLUDED_FACTOR, 0.44, 0.01]))
    # A likelihood ratio, not a veto: a text the models are sure of keeps its language.
    sure = Orthography().adjust("Türkiye ile Əliyev arasında görüşme yapıldı", {"tur_Latn": 0.99, "azj_Latn": 0.01})
    assert max(sure, key=sure.get) == "tur_Latn"
    # Without the letter nothing changes.
    assert Orthography().adjust("yetişkin canlının", dist) == pytest.approx(dist)


def test_kazakh_letters_are_not_kyrgyz_or_russian():
    dist = {"kir_Cyrl": 0.5, "rus_Cyrl": 0.3, "kaz_Cyrl": 0.2}
    out = Orthography().adjust("Бәрі жақсы", dist)
    assert max(out, key=out.get) == "kaz_Cyrl"
    # Kyrgyz letters (ң ө ү) are Kazakh letters too: only Russian loses.
    out = Orthography().adjust("Көрүштөнчө", dist)
    assert out["rus_Cyrl"] < 0.3 * 0.1 and out["kir_Cyrl"] > 0.5


def test_kazakh_vowel_harmony_is_not_kyrgyz():
    dist = {"kir_Cyrl": 0.6, "kaz_Cyrl": 0.4}
    # Kazakh болды / өте / үйлер; Kyrgyz rounds them: болду / өтө / үйлөр.
    for kazakh in ("Ол келіп болды", "өте жақсы", "үйлер"):
        out = Orthography().adjust(kazakh, dist)
        assert max(out, key=out.get) == "kaz_Cyrl", kazakh
    assert Orthography().adjust("Ал болду, үйлөр өтө чоң", dist) == pytest.approx(dist)
    # Russian keeps its vowels: only Kyrgyz is ruled out by the pairs.
    russian = Orthography().adjust("который новый", {"rus_Cyrl": 0.7, "kir_Cyrl": 0.3})
    assert russian["rus_Cyrl"] > 0.95


def test_kyrgyz_writes_no_word_initial_e_and_kazakh_no_long_vowels():
    # Kazakh ел, екі, емес are Kyrgyz эл, эки, эмес; a capitalised loan (Европа) is both.
    dist = {"kir_Cyrl": 0.6, "kaz_Cyrl": 0.3, "rus_Cyrl": 0.1}
    for kazakh in ("кезде елдерге", "жасады елден", "Ол екі"):
        out = Orthography().adjust(kazakh, dist)
        assert max(out, key=out.get) == "kaz_Cyrl", kazakh
    assert Orthography().adjust("Европа жана Азия", dist) == pytest.approx(dist)
    assert Orthography().adjust("эл эки", dist) == pytest.approx(dist)
    # Kyrgyz long vowels (изилдөө, активдүү, Кээ) rule Kazakh out; аа/оо/уу are Kazakh too
    # (координат, туу).
    kk_first = {"kaz_Cyrl": 0.6, "kir_Cyrl": 0.3, "rus_Cyrl": 0.1}
    for kyrgyz in ("изилдөө иштери", "активдүү", "Кээ бир адамдар"):
        out = Orthography().adjust(kyrgyz, kk_first)
        assert max(out, key=out.get) == "kir_Cyrl", kyrgyz
    assert Orthography().adjust("Кээ бир адамдар", kk_first)["rus_Cyrl"] > 0.1  # ээ says nothing against Russian
    assert Orthography().adjust("координат туу", kk_first) == pytest.approx(kk_first)


def test_turkish_writes_no_q_or_x_and_no_final_b_after_a_vowel():
    dist = {"tur_Latn": 0.7, "azj_Latn": 0.2, "uzn_Latn": 0.1}
    for azerbaijani in ("qrupları asteroid", "olmadığını görüb", "çox yaxşı", "Bu kitab"):
        out = Orthography().adjust(azerbaijani, dist)
        assert out["tur_Latn"] < out["azj_Latn"], azerbaijani
    # Turkish spellings, and capitalised names a Turkish text may quote, say nothing.
    for turkish in ("kitap okudum", "Xbox oyunu", "Qatar'a gitti", "taksi durağı", "web sitesi"):
        out = Orthography().adjust(turkish, dist)
        assert out["tur_Latn"] >= 0.7, turkish


def test_rule_set_1_is_stop_28s():
    # Exclusions first, then only the Turkish and Azerbaijani markers; no spellings.
    az = "Amma elmə məlum olan təxminən 5.000 meyvə milçəyi növündən yalnız 36'sında bu ləkələr var."
    out = Orthography(version=1).adjust(az, {"azj_Latn": 0.99, "tur_Latn": 0.01})
    assert out["tur_Latn"] > out["azj_Latn"]
    assert Orthography(version=1).adjust("Men kutyapman.", {"tur_Latn": 0.9, "uzn_Latn": 0.1}) == \
        pytest.approx({"tur_Latn": 0.9, "uzn_Latn": 0.1})
    assert Orthography(version=1).adjust("кезде елдерге", {"kir_Cyrl": 0.6, "kaz_Cyrl": 0.4}) == \
        pytest.approx({"kir_Cyrl": 0.6, "kaz_Cyrl": 0.4})
    with pytest.raises(ValueError, match="orthography rule set"):
        Orthography(version=9)


def test_exclusions_have_the_last_word_over_markers():
    # An Azerbaijani sentence full of ə that writes "36'sında" the Turkish way: the
    # marker moves half of Azerbaijani's mass to Turkish, then ə rules Turkish out.
    text = "Amma elmə məlum olan təxminən 5.000 meyvə milçəyi növündən yalnız 36'sında bu ləkələr var."
    assert turkish_suffix_marks(text) == ["36"]
    out = Orthography().adjust(text, {"azj_Latn": 0.99, "tur_Latn": 0.01})
    assert max(out, key=out.get) == "azj_Latn"
    assert sum(out.values()) == pytest.approx(1.0)


def test_a_marker_moves_its_weight_to_turkish_and_weight_zero_turns_markers_off():
    dist = {"eng_Latn": 0.98, "deu_Latn": 0.02}
    text = "General James Ewing, Trenton Feribotu'nda"
    out = Orthography(0.5).adjust(text, dist)
    assert out["tur_Latn"] == pytest.approx(0.5) and out["eng_Latn"] == pytest.approx(0.49)
    assert sum(out.values()) == pytest.approx(1.0)
    assert Orthography(0.0).adjust(text, dist) == pytest.approx(dist)
    with pytest.raises(ValueError, match="marker weight"):
        Orthography(1.5)


class FixedModel:
    """Answers one distribution for every text and records what it was asked."""

    def __init__(self, dist):
        self.dist = {f"__label__{c}": p for c, p in dist.items()}
        self.seen: list[str] = []

    def get_labels(self):
        return sorted(set(self.dist) | {"__label__uzn_Latn", "__label__tur_Latn", "__label__eng_Latn"})

    def predict(self, texts, k=1, threshold=0.0):
        self.seen += texts
        ranked = sorted(self.dist.items(), key=lambda kv: -kv[1])[: (None if k < 0 else k)]
        return [[lab for lab, _ in ranked] for _ in texts], [np.array([p for _, p in ranked]) for _ in texts]


def _detector(model, **kwargs):
    return LanguageIdentifier(model, name="fixed", allowed=["uz", "tr", "en"], strict_other=True,
                              label_prefix="__label__", lowercase=True, min_confidence=0.0, **kwargs)


def test_the_detector_reads_the_text_as_written():
    model = FixedModel({"eng_Latn": 0.9, "deu_Latn": 0.1})
    text = "General James Ewing, Trenton Feribotu'nda"
    assert _detector(model).detect_one(text).lang == "eng_Latn"
    found = _detector(model, orthography_weight=0.5).detect_one(text)
    assert found.lang == "tur_Latn" and found.raw_label == "__label__eng_Latn"
    # The model saw lower case; the marker needs the capital of the proper noun.
    assert model.seen[-1] == text.lower()
    assert _detector(model, orthography_weight=0.5).detect_one(text.lower()).lang == "eng_Latn"


def test_a_schwa_keeps_azerbaijani_out_of_the_turkish_pack():
    model = FixedModel({"tur_Latn": 0.55, "azj_Latn": 0.44, "eng_Latn": 0.01})
    text = "Lələklərin yetişkin canlının"
    assert _detector(model).detect_one(text).lang == "tur_Latn"
    found = _detector(model, orthography_weight=0.5).detect_one(text)
    assert found.lang is None and found.reason == "other"
    assert _detector(model).orthography_weight is None
    assert _detector(model, orthography_weight=0.3).orthography_weight == 0.3


def test_rule_set_3_knows_the_letters_of_cyrillic_uzbek():
    dist = {"uzn_Cyrl": 0.6, "kir_Cyrl": 0.3, "kaz_Cyrl": 0.1}
    # Kyrgyz ы and ө, Kazakh ә: not Uzbek (Tesseract's 100,823 Cyrillic Uzbek words have none).
    for text in ("Техасстын губернатору", "бөлүм", "Сәлем"):
        out = Orthography().adjust(text, dist)
        assert out["uzn_Cyrl"] < 0.25 and max(out, key=out.get) != "uzn_Cyrl", text
        assert Orthography(version=2).adjust(text, dist)["uzn_Cyrl"] >= 0.6 - 1e-9, text  # no Uzbek rule
    # Uzbek ў and ҳ: not Kazakh, Kyrgyz or Russian.
    out = Orthography().adjust("Бугун ҳаво яхши, кўчада", {"kaz_Cyrl": 0.5, "rus_Cyrl": 0.3, "uzn_Cyrl": 0.2})
    assert max(out, key=out.get) == "uzn_Cyrl"


def test_cyrillic_uzbek_verb_forms_are_a_rule_set_3_marker():
    from langzoo.lid.orthography import uzbek_cyrillic_verb_marks

    assert uzbek_cyrillic_verb_marks("Мен сени тушунмаяпман.") == ["tushunmayapman"]
    assert uzbek_cyrillic_verb_marks("Ўқиётган бола ишламоқда") == ["Oʻqiyotgan", "ishlamoqda"]
    # Russian Япония, Kyrgyz and Kazakh verbs, and Latin text are no marker.
    for text in ("Япония далеко", "Мен сени түшүнбөйм.", "Мен сені түсінбеймін.", "Men kutyapman."):
        assert uzbek_cyrillic_verb_marks(text) == [], text
    dist = {"kir_Cyrl": 0.76, "uzn_Cyrl": 0.24}
    out = Orthography().adjust("Мен сени тушунмаяпман.", dist)
    assert max(out, key=out.get) == "uzn_Cyrl"
    assert Orthography(version=2).adjust("Мен сени тушунмаяпман.", dist) == pytest.approx(dist)


def test_rule_set_4_knows_more_kazakh_that_kyrgyz_writes_otherwise():
    dist = {"kir_Cyrl": 0.6, "kaz_Cyrl": 0.4}
    # Kazakh болуы / ауыл (у before ы), "1957 жылы" (Kyrgyz 1957-жылы), болады / ойлаймын
    # (Kyrgyz болот / ойлойм), and Kazakh words Kyrgyz spells otherwise (былай, туралы).
    for kazakh in ("болмауы керек деп", "ауыл", "1957 жылы Люксембург", "1960 жылдары", "класс болады",
                   "керек деп ойлаймын.", "Болса да", "Амир Хан былай", "кітап туралы"):
        out = Orthography().adjust(kazakh, dist)
        assert max(out, key=out.get) == "kaz_Cyrl", kazakh
        assert Orthography(version=3).adjust(kazakh, dist)["kir_Cyrl"] >= 0.6 - 1e-9 or "і" in kazakh, kazakh
    assert kazakh_word_marks("Амир Хан былай") == ["былай"]
    assert kazakh_word_marks("Амир Хан былай", frozenset({"олар"})) == []
    # Kyrgyz: a hyphenated year, a count of years, болот / болсо / ойлойм; Russian is not
    # touched by the Kyrgyz rules.
    for kyrgyz in ("1957-жылы Люксембург", "5 жыл мурун", "1000 жылдан бери", "Ал болот", "Болсо да", "ойлойм",
                   "бала ойноп жатат"):
        assert Orthography().adjust(kyrgyz, dist) == pytest.approx(dist), kyrgyz
    russian = {"rus_Cyrl": 0.7, "kir_Cyrl": 0.3}
    assert Orthography().adjust("В 1957 году музыка", russian)["rus_Cyrl"] > 0.95


def test_rule_set_4_reads_everyday_uzbek_words_in_cyrillic():
    from langzoo.lid.orthography import uzbek_cyrillic_marks

    assert uzbek_cyrillic_marks("Том қаерда?") == ["qayerda"]
    assert uzbek_cyrillic_marks("Сизнинг исмингиз нима?") == ["sizning", "nima"]
    assert uzbek_cyrillic_marks("Мен сени тушунмаяпман.") == ["tushunmayapman"]
    # Words a Cyrillic neighbour writes the same (Kazakh қандай, Tajik раҳмат, салом), and
    # Latin Uzbek beside Cyrillic, are no Cyrillic Uzbek marker.
    for text in ("Қандай жақсы", "Раҳмат!", "Салом, дӯстон", "Bu nima? Привет", "Том үйде.", "Что это?"):
        assert uzbek_cyrillic_marks(text) == [], text
    dist = {"kaz_Cyrl": 0.7, "uzn_Cyrl": 0.3}
    out = Orthography().adjust("Том қаерда?", dist)
    assert max(out, key=out.get) == "uzn_Cyrl"
    assert Orthography(version=3).adjust("Том қаерда?", dist) == pytest.approx(dist)


def test_rule_set_5_keeps_smaller_cyrillic_turkic_languages_out_of_the_kk_and_uz_packs():
    # Tatar and Turkmen җ, Altai ј ӧ ӱ ҥ, Chuvash ӑ ӗ, Yakut ҕ: neither Kazakh nor Cyrillic Uzbek.
    for text in ("Һәр кешегә җәмгыять", "Ынаҥ ла кижи јайымду", "Кашни ҫын ирӗклӗ", "Әр бир адам җемгыетиң",
                 "Киһи барыта бэйэтин ҕэ"):
        dist = {"kaz_Cyrl": 0.5, "uzn_Cyrl": 0.3, "tat_Cyrl": 0.1, "kir_Cyrl": 0.1}
        out = Orthography().adjust(text, dist)
        assert out["kaz_Cyrl"] < 0.2 and out["uzn_Cyrl"] < 0.2, text
        old = Orthography(version=4).adjust(text, dist)
        assert max(old, key=old.get) in ("kaz_Cyrl", "uzn_Cyrl"), text  # rule set 4 let them in
    # Kazakh and Cyrillic Uzbek themselves lose nothing.
    dist = {"kaz_Cyrl": 0.4, "uzn_Cyrl": 0.4, "kir_Cyrl": 0.2}
    for text, own in (("Барлық адамдар тумысынан азат", "kaz_Cyrl"), ("Барча одамлар эркин бўлиб туғиладилар", "uzn_Cyrl")):
        out, old = Orthography().adjust(text, dist), Orthography(version=4).adjust(text, dist)
        assert max(out, key=out.get) == own and out[own] >= old[own] - 1e-9, text


def test_rule_set_5_reads_kazakh_with_as_not_kyrgyz():
    dist = {"kir_Cyrl": 0.6, "kaz_Cyrl": 0.4}
    for kazakh in ("Мектепке автобуспен барамын.", "сноубордпен", "атпен барды"):
        out = Orthography().adjust(kazakh, dist)
        assert max(out, key=out.get) == "kaz_Cyrl", kazakh
        assert Orthography(version=4).adjust(kazakh, dist) == pytest.approx(dist), kazakh
    # Kyrgyz "менен", "мен" (I), and a capitalised name ending so stay Kyrgyz.
    for kyrgyz in ("Мектепке автобус менен барам.", "Мен да барам", "Антверпен шаарында", "Брисбен"):
        assert Orthography().adjust(kyrgyz, dist) == pytest.approx(dist), kyrgyz


def test_rule_set_5_counts_each_word_written_with_lacking_letters_once_they_fill_a_quarter():
    # Karakalpak, which the models call Kazakh: ў or ҳ in five of its eleven words.
    karakalpak = "Ҳәмме адамлар өз қәдир-қымбаты ҳәм ҳуқықларында еркин ҳәм тең туўылады."
    dist = {"kaz_Cyrl": 0.98, "ba": 0.01, "tat_Cyrl": 0.01}
    out = Orthography().adjust(karakalpak, dist)
    assert max(out, key=out.get) != "kaz_Cyrl" and out["kaz_Cyrl"] < 0.01
    old = Orthography(version=4).adjust(karakalpak, dist)
    assert max(old, key=old.get) == "kaz_Cyrl"  # one factor per text kept it Kazakh
    # A Kazakh sentence naming two Uzbek places stays under the quarter: one factor only.
    kazakh = "Біз Ўзбекстанға барып, Ҳамза ауданындағы мектептерде он күн бойы сабақ бердік."
    assert Orthography().adjust(kazakh, dist) == pytest.approx(Orthography(version=4).adjust(kazakh, dist))
    # A single word with the letter counts once however short the text.
    turkish = {"tur_Latn": 0.9, "azj_Latn": 0.1}
    assert Orthography().adjust("Əliyev", turkish) == pytest.approx(Orthography(version=4).adjust("Əliyev", turkish))


def test_rule_set_6_reads_a_hyphenated_year_as_uzbek():
    from langzoo.lid.orthography import uzbek_year_marks

    assert uzbek_year_marks("1999-yil fevral") == ["1999-yil"]
    assert uzbek_year_marks("1995-йили у Партизан, 2019-йилда") == ["1995-йили", "2019-йилда"]
    # Turkish, Azerbaijani, Kyrgyz and Bashkir years, and Turkish typed without ı, are not Uzbek's.
    for text in ("1995 yılında", "1995 yilinda", "1995-ci ildə", "1995-жылы", "1995 йылда", "yil", "2019-YIL"):
        assert uzbek_year_marks(text) == [], text
    latin = {"azj_Latn": 0.6, "uzn_Latn": 0.4}
    cyrillic = {"sr": 0.6, "uzn_Cyrl": 0.4}
    for text, dist, own in (("1999-yil fevral", latin, "uzn_Latn"), ("1991-йил 31-август", cyrillic, "uzn_Cyrl")):
        out = Orthography().adjust(text, dist)
        assert max(out, key=out.get) == own, text
        assert Orthography(version=5).adjust(text, dist) == pytest.approx(dist), text  # no year rule before
    # The Latin year moves nothing to Cyrillic Uzbek, nor the Cyrillic one to Latin Uzbek.
    both = {"sr": 0.5, "uzn_Latn": 0.25, "uzn_Cyrl": 0.25}
    assert Orthography().adjust("1991-йил", both)["uzn_Latn"] == pytest.approx(0.125)
    assert Orthography().adjust("1991-yil", both)["uzn_Cyrl"] == pytest.approx(0.125)


def test_rule_set_6_reads_a_d_after_a_voiceless_consonant_as_not_turkish():
    dist = {"tur_Latn": 0.7, "azj_Latn": 0.3}
    # Azerbaijani past tense, copula and participle after ç f p s ş t, with no ə, q or x
    # (Turkish bitti, tikilmiştir, ettiği, geçti).
    for azerbaijani in ("Telefonun şarjı bitdi.", "Bu bina tikilmişdir.", "onun etdiyi iş", "Yağış keçdi."):
        out = Orthography().adjust(azerbaijani, dist)
        assert max(out, key=out.get) == "azj_Latn", azerbaijani
    assert Orthography(version=5).adjust("Telefonun şarjı bitdi.", dist) == pytest.approx(dist)
    # Turkish assimilates; Arabic loans with k (takdir, akdi) or -dik (tasdik), compounds
    # inside a word (yurtdışında, dosdoğru) and capitalised words are left alone.
    for turkish in ("Telefonun şarjı bitti.", "takdir etti", "akdi imzaladı", "tasdik edildi", "yurtdışında",
                    "dosdoğru", "Getdi mi?"):
        assert Orthography().adjust(turkish, dist) == pytest.approx(dist), turkish


def test_rule_set_7_reads_hausa_ya_and_za_as_not_french():
    # CLD2 calls Hausa news openings French; the own model and lid.176 do not know it well.
    dist = {"fra_Latn": 0.4, "hau_Latn": 0.3, "swh_Latn": 0.3}
    for hausa in ("Lawan ya ce", "ta ce za a fara", "Zainab ta ce ya tafi"):
        out = Orthography().adjust(hausa, dist)
        assert out["fra_Latn"] < 0.05, hausa
        assert Orthography(version=6).adjust(hausa, dist) == pytest.approx(dist), hausa  # no French rule before
    # French writes "il y a", "y'a"; words that merely contain ya/za, and capitalised names, say nothing.
    for french in ("Il y a du monde.", "Y'a pas de souci.", "Le royaume de Pizza", "Il parle le tai Ya.",
                   "Zaza est arrivé.", "Un crayon et une pizza."):
        assert Orthography().adjust(french, dist) == pytest.approx(dist), french


def test_rule_set_8_rules_out_latin_letters_beyond_a_to_z_for_uzbek():
    # The Uzbek marker "nima" (what) is Czech too ("pod nima", under them): the marker
    # handed the Czech label's mass to Uzbek, and no letter of Czech was ruled out for it.
    czech = "Vikingové seděli na skále v Americe, mluvčí stáli pod nima na jiné skále v Evropě."
    dist = {"ces_Latn": 0.98, "uzn_Latn": 0.01, "eng_Latn": 0.01}
    assert Orthography(version=7).adjust(czech, dist)["uzn_Latn"] > 0.45
    assert Orthography().adjust(czech, dist)["uzn_Latn"] < 1e-6  # seven words with Czech letters
    # One letter of Turkish, Spanish, Karakalpak or Turkmen costs Uzbek the factor; Uzbek's
    # own marks (oʻ and gʻ as ʻ or ‘, the tutuq belgisi as ʼ or ’) are not Latin letters.
    one = {"uzn_Latn": 0.5, "tur_Latn": 0.5}
    for foreign in ("güzel", "país", "úlken", "kitaplaryň"):
        out = Orthography().adjust(foreign, one)
        assert out["uzn_Latn"] == pytest.approx(EXCLUDED_FACTOR / (1 + EXCLUDED_FACTOR)), foreign
        assert Orthography(version=7).adjust(foreign, one) == pytest.approx(one), foreign
    for uzbek in ("Oʻzbekiston", "gʻalaba", "O‘zbekiston", "ma’no", "taʼlim", "Men maktabga boraman."):
        assert Orthography().adjust(uzbek, one) == pytest.approx(one), uzbek
    # Nor do the letters Uzbek writers put for oʻ and gʻ (1993 ö, 2018 draft ó ǵ, typed ò ō)
    # or the 1993 alphabet's ç and ñ: they cost what they cost under rule set 7.
    for uzbek in ("Özbekiston", "Ózbekiston", "ǵalaba", "Òzbekiston", "Ōzbekiston", "çiroyli", "tañ"):
        assert Orthography().adjust(uzbek, one) == pytest.approx(Orthography(version=7).adjust(uzbek, one)), uzbek
        assert Orthography().adjust(uzbek, one) == pytest.approx(one), uzbek
