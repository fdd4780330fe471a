import pytest

from langzoo.data import PairSet, TextSet, apply_hygiene, shuffle, split_pairs


def _pairs(n=400):
    return [(f"english sentence number {i}", f"uzbek gap raqami {i}") for i in range(n)]


def _sentences(split):
    return {s.casefold() for pair in split for s in pair}


def test_split_is_disjoint_and_complete():
    pairs = _pairs()
    # an L sentence that translates two different English strings, and an English
    # sentence that appears as the L side of another (paraphrase-style) pair
    pairs += [("another english text", "uzbek gap raqami 7"), ("english sentence number 3", "boshqa gap")]
    s = split_pairs(pairs, dev=0.1, test=0.1, seed=1)
    assert sum(len(v) for v in s.values()) == len(pairs)
    assert _sentences(s["train"]).isdisjoint(_sentences(s["dev"]))
    assert _sentences(s["train"]).isdisjoint(_sentences(s["test"]))
    assert _sentences(s["dev"]).isdisjoint(_sentences(s["test"]))
    assert 15 <= len(s["dev"]) <= 70 and 15 <= len(s["test"]) <= 70


def test_split_is_deterministic_and_seeded():
    pairs = _pairs()
    a = split_pairs(pairs, seed=3)
    b = split_pairs(list(pairs), seed=3)
    assert a == b
    c = split_pairs(pairs, seed=4)
    assert a["test"] != c["test"]
    # independent of the other rows: a pair's split does not change when data is added
    d = split_pairs(pairs + [("new row here", "yangi qator")], seed=3)
    assert set(a["test"]) <= set(d["test"])


def test_split_case_and_space_insensitive_grouping():
    pairs = [("Open  file", "Faylni ochish"), ("open file", "Fayl ochish")] * 1 + _pairs(50)
    s = split_pairs(pairs, dev=0.3, test=0.3, seed=0)
    where = {p: k for k, v in s.items() for p in v}
    assert where[pairs[0]] == where[pairs[1]]


def test_split_rejects_bad_fractions():
    with pytest.raises(ValueError):
        split_pairs(_pairs(3), dev=0.6, test=0.5)


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
