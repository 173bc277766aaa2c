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


def _validate_pair(X, Y):
    X = check_array(X, input_name="X")
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
    X, Y = _validate_pair(X, Y)
    kernel, _ = get_kernel("sqeuclidean_argmin")
    labels, dist = kernel(X, Y, n_jobs=n_jobs)
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
