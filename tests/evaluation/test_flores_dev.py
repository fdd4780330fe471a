"""The flores-dev suite: per-language guard checks against English (bitext both ways,
RSIM, L–L and L–en ranking), on a folder or on the sentences langzoo ships."""

import numpy as np
import pytest

from langzoo.evaluation import metrics
from langzoo.evaluation.catalog import load_suite


def _write(folder, code, rows):
    (folder / code).mkdir(parents=True)
    (folder / code / "dev.tsv").write_text("index_id\tcategory\ttext\n" + "".join(f"{i}\tx\t{t}\n" for i, t in rows))


def test_one_direction_errors_and_rankings_by_hand():
    en = np.eye(3, dtype=np.float32)
    swapped = en[[1, 0, 2]]  # rows 0 and 1 point at each other's translation
    assert metrics.retrieval_error(swapped, en) == pytest.approx(200 / 3)
    assert metrics.retrieval_error(en, en) == 0.0
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 4))
    assert metrics.structure_ranking(x, x, x) == pytest.approx(100.0)
    y = rng.standard_normal((6, 4))
    assert metrics.structure_ranking(y, y, x) < 90.0


def test_flores_dev_suite_scores_each_language_against_english(tmp_path):
    from tests.evaluation.fakes import FakeEncoder, text_vector

    en_rows = [(i, f"english sentence {i}") for i in range(6)]
    _write(tmp_path, "eng_Latn", en_rows)
    _write(tmp_path, "uzn_Latn", [(i, f"o'zbek {i}") for i in range(6)])
    (task,) = load_suite("flores-dev", tmp_path)
    assert task.languages == ("eng_Latn", "uzn_Latn") and task.n_items == 6
    # uz sentence i encodes exactly as its English translation: perfect on every measure
    table = {f"o'zbek {i}": text_vector(f"english sentence {i}") for i in range(6)}
    enc = FakeEncoder(table)
    scores = task.evaluate(lambda lang, texts: enc.encode(texts, lang)).main
    assert scores["err uz>en"] == 0.0 and scores["err en>uz"] == 0.0
    assert scores["rank uz"] == pytest.approx(100.0) and scores["xrank uz"] == pytest.approx(100.0)
    assert scores["rsim uz"] == pytest.approx(1.0)
    assert task.better("err uz>en") == "lower" and task.better("rank uz") == "higher"


def test_flores_dev_suite_defaults_to_the_shipped_sentences():
    (task,) = load_suite("flores-dev", None)
    assert task.n_items == 99 and {"eng_Latn", "uzn_Latn", "kaz_Cyrl", "tur_Latn"} <= set(task.languages)
