"""langzoo.retrieval: the one bitext-error implementation shared by builds and evaluation."""

import numpy as np
import pytest
import torch

from langzoo import retrieval


def _vectors(seed=0, n=12, dim=6):
    rng = np.random.default_rng(seed)
    l = rng.standard_normal((n, dim))
    en = l + 0.9 * rng.standard_normal((n, dim))  # noisy translations: some retrievals miss
    norm = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    return norm(l), norm(en)


def test_torch_and_numpy_inputs_give_the_same_errors():
    l, en = _vectors()
    from_numpy = retrieval.bitext_error(l, en)
    from_torch = retrieval.bitext_error(torch.tensor(l, dtype=torch.float32), torch.tensor(en, dtype=torch.float32))
    assert from_numpy == from_torch
    assert 0 < from_numpy["error"] < 1  # the noise makes some misses, not all
    assert from_numpy["error"] == pytest.approx((from_numpy["l2en_error"] + from_numpy["en2l_error"]) / 2, abs=1e-4)


def test_one_direction_counts_misses_by_index():
    eye = np.eye(3)
    swapped = eye[[1, 0, 2]]
    assert retrieval.retrieval_error(swapped, eye) == pytest.approx(2 / 3)
    assert retrieval.retrieval_error(eye, eye) == 0.0
    assert np.isnan(retrieval.retrieval_accuracy(np.zeros((0, 3)), eye))


def test_recipes_and_evaluation_use_this_implementation():
    from langzoo.evaluation import metrics as eval_metrics
    from langzoo.recipes import metrics as recipe_metrics

    assert recipe_metrics.bitext_error is retrieval.bitext_error
    assert recipe_metrics.retrieval_accuracy is retrieval.retrieval_accuracy
    l, en = _vectors(1)
    both = retrieval.bitext_error(l, en)
    # evaluation reports % and averages both directions the same way (cosine: the vectors are unit length)
    assert eval_metrics.bitext_error_rate(l * 3, en) == pytest.approx(100 * (both["l2en_error"] + both["en2l_error"]) / 2, abs=0.02)
    assert eval_metrics.retrieval_error(l, en) == pytest.approx(100 * retrieval.retrieval_error(l, en))
