"""Cython twins of the sparse kernels: dtype checks, output allocation and threads.

The compiled loops (``kernels/cython/_sparse.pyx``) work on one range of rows
(``X @ B``) or of output rows (``X.T @ B``); this adapter splits the work
between threads. Importing it fails when the extension was not built, which
is how the backend registry learns that Cython is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._config import effective_n_jobs
from .._cython import _sparse
from ..utils._parallel import run_ranges


def _index_arrays(indices, indptr):
    """Both index arrays in one of the compiled index types (int32 or int64)."""
    dtype = indptr.dtype if indptr.dtype in (np.int32, np.int64) else np.int64
    return (np.ascontiguousarray(indices, dtype=dtype),
            np.ascontiguousarray(indptr, dtype=dtype))


def csr_matmul_dense(data, indices, indptr, B, n_jobs=None):
    indices, indptr = _index_arrays(indices, indptr)
    data, B = np.ascontiguousarray(data), np.ascontiguousarray(B)
    n_rows, k = indptr.size - 1, B.shape[1]
    out = np.zeros((n_rows, k), dtype=data.dtype)
    if n_rows == 0 or k == 0 or data.size == 0:
        return out

    def work(start, stop):
        _sparse.matmul_rows(data, indices, indptr, B, out, start, stop)

    # A thread is worth starting for about 4 million multiply-adds (a few ms);
    # rows are split so that every thread gets about the same number of entries.
    n_threads = max(1, min(effective_n_jobs(n_jobs), (data.size * k) >> 22))
    targets = data.size * np.arange(1, n_threads) // n_threads
    bounds = [0, *np.searchsorted(indptr, targets, side="left").tolist(), n_rows]
    run_ranges(work, [(bounds[t], bounds[t + 1]) for t in range(n_threads)])
    return out


def _column_ranges(indices, n_cols: int, n_parts: int) -> list[tuple[int, int]]:
    """``n_parts`` contiguous column ranges holding about equal numbers of entries.

    Counted on a strided sample of at most ~65,000 entries: the split only
    balances the threads' work, it never changes a result.
    """
    sample = indices[:: max(1, indices.size >> 16)]
    before = np.concatenate(([0], np.cumsum(np.bincount(sample, minlength=n_cols))))
    targets = sample.size * np.arange(1, n_parts) // n_parts
    cuts = np.searchsorted(before, targets, side="left").tolist()
    bounds = [0, *cuts, n_cols]
    return [(bounds[t], bounds[t + 1]) for t in range(n_parts) if bounds[t] < bounds[t + 1]]


def csr_t_matmul_dense(data, indices, indptr, B, n_cols, n_jobs=None):
    indices, indptr = _index_arrays(indices, indptr)
    data, B = np.ascontiguousarray(data), np.ascontiguousarray(B)
    k = B.shape[1]
    out = np.zeros((n_cols, k), dtype=data.dtype)
    if n_cols == 0 or k == 0 or data.size == 0:
        return out
    # Every thread scans all nnz entries but does the k multiply-adds only for
    # the entries of its own output rows, so repeating the scan pays only when
    # k is large: one thread per 16 columns of B, and none for a small X.
    n_threads = min(effective_n_jobs(n_jobs), max(1, k // 16))
    if data.size < 1 << 16:
        n_threads = 1
    ranges = _column_ranges(indices, n_cols, n_threads) if n_threads > 1 else [(0, n_cols)]

    def work(lo, hi):
        _sparse.t_matmul_cols(data, indices, indptr, B, out, lo, hi)

    run_ranges(work, ranges)
    return out


def csr_row_sums(data, indptr):
    _, indptr = _index_arrays(indptr, indptr)
    out = np.empty(indptr.size - 1, dtype=data.dtype)
    _sparse.row_sums(np.ascontiguousarray(data), indptr, out)
    return out


def csr_row_sq_norms(data, indptr):
    _, indptr = _index_arrays(indptr, indptr)
    out = np.empty(indptr.size - 1, dtype=data.dtype)
    _sparse.row_sq_norms(np.ascontiguousarray(data), indptr, out)
    return out
