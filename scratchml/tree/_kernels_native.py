"""Cython twin of ``tree_apply``: rows split into ranges, one thread each.

Importing this module fails when the extension was not built, which is how the
backend registry learns that the Cython backend is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._cython import _tree
from ..utils._parallel import row_ranges, run_ranges


def apply(X, left, right, feature, threshold, missing_left, n_jobs=None):
    """Leaf index of every row of X (C-contiguous float32/float64)."""
    out = np.empty(len(X), dtype=np.intp)
    miss = np.ascontiguousarray(missing_left, dtype=np.uint8)

    def work(start, stop):
        _tree.apply_rows(X, left, right, feature, threshold, miss, out, start, stop)

    run_ranges(work, row_ranges(len(X), n_jobs, min_rows=4096))
    return out


def forest_sum(X, trees, n_jobs=None):
    """Σ over trees of each row's leaf value, rows split between threads.

    ``trees`` is :func:`scratchml.tree._kernels.tree_arrays`'s list; the kernel gets each
    array's address (the list keeps the arrays alive for the whole call).
    """
    cols = [np.array([a.ctypes.data for a in arrays], dtype=np.intp) for arrays in zip(*trees)]
    out = np.zeros((len(X), trees[0][5].shape[1]))

    def work(start, stop):
        _tree.forest_sum_rows(X, *cols, out, start, stop)

    run_ranges(work, row_ranges(len(X), n_jobs, min_rows=1024))
    return out
