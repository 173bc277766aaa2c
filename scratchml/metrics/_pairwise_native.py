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
from ._tile_pack import pack_centres


def sqeuclidean_argmin(X: np.ndarray, C: np.ndarray, n_jobs=None):
    if C.shape[0] == 0:
        raise ValueError("C has no rows: at least one centre is needed.")
    n = X.shape[0]
    mode, width = _distances.tile_layout(C.dtype, C.shape[0])
    packed, c_sq = pack_centres(C, mode, width)
    labels = np.zeros(n, dtype=np.intp)
    best = np.empty(n, dtype=X.dtype)

    def work(start, stop):
        _distances.argmin_rows(X, packed, c_sq, mode, labels, best, start, stop)

    run_ranges(work, row_ranges(n, n_jobs))
    return labels, best
