"""Loaders on tiny files in each format, written by the tests."""

import json

import pytest

from langzoo.evaluation import loaders
from langzoo.evaluation.catalog import DATASETS, load_suite, select_tasks
from langzoo.evaluation.errors import DatasetFormatError, DatasetUnavailableError, EvaluationError
from langzoo.evaluation.hf import load_hf_task
from langzoo.evaluation.tasks import BitextTask, ClassificationTask, MultiParallelSTSTask, PairSimilarityTask


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sts_tsv(tmp_path):
    f = write(tmp_path / "sts17.es-en.tsv", "4.8\tUn perro.\tA dog.\n\n0.2\tUn gato.\tA car.\n1.0\tx\ty\n")
    task = loaders.read_sts_tsv(f, "es", "en", max_items=2)
    assert isinstance(task, PairSimilarityTask)
    assert task.languages == ("spa_Latn", "eng_Latn")
    # max_items keeps items spread over the file (first and last), not a prefix
    assert task.scores == [4.8, 1.0] and task.sentences2 == ["A dog.", "y"]
    bad = write(tmp_path / "bad.tsv", "4.8\tonly two\n")
    with pytest.raises(DatasetFormatError, match="bad.tsv:1: expected 3"):
        loaders.read_sts_tsv(bad, "en", "en")
    with pytest.raises(DatasetUnavailableError):
        loaders.read_sts_tsv(tmp_path / "missing.tsv", "en", "en")


SICK_NL = (
    "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tsentence_A_original\tsentence_B_original\tSemEval_set\n"
    "1\tEen man \"lacht\"\tEen man\t4.5\tA man \"laughs\"\tA man\tTRAIN\n"
    "2\tEen hond\tEen kat\t2.0\tA dog\tA cat\tTEST\n"
    "3\tEen vrouw\tEen meisje\t3.5\tA woman\tA girl\tTEST\n"
    "4\tTwee\tDrie\t1.0\tTwo\tThree\tTEST\n"
)
SICK_PL = (
    "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n"
    "3\tKobieta\tDziewczyna\t3.5\tNEUTRAL\n2\tPies\tKot\t2.0\tNEUTRAL\n"
)


def test_sick_split_filter_and_quotes(tmp_path):
    nl = write(tmp_path / "SICK_NL.txt", SICK_NL)
    task = loaders.read_sick(nl, "nl")
    assert task.n_items == 3 and task.sentences1[0] == "Een hond"
    train = loaders.read_sick(nl, "nl", split="TRAIN")
    assert train.sentences1 == ['Een man "lacht"']  # quoting off: quotes are text
    pl = loaders.read_sick(write(tmp_path / "pl.txt", SICK_PL), "pl")  # no SemEval_set column: whole file
    assert pl.scores == [3.5, 2.0] and pl.languages == ("pol_Latn",)
    with pytest.raises(DatasetFormatError, match="missing column"):
        loaders.read_sick(write(tmp_path / "x.txt", "a\tb\n1\t2\n"), "nl")


def test_sick_multiparallel_join(tmp_path):
    nl = write(tmp_path / "SICK_NL.txt", SICK_NL)
    pl = write(tmp_path / "SICK_PL_test.txt", SICK_PL)
    task = loaders.read_sick_multiparallel({"nl": nl, "pl": pl}, english_from="nl")
    assert isinstance(task, MultiParallelSTSTask)
    assert task.languages == ("eng_Latn", "nld_Latn", "pol_Latn")
    # ids 2 and 3 are in both files (id 4 only in NL), in NL's order
    assert task.sentences1["pol_Latn"] == ["Pies", "Kobieta"]
    assert task.sentences2["eng_Latn"] == ["A cat", "A girl"]
    assert task.scores == [2.0, 3.5]


def test_str24_csv(tmp_path):
    f = write(tmp_path / "amh_test.csv",
              'PairID,Text,Score\nAMH-0,"first, one\nsecond one",0.7\nAMH-1,"a\r\nb",0.25\n')
    task = loaders.read_str24_csv(f, "amh")
    assert task.kind == "str" and task.languages == ("amh_Ethi",)
    assert task.sentences1 == ["first, one", "a"] and task.sentences2 == ["second one", "b"]
    assert task.scores == [0.7, 0.25]
    bad = write(tmp_path / "bad.csv", 'PairID,Text,Score\nX-0,"one line only",0.5\n')
    with pytest.raises(DatasetFormatError, match="X-0: Text has 1 lines"):
        loaders.read_str24_csv(bad, "en")


def test_max_items_spreads_over_sorted_files():
    assert loaders._cap(list(range(10)), 4) == [0, 3, 6, 9]
    assert loaders._cap(["a", "a", "b", "b"], 2) == ["a", "b"]  # a label-sorted file keeps both labels
    assert loaders._cap([1, 2], 5) == [1, 2] and loaders._cap([1, 2, 3], 1) == [1]
    with pytest.raises(ValueError):
        loaders._cap([1], 0)


def test_tatoeba(tmp_path):
    a = write(tmp_path / "tatoeba.fra-eng.fra", "Bonjour.\nMerci.\n")
    b = write(tmp_path / "tatoeba.fra-eng.eng", "Hello.\nThanks.\n")
    task = loaders.read_tatoeba(a, b, "fra", "eng")
    assert isinstance(task, BitextTask) and task.languages == ("fra_Latn", "eng_Latn")
    assert task.sentences["eng_Latn"] == ["Hello.", "Thanks."]
    write(b, "Hello.\n")
    with pytest.raises(DatasetFormatError, match="not line-aligned"):
        loaders.read_tatoeba(a, b, "fra", "eng")


def make_sib(root, langs=("eng_Latn", "fra_Latn")):
    cats = ["sports", "travel"]
    for lang in langs:
        for split, ids in (("train", [1, 2, 3, 4]), ("dev", [5]), ("test", [6, 7])):
            rows = [f'{i}\t{cats[i % 2]}\t{lang[:3]} "text" {i}' for i in ids]
            if lang == "fra_Latn" and split == "dev":
                rows = []  # fra lacks id 5: the parallel set keeps only shared ids
            write(root / lang / f"{split}.tsv", "index_id\tcategory\ttext\n" + "\n".join(rows) + "\n")
    return root


def test_sib(tmp_path):
    data = loaders.read_sib(make_sib(tmp_path / "sib"))
    assert set(data) == {"eng_Latn", "fra_Latn"}
    assert data["eng_Latn"]["train"][0] == ("1", "travel", 'eng "text" 1')  # quotes kept
    cls = loaders.sib_classification_task(data)
    assert isinstance(cls, ClassificationTask) and cls.test["fra_Latn"][1] == ["sports", "travel"]
    par = loaders.sib_parallel_sentences(data)
    assert par["fra_Latn"] == [f'fra "text" {i}' for i in (1, 2, 3, 4, 6, 7)]
    assert loaders.sib_bitext_task(data, max_items=3).n_items == 3
    assert loaders.sib_rsim_task(data).pivot == "eng_Latn"


def test_sib_mining_leaves_the_guard_split_out(tmp_path):
    # zoo build's real-dev guard selects on SIB dev, so mining must not score it
    data = loaders.read_sib(make_sib(tmp_path / "sib", langs=("eng_Latn", "nld_Latn")))
    assert loaders.sib_parallel_sentences(data)["nld_Latn"] == [f'nld "text" {i}' for i in (1, 2, 3, 4, 6, 7)]
    every = loaders.sib_parallel_sentences(data, splits=("train", "dev", "test"))
    assert every["nld_Latn"][4] == 'nld "text" 5'
    with pytest.raises(DatasetFormatError, match="share no index_id in the validation split"):
        loaders.sib_parallel_sentences(data, splits=("validation",))


def test_generic_tsv_and_jsonl(tmp_path):
    tsv = write(tmp_path / "pairs.tsv", "sentence1\tsentence2\tscore\na\tb\t1\nc\td\t2\n")
    task = loaders.read_pairs_file(tsv, "sts", "de")
    assert task.scores == [1.0, 2.0] and task.languages == ("deu_Latn",)
    jl = write(tmp_path / "pairs.jsonl", "\n".join(json.dumps(r) for r in
                                                   [{"src": "x", "tgt": "y"}, {"src": "z", "tgt": "w"}]))
    bt = loaders.read_pairs_file(jl, "bitext", "uz", "en")
    assert bt.sentences == {"uzn_Latn": ["x", "z"], "eng_Latn": ["y", "w"]}
    custom = write(tmp_path / "c.jsonl", json.dumps({"a": "p", "b": "q", "sim": 0.5}) + "\n")
    t = loaders.read_pairs_file(custom, "str", "en", columns={"sentence1": "a", "sentence2": "b", "score": "sim"})
    assert t.scores == [0.5]
    with pytest.raises(DatasetFormatError, match="no score column"):
        loaders.read_pairs_file(write(tmp_path / "n.tsv", "sentence1\tsentence2\nx\ty\n"), "sts", "en")
    with pytest.raises(DatasetFormatError, match="unsupported extension"):
        loaders.read_pairs_file(write(tmp_path / "p.csv", "x"), "sts", "en")
    tr = write(tmp_path / "tr.jsonl", "\n".join(json.dumps({"text": t, "label": lab})
                                                 for t, lab in [("a", "x"), ("b", "y")]))
    cls = loaders.read_classification_files({"en": tr}, {"en": tr})
    assert cls.train["eng_Latn"] == (["a", "b"], ["x", "y"])


def test_hf_loader_offline_error_and_records(monkeypatch):
    import datasets

    def offline(*args, **kwargs):
        raise ConnectionError("Couldn't reach the Hub")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(DatasetUnavailableError, match="network access"):
        load_hf_task("mteb/sts17-crosslingual-sts", "sts", ["es", "en"], config="es-en")

    rows = [{"sentence1": "a", "sentence2": "b", "score": 3.0}, {"sentence1": "c", "sentence2": "d", "score": 1.0}]
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: rows)
    task = load_hf_task("some/sts", "sts", ["es", "en"], config="es-en")
    assert task.languages == ("spa_Latn", "eng_Latn") and task.scores == [3.0, 1.0]
    assert task.source == "hf:some/sts:es-en"


def make_dev(root):
    write(root / "sts17" / "sts17.ar-en.tsv", "1.0\tA man.\tرجل.\n3.0\tA dog.\tكلب.\n")
    write(root / "sts17" / "sts17.en-en.tsv", "1.0\ta\tb\n3.0\tc\td\n2.0\te\tf\n")
    write(root / "sick" / "SICK_NL.txt", SICK_NL)
    write(root / "sick" / "SICK_PL_test.txt", SICK_PL)
    write(root / "tatoeba" / "tatoeba.nld-eng.nld", "Hallo.\nDank je.\nGoed.\n")
    write(root / "tatoeba" / "tatoeba.nld-eng.eng", "Hello.\nThanks.\nGood.\n")
    make_sib(root / "sib")
    write(root / "str24" / "eng_test.csv", 'PairID,Text,Score\nE-0,"a b\na c",0.5\nE-1,"x\ny",0.1\nE-2,"p q\np q",1\n')
    write(root / "README.md", "not data")
    return root


def test_dev_suite_discovery(tmp_path):
    root = make_dev(tmp_path / "dev")
    tasks = load_suite("dev", root)
    names = [t.name for t in tasks]
    assert names == ["sts17-ar-en", "sts17-en-en", "sick-nl", "sick-pl", "sick-x", "tatoeba-nld", "sib-topic",
                     "sib-flores-bitext", "sib-flores-rsim", "str24-eng"]
    ar_en = tasks[0]
    assert (ar_en.lang1, ar_en.lang2) == ("eng_Latn", "arb_Arab")  # the file's column order, not its name's
    assert load_suite("dev", root, max_items=1)[1].n_items == 1
    assert [t.name for t in select_tasks(tasks, ["sts17", "tatoeba-*"])] == ["sts17-ar-en", "sts17-en-en",
                                                                           "tatoeba-nld"]
    with pytest.raises(EvaluationError, match="no task matches"):
        select_tasks(tasks, ["nothing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetUnavailableError, match="no evaluation files"):
        load_suite("dev", tmp_path / "empty")
    assert {"sts17", "sick-x", "tatoeba", "sib", "str24"} <= set(DATASETS)
