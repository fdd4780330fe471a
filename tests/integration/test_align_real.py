"""Word alignment of real en-de / en-tr sentence pairs on the offline base (multilingual-e5-small)."""

import pytest

pytestmark = pytest.mark.slow

# (English, other, word pairs that must be aligned, by the words themselves)
PAIRS = {
    "de": [
        ("Anna bought 3 apples in Berlin .", "Anna kaufte 3 Äpfel in Berlin .",
         [("Anna", "Anna"), ("3", "3"), ("Berlin", "Berlin"), ("apples", "Äpfel")]),
        ("The house has 12 windows and a red door .", "Das Haus hat 12 Fenster und eine rote Tür .",
         [("house", "Haus"), ("12", "12"), ("windows", "Fenster"), ("door", "Tür"), ("red", "rote")]),
        ("My brother drinks water every morning .", "Mein Bruder trinkt jeden Morgen Wasser .",
         [("brother", "Bruder"), ("water", "Wasser"), ("morning", "Morgen")]),
    ],
    "tr": [
        ("Ahmet lives in Istanbul with 2 cats .", "Ahmet 2 kedi ile İstanbul'da yaşıyor .",
         [("Ahmet", "Ahmet"), ("2", "2"), ("cats", "kedi")]),
        ("The book is on the table .", "Kitap masanın üstünde .", [("book", "Kitap")]),
        ("In 1923 Ankara became the capital .", "1923 yılında Ankara başkent oldu .",
         [("1923", "1923"), ("Ankara", "Ankara"), ("capital", "başkent")]),
    ],
}


@pytest.fixture(scope="module")
def zoo():
    from langzoo.runtime.zoo import Zoo

    return Zoo.load(languages=[], lid="unused")


@pytest.mark.parametrize("lang", ["de", "tr"])
@pytest.mark.parametrize("method", ["softmax", "argmax", "itermax"])
def test_obvious_pairs_are_aligned(zoo, lang, method):
    cases = PAIRS[lang]
    out = zoo.align([c[0] for c in cases], [c[1] for c in cases], "en", lang, method=method)
    for (en, other, expected), alignment in zip(cases, out):
        ew, ow = en.split(), other.split()
        got = {(ew[i], ow[j]) for i, j in alignment.pairs}
        missing = [p for p in expected if p not in got]
        assert not missing, (method, en, other, alignment.pharaoh(), missing)
        # not everything-to-everything: precision matters too
        assert len(alignment.pairs) <= 2 * max(len(ew), len(ow))
