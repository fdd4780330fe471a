"""The shipped detector (langzoo-lid mixed with lid.176 and CLD2) on a few real sentences.

The sentences are written here (news/encyclopedia style, 6-15 words); the zoo is the
one the issue describes: uz, kk and tr packs plus the English pivot.  Azerbaijani and
Kyrgyz, close relatives without a pack, must go to the bare base, not to tr or kk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from langzoo.lid import load_detector
from langzoo.lid.trained import SHIPPED_DIR
from langzoo.runtime.zoo import Zoo

pytestmark = pytest.mark.slow

SENTENCES = {
    "uzn_Latn": ["Bugun havo juda yaxshi.",
                 "Toshkent Oʻzbekistonning poytaxti va eng katta shahri hisoblanadi.",
                 "Olimlar yangi dori vositasini sinovdan oʻtkazish uchun koʻngillilarni taklif qilishdi."],
    "kaz_Cyrl": ["Астана Қазақстанның астанасы және ірі қалаларының бірі.",
                 "Ғалымдар жаңа дәрінің әсерін зерттеу үшін ерікті адамдарды шақырды."],
    "tur_Latn": ["Ankara Türkiye'nin başkenti ve en kalabalık ikinci şehridir.",
                 "Bilim insanları yeni ilacı denemek için gönüllüleri davet etti."],
    "eng_Latn": ["The weather is nice today.",
                 "Scientists invited volunteers to test the new medicine."],
    # No pack: must land on the bare base.
    "azj_Latn": ["Bakı Azərbaycanın paytaxtı və ən böyük şəhəridir.",
                 "Alimlər yeni dərmanı sınaqdan keçirmək üçün könüllüləri dəvət etdilər."],
    "kir_Cyrl": ["Бишкек Кыргызстандын борбору жана эң чоң шаары болуп саналат.",
                 "Окумуштуулар жаңы дарыны сынап көрүү үчүн ыктыярчыларды чакырышты."],
}
PACKS = ["uzn_Latn", "kaz_Cyrl", "tur_Latn", "eng_Latn"]


def test_the_shipped_model_is_in_the_package():
    assert (SHIPPED_DIR / "model.ftz").stat().st_size < 5_000_000
    assert (SHIPPED_DIR / "manifest.json").is_file() and (SHIPPED_DIR / "NOTICE.md").is_file()


def test_shipped_detector_routes_real_sentences():
    zoo = Zoo(None, {c: Path(f"<not installed: {c}>") for c in PACKS})  # routing needs only the codes
    for lang, texts in SENTENCES.items():
        want = lang if lang in PACKS else None
        got = zoo.explain(texts)
        assert [g["route"] for g in got] == [want] * len(texts), (lang, got)
    assert zoo.lid.name == "langzoo-lid+lid.176+cld2"


def test_cyrillic_uzbek_reaches_the_latin_uz_pack_and_its_neighbours_do_not():
    # Cyrillic Uzbek (the UDHR's first article, and an everyday sentence) is detected as
    # such and routed to the Latin uz pack; Kazakh, Kyrgyz and Russian stay where they were.
    uzbek = ["Барча одамлар эркин, қадр-қиммат ва ҳуқуқларда тенг бўлиб туғиладилар.",
             "Бугун ҳаво жуда яхши.", "Мен сени тушунмаяпман."]  # the last: Kyrgyz to the models
    zoo = Zoo(None, {c: Path(f"<not installed: {c}>") for c in PACKS})
    got = zoo.explain(uzbek)
    assert [(g["lang"], g["route"]) for g in got] == [("uzn_Cyrl", "uzn_Latn")] * 3, got
    assert [g["route"] for g in zoo.explain(SENTENCES["kaz_Cyrl"])] == ["kaz_Cyrl"] * 2
    assert [g["route"] for g in zoo.explain(SENTENCES["kir_Cyrl"] + ["Сегодня хорошая погода."])] == [None] * 3
    off = Zoo(None, {c: Path(f"<not installed: {c}>") for c in PACKS}, transliterate=False)
    assert [g["route"] for g in off.explain(uzbek)] == [None] * 3


def test_readme_example_goes_to_uzbek_with_confidence():
    det = load_detector("default", allowed=["uz", "en"])
    got = det.detect(["Bugun havo juda yaxshi."])[0]
    assert got.lang == "uzn_Latn" and got.confidence > 0.8


def test_issue_short_uzbek_example_is_uzbek_not_english():
    # Issue 15: with catalog text alone this went to "other" (lid.176: English, 0.96).
    det = load_detector("default", allowed=["uz", "kk", "tr", "en"])
    got = det.detect(["Men maktabga boraman."])[0]
    assert got.lang == "uzn_Latn", got


# Short Azerbaijani without "ə", the letter Turkish lacks.  lid.176 calls the first two
# Turkish (0.99, 1.00), and the trained model and lid.176 alone, without the Turkic family
# model, CLD2 or the Lingua arbiter, send both to the tr pack; any one of the three keeps them out.
AZ_WITHOUT_SCHWA = ["Onlar bir vaqonda oturdular.", "Bunun cavan bir ağac olduğu deyilir.",
                    "Uşaqlar indi yatırlar.", "Biz axşam kinoya getdik."]
TR_SHORT = ["Onlar bir vagonda oturdular.", "Yaz aylarında hava çok sıcak olur.", "Çocuklar şimdi uyuyorlar.",
            "Biz akşam sinemaya gittik."]


def test_short_azerbaijani_stays_out_of_the_turkish_pack():
    det = load_detector("default", allowed=["uz", "tr", "en"])
    assert [d.lang for d in det.detect(AZ_WITHOUT_SCHWA)] == [None] * 4
    assert [d.lang for d in det.detect(TR_SHORT)] == ["tur_Latn"] * 4
    # The two models alone, without the later stages and the spelling facts ("vaqonda":
    # Turkish writes no q), call both Turkish.
    two_models = load_detector("default", allowed=["uz", "tr", "en"], family_weight=0.0, cld2_weight=0.0,
                               pair_weight=0.0, orthography_weight=None, lexicon_weight=0.0, neighbour_margin=0.0)
    assert [d.lang for d in two_models.detect(AZ_WITHOUT_SCHWA[:2])] == ["tur_Latn"] * 2
    for det in (load_detector("default", allowed=["uz", "tr", "en"], family_weight=0.0, pair_weight=0.0,
                              lexicon_weight=0.0, neighbour_margin=0.0),
                load_detector("default", allowed=["uz", "tr", "en"], cld2_weight=0.0, pair_weight=0.0,
                              lexicon_weight=0.0, neighbour_margin=0.0),
                load_detector("default", allowed=["uz", "tr", "en"], family_weight=0.0, cld2_weight=0.0,
                              lexicon_weight=0.0, neighbour_margin=0.0)):
        assert [d.lang for d in det.detect(AZ_WITHOUT_SCHWA[:2])] == [None] * 2


def test_lingua_keeps_a_short_azerbaijani_caption_out_of_the_turkish_pack():
    # Without "ə": the mixture and the family model say Turkish (0.51 against 0.44),
    # Lingua's pick between the two says Azerbaijani.
    text = ["Pişik divanda yatır."]
    assert load_detector("default", allowed=["uz", "tr", "en"]).detect(text)[0].lang is None
    without = load_detector("default", allowed=["uz", "tr", "en"], pair_weight=0.0, neighbour_margin=0.0)
    assert without.detect(text)[0].lang == "tur_Latn"


def test_spelling_facts_have_the_last_word():
    # "ə" is not Turkish, but the models and Lingua call these Turkish at 1.0; an apostrophe
    # before a suffix is Turkish, but the models call it "other".
    # Azerbaijani hyphens and verb forms: "5-ci", "çalır" (Turkish "5.", "çalar").
    az = ["bu lələklər", "lələyi kimi yetişkin", "DNT-nin genetik bir", "Kişi gitara çalır.", "Tom Merini sevir."]
    tr = ["Microsoft'un CEO'su", "Adam gitar çalıyor."]
    det = load_detector("default", allowed=["uz", "tr", "en"])
    without = load_detector("default", allowed=["uz", "tr", "en"], orthography_weight=None, lexicon_weight=0.0,
                            neighbour_margin=0.0)
    assert [d.lang for d in without.detect(az + tr)] == ["tur_Latn"] * 5 + [None, "tur_Latn"]
    assert [d.lang for d in det.detect(az + tr)] == [None] * 5 + ["tur_Latn"] * 2


def test_uzbek_markers_reach_the_uzbek_pack():
    # "kutyapman": Uzbek -yap-, which the models read as Turkish "yap" (do); "nima": what.
    texts = ["Men kutyapman.", "Bu nima?"]
    assert [d.lang for d in load_detector("default", allowed=["uz", "tr", "en"]).detect(texts)] == ["uzn_Latn"] * 2
    without = load_detector("default", allowed=["uz", "tr", "en"], orthography_weight=None, lexicon_weight=0.0,
                            neighbour_margin=0.0)
    assert [d.lang for d in without.detect(texts)] == ["tur_Latn", None]


def test_lingua_is_not_asked_about_long_text():
    # 22 words, full of ə: three voters say Azerbaijani at 1.0; Lingua, restricted to
    # az/tr, says Turkish at 1.0 after "ayrı-ayrı tayfa bilirlər" (Leipzig, via Lingua's
    # own test data).
    text = ("Bəziləri yazırlar ki, Şüeyb iki dəfə peyğəmbərliyə seçilib, bir dəfə Mədyən camaatına, "
            "ikinci dəfə isə Əshabi-Əykəyə, bununla da onları ayrı-ayrı tayfa bilirlər.")
    assert load_detector("default", allowed=["uz", "tr", "en"]).detect([text])[0].lang is None


def test_short_turkish_is_not_crimean_tatar_by_ui_strings():
    # The family model learned Crimean Tatar from UI strings alone ("sistem"): capped.
    det = load_detector("default", allowed=["uz", "kk", "tr", "en"])
    assert [d.lang for d in det.detect(["sistem nasıl", "zaman zarfında"])] == ["tur_Latn"] * 2
    assert det._model.base.base.capped["turkic"] == {"__label__crh", "__label__cv", "__label__tat_Cyrl",
                                                "__label__tuk_Latn"}
    uncapped = load_detector("default", allowed=["uz", "kk", "tr", "en"], family_cap=False)
    assert [d.lang for d in uncapped.detect(["sistem nasıl", "zaman zarfında"])] == [None] * 2


def test_shipped_model_has_the_turkic_family_model():
    import json

    family = json.loads((SHIPPED_DIR / "manifest.json").read_text(encoding="utf-8"))["families"]["turkic"]
    assert {"uzn_Latn", "azj_Latn", "kaz_Cyrl", "kir_Cyrl", "tur_Latn"} <= set(family["labels"])
    assert (SHIPPED_DIR / family["model"]).stat().st_size < 5_000_000


def test_shipped_manifest_records_the_word_list_source():
    import json

    manifest = json.loads((SHIPPED_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["wordlist_texts"] > 0
    assert {"uzn_Latn", "azj_Latn", "kaz_Cyrl", "kir_Cyrl", "tur_Latn"} <= set(manifest["wordlist_labels"])
    assert "Tesseract" in (SHIPPED_DIR / "NOTICE.md").read_text(encoding="utf-8")


def test_shipped_manifest_records_the_udhr_source():
    import json

    manifest = json.loads((SHIPPED_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["udhr_texts"] > 0 and manifest["params"]["family_udhr_texts"] == 0
    assert {"uzn_Latn", "azj_Latn", "kaz_Cyrl", "tur_Latn", "hau_Latn", "kin_Latn"} <= set(manifest["udhr_labels"])
    assert "eng_Latn" not in manifest["udhr_labels"]
    assert "Universal Declaration of Human Rights" in (SHIPPED_DIR / "NOTICE.md").read_text(encoding="utf-8")


# Hausa is not in lid.176 and has 960 catalog strings; the UDHR text is the only running
# Hausa the model saw (Hausa openings to English: 4.5 % before it, 1.7 % with it).  No
# pack: the bare base, not the English pivot.
HAUSA = ["Yara suna wasa a makaranta kowace rana.", "Gwamnati ta ce za ta gina sabuwar hanya.",
         "Ina son in koyi yaren Hausa sosai.", "Manoma sun fara shuka gero da dawa a bana."]


def test_hausa_goes_to_the_bare_base_not_to_english():
    det = load_detector("default", allowed=PACKS)
    assert [d.lang for d in det.detect(HAUSA)] == [None] * len(HAUSA)


def test_hausa_he_said_stays_out_of_the_french_pack():
    # CLD2 reads Hausa "ya ce" (he said) and "za a" (it will be) as French at ~0.9; French
    # writes no word "ya" or "za" (rule set 7).  Self-written openings of the news kind.
    hausa = ["Musa ya ce", "Musa ya ce za a fara", "Ya ce za a"]
    french = ["Il y a du monde.", "Je suis fatigué."]
    packs = ["fr", "uz", "tr", "en"]
    before = load_detector("default", allowed=packs, orthography_version=6)
    assert [d.lang for d in before.detect(hausa)] == ["fra_Latn"] * 3
    det = load_detector("default", allowed=packs)
    assert [d.lang for d in det.detect(hausa + french)] == [None] * 3 + ["fra_Latn"] * 2


def test_italian_po_and_english_o_clock_stay_out_of_the_uzbek_pack():
    # Apostrophe rule 1 made "po'" and "o'clock" Uzbek oʻ, and these went to the uz pack
    # of the README's zoo; rule 2 converts only the apostrophes Uzbek writes.
    foreign = ["Ho dormito un po'.", "Aspetta un po'.", "It is five o'clock.", "Call O'Neill now."]
    uzbek = ["Men o'qiyapman.", "Bog' juda chiroyli.", "O'zbekiston katta davlat."]
    packs = ["uz", "en"]
    before = load_detector("default", allowed=packs, apostrophe_rule=1)
    assert [d.lang for d in before.detect(foreign)] == ["uzn_Latn"] * 4
    det = load_detector("default", allowed=packs)
    assert [d.lang for d in det.detect(foreign)] == [None, None, "eng_Latn", "eng_Latn"]
    assert [d.lang for d in det.detect(uzbek)] == ["uzn_Latn"] * 3


def test_czech_with_the_word_nima_stays_out_of_the_uzbek_pack():
    # A real Leipzig Czech sentence: "nima" (Czech: them) is an Uzbek marker (what), and
    # rule set 7 sent it to the uz pack at 1.0.  Uzbek writes no Latin letter beyond a-z.
    czech = ["Vikingové seděli na skále v Americe, mluvčí stáli pod nima na jiné skále v Evropě.",
             "Co s nima uděláš?"]
    uzbek = ["Bu nima?", "Sen nima qilyapsan?", "Gérard Depardieu Oʻzbekistonga keldi va bizga rahmat dedi."]
    packs = ["uz", "en"]
    before = load_detector("default", allowed=packs, orthography_version=7)
    assert [d.lang for d in before.detect(czech)] == ["uzn_Latn"] * 2
    det = load_detector("default", allowed=packs)
    assert [d.lang for d in det.detect(czech)] == [None] * 2
    assert [d.lang for d in det.detect(uzbek)] == ["uzn_Latn"] * 3


def test_azerbaijani_words_turkish_lacks_keep_short_azerbaijani_out_of_the_tr_pack():
    # Self-written Azerbaijani with only letters Turkish writes too: without the pair
    # lexicons each went to the tr pack; "güman", "oksigen", "alpinizm", "atasından" are in
    # Tesseract's Azerbaijani list and not in its Turkish one.
    azerbaijani = ["o zaman, güman ki", "Oksigen atomları daha", "alpinizm turları", "Onun babası atasından"]
    turkish = ["Bugün bilgisayar aldım", "Şüphesiz yağmur yağacak", "Virüsü buldular"]
    packs = ["uz", "kk", "tr", "en"]
    without = load_detector("default", allowed=packs, lexicon_weight=0.0, neighbour_margin=0.0)
    assert [d.lang for d in without.detect(azerbaijani)] == ["tur_Latn"] * 4
    det = load_detector("default", allowed=packs)
    assert det.build_options["lexicon_weight"] == 0.5
    assert [d.lang for d in det.detect(azerbaijani)] == [None] * 4
    assert [d.lang for d in det.detect(turkish)] == ["tur_Latn"] * 3


def test_azerbaijani_words_uzbek_lacks_keep_short_azerbaijani_out_of_the_uzbek_pack():
    # The README's zoo (uz + en): "vaqonlar" is Azerbaijani, Uzbek writes "vagonlar".
    azerbaijani = ["iki sinif vaqonlar"]
    uzbek = ["Biz vagonda o'tirdik", "Ular poyezdda ketishdi", "Bugun havo juda yaxshi."]
    without = load_detector("default", allowed=["uz", "en"], lexicon_weight=0.0, neighbour_margin=0.0)
    assert [d.lang for d in without.detect(azerbaijani)] == ["uzn_Latn"]
    det = load_detector("default", allowed=["uz", "en"])
    assert [d.lang for d in det.detect(azerbaijani)] == [None]
    assert [d.lang for d in det.detect(uzbek)] == ["uzn_Latn"] * 3


def test_a_string_valid_in_azerbaijani_and_turkish_is_not_the_turkish_packs_to_take():
    # Self-written; each is a sentence in both languages, and the voters give Azerbaijani
    # nearly as much as Turkish.  Without an az pack the text goes to the bare base.
    both = ["Bu yol uzundur.", "Onun adı Alidir."]
    packs = ["uz", "kk", "tr", "en"]
    det = load_detector("default", allowed=packs)
    assert det.neighbour_margin == 0.15
    assert [(d.lang, d.reason) for d in det.detect(both)] == [(None, "other")] * 2
    assert [d.lang for d in det.detect(TR_SHORT)] == ["tur_Latn"] * 4
    without = load_detector("default", allowed=packs, neighbour_margin=0.0)
    assert [d.lang for d in without.detect(both)] == ["tur_Latn"] * 2
    # The margin is relative: Uzbek 0.12 (the rest spread over Indonesian and English) is
    # not close to a trace of Crimean Tatar (0.02).
    assert det.detect(["Men seni sevaman."])[0].lang == "uzn_Latn"
    # With an az pack installed the better of the two packs takes it.
    assert load_detector("default", allowed=packs + ["az"]).detect(both[:1])[0].lang == "tur_Latn"


def test_a_latin_text_cld2_calls_tatar_stays_out_of_the_uzbek_pack():
    # Self-written Kinyarwanda about the Rwandan club Rayon Sports: CLD2 says Tatar, which
    # langzoo knows only in Cyrillic; the family model used to hand that share to Uzbek.
    text = ["Rayon Sports iratsinda"]
    assert load_detector("default", allowed=["uz", "en"]).detect(text)[0].lang is None
    before = load_detector("default", allowed=["uz", "en"], family_same_script=False)
    assert before.detect(text)[0].lang == "uzn_Latn"
    uzbek = ["Bugun havo juda yaxshi.", "Ular poyezdda ketishdi", "Men kutyapman."]
    assert [d.lang for d in load_detector("default", allowed=["uz", "en"]).detect(uzbek)] == ["uzn_Latn"] * 3
