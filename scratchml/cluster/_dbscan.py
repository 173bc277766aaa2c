"""DBSCAN: density-based clustering with noise (Ester, Kriegel, Sander & Xu, 1996).

The algorithm in three array steps:

1. **Neighbourhoods.** N(i) = {j : d(x_i, x_j) ≤ ε}, the point itself included. The
   distances are computed over row chunks of at most 64 MiB, so memory holds one chunk
   of the distance matrix plus the neighbour lists (never the whole n × n matrix).
   Euclidean "d ≤ ε" is the exact-difference test Σ_k (x_ik − x_jk)² ≤ ε² (float64,
   left to right), which a GEMM settles for every pair not within rounding of ε.
   With the Cython backend, kernel ``radius_count`` counts |N(i)| first and lists are
   built only for the rows the labels read (core points, unweighted).
2. **Core points.** i is a core point when Σ_{j ∈ N(i)} w_j ≥ min_samples (w = 1
   without ``sample_weight``).
3. **Clusters.** Clusters are the connected components of the graph whose vertices are
   core points and whose edges join cores within ε; border points (non-core, within ε
   of a core) join a neighbouring cluster; everything else is noise (−1).

scikit-learn expands clusters depth-first from each unvisited core point in index
order, so its cluster k is the component whose smallest core index is the k-th
smallest, and a border point reached by several clusters keeps the one expanded first —
the smallest label among its core neighbours. This module computes exactly that without
a per-point Python loop: components by min-label hooking and pointer jumping (each
round halves the depth of the label forest), borders by one ``minimum.at``.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._backend import get_kernel, register
from ..base import BaseEstimator, ClusterMixin
from ..exceptions import DataValidationError
from ..metrics._pairwise import _coordinate_block, _unit_rows

_METRICS = ("euclidean", "manhattan", "cosine")
_ALGORITHMS = ("auto", "brute")
# Bytes of one chunk of the distance matrix (scikit-learn's working_memory is 1 GiB).
# Large chunks mean few, large GEMMs: multithreaded BLAS is slow on many thin ones.
_CHUNK_BYTES = 64 * 2**20


def _chunk_rows(n_samples: int, chunk_bytes: int) -> int:
    """Rows per chunk so that one chunk of float64 distances fits in ``chunk_bytes``."""
    return max(1, min(n_samples, chunk_bytes // (8 * n_samples)))


def _euclidean_filter(X: np.ndarray, eps: float) -> tuple:
    """GEMM operands of the fast test and the band around its threshold left in doubt.

    ‖x − y‖² ≤ ε²  ⇔  x·y − ‖y‖²/2 ≥ (‖x‖² − ε²)/2. Appending a column of ones to the
    queries and −‖y‖²/2 to the points folds the subtraction into the GEMM (the trick of
    scikit-learn's search). Its rounding depends on BLAS, so it only *filters*: a pair
    whose value g clears the row's threshold by more than the rounding bound
    (g ≥ hi: in, g < lo: out) is decided; the rest go to ``_exact_within``.
    The slack 16(p + 4)·eps_mach·(‖x‖²/2 + max‖y‖²/2 + ε²/2) is about four times
    the worst rounding error of the GEMM side and of the exact side together.
    Returns ``(Xq, Y, lo, hi)``.
    """
    n, p = X.shape
    with np.errstate(over="ignore"):  # an infinite ‖x‖² sends every pair to E
        half_sq = 0.5 * np.einsum("ij,ij->i", X, X)
    top = half_sq.max() if n else 0.0
    if not (top < 1e300 and eps < 1e150):
        # Products or ε² could overflow (inf − inf): every pair is decided exactly.
        return np.zeros((n, 1)), np.zeros((n, 1)), np.full(n, -np.inf), np.full(n, np.inf)
    threshold = half_sq - 0.5 * eps * eps
    info = np.finfo(np.float64)
    slack = 16 * (p + 4) * (info.eps * (half_sq + top + 0.5 * eps * eps) + info.tiny)
    Xq = np.hstack([X, np.ones((n, 1))])
    Y = np.hstack([X, -half_sq[:, None]])
    return Xq, Y, threshold - slack, threshold + slack


def _exact_within(X: np.ndarray, i: np.ndarray, j: np.ndarray, eps2: float) -> np.ndarray:
    """The exact-difference test Σ_k (x_ik − x_jk)² ≤ fl(ε²) for index pairs (i, j).

    Float64, feature by feature, each difference, square and sum rounded on its own:
    the decision every backend reproduces bit for bit (and symmetric in i, j).
    """
    acc = np.zeros(len(i))
    with np.errstate(over="ignore"):  # overflow gives inf: not within any finite ε
        for k in range(X.shape[1]):
            t = X[i, k] - X[j, k]
            acc += t * t
    return acc <= eps2


def _within_eps(X: np.ndarray, ops: tuple, eps2: float, start: int, stop: int,
                col: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) with start ≤ i < stop, j ≥ col and E(i, j) ≤ eps2, in row-major order."""
    Xq, Y, lo, hi = ops
    block = Xq[start:stop] @ Y[col:].T
    # flatnonzero on the flat mask is many times faster than 2-D nonzero.
    flat = np.flatnonzero(block >= lo[start:stop, None])
    i, j = np.divmod(flat, X.shape[0] - col)
    i += start
    j += col
    keep = block.ravel()[flat] >= hi[i]
    doubt = np.flatnonzero(~keep)
    if len(doubt):
        keep[doubt] = _exact_within(X, i[doubt], j[doubt], eps2)
    return i[keep], j[keep]


def _radius_neighbors(X: np.ndarray, eps: float, metric: str,
                      chunk_bytes: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour lists of every row of X within ``eps`` (itself included), as CSR.

    Returns ``indptr`` (n + 1,) and ``indices``: the neighbours of i are
    ``indices[indptr[i]:indptr[i + 1]]``, in increasing order. Euclidean pairs are
    decided as kernel ``radius_count`` decides them, so list sizes equal its counts.
    """
    n, d = X.shape
    rows = _chunk_rows(n, _CHUNK_BYTES if chunk_bytes is None else chunk_bytes)
    if metric == "euclidean":
        ops = _euclidean_filter(X, eps)
    elif metric == "cosine":
        # scikit-learn's normalize(): rows of (near) zero norm are left as they are.
        Y = _unit_rows(X, tiny=10 * np.finfo(X.dtype).eps)
    # d is symmetric, so only pairs i < j are computed (chunk rows against the columns
    # from the chunk's start on: half the work) and mirrored afterwards.
    keys = [np.arange(n) * (n + 1)]  # key i·n + j; a point is always its own neighbour
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        if metric == "euclidean":
            i, j = _within_eps(X, ops, eps * eps, start, stop, start)
        else:
            if metric == "cosine":
                block = Y[start:stop] @ Y[start:].T
                # d = 1 − cos, clipped to [0, 2] as scikit-learn does, compared with ε.
                np.subtract(1.0, block, out=block)
                np.clip(block, 0.0, 2.0, out=block)
                mask = block <= eps
            else:  # manhattan: accumulate |x_k − y_k| feature by feature, in order
                mask = _coordinate_block(X[start:stop], X[start:], "manhattan") <= eps
            i, j = np.divmod(np.flatnonzero(mask), n - start)
            i, j = i + start, j + start
        upper = j > i
        i, j = i[upper], j[upper]
        keys.append(i * n + j)
        keys.append(j * n + i)
    key = np.sort(np.concatenate(keys))
    row, indices = np.divmod(key, n)
    indptr = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(np.bincount(row, minlength=n), out=indptr[1:])
    return indptr, indices


def _radius_count_numpy(X: np.ndarray, eps: float, n_jobs=None) -> np.ndarray:
    """NumPy reference of kernel ``"radius_count"``: |N(i)| for every row (itself included).

    Euclidean: j counts when the exact-difference test Σ_k (x_ik − x_jk)² ≤ ε²
    (float64, left to right, ``_exact_within``) passes; a GEMM per chunk of rows
    decides every pair far from the boundary (``_euclidean_filter``) and only the
    pairs in doubt are computed exactly. Any dtype is decided in float64. The count
    alone decides which points are core points when samples are unweighted.
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    eps = float(eps)
    ops = _euclidean_filter(X, eps)
    counts = np.zeros(n, dtype=np.intp)
    rows = _chunk_rows(n, _CHUNK_BYTES)
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        i, _ = _within_eps(X, ops, eps * eps, start, stop, 0)
        counts[start:stop] = np.bincount(i - start, minlength=stop - start)
    return counts


register("radius_count", "numpy", _radius_count_numpy)
register("radius_count", "cython", "scratchml.cluster._dbscan_native:radius_count")
register("radius_count", "cuda", "scratchml._cuda.dbscan:radius_count")


def _min_label_components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """For an undirected graph with edges (u, v), the smallest vertex index of each component.

    Invariant: ``root[x] ≤ x`` and ``root[x]`` lies in x's component. Each round hooks
    the root of u under the smaller root of v, then jumps pointers until the forest is
    flat; at the fixed point both ends of every edge share one root — the minimum.
    """
    root = np.arange(n)
    while True:
        hooked = root.copy()
        np.minimum.at(hooked, root[u], root[v])
        while True:
            jumped = hooked[hooked]
            if np.array_equal(jumped, hooked):
                break
            hooked = jumped
        if np.array_equal(hooked, root):
            return root
        root = hooked


def _dbscan_labels(indptr: np.ndarray, indices: np.ndarray, is_core: np.ndarray) -> np.ndarray:
    """Labels in scikit-learn's order from neighbour lists and the core mask."""
    n = len(is_core)
    src = np.repeat(np.arange(n), np.diff(indptr))
    from_core = is_core[src]
    core_edge = from_core & is_core[indices]
    root = _min_label_components(n, src[core_edge], indices[core_edge])
    labels = np.full(n, -1, dtype=np.intp)
    # Clusters are numbered by their smallest core index, i.e. in the order a
    # depth-first expansion over indices 0, 1, 2, ... discovers them.
    core_roots = root[is_core]
    _, labels[is_core] = np.unique(core_roots, return_inverse=True)
    border_edge = from_core & ~is_core[indices]
    if np.any(border_edge):
        big = np.iinfo(np.intp).max
        border = np.full(n, big, dtype=np.intp)
        np.minimum.at(border, indices[border_edge], labels[src[border_edge]])
        reached = border != big
        labels[reached] = border[reached]
    return labels


class DBSCAN(ClusterMixin, BaseEstimator):
    """Density-Based Spatial Clustering of Applications with Noise.

    A core point has total sample weight ≥ ``min_samples`` within distance ``eps``
    (itself included). Clusters are maximal sets of cores linked by chains of
    ε-steps between cores, plus the non-core points within ε of one of them
    (border points); the rest is noise, label −1:

        N(i) = {j : d(x_i, x_j) ≤ ε},   core(i) ⇔ Σ_{j∈N(i)} w_j ≥ min_samples.

    Labels equal scikit-learn's exactly: clusters are numbered in the order of their
    first core point, and a border point takes the smallest label among the clusters
    that reach it.

    Parameters
    ----------
    eps : float, default=0.5
        Neighbourhood radius; must be > 0.
    min_samples : int, default=5
        Weight (count) a neighbourhood needs for its centre to be a core point; ≥ 1.
    metric : {'euclidean', 'manhattan', 'cosine'}, default='euclidean'
        Distance between samples (cosine: 1 − cos angle).
    algorithm : {'auto', 'brute'}, default='auto'
        Neighbour search. Only brute force over row chunks is implemented; 'auto' uses it.
    n_jobs : int or None, default=None
        Threads of the Cython neighbourhood kernels (None: the configured default;
        results do not depend on it). The NumPy path's GEMMs use BLAS's threads.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster index of each sample, −1 for noise.
    core_sample_indices_ : ndarray of shape (n_core_samples,)
        Indices of the core points, increasing.
    components_ : ndarray of shape (n_core_samples, n_features)
        Copy of the core points.
    n_features_in_ : int
        Number of features seen in fit.

    References
    ----------
    Ester, M., Kriegel, H.-P., Sander, J., Xu, X. (1996). A density-based algorithm
    for discovering clusters in large spatial databases with noise. KDD-96.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.cluster import DBSCAN
    >>> X = np.array([[1, 2], [2, 2], [2, 3], [8, 7], [8, 8], [25, 80]])
    >>> DBSCAN(eps=3, min_samples=2).fit(X).labels_
    array([ 0,  0,  0,  1,  1, -1])
    """

    def __init__(self, eps: float = 0.5, min_samples: int = 5, metric: str = "euclidean",
                 algorithm: str = "auto", n_jobs: int | None = None):
        self.eps = eps
        self.min_samples = min_samples
        self.metric = metric
        self.algorithm = algorithm
        self.n_jobs = n_jobs

    def _check_params(self) -> None:
        if (not isinstance(self.eps, numbers.Real) or isinstance(self.eps, bool)
                or not np.isfinite(self.eps) or self.eps <= 0):
            raise ValueError(f"eps={self.eps!r} is invalid: eps must be a finite float > 0.")
        if (not isinstance(self.min_samples, numbers.Integral)
                or isinstance(self.min_samples, bool) or self.min_samples < 1):
            raise ValueError(
                f"min_samples={self.min_samples!r} is invalid: min_samples must be an int >= 1."
            )
        if self.metric not in _METRICS:
            raise ValueError(f"metric={self.metric!r} is not supported; use one of {_METRICS}.")
        if self.algorithm not in _ALGORITHMS:
            raise ValueError(
                f"algorithm={self.algorithm!r} is not supported; use one of {_ALGORITHMS} "
                "(only brute-force neighbour search is implemented)."
            )

    def fit(self, X, y=None, sample_weight=None) -> DBSCAN:
        """Find core points, clusters and noise in X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional
            Weight of each sample in its neighbours' core condition; weights may be
            negative (as in scikit-learn), which can make a point noise.

        Returns
        -------
        self : DBSCAN
        """
        self._check_params()
        X = self._validate_data(X, dtype=np.float64)
        n = X.shape[0]
        w = None
        if sample_weight is not None:
            w = np.asarray(sample_weight, dtype=np.float64)
            if w.ndim == 0:
                w = np.full(n, float(w))
            if w.shape != (n,) or not np.all(np.isfinite(w)):
                raise DataValidationError(
                    f"sample_weight has shape {w.shape}, but X has {n} samples (in DBSCAN); "
                    "pass one finite weight per sample."
                )
        eps = float(self.eps)
        backend = None
        if self.metric == "euclidean":
            count, backend = get_kernel("radius_count")
        if backend == "cython":
            # The kernel's counting pass, then lists only for the rows the labels read:
            # the cores' (unweighted) or all (weighted core test). Both passes make the
            # same decisions as the NumPy path, so the labels are the same.
            from ._dbscan_native import counts_and_lists

            min_samples = self.min_samples
            counts, indptr, indices = counts_and_lists(
                X, eps, (lambda c: c >= min_samples) if w is None else (lambda c: c > 0),
                self.n_jobs)
        else:
            indptr, indices = _radius_neighbors(X, eps, self.metric)
            counts = np.diff(indptr)
            if backend == "cuda" and w is None:
                counts = count(X, eps, self.n_jobs)  # the core test on the GPU
        # Every row holds at least itself, so reduceat never sees an empty segment.
        weight = counts if w is None else np.add.reduceat(w[indices], indptr[:-1])
        is_core = weight >= self.min_samples
        self.labels_ = _dbscan_labels(indptr, indices, is_core)
        self.core_sample_indices_ = np.flatnonzero(is_core)
        self.components_ = X[self.core_sample_indices_].copy()
        return self

    def fit_predict(self, X, y=None, sample_weight=None) -> np.ndarray:
        """Fit on X and return ``labels_``."""
        return self.fit(X, sample_weight=sample_weight).labels_


__all__ = ["DBSCAN"]
