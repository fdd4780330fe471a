"""Alignment extraction math against hand-computed matrices."""

import math

import numpy as np
import pytest

from langzoo.align.aligner import WordAlignment, align_vectors
from langzoo.align.extract import extract, itermax, mutual_argmax, softmax_intersection, word_alignment
from langzoo.align.tokens import TokenVectors

# Row softmaxes: [4/6, 1/6, 1/6] and [1/5, 2/5, 2/5]; column softmaxes: [.8, .2], [1/3, 2/3], [1/3, 2/3].
SOFT = np.array([[math.log(4), 0.0, 0.0], [0.0, math.log(2), math.log(2)]])
# Rows' best columns 0, 0, 1; columns' best rows 0, 2, 2.
SIM = np.array([[0.9, 0.1, 0.3], [0.8, 0.2, 0.1], [0.1, 0.7, 0.6]])


def _pairs(mask):
    return sorted(zip(*map(list, np.nonzero(mask))))


def test_softmax_intersection_by_hand():
    scores = softmax_intersection(SOFT, threshold=0.3)
    assert _pairs(scores > 0) == [(0, 0), (1, 1), (1, 2)]
    assert scores[0, 0] == pytest.approx(2 / 3)  # min(4/6, 0.8)
    assert scores[1, 1] == pytest.approx(2 / 5)  # min(2/5, 2/3)
    # a lower threshold lets (1, 0) in: min(1/5, 0.2) = 0.2; (0, 1) stays out: row prob 1/6
    assert _pairs(softmax_intersection(SOFT, threshold=0.18) > 0) == [(0, 0), (1, 0), (1, 1), (1, 2)]
    mask, sc = extract(SOFT, "softmax", threshold=0.3)
    assert _pairs(mask) == [(0, 0), (1, 1), (1, 2)] and sc[1, 2] == pytest.approx(0.4)


def test_softmax_is_shift_invariant_and_stable_on_large_values():
    big = SOFT * 1.0 + 1e4
    assert _pairs(softmax_intersection(big, 0.3) > 0) == [(0, 0), (1, 1), (1, 2)]


def test_mutual_argmax_by_hand():
    assert _pairs(mutual_argmax(SIM)) == [(0, 0), (2, 1)]
    mask, scores = extract(SIM, "argmax")
    assert _pairs(mask) == [(0, 0), (2, 1)] and scores[2, 1] == pytest.approx(0.7)


def test_itermax_by_hand():
    # Round 2 sees row 1 and column 2 free. Shifted by the minimum (0.1) and damped by
    # alpha where one side is aligned: row 1 -> [.63, .09, 0], column 2 -> [.18, 0, .45]
    # (rows 0, 2 only reach column 2). Mutual bests: (1, 0) and (2, 2).
    assert _pairs(itermax(SIM, max_rounds=2, alpha=0.9)) == [(0, 0), (1, 0), (2, 1), (2, 2)]
    assert _pairs(itermax(SIM, max_rounds=1)) == [(0, 0), (2, 1)]


def test_itermax_leaves_tiny_matrices_at_argmax():
    sim = np.array([[0.9, 0.2], [0.8, 0.1]])
    assert _pairs(itermax(sim)) == _pairs(mutual_argmax(sim)) == [(0, 0)]


def test_empty_matrices():
    for shape in [(0, 3), (3, 0), (0, 0)]:
        for method in ("softmax", "argmax", "itermax"):
            mask, _ = extract(np.zeros(shape), method)
            assert mask.shape == shape and not mask.any()


def test_bad_method_and_shape():
    with pytest.raises(ValueError, match="method"):
        extract(SIM, "greedy")
    with pytest.raises(ValueError, match="2-D"):
        extract(np.zeros(3), "argmax")


def test_subwords_map_to_words_any_piece_and_best_score():
    mask = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=bool)
    scores = np.array([[0.5, 0, 0], [0, 0.9, 0], [0, 0, 0.7]])
    # source tokens 0,1 are pieces of word 0, token 2 is word 1; target tokens 1,2 are word 1
    words = word_alignment(mask, scores, [0, 0, 1], [0, 1, 1])
    assert words == {(0, 0): 0.5, (0, 1): 0.9}
    # two piece pairs of one word pair: the best score wins
    both = word_alignment(np.ones((2, 2), bool), np.array([[0.1, 0.4], [0.3, 0.2]]), [0, 0], [0, 0])
    assert both == {(0, 0): 0.4}


def test_align_vectors_end_to_end_and_pharaoh():
    # token vectors whose dot products give SIM-like preferences: word 0 = tokens 0,1
    src = TokenVectors(np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]], np.float32), [0, 0, 1], 2, False)
    tgt = TokenVectors(np.array([[0.0, 1.0], [1.0, 0.0]], np.float32), [0, 1], 2, False)
    out = align_vectors(src, tgt, "argmax", 0.1)
    assert out.pairs == [(0, 1), (1, 0)]
    assert out.pharaoh() == "0-1 1-0"
    assert out.pharaoh(with_scores=True) == "0-1:1.000 1-0:1.000"
    empty = TokenVectors(np.zeros((0, 2), np.float32), [], 0, False)
    assert align_vectors(empty, tgt, "softmax", 0.1) == WordAlignment()
