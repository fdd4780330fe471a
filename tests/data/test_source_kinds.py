"""The registry of source kinds (langzoo.data.sources) and the shared SIB/FLORES reader (langzoo.data.sib)."""

import pytest

from langzoo.data import PairSet, SourceKind, SourceSpecError, load_pairs, load_texts, register_source_kind, sib, source_kinds
from langzoo.data.sources import SOURCE_KINDS
from langzoo.recipes.data import load_splits, resolve_source
from langzoo.recipes.errors import RecipeDataError


def _write_sib(root, rows_by_code, split="dev"):
    for code, rows in rows_by_code.items():
        (root / code).mkdir(parents=True)
        (root / code / f"{split}.tsv").write_text("index_id\tcategory\ttext\n" + "".join("\t".join(r) + "\n" for r in rows))
    return root


def test_every_kind_a_recipe_can_name_is_registered_in_one_place():
    assert set(source_kinds()) == {"harvest", "help", "file", "hf", "inline", "sib", "flores-dev", "from_pairs"}
    assert all(k.help for k in SOURCE_KINDS.values())
    with pytest.raises(SourceSpecError, match="is not one of"):
        load_pairs({"kind": "ftp"}, lang="uz")
    with pytest.raises(ValueError, match="already registered"):
        register_source_kind(SourceKind("inline", "again", pairs=lambda *a: PairSet(pairs=[])))


def test_a_new_kind_is_one_registration_and_recipes_can_use_it(monkeypatch):
    def reversed_pairs(spec, language, lid, given):
        return PairSet(pairs=[(t, t[::-1]) for t in spec["words"]], provenance={"kind": "mirror", "n": len(spec["words"])})

    monkeypatch.setitem(SOURCE_KINDS, "mirror", SourceKind("mirror", "words and their mirror images", reversed_pairs,
                                                          keys=frozenset({"kind", "words"}), required=("words",)))
    prov = {}
    assert resolve_source({"kind": "mirror", "words": ["abc"], "swap": True}, lang="uz", want="pairs",
                          provenance=prov) == [("cba", "abc")]  # swap is the recipe's key, kept from the reader
    assert prov == {"kind": "mirror", "n": 1}
    assert load_texts({"kind": "mirror", "words": ["ab"]}, lang="uz").texts == ["ba"]  # texts: the L sides
    with pytest.raises(SourceSpecError, match="needs 'words'"):
        load_pairs({"kind": "mirror"}, lang="uz")
    with pytest.raises(RecipeDataError, match="unknown keys"):
        resolve_source({"kind": "mirror", "words": ["x"], "colour": 1}, lang="uz", want="pairs")


def test_inline_and_from_pairs_are_data_layer_kinds():
    assert load_pairs({"kind": "inline", "pairs": [[" a ", "b"], ["", "c"]]}, lang="uz").pairs == [("a", "b")]
    assert load_texts({"kind": "inline", "texts": ["x ", " ", 3]}, lang="uz").texts == ["x"]
    assert load_texts({"kind": "from_pairs", "side": "source"}, lang="uz", pairs=[("en", "uz")]).texts == ["en"]
    with pytest.raises(SourceSpecError, match="given pairs"):
        load_texts({"kind": "from_pairs"}, lang="uz")
    s = load_splits({"translation": {"kind": "inline", "pairs": [[f"e{i}", f"l{i}"] for i in range(30)]},
                     "monolingual": {"kind": "from_pairs", "side": "target"}}, lang="uz", dev=3, test=3, seed=0)
    assert s.monolingual == [p[1] for p in s.train] and s.provenance["monolingual"] == {"spec": {"kind": "from_pairs", "side": "target"}}


def test_recipes_and_evaluation_read_sib_files_with_the_same_reader(tmp_path):
    from langzoo.evaluation import loaders

    root = _write_sib(tmp_path, {"eng_Latn": [("2", "x", 'He said "hi".'), ("10", "y", "Bye.")],
                                 "nld_Latn": [("10", "y", "Dag."), ("2", "x", 'Hij zei "hoi".')]})
    pairs, files = sib.english_pairs(root, "nld_Latn", "dev")
    assert pairs == [('He said "hi".', 'Hij zei "hoi".'), ("Bye.", "Dag.")]  # numeric id order, quotes kept
    assert resolve_source({"kind": "sib", "path": str(root)}, lang="nl", want="pairs") == pairs
    assert resolve_source({"kind": "sib", "path": str(root)}, lang="nl", want="texts") == [p[1] for p in pairs]
    rows = loaders.read_sib(root)["nld_Latn"]["dev"]
    assert rows == [tuple(r) for r in sib.read_split(files[1])]


def test_sib_reader_says_what_is_wrong_with_a_file(tmp_path):
    from langzoo.evaluation.errors import DatasetFormatError
    from langzoo.evaluation import loaders

    bad = tmp_path / "dev.tsv"
    bad.write_text("index_id\ttext\n1\tonly text\n")
    assert sib.read_split(bad) == [sib.SibRow("1", "", "only text")]  # FLORES-only folders have no category
    with pytest.raises(DatasetFormatError, match="missing column"):  # topic classification needs it
        loaders.read_sib_split(bad)
    bad.write_text("index_id\tcategory\ttext\n1\tx\n")
    with pytest.raises(sib.SibFormatError, match="fewer columns"):
        sib.read_split(bad)


def test_flores_dev_kind_reads_the_shipped_guard_sets():
    ps = load_pairs({"kind": "flores-dev"}, lang="uz")
    assert len(ps.pairs) > 50 and ps.provenance["shipped"] is True
    assert sorted(ps.provenance["files"]) == ["eng_Latn/dev.tsv", "uzn_Latn/dev.tsv"]
    assert load_pairs({"kind": "flores-dev"}, lang="en").pairs == []  # English is the pivot: no guard pairs
