"""Metrics against values computed by hand on tiny fixtures."""

import math

import numpy as np
import pytest

from langzoo.evaluation import metrics
from langzoo.evaluation.errors import EvaluationError


def unit(deg):
    r = math.radians(deg)
    return [math.cos(r), math.sin(r)]


def test_sts_spearman_hand_computed():
    # pair angles 0°, 60°, 90°, 180° -> cosines 1, 0.5, 0, -1 (ranks 4,3,2,1)
    e1 = np.array([unit(0)] * 4)
    e2 = np.array([unit(0), unit(60), unit(90), unit(180)]) * 3.0  # scale must not matter
    gold = [5, 1, 3, 0]  # ranks 4,2,3,1 -> sum d^2 = 2 -> rho = 1 - 6*2/(4*15) = 0.8
    assert metrics.paired_cosine(e1, e2) == pytest.approx([1, 0.5, 0, -1], abs=1e-12)
    assert metrics.sts_spearman(e1, e2, gold) == pytest.approx(80.0)


def test_spearman_constant_prediction_is_nan_and_shape_checked():
    assert math.isnan(metrics.spearman_x100([1, 1, 1], [1, 2, 3]))
    with pytest.raises(EvaluationError):
        metrics.spearman_x100([1, 2], [1, 2, 3])


def test_bitext_error_rate_both_directions():
    # src0 and src1 both sit closest to tgt0 -> src->tgt: 1 error of 3.
    # tgt->src: tgt0 nearest src0, tgt1 nearest src1, tgt2 nearest src2 -> 0 errors.
    src = np.array([unit(0), unit(30), unit(120)])
    tgt = np.array([unit(10), unit(55), unit(121)])
    # src1 (30°): tgt0 at 20° off, tgt1 at 25° off -> wrong. tgt1 (55°): src1 25° off, src0 55° -> right.
    assert metrics.bitext_error_rate(src, tgt) == pytest.approx((1 / 3 + 0) / 2 * 100)


def test_multiparallel_bitext_all_pairs():
    a = np.eye(3)
    embs = {"a": a, "b": a.copy(), "c": a[[1, 0, 2]]}  # c's first two rows swapped
    errs = metrics.multiparallel_bitext_error(embs)
    assert set(errs) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert errs[("a", "b")] == 0.0
    assert errs[("a", "c")] == pytest.approx(200 / 3)  # 2 of 3 wrong in both directions


def test_classification_accuracy_and_zero_shot():
    train_x = np.array([[-2.0, 0], [-1.0, 0], [1.0, 0], [2.0, 0]])
    train_y = ["neg", "neg", "pos", "pos"]
    test_x = np.array([[-3.0, 0], [-0.5, 0], [0.5, 0], [3.0, 0]])
    assert metrics.classification_accuracy(train_x, train_y, test_x, ["neg", "neg", "pos", "pos"]) == 100.0
    # "another language" whose embeddings put one item on the wrong side: 3 of 4 right
    assert metrics.classification_accuracy(train_x, train_y, test_x, ["neg", "pos", "pos", "pos"]) == 75.0
    with pytest.raises(EvaluationError, match="fewer than 2 classes"):
        metrics.classification_accuracy(train_x, ["a"] * 4, test_x, ["a"] * 4)


def test_language_bias_hand_computed():
    gold = [1, 2, 3]
    sims = {("A", "B"): [0.1, 0.2, 0.3], ("B", "A"): [0.5, 0.6, 0.7]}
    lb = metrics.language_bias(sims, gold)
    assert lb.per_pair == {("A", "B"): pytest.approx(100.0), ("B", "A"): pytest.approx(100.0)}
    assert lb.average == pytest.approx(100.0)
    # pooled: sim ranks 1..6 vs gold ranks 1.5,3.5,5.5,1.5,3.5,5.5 -> r = 8 / sqrt(17.5 * 16)
    expected_pooled = 100 * 8 / math.sqrt(17.5 * 16)
    assert lb.pooled == pytest.approx(expected_pooled)  # 47.81
    assert lb.bias == pytest.approx(100.0 - expected_pooled)


def test_language_bias_zero_for_language_agnostic_scores():
    sims = {("A", "B"): [0.1, 0.2, 0.3], ("B", "A"): [0.1, 0.2, 0.3]}
    assert metrics.language_bias(sims, [1, 2, 3]).bias == pytest.approx(0.0)


def test_cross_lingual_combinations():
    assert metrics.cross_lingual_combinations(["x", "y"]) == [("x", "y"), ("y", "x")]
    assert metrics.cross_lingual_combinations(["x", "y"], include_same=True)[:2] == [("x", "x"), ("y", "y")]


def test_rsim_hand_computed():
    a = np.array([unit(0), unit(90), unit(45)])  # within-A cosines (12, 13, 23) = 0, .707, .707
    b = np.array([unit(0), unit(90), unit(0)])  # within-B cosines = 0, 1, 0
    # Pearson([0,a,a],[0,1,0]) = (a/3) / sqrt(6a^2/9 * 6/9) = 0.5
    assert metrics.rsim(a, b) == pytest.approx(0.5)
    c = np.array([unit(0), unit(0), unit(90)])  # cosines 1, 0, 0 -> exactly anti-correlated with A
    assert metrics.rsim(a, c) == pytest.approx(-1.0)
    assert metrics.rsim(a, a * 2) == pytest.approx(1.0)
    with pytest.raises(EvaluationError, match="equal size"):
        metrics.rsim(a, b[:2])
