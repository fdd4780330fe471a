"""GlotLID-style models (tiny fastText trained here), the Hub path, and the script check."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from langzoo.fasttext_matrix import FULL_INIT_THREADS, input_matrix_problem
from langzoo.lid import models as lid_models
from langzoo.lid import load_detector
from langzoo.lid.fasttext_lid import LanguageIdentifier
from langzoo.lid.models import LidModelError, LidModelNotAvailableError

UZ_LATN = ["Men maktabga boraman har kuni ertalab", "Bugun havo juda issiq va quyoshli",
           "Kitobni stolga qoʻying iltimos", "Siz qayerda yashaysiz hozir",
           "Toshkent Oʻzbekistonning poytaxti hisoblanadi", "Bolalar hovlida toʻp oʻynadilar"]
UZ_CYRL = ["Мен мактабга бораман ҳар куни эрталаб", "Бугун ҳаво жуда иссиқ ва қуёшли",
           "Китобни столга қўйинг илтимос", "Сиз қаерда яшайсиз ҳозир",
           "Тошкент Ўзбекистоннинг пойтахти ҳисобланади", "Болалар ҳовлида тўп ўйнадилар"]
KK = ["Мен мектепке барамын күнде таңертең", "Бүгін ауа райы өте ыстық және күнді",
      "Кітапты үстелге қойыңыз өтінемін", "Сіз қазір қайда тұрасыз",
      "Астана Қазақстанның астанасы болып табылады", "Балалар аулада доп ойнады"]
EN = ["I go to school every morning", "Today the weather is very hot and sunny",
      "Please put the book on the table", "Where do you live now",
      "London is the capital of the United Kingdom", "The children played football in the yard"]
TYV = ["Мен школага баар мен", "Бөгүн агаар дыка изиг", "Кижилер чурттап турар",
       "Тыва дыл эки", "Бистиң өг-бүле улуг", "Уруглар ойнап турлар"]


def _train(tmp: Path, rows: list[tuple[str, str]], name: str = "model.bin") -> Path:
    """Train a tiny supervised fastText model (milliseconds) and save it as ``name``."""
    import fasttext

    train = tmp / "train.txt"
    # Each line three times: enough signal for a dim-16 model to fit its training set.
    train.write_text("".join(f"__label__{lab} {text}\n" for lab, text in rows * 3), encoding="utf-8")
    # Enough threads to initialise the whole input matrix (langzoo.fasttext_matrix). With
    # thread=1 training here failed with "Encountered NaN" in ~40% of runs once torch had
    # been imported in the process; 10 threads leave the last rows*dim % 10 values as the
    # allocator returned them.
    model = fasttext.train_supervised(input=str(train), dim=16, epoch=200, lr=0.3, minn=2, maxn=4,
                                      bucket=20_000, wordNgrams=1, thread=FULL_INIT_THREADS, seed=7, verbose=0)
    assert input_matrix_problem(model) is None
    out = tmp / name
    model.save_model(str(out))
    return out


@pytest.fixture(scope="module")
def glotlid_dir(tmp_path_factory) -> Path:
    """A GlotLID-style folder: model.bin with labels like __label__uzn_Latn."""
    tmp = tmp_path_factory.mktemp("glotlid")
    rows = ([("uzn_Latn", t) for t in UZ_LATN] + [("uzn_Cyrl", t) for t in UZ_CYRL]
            + [("kaz_Cyrl", t) for t in KK] + [("eng_Latn", t) for t in EN]
            + [("tyv_Cyrl", t) for t in TYV])
    _train(tmp, rows)
    return tmp


@pytest.fixture(scope="module")
def scriptblind_model(tmp_path_factory) -> Path:
    """A model that, like lid.176, labels Uzbek in both scripts as one Latin-script label."""
    tmp = tmp_path_factory.mktemp("blind")
    rows = ([("uzn_Latn", t) for t in UZ_LATN + UZ_CYRL] + [("kaz_Cyrl", t) for t in KK]
            + [("eng_Latn", t) for t in EN])
    return _train(tmp, rows, "blind.bin")


def test_glotlid_labels_map_to_canonical_codes(glotlid_dir):
    lid = LanguageIdentifier.from_glotlid(glotlid_dir)
    assert lid.name == "glotlid" and lid.path == glotlid_dir / "model.bin"
    # tyv_Cyrl (Tuvan) is not in the language table and keeps its own code.
    assert lid.codes == {"uzn_Latn", "uzn_Cyrl", "kaz_Cyrl", "eng_Latn", "tyv_Cyrl"}
    dets = lid.detect([UZ_LATN[0], UZ_CYRL[1], KK[2], EN[3]])
    assert [d.lang for d in dets] == ["uzn_Latn", "uzn_Cyrl", "kaz_Cyrl", "eng_Latn"]
    assert dets[0].raw_label == "__label__uzn_Latn"


def test_glotlid_from_file_and_load_detector_paths(glotlid_dir):
    by_file = LanguageIdentifier.from_glotlid(glotlid_dir / "model.bin")
    by_dir_spec = load_detector(str(glotlid_dir))
    by_file_spec = load_detector(str(glotlid_dir / "model.bin"))
    assert by_dir_spec.name == "glotlid" and by_file_spec.name == "model.bin"
    for lid in (by_file, by_dir_spec, by_file_spec):
        assert lid.detect_one(KK[0]).lang == "kaz_Cyrl"


def test_glotlid_folder_without_model(tmp_path):
    with pytest.raises(LidModelError, match="No model.bin"):
        LanguageIdentifier.from_glotlid(tmp_path)
    with pytest.raises(LidModelError, match="neither an existing file"):
        LanguageIdentifier.from_glotlid("./missing/model.bin")


def test_glotlid_restriction_with_glotlid_labels(glotlid_dir):
    lid = LanguageIdentifier.from_glotlid(glotlid_dir, allowed=["uz", "kk"])
    assert lid.allowed == frozenset({"uzn_Latn", "kaz_Cyrl"})
    assert lid.detect_one(EN[0]).reason == "other"
    assert lid.detect_one(KK[0]).lang == "kaz_Cyrl"


def test_script_mismatch_never_routes_cyrillic_uzbek_to_latin_pack(scriptblind_model):
    lid = LanguageIdentifier.from_path(scriptblind_model,
                                       allowed=["uzn_Latn", "kaz_Cyrl", "eng_Latn"])
    cyr = lid.detect_one(UZ_CYRL[0])
    assert cyr.raw_label == "__label__uzn_Latn"  # the model itself says Latin Uzbek
    assert cyr.lang is None and cyr.reason == "script_mismatch"
    assert lid.detect_one(UZ_LATN[0]).lang == "uzn_Latn"
    # When the zoo holds Uzbek in the text's script, that pack is preferred.
    lid.allowed = ["uzn_Latn", "uzn_Cyrl", "kaz_Cyrl", "eng_Latn"]
    assert lid.detect_one(UZ_CYRL[0]).lang == "uzn_Cyrl"
    assert lid.detect_one(UZ_LATN[0]).lang == "uzn_Latn"
    # Unrestricted: the language table knows uzn_Cyrl, so the same remap applies.
    lid.allowed = None
    assert lid.detect_one(UZ_CYRL[0]).lang == "uzn_Cyrl"


def test_hub_id_uses_hf_hub_download_only_when_asked(glotlid_dir, monkeypatch):
    import huggingface_hub

    calls = []

    def fake_download(**kwargs):
        calls.append(kwargs)
        return str(glotlid_dir / "model.bin")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", fake_download)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    lid = load_detector("glotlid")
    assert lid.name == "glotlid" and lid.detect_one(EN[1]).lang == "eng_Latn"
    assert calls[-1]["repo_id"] == "cis-lmu/glotlid" and calls[-1]["filename"] == "model.bin"
    assert calls[-1]["local_files_only"] is False
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    LanguageIdentifier.from_glotlid("cis-lmu/glotlid")
    assert calls[-1]["local_files_only"] is True
    # Neither a local path nor the default spec touches the Hub.
    n = len(calls)
    load_detector(str(glotlid_dir))
    load_detector("default")
    assert len(calls) == n


def test_hub_offline_without_cache_says_what_to_do(tmp_path, monkeypatch):
    import huggingface_hub.constants

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(LidModelNotAvailableError) as info:
        LanguageIdentifier.from_glotlid()
    message = str(info.value)
    assert "HF_HUB_OFFLINE" in message and "cis-lmu/glotlid" in message
    assert "huggingface-cli download" in message and "--lid default" in message


def test_hub_download_failure_is_wrapped(monkeypatch):
    import huggingface_hub

    def failing(**kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", failing)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with pytest.raises(LidModelNotAvailableError, match="could not be downloaded.*connection refused"):
        lid_models.download_glotlid()


def test_unsupervised_model_is_rejected(tmp_path):
    import fasttext

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(EN + UZ_LATN + KK) * 10 + "\n", encoding="utf-8")
    model = fasttext.train_unsupervised(input=str(corpus), model="cbow", dim=8, epoch=1, lr=0.01,
                                        minn=0, maxn=0, minCount=1, bucket=1000, thread=FULL_INIT_THREADS,
                                        verbose=0)  # threads: see _train
    path = tmp_path / "vectors.bin"
    model.save_model(str(path))
    with pytest.raises(LidModelError, match="unsupervised"):
        LanguageIdentifier.from_path(path)
