"""Cython twin of the ``knn_topk`` kernel: packing and threads around ``topk_fused``.

The compiled part (``kernels/cython/_topk.pyx``) computes the ranking values
v = ‖x‖² − 2 q·x tile by tile in registers and folds them straight into each
query row's sorted top-k list, so the n_q x n_x block never reaches memory (the
NumPy reference writes it with BLAS, chunk by chunk, and scans it). This adapter
packs the training rows once and splits the query rows between threads; each
row's result depends only on that row, so it does not depend on the thread count.
Importing this module fails if the extension was not built, which is how the
registry learns the Cython backend is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._cython import _topk
from ..utils._parallel import row_ranges, run_ranges


def pack_rows(X: np.ndarray):
    """Rows of X as blocks of ``nr`` stored feature by feature, zero-padded; and ‖x‖²."""
    n, p = X.shape
    nr = _topk.block_width()
    n_blocks = -(-n // nr)
    padded = np.zeros((n_blocks * nr, p))
    padded[:n] = X
    packed = np.ascontiguousarray(padded.reshape(n_blocks, nr, p).transpose(0, 2, 1))
    xx = np.full(n_blocks * nr, np.inf)
    xx[:n] = np.einsum("ij,ij->i", X, X)
    return packed, xx


def knn_topk(Q: np.ndarray, X: np.ndarray, k: int, exclude_self: bool = False,
             n_jobs=None) -> np.ndarray:
    """Indices of the k nearest rows of X for each row of Q, by (v, index); see ``_topk``."""
    Q = np.ascontiguousarray(Q, dtype=np.float64)
    X = np.ascontiguousarray(X, dtype=np.float64)
    n_q, n_x = len(Q), len(X)
    ind = np.empty((n_q, k), dtype=np.intp)
    if n_q == 0:
        return ind
    packed, xx = pack_rows(X)

    def work(start, stop):
        _topk.topk_fused(Q, packed, xx, n_x, k, ind, exclude_self, start, stop)

    run_ranges(work, row_ranges(n_q, n_jobs, min_rows=256))
    return ind
