"""Cython twin of the ``lloyd_step`` kernel: packing, fixed chunks, threads, ordered reduction.

The compiled part (``kernels/cython/_lloyd.pyx``) runs a range of chunks; this
adapter packs the centres once, cuts the rows into chunks whose size depends on
n only, shares the chunks between threads, and adds the per-chunk partial sums
in chunk order, so the result is the same for any ``n_jobs``. Importing this
module fails if the extension was not built, which is how the backend registry
learns that the Cython backend is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._cython import _lloyd
from ..metrics._tile_pack import pack_centres
from ..utils._parallel import row_ranges, run_ranges
from ._lloyd import _lloyd_step_numpy

# At most this many chunks (enough to balance 16+ threads) and at least this
# many rows per chunk (so a chunk's partial k x p sums are worth their reduction).
_MAX_CHUNKS = 64
_MIN_CHUNK_ROWS = 2048


def chunk_rows(n: int) -> int:
    """Rows per chunk for n rows: a multiple of 64, a function of n alone."""
    rows = max(_MIN_CHUNK_ROWS, -(-n // _MAX_CHUNKS))
    return -(-rows // 64) * 64


def lloyd_step(X: np.ndarray, C: np.ndarray, w: np.ndarray, n_jobs=None):
    """Labels, per-cluster weighted sums, weights and inertia: see ``scratchml.cluster._lloyd``."""
    n, p = X.shape
    k = C.shape[0]
    if k == 0:
        raise ValueError("C has no rows: at least one centre is needed.")
    if n == 0 or p == 0:
        return _lloyd_step_numpy(X, C, w)
    mode, width = _lloyd.tile_layout(C.dtype, k)
    packed, c_sq = pack_centres(C, mode, width)
    rows = chunk_rows(n)
    n_chunks = -(-n // rows)
    labels = np.empty(n, dtype=np.intp)
    sums = np.zeros((n_chunks, k, p), dtype=np.float64)
    counts = np.zeros((n_chunks, k), dtype=np.float64)
    inertia = np.zeros(n_chunks, dtype=np.float64)

    def work(first, last):
        _lloyd.lloyd_chunks(X, w, packed, c_sq, mode, labels, sums, counts, inertia, rows, first,
                            last)

    run_ranges(work, row_ranges(n_chunks, n_jobs, min_rows=1))
    if n_chunks == 1:
        return labels, sums[0], counts[0], float(inertia[0])
    # np.add.reduce along the first axis adds the chunks one after the other, in order.
    return labels, sums.sum(axis=0), counts.sum(axis=0), float(inertia.sum())
