"""Cython twin of the ``sqeuclidean_argmin`` kernel: packing and threads.

The compiled part (``kernels/cython/_distances.pyx``) computes one row range;
this adapter packs the centres once and splits the rows between threads.
Importing this module fails if the extension was not built, which is how the
backend registry learns that the Cython backend is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._cython import _distances
from ..utils._parallel import row_ranges, run_ranges


def pack_centres(C: np.ndarray):
    """Centres as blocks of ``nr`` stored feature by feature, padded; and padded ||c||^2.

    ``packed[b, f, w]`` is feature ``f`` of centre ``b*nr + w``. Padding centres
    are zero with squared norm +inf, so they never win the argmin.
    """
    k, p = C.shape
    nr = _distances.block_width(C.dtype, k)
    n_blocks = -(-k // nr)
    padded = np.zeros((n_blocks * nr, p), dtype=C.dtype)
    padded[:k] = C
    packed = np.ascontiguousarray(padded.reshape(n_blocks, nr, p).transpose(0, 2, 1))
    c_sq = np.full(n_blocks * nr, np.inf, dtype=C.dtype)
    c_sq[:k] = np.einsum("ij,ij->i", C, C)
    return packed, c_sq


def sqeuclidean_argmin(X: np.ndarray, C: np.ndarray, n_jobs=None):
    if C.shape[0] == 0:
        raise ValueError("C has no rows: at least one centre is needed.")
    n = X.shape[0]
    packed, c_sq = pack_centres(C)
    labels = np.zeros(n, dtype=np.intp)
    best = np.empty(n, dtype=X.dtype)

    def work(start, stop):
        _distances.argmin_rows(X, packed, c_sq, labels, best, start, stop)

    run_ranges(work, row_ranges(n, n_jobs))
    return labels, best
