"""Cython twins of the sparse kernels: dtype checks, output allocation and threads.

The compiled loops (``kernels/cython/_sparse.pyx``) work on one range of rows
(``X @ B``) or of output rows (``X.T @ B``); this adapter splits the work
between threads, but only for large work (about 8 million multiply-adds or
more); below that (and always for ``X.T @ u``) the loop runs in the calling
thread with no pool. Arrays already C-contiguous and of the right dtype are
never copied, and a vector takes a dedicated 1-D loop (``X @ v``, ``X.T @ u``).
Importing it fails when the extension was not built, which is how the backend
registry learns that Cython is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._config import effective_n_jobs
from .._cython import _sparse
from ..utils._parallel import run_ranges

_INDEX_TYPES = (np.dtype(np.int32), np.dtype(np.int64))


def _index_arrays(indices, indptr):
    """Both index arrays in one of the compiled index types (int32 or int64).

    A CSRMatrix already stores them so (checked at construction): then this
    is two attribute tests and no copy.
    """
    dtype = indptr.dtype
    if (dtype in _INDEX_TYPES and indices.dtype == dtype
            and indices.flags.c_contiguous and indptr.flags.c_contiguous):
        return indices, indptr
    dtype = dtype if dtype in _INDEX_TYPES else np.int64
    return (np.ascontiguousarray(indices, dtype=dtype),
            np.ascontiguousarray(indptr, dtype=dtype))


def _contiguous(a):
    return a if a.flags.c_contiguous else np.ascontiguousarray(a)


# A thread is worth starting for about 4 million multiply-adds (a few ms);
# below twice that the work runs in the calling thread, with no pool at all.
_THREAD_WORK = 1 << 22


def _row_split_threads(n_entries: int, k: int, n_jobs) -> int:
    work = (n_entries * k) // _THREAD_WORK
    return 1 if work < 2 else max(1, min(effective_n_jobs(n_jobs), work))


def _matvec(data, indices, indptr, x, n_jobs):
    n_rows = indptr.size - 1
    out = np.empty(n_rows, dtype=data.dtype)
    n_threads = _row_split_threads(data.size, 1, n_jobs)
    if n_threads == 1:
        _sparse.matvec(data, indices, indptr, x, out, 0, n_rows)
        return out

    def work(start, stop):
        _sparse.matvec(data, indices, indptr, x, out, start, stop)

    # Each row is one dot product computed by one thread: any split gives the same bits.
    targets = data.size * np.arange(1, n_threads) // n_threads
    bounds = [0, *np.searchsorted(indptr, targets, side="left").tolist(), n_rows]
    run_ranges(work, [(bounds[t], bounds[t + 1]) for t in range(n_threads)])
    return out


def csr_matmul_dense(data, indices, indptr, B, n_jobs=None):
    indices, indptr = _index_arrays(indices, indptr)
    data, B = _contiguous(data), _contiguous(B)
    if B.ndim == 1:
        return _matvec(data, indices, indptr, B, n_jobs)
    n_rows, k = indptr.size - 1, B.shape[1]
    out = np.zeros((n_rows, k), dtype=data.dtype)
    if n_rows == 0 or k == 0 or data.size == 0:
        return out

    def work(start, stop):
        _sparse.matmul_rows(data, indices, indptr, B, out, start, stop)

    # Rows are split so that every thread gets about the same number of entries.
    n_threads = _row_split_threads(data.size, k, n_jobs)
    if n_threads == 1:
        work(0, n_rows)
        return out
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
    data, B = _contiguous(data), _contiguous(B)
    if B.ndim == 1:
        # One pass scattering data[j] * B[i]: splitting it would make every
        # thread rescan all entries, more work than the multiply-adds saved.
        out = np.zeros(n_cols, dtype=data.dtype)
        _sparse.t_matvec(data, indices, indptr, B, out)
        return out
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
    if n_threads == 1:
        # One thread owns every column: no range test per entry, k unrolled for k <= 4.
        _sparse.t_matmul_small(data, indices, indptr, B, out)
        return out
    ranges = _column_ranges(indices, n_cols, n_threads)

    def work(lo, hi):
        _sparse.t_matmul_cols(data, indices, indptr, B, out, lo, hi)

    run_ranges(work, ranges)
    return out


def csr_row_sums(data, indptr):
    _, indptr = _index_arrays(indptr, indptr)
    out = np.empty(indptr.size - 1, dtype=data.dtype)
    _sparse.row_sums(_contiguous(data), indptr, out)
    return out


def csr_row_sq_norms(data, indptr):
    _, indptr = _index_arrays(indptr, indptr)
    out = np.empty(indptr.size - 1, dtype=data.dtype)
    _sparse.row_sq_norms(_contiguous(data), indptr, out)
    return out
