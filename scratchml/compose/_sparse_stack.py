"""Horizontal stacking of dense and sparse blocks, and the dense-or-sparse output rule.

``ColumnTransformer`` concatenates the outputs of its transformers side by side.
When one of them is sparse (a :class:`scratchml.sparse.CSRMatrix`, or SciPy's) the
result is a CSRMatrix if the overall density

    density = (Σ stored entries of sparse blocks + Σ sizes of dense blocks) / (n · Σ widths)

is below ``sparse_threshold`` (scikit-learn's rule), and a dense array otherwise.

Stacking CSR blocks [B_1 | ... | B_m] row by row: row i of the result holds row i of
B_1, then row i of B_2 shifted right by B_1's width, and so on. With c_b[i] the
number of entries of row i in block b, the result's row i starts at
indptr[i] = Σ_{r<i} Σ_b c_b[r], and block b's part of it at indptr[i] + Σ_{b'<b} c_b'[i];
every entry is then placed by one vectorized scatter per block.
"""

from __future__ import annotations

import numpy as np


def _is_sparse(X) -> bool:
    if isinstance(X, np.ndarray) or not hasattr(X, "nnz"):
        return False
    from ..sparse import issparse

    return issparse(X)


def _as_csr(X):
    """A sparse block as a CSRMatrix (SciPy's converted, CSRMatrix kept)."""
    from ..sparse import CSRMatrix

    return X if isinstance(X, CSRMatrix) else CSRMatrix(X)


def _stacked_density(blocks: list) -> float:
    """Share of stored (or, for dense blocks, all) entries in the stacked result."""
    stored = sum(B.nnz if _is_sparse(B) else B.size for B in blocks)
    total = sum(B.shape[0] * B.shape[1] for B in blocks)
    return stored / total if total else 0.0


def _hstack_csr(blocks: list, n_rows: int):
    """[B_1 | ... | B_m] as a CSRMatrix; dense blocks keep their nonzeros only."""
    from ..sparse import CSRMatrix

    blocks = [_as_csr(B) if _is_sparse(B) else CSRMatrix.from_dense(np.asarray(B))
              for B in blocks]
    widths = [B.shape[1] for B in blocks]
    n_cols, nnz = int(sum(widths)), int(sum(B.nnz for B in blocks))
    index_dtype = np.int32 if max(n_cols, nnz) <= np.iinfo(np.int32).max else np.int64
    dtype = np.result_type(*[B.dtype for B in blocks]) if blocks else np.float64
    counts = np.stack([np.diff(B.indptr) for B in blocks]) if blocks else np.zeros((0, n_rows))
    indptr = np.zeros(n_rows + 1, dtype=index_dtype)
    np.cumsum(counts.sum(axis=0), out=indptr[1:])
    data = np.empty(nnz, dtype=dtype)
    indices = np.empty(nnz, dtype=index_dtype)
    # Where block b's part of each row starts in the result.
    starts = indptr[:-1] + np.cumsum(counts, axis=0) - counts
    offset = 0
    for B, start, c in zip(blocks, starts, counts):
        # Entry k of B (in row r) goes to start[r] + (k − B.indptr[r]).
        pos = np.repeat(start - B.indptr[:-1], c) + np.arange(B.nnz)
        data[pos] = B.data
        indices[pos] = B.indices + offset
        offset += B.shape[1]
    return CSRMatrix((data, indices, indptr), shape=(n_rows, n_cols))


def _hstack_blocks(blocks: list, n_rows: int, sparse: bool):
    """Stack blocks side by side: a CSRMatrix when ``sparse``, else a dense array."""
    if sparse:
        return _hstack_csr(blocks, n_rows)
    dense = [B.toarray() if _is_sparse(B) else B for B in blocks]
    return np.hstack(dense) if dense else np.zeros((n_rows, 0))


def _select_csr_columns(X, columns):
    """X[:, columns] of a CSRMatrix for any list of column positions (repeats allowed).

    Output column k copies input column columns[k]. Each stored entry (r, c) is
    emitted once for every k with columns[k] = c — found by binary search in the
    sorted positions — and the entries are then ordered by (row, new column).
    """
    columns = np.asarray(columns, dtype=np.intp)
    order = np.argsort(columns, kind="stable")
    lo = np.searchsorted(columns[order], X.indices, side="left")
    hi = np.searchsorted(columns[order], X.indices, side="right")
    counts = hi - lo
    src = np.repeat(np.arange(X.nnz), counts)  # stored entry behind each output entry
    # j-th copy of an entry takes the j-th match: lo + (position within its run).
    run_start = np.repeat(np.cumsum(counts) - counts, counts)
    new_col = order[np.repeat(lo, counts) + np.arange(src.size) - run_start]
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))[src]
    perm = np.lexsort((new_col, rows))
    indptr = np.zeros(X.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=X.shape[0]), out=indptr[1:])
    return type(X)((X.data[src[perm]], new_col[perm], indptr), shape=(X.shape[0], columns.size))
