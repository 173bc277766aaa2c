"""Operations on ``CSRMatrix``: validation, conversion, structure, indexing, reductions.

Each function works on the three CSR arrays with whole-array NumPy
expressions; the row reductions (and the products, in ``_csr_products.py``) go
through the kernel registry (``_kernels.py``) so that a compiled twin runs
when it is built.
"""

from __future__ import annotations

import numpy as np

from .. import _backend

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _kernel(name: str):
    from . import _kernels  # noqa: F401  (registers the kernels on first use)

    return _backend.get_kernel(name)[0]


def row_ids(X) -> np.ndarray:
    """The row of every stored entry: row ``i`` repeated ``indptr[i+1] - indptr[i]`` times."""
    return np.repeat(np.arange(X.shape[0], dtype=np.intp), np.diff(X.indptr))


# -- validation ---------------------------------------------------------------------


def check_shape(shape) -> tuple[int, int]:
    try:
        n_rows, n_cols = (int(s) for s in shape)
    except (TypeError, ValueError):
        raise ValueError(f"shape must be a pair (n_rows, n_cols), got {shape!r}.") from None
    if n_rows < 0 or n_cols < 0:
        raise ValueError(f"shape must not be negative, got {(n_rows, n_cols)}.")
    return n_rows, n_cols


def check_structure(data, indices, indptr, shape) -> None:
    """Raise ValueError naming the first inconsistency of the CSR arrays."""
    n_rows, n_cols = shape
    if indptr.size != n_rows + 1:
        raise ValueError(
            f"indptr has {indptr.size} entries, but shape {shape} needs n_rows + 1 = "
            f"{n_rows + 1}."
        )
    if indptr[0] != 0:
        raise ValueError(f"indptr must start at 0, got indptr[0] = {indptr[0]}.")
    steps = np.diff(indptr)
    if steps.size and steps.min() < 0:
        row = int(np.argmax(steps < 0))
        raise ValueError(
            f"indptr must be nondecreasing, but indptr[{row}] = {indptr[row]} > "
            f"indptr[{row + 1}] = {indptr[row + 1]} (row {row})."
        )
    nnz = int(indptr[-1])
    if indices.size != nnz or data.size != nnz:
        raise ValueError(
            f"indptr[-1] = {nnz} stored entries, but indices has {indices.size} and "
            f"data has {data.size}; all three must agree."
        )
    # min/max first: no nnz-sized temporary unless there is an error to locate.
    if nnz and (indices.min() < 0 or indices.max() >= n_cols):
        j = int(np.argmax((indices < 0) | (indices >= n_cols)))
        row = int(np.searchsorted(indptr, j, side="right")) - 1
        raise ValueError(
            f"column index {indices[j]} (entry {j}, row {row}) is out of range for "
            f"{n_cols} columns; indices must lie in [0, {n_cols})."
        )


# -- conversion ---------------------------------------------------------------------


def from_coo(cls, rows, cols, values, shape, dtype):
    values = np.asarray(values, dtype=dtype)
    rows, cols = np.asarray(rows), np.asarray(cols)
    if values.ndim == 0:
        values = np.full(rows.shape, values)
    if not (rows.ndim == cols.ndim == values.ndim == 1):
        raise ValueError("rows, cols and values must be 1-D arrays.")
    if not (rows.size == cols.size == values.size):
        raise ValueError(
            f"rows, cols and values must have the same length, got {rows.size}, "
            f"{cols.size} and {values.size}."
        )
    for name, arr in (("rows", rows), ("cols", cols)):
        if arr.size and arr.dtype.kind not in "iu":
            raise ValueError(f"{name} must hold integers, got dtype {arr.dtype}.")
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    if shape is None:
        shape = (int(rows.max()) + 1 if rows.size else 0, int(cols.max()) + 1 if cols.size else 0)
    n_rows, n_cols = (int(s) for s in shape)
    for name, arr, n in (("row", rows, n_rows), ("column", cols, n_cols)):
        bad = (arr < 0) | (arr >= n)
        if bad.any():
            t = int(np.argmax(bad))
            raise ValueError(
                f"{name} index {arr[t]} (triplet {t}) is out of range for shape "
                f"{(n_rows, n_cols)}; {name} indices must lie in [0, {n})."
            )
    # Sort by (row, column); equal keys become neighbours and are summed.
    key = rows * n_cols + cols
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    data = np.add.reduceat(values[order], starts) if starts.size else values[:0].copy()
    key = key[starts]
    idx_dtype = np.int32 if max(n_cols, key.size) <= np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(n_rows + 1, dtype=idx_dtype)
    np.cumsum(np.bincount(key // max(n_cols, 1), minlength=n_rows), out=indptr[1:])
    indices = (key % max(n_cols, 1)).astype(idx_dtype)
    return cls._from_valid(data, indices, indptr, (n_rows, n_cols))


def _scipy_sparse():
    try:
        import scipy.sparse
    except ImportError:
        raise ImportError(
            "this conversion needs SciPy, which is not installed: `pip install scipy`, "
            "or stay with CSRMatrix (X.toarray() gives a dense array)."
        ) from None
    return scipy.sparse


def from_scipy(cls, m):
    if not (hasattr(m, "tocsr") and hasattr(m, "nnz")):
        raise TypeError(f"from_scipy expects a SciPy sparse matrix, got {type(m).__name__}.")
    csr = m.tocsr()
    return cls(
        (np.array(csr.data), np.array(csr.indices), np.array(csr.indptr)), shape=csr.shape
    )


def to_scipy(X):
    sparse = _scipy_sparse()
    return sparse.csr_matrix((X.data, X.indices, X.indptr), shape=X.shape)


# -- structure ----------------------------------------------------------------------


def structure(X) -> tuple[bool, bool]:
    """``(sorted, canonical)``: each row's indices nondecreasing / strictly increasing."""
    if X.nnz < 2:
        return True, True
    step = np.diff(X.indices)
    # A decrease is allowed only where a new row starts.
    row_start = np.zeros(X.nnz, dtype=bool)
    row_start[X.indptr[:-1][X.indptr[:-1] < X.nnz]] = True
    inner = ~row_start[1:]
    return bool(np.all(step[inner] >= 0)), bool(np.all(step[inner] > 0))


def sort_indices(X) -> None:
    if structure(X)[0]:
        return
    order = np.lexsort((X.indices, row_ids(X)))
    X.indices, X.data = X.indices[order], X.data[order]


def sum_duplicates(X) -> None:
    if structure(X)[1]:
        return
    Y = from_coo(type(X), row_ids(X), X.indices, X.data, X.shape, None)
    width = X.indptr.dtype  # keep the caller's index width
    X.data, X.indices, X.indptr = Y.data, Y.indices.astype(width), Y.indptr.astype(width)


def eliminate_zeros(X) -> None:
    keep = X.data != 0
    if keep.all():
        return
    kept_before = np.concatenate(([0], np.cumsum(keep)))  # kept entries before each position
    X.indptr = kept_before[X.indptr].astype(X.indptr.dtype)
    X.data, X.indices = X.data[keep], X.indices[keep]


def getnnz(X, axis):
    if axis is None:
        return X.nnz
    axis = _check_axis(axis)
    if axis == 1:
        return np.diff(X.indptr)
    return np.bincount(X.indices, minlength=X.shape[1])


# -- indexing -----------------------------------------------------------------------


def getitem(X, key):
    if isinstance(key, tuple):
        if len(key) == 2 and isinstance(key[1], slice) and key[1] == slice(None):
            key = key[0]
        else:
            raise TypeError(
                "CSRMatrix supports row indexing only (X[i], X[a:b], X[rows], X[mask], "
                "X[rows, :]); for columns or single elements use X.toarray()[...]."
            )
    n = X.shape[0]
    if isinstance(key, slice):
        start, stop, step = key.indices(n)
        if step == 1:
            stop = max(start, stop)
            lo, hi = X.indptr[start], X.indptr[stop]
            return type(X)._from_valid(
                X.data[lo:hi].copy(), X.indices[lo:hi].copy(),
                X.indptr[start : stop + 1] - lo, (stop - start, X.shape[1]),
            )
        key = np.arange(start, stop, step)
    idx = np.asarray(key)
    if idx.dtype == bool:
        if idx.shape != (n,):
            raise IndexError(f"boolean row mask has shape {idx.shape}, expected ({n},).")
        idx = np.flatnonzero(idx)
    elif idx.size == 0:
        idx = idx.astype(np.intp)
    elif idx.dtype.kind not in "iu" or idx.ndim > 1:
        raise IndexError(
            f"rows must be an int, a slice, a 1-D integer array or a boolean mask, "
            f"got {type(key).__name__} with dtype {idx.dtype} and shape {idx.shape}."
        )
    idx = np.atleast_1d(idx).astype(np.intp)
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"row index {idx[np.argmax(bad)]} is out of range for {n} rows.")
    idx = np.where(idx < 0, idx + n, idx)
    # Gather the selected rows' entries: positions indptr[r] .. indptr[r+1]-1 per row r.
    counts = (X.indptr[idx + 1] - X.indptr[idx]).astype(np.intp)
    indptr = np.zeros(idx.size + 1, dtype=X.indptr.dtype)
    np.cumsum(counts, out=indptr[1:])
    pos = np.repeat(X.indptr[idx] - indptr[:-1], counts) + np.arange(indptr[-1])
    # A single integer gives a (1, n_cols) matrix, as SciPy's sparse matrices do.
    return type(X)._from_valid(X.data[pos], X.indices[pos], indptr, (idx.size, X.shape[1]))


# -- reductions ---------------------------------------------------------------------


def _check_axis(axis) -> int:
    if axis in (0, 1, -1, -2) and not isinstance(axis, bool):
        return axis % 2
    raise ValueError(f"axis must be None, 0 or 1 for a 2-D sparse matrix, got {axis!r}.")


def _sum_dtype(dtype):
    return np.zeros(0, dtype=dtype).sum().dtype  # NumPy's rule: small ints widen


def sum_(X, axis):
    dtype = _sum_dtype(X.dtype)
    if axis is None:
        return X.data.sum(dtype=dtype)
    if _check_axis(axis) == 0:
        if dtype in _FLOATS:  # bincount accumulates in float64, then one rounding
            return np.bincount(X.indices, X.data, minlength=X.shape[1]).astype(dtype)
        out = np.zeros(X.shape[1], dtype=dtype)
        np.add.at(out, X.indices, X.data)  # exact for integers, works for complex
        return out
    data = X.data.astype(dtype, copy=False)
    if data.dtype in _FLOATS:
        return _kernel("csr_row_sums")(data, X.indptr)
    from ._kernels import segment_sums  # integers and complex: the reference is exact

    return segment_sums(data, X.indptr)


def mean(X, axis):
    total = sum_(X, axis)
    n = X.shape[0] * X.shape[1] if axis is None else X.shape[_check_axis(axis)]
    dtype = np.result_type(total.dtype, np.float64) if total.dtype.kind in "iub" else total.dtype
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 is nan, as np.mean gives
        return (np.asarray(total, dtype=dtype) / dtype.type(n))[()]


def row_norms(X, squared: bool = False) -> np.ndarray:
    """Euclidean norm of every row of a dense array or sparse matrix.

    ``||x_i||_2 = sqrt(sum_j x_ij^2)``; with ``squared=True`` the square root is
    skipped. For a sparse matrix only the stored entries are visited, ``O(nnz)``.

    Parameters
    ----------
    X : array-like of shape (n_rows, n_cols) or CSRMatrix (or SciPy sparse)
    squared : bool, default=False

    Returns
    -------
    ndarray of shape (n_rows,)
        Floating point (integer input gives float64).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.sparse import CSRMatrix, row_norms
    >>> row_norms(CSRMatrix(np.array([[3.0, 4.0], [0.0, 0.0]])))
    array([5., 0.])
    """
    from ._csr import CSRMatrix, issparse

    if issparse(X):
        X = X if isinstance(X, CSRMatrix) else CSRMatrix.from_scipy(X)
        if not X.has_canonical_format:  # duplicates must be added before squaring
            X = X.copy()
            X.sum_duplicates()
        data = X.data if X.dtype in _FLOATS else X.data.astype(np.float64)
        out = _kernel("csr_row_sq_norms")(data, X.indptr)
    else:
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"row_norms expects a 2-D array, got shape {X.shape}.")
        X = X if X.dtype in _FLOATS else X.astype(np.float64)
        out = np.einsum("ij,ij->i", X, X)
    return out if squared else np.sqrt(out)
