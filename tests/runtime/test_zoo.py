"""Routing, fallbacks, bad inputs and thread safety of `Zoo.encode` (tiny packs)."""

import random
import threading
from pathlib import Path

import numpy as np
import pytest
import torch

from langzoo.modules.composer import ComposedEncoder
from langzoo.runtime.zoo import Zoo
from tiny import CORPUS
from langzoo.lid.detection import Detection as _Det


class KeywordLID:
    """A deterministic stand-in for fastText: the script and a marker decide."""

    allowed = None

    def detect(self, texts):
        out = []
        for t in texts:
            if not t.strip():
                out.append(_Det(None, 0.0, reason="empty"))
            elif any("\u0400" <= ch <= "\u04ff" for ch in t):
                out.append(_Det("kaz_Cyrl", 0.9))
            elif t.startswith("??"):
                out.append(_Det(None, 0.2, reason="low_confidence"))
            elif "'" in t or "o'" in t or t.split()[0] in {"it", "biz", "bugun", "u", "fayl", "mushuk"}:
                out.append(_Det("uzn_Latn", 0.9))
            elif t.startswith("die") or "ü" in t or "ö" in t:
                out.append(_Det("deu_Latn", 0.9))  # no German pack: fallback
            else:
                out.append(_Det("eng_Latn", 0.9))
        return out


@pytest.fixture(scope="module")
def zoo(tiny_base, tiny_packs):
    enc = ComposedEncoder(str(tiny_base))
    packs = {"uzn_Latn": tiny_packs["uz"], "kaz_Cyrl": tiny_packs["kk"], "eng_Latn": tiny_packs["en"]}
    return Zoo(enc, packs, lid=KeywordLID())


def _separately(zoo, texts, lang):
    return zoo.encoder.embed(texts, lang).numpy()


def test_routing_matches_per_language_encoding_in_input_order(zoo):
    items = [(t, "uz") for t in CORPUS["uz"]] + [(t, "kk") for t in CORPUS["kk"]] + [(t, "en") for t in CORPUS["en"]]
    random.Random(0).shuffle(items)
    texts = [t for t, _ in items]
    got = zoo.encode(texts, batch_size=3)
    assert got.shape == (len(texts), 32) and got.dtype == np.float32
    assert zoo.last_stats.routes == {"uzn_Latn": 6, "kaz_Cyrl": 7, "eng_Latn": 6}
    for lang in ("uz", "kk", "en"):
        idx = [i for i, (_, l) in enumerate(items) if l == lang]
        expected = _separately(zoo, [texts[i] for i in idx], lang)
        assert np.abs(got[idx] - expected).max() <= 1e-6, lang


def test_explicit_lang_overrides_detection(zoo):
    text = CORPUS["uz"][0]
    as_kk = zoo.encode([text], lang="kk")
    assert np.abs(as_kk - _separately(zoo, [text], "kk")).max() <= 1e-6
    mixed = zoo.encode([text, text], lang=["kk", None])
    assert np.abs(mixed[0] - as_kk[0]).max() <= 1e-6
    assert np.abs(mixed[1] - _separately(zoo, [text], "uz")[0]).max() <= 1e-6
    with pytest.raises(ValueError, match="2 entries for 3 texts"):
        zoo.encode(["a", "b", "c"], lang=["uz", "kk"])


def test_unsupported_and_low_confidence_texts_fall_back_to_base(zoo):
    texts = ["die katze sitzt auf der matte", "?? unsure text"]
    got = zoo.encode(texts)
    assert zoo.last_stats.routes == {"base": 2}
    assert np.abs(got - _separately(zoo, texts, None)).max() <= 1e-6
    # a language without a pack, given explicitly, also falls back
    assert np.abs(zoo.encode(texts, lang="de") - got).max() <= 1e-6


def test_english_fallback_option(tiny_base, tiny_packs):
    zoo = Zoo(ComposedEncoder(str(tiny_base)), {"eng_Latn": tiny_packs["en"]}, lid=KeywordLID(), fallback="english")
    assert zoo.route(["die katze", "?? x"]) == ["eng_Latn", "eng_Latn"]
    with pytest.raises(ValueError):
        Zoo(zoo.encoder, {}, fallback="nowhere")


def test_alignment_switch(zoo):
    text = [CORPUS["uz"][1]]
    on, off = zoo.encode(text, lang="uz"), zoo.encode(text, lang="uz", alignment=False)
    assert np.abs(on - off).max() > 1e-3
    assert np.abs(off - zoo.encoder.embed(text, "uz", alignment=False).numpy()).max() <= 1e-6


def test_bad_inputs_never_crash_the_batch(zoo):
    long_text = "word " * 20_000  # 100,000 characters
    texts = ["", "   ", "12345 🙂🙂", long_text, CORPUS["uz"][0]]
    with pytest.warns(UserWarning, match="truncated"):
        got = zoo.encode(texts)
    assert got.shape == (5, 32) and np.isfinite(got).all()
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    with pytest.raises(TypeError, match="None"):
        zoo.encode(None)
    with pytest.raises(TypeError, match="text 1 is NoneType"):
        zoo.encode(["ok", None])
    empty = zoo.encode([])
    assert empty.shape == (0, 32)
    assert zoo.encode([], convert_to_tensor=True).shape == (0, 32)


def test_single_string_and_output_types(zoo):
    vec = zoo.encode(CORPUS["en"][0])
    assert vec.shape == (32,)
    t = zoo.encode(CORPUS["en"][:2], convert_to_tensor=True)
    assert isinstance(t, torch.Tensor) and t.shape == (2, 32)
    assert np.abs(t.numpy()[0] - vec).max() <= 1e-6


def test_lru_bound_on_attached_packs(tiny_base, tiny_packs):
    zoo = Zoo(ComposedEncoder(str(tiny_base)), {"uzn_Latn": tiny_packs["uz"], "kaz_Cyrl": tiny_packs["kk"]},
              lid=KeywordLID(), max_loaded=1)
    a = zoo.encode(CORPUS["uz"][:2], lang="uz")
    zoo.encode(CORPUS["kk"][:2], lang="kk")
    assert list(zoo.encoder.packs) == ["kaz_Cyrl"]
    assert np.abs(zoo.encode(CORPUS["uz"][:2], lang="uz") - a).max() <= 1e-6  # reloaded after eviction
    assert list(zoo.encoder.packs) == ["uzn_Latn"]


def test_threads_get_what_a_sequential_run_gets(zoo):
    jobs = [("uz", CORPUS["uz"]), ("kk", CORPUS["kk"]), ("en", CORPUS["en"]), (None, CORPUS["uz"] + CORPUS["kk"])]
    expected = [zoo.encode(texts, lang=lang, batch_size=2) for lang, texts in jobs]
    results: dict[int, np.ndarray] = {}
    errors = []

    def worker(k):
        try:
            for _ in range(5):
                lang, texts = jobs[k % len(jobs)]
                got = zoo.encode(texts, lang=lang, batch_size=2)
                assert np.abs(got - expected[k % len(jobs)]).max() <= 1e-6
            results[k] = got
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 8


def test_export_reproduces_monolingual_encoding(zoo, tmp_path):
    from sentence_transformers import SentenceTransformer

    path = zoo.export("uz", tmp_path / "uz-st")
    assert not list(path.rglob("*.bin")) and list(path.rglob("*.safetensors"))
    st = SentenceTransformer(str(path), device="cpu")
    texts = CORPUS["uz"]
    ours = zoo.encode(texts, lang="uz", alignment=False)
    theirs = st.encode(texts, normalize_embeddings=True)
    assert np.abs(ours - theirs).max() <= 1e-5
    with pytest.raises(Exception, match="exists"):
        zoo.export("uz", path)


def test_vectors_key_says_what_encodes_a_language(zoo, tmp_path):
    import shutil

    key = zoo.vectors_key
    # cla switched off changes uz's vectors, not English ones (English has no cla)
    assert key("uz", True) != key("uz", False)
    assert key("en", True) == key("en", False)
    # languages without a pack share the bare base's key, packs have their own
    assert key("de", True) == key("fr", False) and key("de", True).startswith("zoo-bare-base|")
    assert len({key("uz", True), key("kk", True), key("en", True), key("de", True)}) == 4
    # the same modules in another folder give the same key (content, not path)
    copy = shutil.copytree(zoo.pack_paths["uzn_Latn"], tmp_path / "uz-copy")
    moved = Zoo(zoo.encoder, {**zoo.pack_paths, "uzn_Latn": copy}, lid=KeywordLID())
    assert moved.vectors_key("uz", True) == key("uz", True)


def test_explain_gives_language_confidence_reason_and_route():
    zoo = Zoo(None, {"uzn_Latn": Path("<uz>"), "eng_Latn": Path("<en>")}, lid=KeywordLID())
    got = zoo.explain(["bugun havo", "Бүгін ауа", "?? unsure"])
    assert [g["route"] for g in got] == ["uzn_Latn", None, None]  # kk has no pack; unsure -> base
    assert [g["lang"] for g in got] == ["uzn_Latn", "kaz_Cyrl", None]
    assert got[2]["reason"] == "low_confidence" and got[0]["confidence"] == 0.9
    assert zoo.explain("bugun havo")[0]["route"] == "uzn_Latn"


def test_cyrillic_uzbek_is_converted_for_the_latin_uz_pack(tiny_base, tiny_packs):
    from langzoo.transliteration import uzbek_cyrillic_to_latin

    enc = ComposedEncoder(str(tiny_base))
    packs = {"uzn_Latn": tiny_packs["uz"], "eng_Latn": tiny_packs["en"]}
    cyrillic = ["Ўзбекистон пойтахти Тошкент.", "Бугун ҳаво жуда яхши."]
    latin = [uzbek_cyrillic_to_latin(t) for t in cyrillic]
    assert latin == ["Oʻzbekiston poytaxti Toshkent.", "Bugun havo juda yaxshi."]
    zoo = Zoo(enc, packs, lid=KeywordLID())
    assert zoo.route(cyrillic, lang="uz-Cyrl") == ["uzn_Latn", "uzn_Latn"]
    assert not [w for w in _warnings_of(lambda: zoo.encode(cyrillic, lang="uz-Cyrl"))]  # not "no pack"
    got = zoo.encode(cyrillic, lang="uz-Cyrl")
    assert zoo.last_stats.routes == {"uzn_Latn": 2}
    assert np.abs(got - _separately(zoo, latin, "uz")).max() <= 1e-6
    # A Cyrillic text given as Uzbek is converted too; a Latin one is left as it is.
    assert np.abs(zoo.encode(cyrillic, lang="uz") - got).max() <= 1e-6
    assert zoo.vectors_key("uz-Cyrl") == zoo.vectors_key("uz")
    off = Zoo(enc, packs, lid=KeywordLID(), transliterate=False)
    assert off.route(cyrillic, lang="uz-Cyrl") == [None, None]
    assert off.vectors_key("uz") != zoo.vectors_key("uz")  # the same pack, but texts are not converted
    assert np.abs(off.encode(cyrillic, lang="uz") - _separately(off, cyrillic, "uz")).max() <= 1e-6


def _warnings_of(call):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [w for w in caught if "pack" in str(w.message)]
