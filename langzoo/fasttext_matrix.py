"""What fastText (0.9.2, the pip wheels) leaves in its input matrix, and how to check it.

fastText initialises the input matrix in ``thread`` blocks of a tenth of its values
each and leaves the rest as the allocator returns it.  Measured on this project's
machine (lr=0, so the matrix stays as made): a large matrix (the shipped LID's
500k x 64) came back with the rest exactly zero, even after torch was imported; a small
one (2k buckets x 8) held NaN and 1e38-sized garbage in most one-thread runs.  Training
on such a matrix stops with "Encountered NaN", or finishes with NaN rows that surface
in quantisation's row norms.
"""

from __future__ import annotations

# With at least 11 threads the blocks cover the whole matrix (the rows*dim % 10 values
# after ten blocks fall into the eleventh once a block holds 9 or more values).
FULL_INIT_THREADS = 11
# fastText's random init is U(-1/dim, 1/dim); trained vectors stay far below this.
SANE_VECTOR_BOUND = 1e3


def input_matrix_problem(model) -> str | None:
    """None when every value of the model's input matrix is finite and below
    :data:`SANE_VECTOR_BOUND`, else a short description of what is wrong."""
    import numpy as np

    matrix = model.get_input_matrix()
    if not matrix.size:
        return "input matrix is empty"
    peak = float(np.abs(matrix).max())
    if not np.isfinite(peak) or peak >= SANE_VECTOR_BOUND:
        return f"input matrix not sane (max |x| = {peak:.3g})"
    return None
