"""Word lists from Tesseract language data: the pure-Python DAWG reader on files the
tests write themselves (a trie is a valid squished DAWG), the label mapping, and how
pseudo-sentences enter the LID training file."""

from __future__ import annotations

import struct

import pytest
from tesseract_fixture import write_traineddata as _traineddata

from langzoo.lid.train import TrainParams, write_training_file
from langzoo.lid.wordlists import (
    WordListError,
    label_for_tesseract,
    pseudo_sentences,
    read_traineddata_words,
    shared_word_keep,
    wordlist_texts,
    words_in_label_script,
)

WORDS = ["bola", "bolalar", "bog", "maktab", "maktabga", "oʻzbek", "x"]


def test_reader_returns_every_word_of_the_dawg(tmp_path):
    path = _traineddata(tmp_path / "uzb.traineddata", WORDS)
    assert read_traineddata_words(path) == sorted(WORDS)


@pytest.mark.parametrize("size", [8, 16, 128])
def test_unicharset_of_a_power_of_two_size(tmp_path, size):
    # Tesseract sizes the letter field for size + 1 symbols: at 128 that is 8 bits, not 7.
    path = _traineddata(tmp_path / "p.traineddata", WORDS[:3] if size == 8 else WORDS, pad_to=size)
    assert read_traineddata_words(path) == sorted(WORDS[:3] if size == 8 else WORDS)


def test_prefix_words_and_single_letters_are_kept(tmp_path):
    # "bola" ends inside "bolalar"'s path: the word-end flag on an inner edge counts.
    words = read_traineddata_words(_traineddata(tmp_path / "t.traineddata", ["a", "ab", "abc"]))
    assert words == ["a", "ab", "abc"]


@pytest.mark.parametrize("data", [b"", b"\x05\x00", struct.pack("<i", 500) + b"\x00" * 64])
def test_garbage_is_a_clear_error(tmp_path, data):
    path = tmp_path / "bad.traineddata"
    path.write_bytes(data)
    with pytest.raises(WordListError):
        read_traineddata_words(path)


def test_file_without_lstm_word_list_is_a_clear_error(tmp_path):
    count = 24
    offsets = [-1] * count
    offsets[0] = 4 + 8 * count
    path = tmp_path / "nodawg.traineddata"
    path.write_bytes(struct.pack("<i", count) + struct.pack(f"<{count}q", *offsets) + b"config\n")
    with pytest.raises(WordListError, match="no LSTM word list"):
        read_traineddata_words(path)


def test_wrong_dawg_magic_is_a_clear_error(tmp_path):
    path = _traineddata(tmp_path / "m.traineddata", ["ab"])
    data = bytearray(path.read_bytes())
    (off,) = struct.unpack_from("<q", data, 4 + 8 * 19)
    data[off:off + 2] = struct.pack("<h", 7)
    path.write_bytes(bytes(data))
    with pytest.raises(WordListError, match="magic 7"):
        read_traineddata_words(path)


def test_tesseract_codes_map_to_the_catalog_labels():
    assert label_for_tesseract("uzb") == "uzn_Latn"
    assert label_for_tesseract("uzb_cyrl") == "uzn_Cyrl"
    assert label_for_tesseract("aze") == "azj_Latn"
    assert label_for_tesseract("kir") == "kir_Cyrl"
    assert label_for_tesseract("bul") == "bg"          # a language the zoo has no name for
    assert label_for_tesseract("swe") == "sv"
    assert label_for_tesseract("srp_latn") == "sr_Latn"
    assert label_for_tesseract("jpn_vert") is None and label_for_tesseract("ita_old") is None


def test_pseudo_sentences_are_short_deterministic_and_from_the_list():
    a = pseudo_sentences(WORDS, 50, max_words=4, seed=3)
    assert a == pseudo_sentences(WORDS, 50, max_words=4, seed=3)
    assert len(a) == 50 and all(1 <= len(t.split()) <= 4 for t in a)
    assert {w for t in a for w in t.split()} <= set(WORDS)
    assert pseudo_sentences([], 10) == [] and pseudo_sentences(WORDS, 0) == []


def test_a_shared_word_keeps_one_rate_whatever_the_list_length():
    # Kurmanji's list holds Turkish "evde"; drawn uniformly, the shorter list (kmr) would
    # give it 4x the Turkish rate here and the model learnt "evde" as Kurmanji.
    kmr = ["evde", "mal", "av", "roj"]
    tur = ["evde"] + [f"t{i}" for i in range(15)]
    keep = shared_word_keep({"kmr": kmr, "tur_Latn": tur})
    assert keep == {"kmr": {"evde": 0.25}, "tur_Latn": {}}
    n = 40_000
    rate = {label: sum(t.split().count("evde") for t in pseudo_sentences(words, n, seed=1, keep=keep[label]))
            / sum(len(t.split()) for t in pseudo_sentences(words, n, seed=1, keep=keep[label]))
            for label, words in (("kmr", kmr), ("tur_Latn", tur))}
    # kmr: (1/16) / (1/16 + 3/4) of its draws; tur: 1/16.  Without keep: 1/4 against 1/16.
    assert rate["kmr"] == pytest.approx(1 / 13, rel=0.05)
    assert rate["tur_Latn"] == pytest.approx(1 / 16, rel=0.05)


def test_pseudo_sentences_without_a_keep_entry_draw_uniformly():
    assert pseudo_sentences(WORDS, 30, seed=2, keep={}) == pseudo_sentences(WORDS, 30, seed=2)


def test_wordlist_texts_share_words_at_one_rate(tmp_path):
    _traineddata(tmp_path / "kmr.traineddata", ["evde", "mal"])
    _traineddata(tmp_path / "tur.traineddata", ["evde"] + [f"t{chr(97 + i)}" for i in range(7)])
    out = wordlist_texts([tmp_path], per_label=4000)
    share = {label: sum(t.split().count("evde") for t in texts) / sum(len(t.split()) for t in texts)
             for label, texts in out.items()}
    assert share["tur_Latn"] == pytest.approx(1 / 8, rel=0.1)
    assert share["kmr"] == pytest.approx(0.2, rel=0.1)   # (1/8) / (1/8 + 1/2), not 1/2


def test_wordlist_texts_only_for_wanted_labels_and_skips_bad_files(tmp_path):
    _traineddata(tmp_path / "uzb.traineddata", WORDS)
    _traineddata(tmp_path / "kir.traineddata", ["бала", "мектеп"])
    (tmp_path / "tur.traineddata").write_bytes(b"broken")
    with pytest.warns(UserWarning, match="tur.traineddata"):
        out = wordlist_texts([tmp_path], per_label=20, labels=["uzn_Latn", "tur_Latn"])
    assert list(out) == ["uzn_Latn"] and len(out["uzn_Latn"]) == 20


def test_per_label_counts_share_their_first_texts(tmp_path):
    # zoo lid train draws once: the general model takes the first texts, a family model more.
    _traineddata(tmp_path / "uzb.traineddata", WORDS)
    _traineddata(tmp_path / "kir.traineddata", ["бала", "мектеп"])
    few = wordlist_texts([tmp_path], per_label=5)
    many = wordlist_texts([tmp_path], per_label=5, per_label_for={"uzn_Latn": 40})
    assert len(many["uzn_Latn"]) == 40 and many["uzn_Latn"][:5] == few["uzn_Latn"]
    assert many["kir_Cyrl"] == few["kir_Cyrl"]


def test_words_outside_the_label_script_are_dropped():
    # The script part of the code decides (Tesseract's Chinese list carries English words) ...
    assert words_in_label_script(["学校", "school", "天气"], "zho_Hans") == ["学校", "天气"]
    # ... else the script most of the list is written in.
    assert words_in_label_script(["sekolah", "kapal", "сўз"], "ms") == ["sekolah", "kapal"]
    assert words_in_label_script(["123", "-"], "ms") == []


def test_a_list_in_another_script_than_its_label_is_skipped(tmp_path):
    # Tesseract's "tat" list is Latin-script Tatar; the catalogs' Tatar (tat_Cyrl) is Cyrillic.
    _traineddata(tmp_path / "tat.traineddata", ["mәktәp", "bala", "kitap"])
    _traineddata(tmp_path / "kir.traineddata", ["бала", "мектеп", "book"])
    with pytest.warns(UserWarning, match="tat.traineddata: 3 of 3 words are not in the script of tat_Cyrl"):
        out = wordlist_texts([tmp_path], per_label=30, labels=["tat_Cyrl", "kir_Cyrl"])
    assert list(out) == ["kir_Cyrl"]
    assert {w for t in out["kir_Cyrl"] for w in t.split()} == {"бала", "мектеп"}


def test_english_gets_no_word_list_text_by_default(tmp_path):
    _traineddata(tmp_path / "eng.traineddata", ["school", "weather"])
    _traineddata(tmp_path / "uzb.traineddata", WORDS)
    assert sorted(wordlist_texts([tmp_path], per_label=5)) == ["uzn_Latn"]
    assert sorted(wordlist_texts([tmp_path], per_label=5, skip=())) == ["eng_Latn", "uzn_Latn"]


def test_word_list_text_joins_existing_labels_uncapped_and_never_adds_one(tmp_path):
    texts = {"uzn_Latn": ["Faylni ochish"] * 1 + ["Sozlamalar"], "eng_Latn": ["Open file", "Settings"]}
    extra = {"uzn_Latn": ["bola maktab", "oʻzbek"], "kir_Cyrl": ["бала"]}
    used = write_training_file(texts, tmp_path / "train.txt", TrainParams(cap=1, max_upsample=1), extra)
    lines = (tmp_path / "train.txt").read_text(encoding="utf-8").splitlines()
    assert used == {"eng_Latn": 1, "uzn_Latn": 1}        # the cap applies to catalog text only
    assert "__label__uzn_Latn bola maktab" in lines
    assert not any(line.startswith("__label__kir_Cyrl") for line in lines)
    assert len(lines) == 4


FAKE_APT_CACHE = """#!/bin/sh
if [ "$1" = pkgnames ]; then printf 'tesseract-ocr-uzb\\ntesseract-ocr-kir\\ntesseract-ocr-script-latn\\ntesseract-ocr-osd\\n'; exit 0; fi
shift
for p in "$@"; do echo "$p:"; echo "  Candidate: 1.0"; done
"""
FAKE_DPKG = """#!/bin/sh
code=$(basename "$2" | cut -d_ -f1 | sed 's/^tesseract-ocr-//')
mkdir -p "$3/usr/share/tesseract-ocr/5/tessdata" "$3/usr/share/doc"
cp "$FAKE_TESSDATA/$code.traineddata" "$3/usr/share/tesseract-ocr/5/tessdata/"
echo apache > "$3/usr/share/doc/copyright"
"""


def test_fetch_tessdata_keeps_language_models_only_and_reuses_them(tmp_path, monkeypatch):
    from fake_apt import APT_GET_DOWNLOAD, install_fake_apt

    from langzoo.lid.wordlists import fetch_tessdata

    src = tmp_path / "src"
    src.mkdir()
    _traineddata(src / "uzb.traineddata", WORDS)
    _traineddata(src / "kir.traineddata", ["бала", "мектеп"])
    monkeypatch.setenv("FAKE_TESSDATA", str(src))
    log = install_fake_apt(tmp_path, monkeypatch, apt_cache=FAKE_APT_CACHE, apt_get=APT_GET_DOWNLOAD, dpkg=FAKE_DPKG)
    root = fetch_tessdata(tmp_path / "cache")
    assert sorted(p.name for p in root.iterdir()) == ["kir.traineddata", "uzb.traineddata"]
    downloads = [x for x in log.read_text().splitlines() if "download" in x]
    assert len(downloads) == 1 and "script" not in downloads[0] and "osd" not in downloads[0]
    assert read_traineddata_words(root / "uzb.traineddata") == sorted(WORDS)
    assert fetch_tessdata(tmp_path / "cache") == root                       # second call: no download
    assert [x for x in log.read_text().splitlines() if "download" in x] == downloads
    assert not (tmp_path / "cache" / "tessdata.partial").exists()


def test_interrupted_tessdata_fetch_is_not_taken_for_a_complete_one(tmp_path, monkeypatch):
    from fake_apt import APT_GET_DOWNLOAD, install_fake_apt

    from langzoo.lid.wordlists import fetch_tessdata

    src = tmp_path / "src"
    src.mkdir()
    _traineddata(src / "uzb.traineddata", WORDS)                    # kir's file is missing: dpkg fails
    monkeypatch.setenv("FAKE_TESSDATA", str(src))
    install_fake_apt(tmp_path, monkeypatch, apt_cache=FAKE_APT_CACHE, apt_get=APT_GET_DOWNLOAD,
                     dpkg=FAKE_DPKG.replace("#!/bin/sh", "#!/bin/sh\nset -e"))
    with pytest.raises(Exception, match="dpkg -x"):
        fetch_tessdata(tmp_path / "cache")
    assert not (tmp_path / "cache" / "tessdata").exists()
    _traineddata(src / "kir.traineddata", ["бала"])
    root = fetch_tessdata(tmp_path / "cache")                          # a rerun completes the set
    assert sorted(p.name for p in root.iterdir()) == ["kir.traineddata", "uzb.traineddata"]
