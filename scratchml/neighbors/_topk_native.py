"""Cython twin of the ``knn_topk`` kernel: packing and threads around ``topk_fused``.

The compiled part (``kernels/cython/_topk.pyx``) computes the ranking values
v = ‖x‖² − 2 q·x tile by tile in registers and folds them straight into each
query row's sorted top-k list, so the n_q x n_x block never reaches memory (the
NumPy reference writes it with BLAS, chunk by chunk, and scans it). This adapter
packs the training rows once and splits the query rows between threads; each
row's result depends only on that row, so it does not depend on the thread count.

float32 queries against float32 training rows are ranked in float32 (blocks of
twice as many rows, half the bytes), as the NumPy reference's float32 matrix
product is; any other mix runs in float64.
Importing this module fails if the extension was not built, which is how the
registry learns the Cython backend is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._cython import _topk
from ..utils._parallel import row_ranges, run_ranges


def pack_rows(X: np.ndarray):
    """Rows of X as blocks of ``nr`` stored feature by feature, zero-padded; and ‖x‖².

    Both in X's dtype (float32 or float64), which also sets the block width ``nr``.
    """
    n, p = X.shape
    nr = _topk.block_width(X.dtype == np.float32)
    n_blocks = -(-n // nr)
    padded = np.zeros((n_blocks * nr, p), dtype=X.dtype)
    padded[:n] = X
    packed = np.ascontiguousarray(padded.reshape(n_blocks, nr, p).transpose(0, 2, 1))
    # Padding rows rank last: +inf never beats a kept value.
    xx = np.full(n_blocks * nr, np.inf, dtype=X.dtype)
    xx[:n] = np.einsum("ij,ij->i", X, X)
    return packed, xx


def knn_topk(Q: np.ndarray, X: np.ndarray, k: int, exclude_self: bool = False,
             n_jobs=None) -> np.ndarray:
    """Indices of the k nearest rows of X for each row of Q, by (v, index); see ``_topk``."""
    Q, X = np.asarray(Q), np.asarray(X)
    single = Q.dtype == np.float32 and X.dtype == np.float32
    dtype = np.float32 if single else np.float64
    Q = np.ascontiguousarray(Q, dtype=dtype)
    X = np.ascontiguousarray(X, dtype=dtype)
    n_q, n_x = len(Q), len(X)
    ind = np.empty((n_q, k), dtype=np.intp)
    if n_q == 0:
        return ind
    packed, xx = pack_rows(X)

    def work(start, stop):
        _topk.topk_fused(Q, packed, xx, n_x, k, ind, exclude_self, start, stop)

    run_ranges(work, row_ranges(n_q, n_jobs, min_rows=256))
    return ind
