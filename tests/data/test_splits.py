import pytest

from langzoo.data import PairSet, TextSet, apply_hygiene, shuffle, split_pairs


def _pairs(n=400):
    return [(f"english sentence number {i}", f"uzbek gap raqami {i}") for i in range(n)]


def _sentences(*splits):
    return {s for split in splits for pair in split for s in pair}


def test_split_keeps_every_held_out_sentence_out_of_train():
    pairs = _pairs()
    # an L sentence that translates two English strings, and an English one that repeats
    pairs += [("another english text", "uzbek gap raqami 7"), ("english sentence number 3", "boshqa gap")]
    train, dev, test = split_pairs(pairs, 30, 20, seed=1)
    assert (len(dev), len(test)) == (30, 20)
    assert _sentences(train).isdisjoint(_sentences(dev, test))
    assert _sentences(dev).isdisjoint(_sentences(test))
    assert len(train) + len(dev) + len(test) >= len(pairs) - 4  # only pairs sharing a held side are dropped


def test_split_is_deterministic_and_seeded():
    pairs = _pairs()
    a = split_pairs(pairs, 20, 10, seed=3)
    assert a == split_pairs(list(pairs), 20, 10, seed=3)
    assert a[2] != split_pairs(pairs, 20, 10, seed=4)[2]
    assert split_pairs(pairs + pairs[:50], 20, 10, seed=3) == a  # duplicate rows count once


def test_split_holds_out_at_most_a_third_and_shrinks_dev_and_test_alike():
    train, dev, test = split_pairs(_pairs(30), 20, 10, seed=0)
    assert (len(dev), len(test), len(train)) == (7, 3, 20)
    train, dev, test = split_pairs(_pairs(2), 5, 5, seed=0)  # too few to hold any out
    assert (dev, test) == ([], []) and sorted(train) == sorted(_pairs(2))


def test_split_has_no_leak_when_english_sides_repeat():
    pairs = [(f"en {i % 50}", f"uz {i}") for i in range(300)]  # UI catalogs repeat English strings
    train, dev, test = split_pairs(pairs, 20, 10, seed=3)
    assert (len(dev), len(test)) == (20, 10)
    held_en = {p[0] for p in dev + test}
    assert not any(p[0] in held_en for p in train)


def test_split_rejects_negative_sizes():
    with pytest.raises(ValueError, match="sizes must be >= 0"):
        split_pairs(_pairs(3), -1, 5, seed=0)


def test_hygiene_length_lid_dedup_cap_shuffle():
    ps = PairSet(pairs=[("a b", "c d"), ("a b", "c d"), ("one two three four five six", "x y z w v u"),
                        ("hello there", "deutsch hier"), ("fine words", "yaxshi sozlar")],
                 counts={"loaded": 5})
    lid = lambda texts: ["de" if "deutsch" in t else "uz" for t in texts]  # noqa: E731
    out = apply_hygiene(ps, lang="uz", max_words=4, lid=lid, dedup=True, cap=1, seed=0)
    assert out.counts == {"loaded": 5, "length": 4, "lid": 3, "dedup": 2, "cap": 1}
    assert len(out.pairs) == 1 and out.pairs[0] in {("a b", "c d"), ("fine words", "yaxshi sozlar")}
    assert out.provenance["counts"] == out.counts


def test_hygiene_lid_accepts_canonical_codes_and_checks_length():
    ts = TextSet(texts=["a", "b"])
    out = apply_hygiene(ts, lang="uz", lid=lambda t: ["__label__uzn_Latn", "kaz_Cyrl"])
    assert out.texts == ["a"]
    with pytest.raises(ValueError, match="labels"):
        apply_hygiene(ts, lang="uz", lid=lambda t: ["uz"])


def test_shuffle_seeded():
    items = list(range(50))
    assert shuffle(items, 1) == shuffle(items, 1) != shuffle(items, 2)
    assert items == list(range(50))
