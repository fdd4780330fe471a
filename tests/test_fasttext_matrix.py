"""langzoo.fasttext_matrix: the check on fastText's input matrix, against real fastText."""

import random

import numpy as np

from langzoo.fasttext_matrix import FULL_INIT_THREADS, input_matrix_problem


class _Matrix:
    def __init__(self, matrix):
        self.matrix = matrix

    def get_input_matrix(self):
        return self.matrix


def test_problem_names_nan_garbage_and_empty_matrices():
    assert input_matrix_problem(_Matrix(np.full((3, 2), 0.5, np.float32))) is None
    assert "nan" in input_matrix_problem(_Matrix(np.array([[0.1, np.nan]], np.float32)))
    assert "1e+13" in input_matrix_problem(_Matrix(np.array([[1e13, 0.0]], np.float32)))
    assert "empty" in input_matrix_problem(_Matrix(np.zeros((0, 4), np.float32)))


def test_enough_threads_initialise_the_whole_matrix(tmp_path):
    # The fact the last retries rest on.  lr=0 keeps the matrix as fastText made it;
    # minn/maxn make fastText keep the hash buckets (without them it drops them).
    import fasttext

    rng = random.Random(0)
    data = tmp_path / "train.txt"
    data.write_text("".join(f"__label__{i % 2} " + " ".join(rng.choice("ab cd ef gh".split()) for _ in range(4))
                            + "\n" for i in range(200)))
    model = fasttext.train_supervised(str(data), dim=8, epoch=1, lr=0.0, bucket=2000, minn=2, maxn=5,
                                      thread=FULL_INIT_THREADS, seed=0, verbose=0)
    values = np.abs(model.get_input_matrix())
    assert values.shape == (2000 + len(model.words), 8)
    assert (values > 0).mean() > 0.999 and values.max() <= 1 / 8
    assert input_matrix_problem(model) is None
