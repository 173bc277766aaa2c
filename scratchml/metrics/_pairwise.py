"""Pairwise distances, and the kernel k-means and nearest neighbours share.

Kernel ``"sqeuclidean_argmin"``: for each row x of X, the index of the nearest
row c of C in squared Euclidean distance, and that distance:

    label(x) = argmin_j ||x - c_j||^2,   ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2.

The NumPy reference below is the definition; the Cython twin
(``kernels/cython/_distances.pyx``) and the CUDA twin (``kernels/cuda/distances.py``)
must give the same labels. Signature of every implementation::

    kernel(X, C, n_jobs=None) -> (labels: intp[n], min_sqdist: X.dtype[n])

X and C are C-contiguous, of the same float dtype (float32 or float64), already
validated. Distances are clipped at 0 (rounding in the expansion above can make
a tiny distance slightly negative).
"""

from __future__ import annotations

import numpy as np

from .._backend import get_kernel, register
from ..utils.validation import check_array

# Rows per chunk are chosen so that one chunk's n_rows x n_centres block of
# distances holds at most this many values (8 MiB in float64): memory stays
# bounded whatever the size of X.
_CHUNK_VALUES = 1 << 20


def _sqeuclidean_argmin_numpy(X: np.ndarray, C: np.ndarray, n_jobs=None):
    """NumPy reference: chunked GEMM trick, then argmin along each row."""
    n, k = X.shape[0], C.shape[0]
    labels = np.empty(n, dtype=np.intp)
    best = np.empty(n, dtype=X.dtype)
    if k == 0:
        raise ValueError("C has no rows: at least one centre is needed.")
    c_sq = np.einsum("ij,ij->i", C, C)
    chunk = max(1, _CHUNK_VALUES // k)
    for start in range(0, n, chunk):
        Xc = X[start:start + chunk]
        # d_j = ||c_j||^2 - 2 x.c_j; ||x||^2 does not change the argmin.
        d = Xc @ C.T
        d *= -2
        d += c_sq
        lab = np.argmin(d, axis=1)
        labels[start:start + chunk] = lab
        best[start:start + chunk] = np.take_along_axis(d, lab[:, None], axis=1)[:, 0]
    best += np.einsum("ij,ij->i", X, X)
    np.maximum(best, 0, out=best)
    return labels, best


register("sqeuclidean_argmin", "numpy", _sqeuclidean_argmin_numpy)
register("sqeuclidean_argmin", "cython", "scratchml.metrics._pairwise_native:sqeuclidean_argmin")
register("sqeuclidean_argmin", "cuda", "scratchml._cuda.distances:sqeuclidean_argmin")


def _validate_pair(X, Y, check_X_finite: bool = True):
    X = check_array(X, input_name="X", ensure_all_finite=check_X_finite)
    Y = check_array(Y, input_name="Y")
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} features but Y has {Y.shape[1]}: both must have the same "
            "number of columns."
        )
    dtype = np.result_type(X.dtype, Y.dtype)
    return np.ascontiguousarray(X, dtype=dtype), np.ascontiguousarray(Y, dtype=dtype)


def pairwise_distances_argmin_min(X, Y, *, metric: str = "euclidean", n_jobs=None):
    """For each row of X, the index of the nearest row of Y and the distance to it.

    Same as scikit-learn's function of that name for the Euclidean metrics.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    Y : array-like of shape (n_centres, n_features)
    metric : {"euclidean", "sqeuclidean"}
        "sqeuclidean" returns squared distances (no square root).
    n_jobs : int or None
        Threads for the native kernels; None uses the configured value (all cores).

    Returns
    -------
    argmin : ndarray of shape (n_samples,), dtype intp
    distances : ndarray of shape (n_samples,), in X's float dtype

    Examples
    --------
    >>> from scratchml.metrics import pairwise_distances_argmin_min
    >>> pairwise_distances_argmin_min([[0, 0], [5, 5]], [[1, 0], [4, 4]])
    (array([0, 1]), array([1.        , 1.41421356]))
    """
    if metric not in ("euclidean", "sqeuclidean"):
        raise ValueError(
            f"metric={metric!r} is not supported here; use 'euclidean' or 'sqeuclidean'."
        )
    # X is checked for NaN/inf *through* the kernel: a non-finite value in a row
    # makes that row's distance non-finite, so one cheap test of the n outputs
    # replaces a separate pass over the n x p input. Only when it fails is X
    # scanned again, to raise the usual error naming the columns.
    X, Y = _validate_pair(X, Y, check_X_finite=False)
    kernel, _ = get_kernel("sqeuclidean_argmin")
    with np.errstate(invalid="ignore"):  # NaN from non-finite X is reported just below
        labels, dist = kernel(X, Y, n_jobs=n_jobs)
    if not np.isfinite(np.sum(dist)):
        check_array(X, input_name="X")  # raises if X has NaN or infinity
    if metric == "euclidean":
        np.sqrt(dist, out=dist)
    return labels, dist


def pairwise_distances_argmin(X, Y, *, metric: str = "euclidean", n_jobs=None):
    """For each row of X, the index of the nearest row of Y.

    See :func:`pairwise_distances_argmin_min`.
    """
    return pairwise_distances_argmin_min(X, Y, metric=metric, n_jobs=n_jobs)[0]


def euclidean_distances(X, Y=None, *, squared: bool = False):
    """Matrix of Euclidean distances between the rows of X and the rows of Y (default X)."""
    X, Y = _validate_pair(X, X if Y is None else Y)
    d = np.einsum("ij,ij->i", X, X)[:, None] - 2 * (X @ Y.T) + np.einsum("ij,ij->i", Y, Y)
    np.maximum(d, 0, out=d)
    if Y is X or (Y.shape == X.shape and np.shares_memory(X, Y)):
        np.fill_diagonal(d, 0)
    return d if squared else np.sqrt(d, out=d)


# ---------------------------------------------------------------- general pairwise distances

_METRIC_ALIASES = {
    "euclidean": "euclidean", "l2": "euclidean", "sqeuclidean": "sqeuclidean",
    "manhattan": "manhattan", "cityblock": "manhattan", "l1": "manhattan", "cosine": "cosine",
}


def _check_metric(metric):
    if callable(metric) or metric == "precomputed":
        return metric
    if metric not in _METRIC_ALIASES:
        raise ValueError(
            f"metric={metric!r} is not supported; use one of {sorted(_METRIC_ALIASES)}, "
            "'precomputed', or a callable f(x, y) -> float."
        )
    return _METRIC_ALIASES[metric]


def _row_sq_norms(X: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", X, X)


def _unit_rows(X: np.ndarray, tiny: float = 0.0) -> np.ndarray:
    """Rows scaled to unit norm; rows of norm 0 (or < ``tiny`` when given) are left as they are.

    tiny=0 is scikit-learn's ``normalize`` rule for cosine distances and neighbours;
    DBSCAN passes 10·eps, the rule of scikit-learn's ``normalize`` inside its search.
    """
    norms = np.sqrt(_row_sq_norms(X))
    norms[(norms < tiny) if tiny > 0 else (norms == 0)] = 1
    return X / norms[:, None]


def _coordinate_block(Xc: np.ndarray, Y: np.ndarray, metric: str, p: float = 1.0) -> np.ndarray:
    """Manhattan, Chebyshev or Minkowski block, accumulated one feature at a time.

    Features are added in order (as scikit-learn's and SciPy's per-pair loops do),
    and the block stays 2-D (chunk x n_Y) instead of a 3-D difference array.
    "minkowski" returns Σ|x − y|^p *before* the root (monotone in the distance: the
    neighbour search ranks on it and takes the root of the k winners only).
    """
    dtype = np.result_type(Xc.dtype, Y.dtype, np.float32)
    D = np.zeros((len(Xc), len(Y)), dtype=dtype)
    diff = np.empty_like(D)
    # Features as contiguous rows: each step below streams through memory.
    Xt, Yt = np.ascontiguousarray(Xc.T), np.ascontiguousarray(Y.T)
    for j in range(Xc.shape[1]):
        np.subtract(Xt[j][:, None], Yt[j][None, :], out=diff)
        np.abs(diff, out=diff)
        if metric == "manhattan":
            D += diff
        elif metric == "chebyshev":
            np.maximum(D, diff, out=D)
        elif p == 2:
            D += np.multiply(diff, diff, out=diff)  # what diff**2 computes, faster
        else:
            D += np.power(diff, p, out=diff)
    return D


def _distance_block(Xc: np.ndarray, Y: np.ndarray, metric: str, yy=None, *,
                    p: float = 1.0) -> np.ndarray:
    """Distances between the rows of a chunk Xc and all rows of Y (no diagonal fix-up).

    The one chunked-distance helper of pairwise metrics, neighbour search and
    DBSCAN. Euclidean uses ||x||² − 2 x·y + ||y||² (one GEMM; clipped at 0 because
    rounding can make a tiny squared distance negative); ``yy`` caches ||y||² (or
    the unit-normalized Y for cosine) across chunks. Manhattan, Chebyshev and
    Minkowski (p-th power sum, unrooted) go through :func:`_coordinate_block`.
    """
    if metric in ("euclidean", "sqeuclidean"):
        d = Xc @ Y.T
        d *= -2
        d += _row_sq_norms(Xc)[:, None]
        d += (_row_sq_norms(Y) if yy is None else yy)[None, :]
        np.maximum(d, 0, out=d)
        return np.sqrt(d, out=d) if metric == "euclidean" else d
    if metric in ("manhattan", "chebyshev", "minkowski"):
        return _coordinate_block(Xc, Y, metric, p)
    # cosine: 1 − cos(x, y), clipped to its range [0, 2].
    S = _unit_rows(Xc) @ (_unit_rows(Y) if yy is None else yy).T
    S *= -1
    S += 1
    return np.clip(S, 0.0, 2.0, out=S)


def _block_cache(Y: np.ndarray, metric: str):
    if metric in ("euclidean", "sqeuclidean"):
        return _row_sq_norms(Y)
    if metric == "cosine":
        return _unit_rows(Y)
    return None


def _rows_per_chunk(n_cols: int, n_features: int, metric: str) -> int:
    # Every metric keeps a 2-D (rows x n_cols) block (plus one temporary of that size).
    return max(1, _CHUNK_VALUES // max(n_cols, 1))


def _callable_distances(X, Y, func, same: bool, **kwds) -> np.ndarray:
    out = np.zeros((X.shape[0], Y.shape[0]))
    if same:
        # Upper triangle, mirrored, then the diagonal: as scikit-learn evaluates it.
        for i in range(X.shape[0]):
            for j in range(i + 1, Y.shape[0]):
                out[i, j] = func(X[i], Y[j], **kwds)
        out = out + out.T
        for i in range(X.shape[0]):
            out[i, i] = func(X[i], X[i], **kwds)
        return out
    for i in range(X.shape[0]):
        for j in range(Y.shape[0]):
            out[i, j] = func(X[i], Y[j], **kwds)
    return out


def pairwise_distances(X, Y=None, metric="euclidean", *, n_jobs=None, **kwds) -> np.ndarray:
    """Matrix of distances D[i, j] = d(X[i], Y[j]) (Y defaults to X).

    Metrics: "euclidean" (alias "l2"), "sqeuclidean", "manhattan" (aliases
    "cityblock", "l1": sum_k |x_k − y_k|), "cosine" (1 − x·y / (|x| |y|)),
    "precomputed" (X is returned as is), or a callable ``f(x, y, **kwds)``.
    Rows are processed in chunks so temporaries stay bounded. With Y None the
    diagonal is exactly 0 for the Euclidean and cosine metrics.

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features)
    Y : array-like of shape (n_samples_Y, n_features), default=None
    metric : str or callable, default="euclidean"
    n_jobs : None
        Accepted for scikit-learn compatibility; NumPy's BLAS threads are used.
    **kwds : extra keyword arguments for a callable metric.

    Returns
    -------
    D : ndarray of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from scratchml.metrics import pairwise_distances
    >>> pairwise_distances([[0, 0], [3, 4]], metric="manhattan")
    array([[0., 7.],
           [7., 0.]])
    """
    metric = _check_metric(metric)
    if metric == "precomputed":
        return check_array(X, input_name="X")
    same = Y is None or Y is X
    if same:
        X = Y = check_array(X, input_name="X")
    else:
        X, Y = _validate_pair(X, Y)
    if callable(metric):
        return _callable_distances(X, Y, metric, same, **kwds)
    cache = _block_cache(Y, metric)
    out = np.empty((X.shape[0], Y.shape[0]), dtype=np.result_type(X.dtype, np.float32))
    chunk = _rows_per_chunk(Y.shape[0], X.shape[1], metric)
    for start in range(0, X.shape[0], chunk):
        out[start:start + chunk] = _distance_block(X[start:start + chunk], Y, metric, cache)
    if same and metric != "manhattan":
        np.fill_diagonal(out, 0)
    return out
