"""Shared machinery of the scalers: chunked column reductions and feature names.

Kept apart from ``_scalers.py`` so that the estimators there read on their own;
``_outliers``, ``_polynomial``, ``_discretization`` and ``_function_transformer``
use the same helpers.
"""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_is_fitted

# ~256 KiB of float64 per chunk: large enough to amortize the Python loop, small
# enough that the second and later passes over a chunk hit L2.
_CHUNK_ELEMENTS = 1 << 15
# Rows folded together by _reduce_rows (chunks hold a multiple of this many rows).
_FOLD = 64


def _chunk_rows(n_cols: int) -> int:
    """Rows per chunk: about _CHUNK_ELEMENTS values, a multiple of _FOLD rows."""
    return max(1, _CHUNK_ELEMENTS // max(n_cols, 1) // _FOLD) * _FOLD


def _row_chunks(n_rows: int, n_cols: int):
    step = _chunk_rows(n_cols)
    for start in range(0, n_rows, step):
        yield slice(start, start + step)


def _reduce_rows(ufunc, block: np.ndarray, dtype=None) -> np.ndarray:
    """``ufunc.reduce(block, axis=0)``, several times faster on narrow blocks.

    Reducing over rows calls NumPy's inner loop once per row, on only n_features
    values: for 20 columns the call overhead dominates. Viewing every _FOLD
    consecutive rows as one long row (a free reshape of a C-contiguous block) makes
    the inner loop _FOLD times longer; a last small reduction folds the _FOLD
    partial results. For sums this changes only the order of the additions.
    """
    n, p = block.shape
    m = n - n % _FOLD
    parts = []
    if m:
        wide = ufunc.reduce(block[:m].reshape(m // _FOLD, _FOLD * p), axis=0, dtype=dtype)
        parts.append(ufunc.reduce(wide.reshape(_FOLD, p), axis=0))
    if m < n:
        parts.append(ufunc.reduce(block[m:], axis=0, dtype=dtype))
    return parts[0] if len(parts) == 1 else ufunc(parts[0], parts[1])


def _handle_zeros_in_scale(scale: np.ndarray) -> np.ndarray:
    """Scales below 10·eps (constant columns) become 1, as in scikit-learn."""
    scale = np.array(scale, copy=True)
    scale[scale < 10 * np.finfo(scale.dtype).eps] = 1.0
    return scale


def _feature_names_in(est, input_features=None) -> np.ndarray:
    """Input feature names: given, seen in fit (DataFrame columns), or x0, x1, ..."""
    names_in = getattr(est, "feature_names_in_", None)
    n_in = getattr(est, "n_features_in_", None)
    if input_features is not None:
        input_features = np.asarray(input_features, dtype=object)
        if names_in is not None and not np.array_equal(names_in, input_features):
            raise ValueError(
                f"input_features {list(input_features)[:5]} is not equal to the feature names "
                f"seen in fit {list(names_in)[:5]}; pass None to use those."
            )
        if n_in is not None and len(input_features) != n_in:
            raise ValueError(
                f"input_features has {len(input_features)} names, but {type(est).__name__} "
                f"was fitted with {n_in} features."
            )
        return input_features
    if names_in is not None:
        return np.asarray(names_in, dtype=object)
    return np.asarray([f"x{i}" for i in range(n_in)], dtype=object)


class _OneToOneFeatureNamesMixin:
    """``get_feature_names_out`` for transformers that keep their columns."""

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output feature names: the input ones (one output column per input column)."""
        check_is_fitted(self, "n_features_in_")
        return _feature_names_in(self, input_features)


def _validate_for_output(est, X, copy: bool, accept_sparse: bool = False):
    """Validated X and the array to write the result into (X itself when allowed).

    Writing in place is allowed when the caller said ``copy=False``, or when
    validation already produced a private array (lists, other dtypes, F order).
    A sparse X (with ``accept_sparse``) comes back with ``None``: the sparse paths
    build a new CSRMatrix instead.
    """
    Xv = est._validate_data(X, reset=False, accept_sparse=accept_sparse)
    if _is_sparse(Xv):
        return Xv, None
    private = Xv is not X and Xv.flags.owndata
    if (private or not copy) and Xv.flags.writeable:
        return Xv, Xv
    return Xv, np.empty_like(Xv)


def _apply_chunked(Xv: np.ndarray, out: np.ndarray, steps) -> np.ndarray:
    """Apply ``func(src, *args, out=dst)`` for each step, chunk by chunk of rows.

    Arguments are scalars or per-column vectors. Broadcasting a vector over a
    narrow 2-D block makes NumPy run its inner loop once per row, a few values at a
    time; instead each vector is tiled to the length of a whole chunk once, and
    every step is a single flat, contiguous loop. Same operations, same results.
    """
    if not steps:
        if out is not Xv:
            np.copyto(out, Xv)
        return out
    n, p = Xv.shape
    size = min(_chunk_rows(p), n) * p
    wide = [(func, *(np.tile(a, size // p) if np.ndim(a) == 1 else a for a in args))
            for func, *args in steps]
    x_flat, out_flat = Xv.reshape(-1), out.reshape(-1)
    for start in range(0, x_flat.size, size):
        src, dst = x_flat[start:start + size], out_flat[start:start + size]
        k = len(src)
        for func, *args in wide:
            func(src, *(a[:k] if np.ndim(a) == 1 else a for a in args), out=dst)
            src = dst
    return out


def _column_min_max(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column minimum and maximum in one sweep over memory."""
    lo, hi = X[0].copy(), X[0].copy()
    for rows in _row_chunks(*X.shape):
        block = X[rows]
        np.minimum(lo, _reduce_rows(np.minimum, block), out=lo)
        np.maximum(hi, _reduce_rows(np.maximum, block), out=hi)
    return lo, hi


def _column_percentiles(X: np.ndarray, q, *, median: bool = False):
    """``np.percentile(X, q, axis=0)`` (linear interpolation), and the median if asked.

    Same values as NumPy's, bit for bit, but partitions a transposed copy so each
    column is contiguous: selecting in a strided column is several times slower.
    """
    if len(q) == 0 and not median:
        return np.empty((0, X.shape[1])), None
    Xt = np.empty((X.shape[1], X.shape[0]), dtype=X.dtype)
    for rows in _row_chunks(*X.shape):  # blocked transpose: cache-friendly
        Xt[:, rows] = X[rows].T
    # overwrite_input: partition the private copy in place; the median then
    # re-partitions an already partitioned array, which is cheap.
    quantiles = np.percentile(Xt, np.asarray(q, dtype=np.float64), axis=1, overwrite_input=True)
    med = np.median(Xt, axis=1, overwrite_input=True) if median else None
    return quantiles, med


# --------------------------------------------------------------------- StandardScaler


# --------------------------------------------------------------- sparse (CSR) input
# A CSRMatrix keeps only its nonzeros; every scaler that does not centre maps 0 to 0,
# so it can work on the stored values alone and return a CSRMatrix of the same
# pattern. Column statistics gather the stored values by column index; the unstored
# zeros enter in closed form.


def _is_sparse(X) -> bool:
    return not isinstance(X, np.ndarray)


def _row_of_entries(X) -> np.ndarray:
    """Row index of every stored entry (the COO row array), shape (nnz,)."""
    return np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))


def _with_data(X, data: np.ndarray):
    """A new CSRMatrix with X's pattern (indices copied: the caller's X stays private)."""
    return type(X)((data, X.indices.copy(), X.indptr.copy()), shape=X.shape)


def _sparse_max_abs(X) -> np.ndarray:
    """max_i |x_ij| per column; unstored zeros count as 0, the starting value."""
    out = np.zeros(X.shape[1], dtype=np.float64)
    np.maximum.at(out, X.indices, np.abs(X.data))
    return out.astype(X.dtype, copy=False)


def _sparse_mean_and_m2(X, w, total: float):
    """Weighted column means and Σ w (x − μ)² of a CSR X, unstored zeros included.

    Same corrected two-pass sums as the dense ``_mean_and_m2``: a column with stored
    weight W_s has total − W_s weight on zeros, each contributing (0 − μ)² = μ² to
    M2 and −μ to the rounding correction Σ w (x − μ).
    """
    p = X.shape[1]
    wd = np.ones(X.nnz) if w is None else w[_row_of_entries(X)]
    data = X.data.astype(np.float64)
    mean = np.bincount(X.indices, wd * data, minlength=p) / total
    zero_w = total - np.bincount(X.indices, wd, minlength=p)
    c = data - mean[X.indices]
    correction = np.bincount(X.indices, wd * c, minlength=p) - zero_w * mean
    m2 = np.bincount(X.indices, wd * c * c, minlength=p) + zero_w * mean**2
    m2 -= correction**2 / total
    return mean, m2


def _sparse_divide_columns(X, scale: np.ndarray, op=np.divide):
    """x_ij ↦ op(x_ij, scale_j) on the stored entries; the result keeps X's pattern."""
    return _with_data(X, op(X.data, scale.astype(X.dtype)[X.indices]))


def _sparse_normalize_rows(X, norm: str):
    """Normalizer on a CSR X: each row's stored values divided by the row's norm."""
    rows, a = _row_of_entries(X), np.abs(X.data)
    if norm == "max":
        norms = np.zeros(X.shape[0], dtype=X.dtype)
        np.maximum.at(norms, rows, a)
    elif norm == "l1":
        norms = np.bincount(rows, a, minlength=X.shape[0])
    else:
        norms = np.sqrt(np.bincount(rows, a * a, minlength=X.shape[0]))
    norms = _handle_zeros_in_scale(norms.astype(X.dtype, copy=False))
    return _with_data(X, X.data / norms[rows])


def _check_sparse_centering(est, X, centre: bool) -> None:
    """Centring a sparse X would store every zero (x − μ ≠ 0): refuse, naming the fix."""
    if centre and _is_sparse(X):
        raise ValueError(
            f"Cannot center a sparse matrix in {type(est).__name__}: x − mean would make every "
            "zero entry nonzero. Pass with_mean=False instead (scaling only keeps X sparse), "
            "or X.toarray() if it fits in memory."
        )
