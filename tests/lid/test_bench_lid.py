"""benchmarks/bench_lid.py counts routes right: a tiny data folder and a fake detector.

Each fixture sentence starts with the code the fake detector answers for it ("none":
no language), so the expected route of every sentence is known; the zoo's own routing
(``Zoo.route``: packs, English pivot, bare-base fallback) then decides where it goes.
"""

import sys
from pathlib import Path

import pytest

from langzoo.lid import Detection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_lid  # noqa: E402


class TagLID:
    """Answers the code in each text's first word, ignoring ``allowed`` like a bad model would."""

    allowed = None

    def detect(self, texts):
        tags = [t.split()[0] for t in texts]
        return [Detection(None, 0.0, "", "other") if tag == "none" else Detection(tag, 0.9, tag, "ok")
                for tag in tags]


@pytest.fixture()
def data(tmp_path):
    def write(rel, lines):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    header = "index_id\tcategory\ttext"
    write("flores-dev/uzn_Latn/dev.tsv", [header, "1\tx\tuzn_Latn bir ikki uch tort besh olti yetti sakkiz",
                                          "2\tx\tuzn_Latn qisqa gap", "3\tx\teng_Latn a b c", "4\tx\ttur_Latn b c"])
    write("flores-dev/azj_Latn/dev.tsv", [header, "1\tx\ttur_Latn az bir", "2\tx\tnone az iki",
                                          "3\tx\tuzn_Latn az uc"])
    # A repeated sentence counts once; the English side goes to English.
    write("tatoeba/tatoeba.nld-eng.nld", ["nld_Latn een", "nld_Latn een", "eng_Latn twee"])
    write("tatoeba/tatoeba.nld-eng.eng", ["eng_Latn one", "eng_Latn two", "eng_Latn three"])
    # The ar-en STS17 track has its English sentence first.
    write("sts17/sts17.ar-en.tsv", ["1.0\teng_Latn english first\tnone arabic second"])
    return tmp_path


def _rows(result):
    return {(r["lang"], r["length"]): r for r in result["rows"]}


def test_load_sentences_dedupes_and_names_languages(data):
    found = bench_lid.load_sentences(data)
    assert sorted(found) == ["arb_Arab", "azj_Latn", "eng_Latn", "nld_Latn", "uzn_Latn"]
    assert found["nld_Latn"] == {"tatoeba": ["nld_Latn een", "eng_Latn twee"]}
    assert found["arb_Arab"] == {"sts17": ["none arabic second"]}
    assert found["eng_Latn"]["sts17"] == ["eng_Latn english first"]
    assert len(found["uzn_Latn"]["flores-dev"]) == 4  # the header row is not a sentence


def test_word_count_splits_short_and_long():
    assert bench_lid.n_words("a b c d e f g h") == 8
    assert bench_lid.n_words("我们今天去学校") == 4  # no spaces: two characters a word
    assert bench_lid.n_words("uzn_Latn bir ikki uch tort besh olti yetti sakkiz") == 9


def test_measure_counts_each_route(data):
    sentences = bench_lid.load_sentences(data)
    rows = _rows(bench_lid.measure(bench_lid.make_zoo(["uz"], TagLID()), sentences))
    uz_short = rows[("uz", "short")]  # own, English, and a detected language without a pack (base)
    assert (uz_short["n"], uz_short["own_pct"], uz_short["english_pct"], uz_short["other_pack_pct"],
            uz_short["base_pct"]) == (3, 33.33, 33.33, 0.0, 33.33)
    assert rows[("uz", "long")]["n"] == 1 and rows[("uz", "long")]["own_pct"] == 100.0
    az = rows[("az", "short")]  # no pack: only the uz answer lands in a pack
    assert az["own_pct"] is None and (az["other_pack_pct"], az["base_pct"]) == (33.33, 66.67)
    assert az["routes"] == {"base": 2, "uzn_Latn": 1} and az["base_reasons"] == {"other": 1}
    en = rows[("en", "short")]  # English has the pivot pack: it is its own pack, not "to English"
    assert en["has_pack"] and en["own_pct"] == 100.0 and en["english_pct"] is None and en["n"] == 4
    assert rows[("nl", "short")]["english_pct"] == 50.0 and rows[("ar", "short")]["base_pct"] == 100.0
    assert all(r["texts_per_s"] for r in rows.values())


def test_installing_a_neighbour_pack_moves_texts_into_it(data):
    sentences = bench_lid.load_sentences(data)
    result = bench_lid.measure(bench_lid.make_zoo(["uz", "tr"], TagLID()), sentences)
    rows = _rows(result)
    assert result["packs"] == ["en", "tr", "uz"]
    assert rows[("uz", "short")]["other_pack_pct"] == 33.33
    assert rows[("az", "short")]["other_pack_pct"] == 66.67
    missed = bench_lid.misses(result)
    assert "az short (n=3): 66.7 % into a pack (tr 1, uz 1; target <= 1 %)" in missed
    assert "uz short (n=3): 33.3 % to its own pack (target >= 97 %)" in missed
    assert "| az | no | 3 | – | 0.0 | 66.7 | 33.3 |" in bench_lid.table(result)


def test_cut_short_takes_leading_words_of_long_sentences():
    cuts = bench_lid.cut_short(["a b c d e f g h i j", "a b c x"])
    assert cuts == ["a b c", "a b c d e", "a b c d e f g h"]  # "a b c" of the second one is a repeat


def test_languages_without_short_sentences_get_cut_rows(data):
    sentences = bench_lid.load_sentences(data)
    rows = _rows(bench_lid.measure(bench_lid.make_zoo(["uz"], TagLID()), sentences, min_short=5))
    cut = rows[("uz", "cut")]  # uz has 3 short sentences (< 5): its one long sentence gives 3 cuts
    assert cut["n"] == 3 and cut["own_pct"] == 100.0
    assert ("en", "cut") not in rows  # English has enough short sentences
    result = bench_lid.measure(bench_lid.make_zoo(["uz"], TagLID()), sentences, min_short=5)
    assert bench_lid.table(result, ("cut", "long")).startswith("| lang | pack | n cut | own")


def test_windows_run_through_the_whole_sentence():
    assert bench_lid.windows(["a b c d e f g"]) == ["a b c", "c d e", "e f g", "a b c d e", "c d e f g"]
    assert bench_lid.windows(["a b"], sizes=(3,)) == ["a b"]


def test_languages_without_short_sentences_get_window_rows(data):
    sentences = bench_lid.load_sentences(data)
    result = bench_lid.measure(bench_lid.make_zoo(["uz"], TagLID()), sentences, min_short=5)
    window = _rows(result)[("uz", "window")]  # 9 words: 4 windows of 3, 3 of 5; 2 start with the tag
    assert window["n"] == 7 and window["own_pct"] == 28.57
    assert bench_lid.table(result, ("window", "long")).startswith("| lang | pack | n window | own")


def test_lingua_testdata_rows_are_words_pairs_and_sentences(tmp_path, data):
    def write(rel, lines):
        path = tmp_path / "lm" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    write("tr/testdata/single-words.txt", ["tur_Latn evde", "none kelime"])
    write("tr/testdata/word-pairs.txt", ["tur_Latn iki kelime"])
    write("tr/testdata/sentences.txt", ["tur_Latn Bu bir cümle.", "", "azj_Latn Bu bir cümlədir."])
    write("az/testdata/sentences.txt", ["tur_Latn Bu gün hava yaxşıdır."])
    write("xx-unknown/testdata/sentences.txt", ["none ?"])
    (tmp_path / "lm" / "README.md").write_text("not a language", encoding="utf-8")
    found = bench_lid.load_lingua_testdata(tmp_path / "lm")
    assert found == {"tur_Latn": {"word": ["tur_Latn evde", "none kelime"], "pair": ["tur_Latn iki kelime"],
                                  "sentence": ["tur_Latn Bu bir cümle.", "azj_Latn Bu bir cümlədir."],
                                  "short-sentence": ["tur_Latn Bu bir cümle.", "azj_Latn Bu bir cümlədir."]},
                     "azj_Latn": {"sentence": ["tur_Latn Bu gün hava yaxşıdır."],
                                  "short-sentence": ["tur_Latn Bu gün hava yaxşıdır."]}}
    assert list(bench_lid.load_lingua_testdata(tmp_path / "lm", {"az"})) == ["azj_Latn"]
    (tmp_path / "lm").rename(tmp_path / "language-models")  # the repository around it works too
    assert bench_lid.load_lingua_testdata(tmp_path) == found
    (tmp_path / "language-models").rename(tmp_path / "lm")
    result = bench_lid.measure_parts(bench_lid.make_zoo(["tr"], TagLID()), found)
    rows = _rows(result)
    assert rows[("tr", "word")]["own_pct"] == 50.0 and rows[("tr", "pair")]["own_pct"] == 100.0
    assert rows[("tr", "sentence")]["base_pct"] == 50.0 and rows[("tr", "sentence")]["sources"] == {"sentence": 2}
    assert rows[("az", "sentence")]["other_pack_pct"] == 100.0
    lines = bench_lid.table(result, ("word", "pair", "sentence")).splitlines()
    assert all(line.count("|") == 2 + 5 * 3 + 2 for line in lines)  # three length classes side by side
    assert "| tr | yes | 2 | 50.0 | 0.0 | 0.0 | 50.0 | 1 | 100.0 |" in lines[2]


def test_lingua_sentences_of_up_to_eight_words_are_also_a_class_of_their_own(tmp_path):
    folder = tmp_path / "lm" / "tr" / "testdata"
    folder.mkdir(parents=True)
    nine = "Bu cümlede tam dokuz kelime var ve hepsi Türkçe."
    (folder / "sentences.txt").write_text(f"Bu kısa bir cümle.\n{nine}\n", encoding="utf-8")
    (folder / "word-pairs.txt").write_text("iki kelime\n", encoding="utf-8")
    found = bench_lid.load_lingua_testdata(tmp_path / "lm")["tur_Latn"]
    assert found["sentence"] == ["Bu kısa bir cümle.", nine]
    assert found[bench_lid.LINGUA_SHORT] == ["Bu kısa bir cümle."]
    assert set(found) == {"pair", "sentence", bench_lid.LINGUA_SHORT}  # pairs get no short class
    assert bench_lid.LINGUA_SHORT in bench_lid.LINGUA_LENGTHS


def test_bench_main_reports_lingua_testdata(tmp_path, data, capsys, monkeypatch):
    folder = tmp_path / "lm" / "tr" / "testdata"
    folder.mkdir(parents=True)
    (folder / "sentences.txt").write_text("tur_Latn Bu bir cümle.\n", encoding="utf-8")
    import langzoo.lid as lid
    monkeypatch.setattr(lid, "load_detector", lambda spec: TagLID())
    monkeypatch.setattr(TagLID, "name", "tags", raising=False)
    out = tmp_path / "out.json"
    assert bench_lid.main(["--data", str(data), "--packs", "tr", "--lingua-testdata", str(tmp_path / "lm"),
                           "--out", str(out)]) == 0
    assert "Lingua's test data" in capsys.readouterr().out
    import json
    rows = json.loads(out.read_text(encoding="utf-8"))[0]["rows"]
    assert any(r["lang"] == "tr" and r["length"] == "sentence" and r["own_pct"] == 100.0 for r in rows)
    with pytest.raises(SystemExit):
        bench_lid.main(["--data", str(data), "--packs", "tr", "--lingua-testdata", str(data)])
    with pytest.raises(SystemExit):
        bench_lid.main(["--data", str(data), "--packs", "tr", "--lingua-testdata", str(tmp_path / "missing")])


def test_cyrillic_uzbek_rows_count_the_latin_pack_as_their_own(data):
    sentences = bench_lid.with_cyrillic_uzbek(bench_lid.load_sentences(data))
    cyrillic = sentences["uzn_Cyrl"]["flores-dev-to-cyrillic"]
    assert cyrillic[1] == "узн_Латн қисқа гап"  # the tag is converted too: TagLID answers "узн_Латн"

    class CyrillicTagLID(TagLID):
        def detect(self, texts):
            return super().detect([t.replace("узн_Латн", "uzn_Cyrl") for t in texts])

    rows = _rows(bench_lid.measure(bench_lid.make_zoo(["uz"], CyrillicTagLID()), sentences))
    row = rows[("uz-Cyrl", "short")]
    assert row["has_pack"] and row["own_pct"] == 33.33 and row["routes"]["uzn_Latn"] == 1
    assert bench_lid.with_cyrillic_uzbek({"eng_Latn": {}}) == {"eng_Latn": {}}


def test_packs_recipes_means_every_shipped_recipe():
    from langzoo.recipes.spec import available_specs

    assert bench_lid.pack_codes("recipes") == available_specs()
    assert {"uz", "kk", "fr"} <= set(bench_lid.pack_codes("recipes"))
    assert bench_lid.pack_codes("uz, kk,") == ["uz", "kk"]
    zoo = bench_lid.make_zoo(bench_lid.pack_codes("recipes"), TagLID())
    assert len(zoo.languages) == len(available_specs())  # en is a recipe too: no second English pack


def _conllu(path: Path, sentences: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    blocks = [f"# sent_id = {i}\n# text = {s}\n1\t{s.split()[0]}\t_\t_\t_\t_\t0\troot\t_\t_\n"
              for i, s in enumerate(sentences)]
    path.write_text("\n".join(blocks) + "\n", encoding="utf-8")


def test_treebank_sentences_are_read_once_per_language_in_three_length_classes(tmp_path):
    nine = "uzn_Latn bir ikki uch to'rt besh olti yetti sakkiz"
    _conllu(tmp_path / "UD_Uzbek-UT" / "uz_ut-ud-test.conllu", ["uzn_Latn Ona kuldi.", nine, "uzn_Latn Ona kuldi."])
    _conllu(tmp_path / "UD_Uzbek-UT" / "uz_ut-ud-dev.conllu", ["uzn_Latn besh so'zli gap bor edi"])
    _conllu(tmp_path / "UD_Kazakh-KTB" / "kk_ktb-ud-train.conllu", ["none Бәрі жақсы."])
    _conllu(tmp_path / "UD_X" / "qtd_sagt-ud-test.conllu", ["none unknown language"])  # not a langzoo language
    (tmp_path / "UD_X" / "README.md").write_text("# text = not a treebank\n", encoding="utf-8")
    found = bench_lid.load_treebanks(tmp_path)
    assert found == {"uzn_Latn": {"ud-very-short": ["uzn_Latn Ona kuldi."],
                                  "ud-short": ["uzn_Latn besh so'zli gap bor edi", "uzn_Latn Ona kuldi."],
                                  "ud-long": [nine]},
                     "kaz_Cyrl": {"ud-very-short": ["none Бәрі жақсы."], "ud-short": ["none Бәрі жақсы."]}}
    assert list(bench_lid.load_treebanks(tmp_path, {"kk"})) == ["kaz_Cyrl"]
    rows = _rows(bench_lid.measure_parts(bench_lid.make_zoo(["uz", "kk"], TagLID()), found))
    assert rows[("uz", "ud-very-short")]["own_pct"] == 100.0 and rows[("uz", "ud-long")]["n"] == 1
    assert rows[("kk", "ud-short")]["base_pct"] == 100.0


def test_bench_main_reports_treebanks_and_rejects_a_folder_without_them(tmp_path, data, capsys, monkeypatch):
    _conllu(tmp_path / "ud" / "UD_Turkish-GB" / "tr_gb-ud-test.conllu", ["tur_Latn Yorgun.", "none Annen nasıl?"])
    import langzoo.lid as lid
    monkeypatch.setattr(lid, "load_detector", lambda spec: TagLID())
    monkeypatch.setattr(TagLID, "name", "tags", raising=False)
    out = tmp_path / "out.json"
    assert bench_lid.main(["--data", str(data), "--packs", "tr", "--treebanks", str(tmp_path / "ud"),
                           "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Universal Dependencies treebanks" in printed and "| n ud-very-short |" in printed
    import json
    rows = json.loads(out.read_text(encoding="utf-8"))[0]["rows"]
    row = next(r for r in rows if r["lang"] == "tr" and r["length"] == "ud-very-short")
    assert row["own_pct"] == 50.0 and row["base_pct"] == 50.0
    with pytest.raises(SystemExit):
        bench_lid.main(["--data", str(data), "--packs", "tr", "--treebanks", str(data / "flores-dev")])  # no .conllu
    with pytest.raises(SystemExit):
        bench_lid.main(["--data", str(data), "--packs", "tr", "--treebanks", str(tmp_path / "missing")])
