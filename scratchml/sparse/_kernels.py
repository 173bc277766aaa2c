"""Sparse-matrix kernels: NumPy references and their registrations.

Every kernel takes the raw CSR arrays ``(data, indices, indptr)`` of a matrix
``X`` of shape ``(n_rows, n_cols)``:

``csr_matmul_dense(data, indices, indptr, B, n_jobs=None) -> (n_rows, k)``
    ``X @ B``: row ``i`` of the result is ``sum_j data[j] * B[indices[j]]`` over
    the entries ``j`` of row ``i``.
``csr_t_matmul_dense(data, indices, indptr, B, n_cols, n_jobs=None) -> (n_cols, k)``
    ``X.T @ B``: entry ``j`` (in row ``i``) adds ``data[j] * B[i]`` to row
    ``indices[j]`` of the result -- a scatter, the transpose of the gather above;
    the reference regroups the entries by column (X.T in CSR form) and gathers.
``B`` may also be a vector ``(n,)``; the result is then 1-D (``(n_rows,)`` or
``(n_cols,)``), as for NumPy's ``@``.
``csr_row_sums(data, indptr) -> (n_rows,)`` and ``csr_row_sq_norms(data, indptr)``
    ``sum_j data[j]`` and ``sum_j data[j]**2`` over each row's entries.

The references below are the definition of correct; they are vectorised over
all entries (or over blocks of entries, to bound the memory of ``nnz x k``
temporaries). The Cython twins in ``kernels/cython/_sparse.pyx`` must agree.
Duplicate entries simply add up, as in the dense matrix they represent.
"""

from __future__ import annotations

import numpy as np

from .._backend import register

# Products data[j] * B[indices[j]] are formed this many numbers at a time.
_BLOCK_ELEMENTS = 1 << 22


def segment_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """``out[i] = values[indptr[i]:indptr[i+1]].sum(axis=0)``; zero for empty segments.

    ``np.add.reduceat`` sums from each start to the next start, so it is given
    only the starts of nonempty segments: an empty segment's start equals the
    next one's and would wrongly receive a value.
    """
    n = indptr.size - 1
    out = np.zeros((n, *values.shape[1:]), dtype=values.dtype)
    lengths = np.diff(indptr)
    nonempty = np.flatnonzero(lengths)
    if nonempty.size:
        base = indptr[nonempty[0]]
        stop = indptr[nonempty[-1] + 1]
        out[nonempty] = np.add.reduceat(values[base:stop], indptr[nonempty] - base, axis=0)
    return out


def _row_blocks(indptr: np.ndarray, per_entry: int) -> list[tuple[int, int]]:
    """Contiguous row ranges whose entries times ``per_entry`` stay near the block budget."""
    n = indptr.size - 1
    nnz = int(indptr[-1])
    step = max(1, _BLOCK_ELEMENTS // max(per_entry, 1))
    cuts = np.searchsorted(indptr, np.arange(step, nnz, step), side="right") - 1
    bounds = np.unique(np.concatenate(([0], cuts, [n])))
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))


def _csr_matmul_dense_numpy(data, indices, indptr, B, n_jobs=None):
    if B.ndim == 1:  # a vector is the one-column case
        return _csr_matmul_dense_numpy(data, indices, indptr, B[:, None])[:, 0]
    n_rows, k = indptr.size - 1, B.shape[1]
    out = np.zeros((n_rows, k), dtype=np.result_type(data, B))
    for start, stop in _row_blocks(indptr, k):
        lo, hi = indptr[start], indptr[stop]
        products = data[lo:hi, None] * B[indices[lo:hi]]  # one row of B per entry
        out[start:stop] = segment_sums(products, indptr[start : stop + 1] - lo)
    return out


def _csr_t_matmul_dense_numpy(data, indices, indptr, B, n_cols, n_jobs=None):
    if B.ndim == 1:
        return _csr_t_matmul_dense_numpy(data, indices, indptr, B[:, None], n_cols)[:, 0]
    # X.T in CSR form is X in CSC form: entries grouped by column (a stable sort
    # keeps each column's rows in order), with row ids as its column indices.
    rows = np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
    order = np.argsort(indices, kind="stable")
    t_indptr = np.zeros(n_cols + 1, dtype=np.intp)
    np.cumsum(np.bincount(indices, minlength=n_cols), out=t_indptr[1:])
    return _csr_matmul_dense_numpy(data[order], rows[order], t_indptr, B)


def _csr_row_sums_numpy(data, indptr):
    return segment_sums(data, indptr)


def _csr_row_sq_norms_numpy(data, indptr):
    return segment_sums(data * data, indptr)


register("csr_matmul_dense", "numpy", _csr_matmul_dense_numpy)
register("csr_matmul_dense", "cython", "scratchml.sparse._native:csr_matmul_dense")
register("csr_t_matmul_dense", "numpy", _csr_t_matmul_dense_numpy)
register("csr_t_matmul_dense", "cython", "scratchml.sparse._native:csr_t_matmul_dense")
register("csr_row_sums", "numpy", _csr_row_sums_numpy)
register("csr_row_sums", "cython", "scratchml.sparse._native:csr_row_sums")
register("csr_row_sq_norms", "numpy", _csr_row_sq_norms_numpy)
register("csr_row_sq_norms", "cython", "scratchml.sparse._native:csr_row_sq_norms")
