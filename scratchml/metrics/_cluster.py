"""Clustering metrics: adjusted Rand index, normalized mutual information
(against reference labels), silhouette and Davies-Bouldin (from the data alone).

The label-comparison scores depend only on the contingency table
n_ij = #{samples in class i and cluster j}, with row sums a_i and column
sums b_j; both are computed from its non-zero cells.
"""

from __future__ import annotations

import warnings
from math import log

import numpy as np

from ..utils.validation import check_array, check_random_state
from . import _pairwise
from ._base import _as_1d, check_consistent_length, encode_labels
from ._pairwise import _block_cache, _check_metric, _distance_block, _rows_per_chunk

__all__ = ["adjusted_rand_score", "davies_bouldin_score", "normalized_mutual_info_score",
           "silhouette_samples", "silhouette_score"]


def _check_clusterings(labels_true, labels_pred):
    a = _as_1d(labels_true, "labels_true")
    b = _as_1d(labels_pred, "labels_pred")
    check_consistent_length(labels_true=a, labels_pred=b)
    for name, y in (("labels_true", a), ("labels_pred", b)):
        if y.dtype.kind == "f" and y.size and not np.array_equal(y, np.round(y)):
            warnings.warn(f"Clustering metrics expects discrete values but received "
                          f"continuous values for {name}", UserWarning, stacklevel=3)
    return a, b


def _contingency_cells(labels_true, labels_pred):
    """Non-zero cells of the contingency table: (row index, column index, count), row-major."""
    _, (ti,) = encode_labels(labels_true)
    _, (pi,) = encode_labels(labels_pred)
    n_rows = int(ti.max()) + 1 if ti.size else 0
    n_cols = int(pi.max()) + 1 if pi.size else 0
    cell = ti.astype(np.int64) * n_cols + pi
    if n_rows * n_cols <= max(1 << 20, 4 * ti.shape[0]):
        counts = np.bincount(cell, minlength=n_rows * n_cols)
        nz = np.flatnonzero(counts)
        values = counts[nz]
    else:
        # Too many cells for a dense table (e.g. all singletons): count the occupied ones.
        nz, values = np.unique(cell, return_counts=True)
    rows, cols = np.divmod(nz, max(n_cols, 1))
    return rows, cols, values.astype(np.int64), n_rows, n_cols


def adjusted_rand_score(labels_true, labels_pred) -> float:
    """Rand index adjusted for chance: 1 for identical partitions, ~0 for random ones.

    From the pair-counting confusion matrix [[tn, fp], [fn, tp]] (pairs of
    samples together/apart in each labeling):

        ARI = 2 (tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    ari : float in [-0.5, 1]

    Examples
    --------
    >>> from scratchml.metrics import adjusted_rand_score
    >>> adjusted_rand_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    a, b = _check_clusterings(labels_true, labels_pred)
    rows, cols, values, n_rows, n_cols = _contingency_cells(a, b)
    n = int(a.shape[0])
    # Python ints: the products below exceed int64 for a few million samples.
    sum_squares = int(np.dot(values, values))
    row_sums = np.bincount(rows, weights=values, minlength=n_rows).astype(np.int64)
    col_sums = np.bincount(cols, weights=values, minlength=n_cols).astype(np.int64)
    tp = sum_squares - n
    fp = int(np.dot(col_sums, col_sums)) - sum_squares
    fn = int(np.dot(row_sums, row_sums)) - sum_squares
    tn = n * n - fp - fn - sum_squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def _entropy(labels: np.ndarray) -> float:
    if labels.shape[0] == 0:
        return 1.0
    _, (codes,) = encode_labels(labels)
    pi = np.bincount(codes).astype(np.float64)
    if pi.size == 1:
        return 0.0
    total = pi.sum()
    return float(-np.sum((pi / total) * (np.log(pi) - log(total))))


def normalized_mutual_info_score(labels_true, labels_pred, *,
                                 average_method: str = "arithmetic") -> float:
    """Mutual information of two labelings, normalized to [0, 1].

        MI = sum_ij (n_ij / n) log(n · n_ij / (a_i b_j)),   NMI = MI / mean(H(U), H(V))

    with the mean chosen by ``average_method`` ("min", "geometric",
    "arithmetic" or "max").

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
    average_method : str, default="arithmetic"

    Returns
    -------
    nmi : float

    Examples
    --------
    >>> from scratchml.metrics import normalized_mutual_info_score
    >>> normalized_mutual_info_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    if average_method not in ("min", "geometric", "arithmetic", "max"):
        raise ValueError(
            "'average_method' must be 'min', 'geometric', 'arithmetic', or 'max'"
        )
    a, b = _check_clusterings(labels_true, labels_pred)
    rows, cols, values, n_rows, n_cols = _contingency_cells(a, b)
    if n_rows == n_cols and n_rows in (0, 1):
        return 1.0
    if n_rows == 1 or n_cols == 1:
        return 0.0
    pi = np.bincount(rows, weights=values, minlength=n_rows)
    pj = np.bincount(cols, weights=values, minlength=n_cols)
    total = float(values.sum())
    p_ij = values / total
    outer = pi[rows].astype(np.int64) * pj[cols].astype(np.int64)
    log_outer = -np.log(outer) + log(pi.sum()) + log(pj.sum())
    mi = p_ij * (np.log(values) - log(total)) + p_ij * log_outer
    mi = np.where(np.abs(mi) < np.finfo(mi.dtype).eps, 0.0, mi)
    mi = float(np.clip(mi.sum(), 0.0, None))
    if mi == 0:
        return 0.0
    h_true, h_pred = _entropy(a), _entropy(b)
    normalizer = {"min": min(h_true, h_pred), "max": max(h_true, h_pred),
                  "geometric": np.sqrt(h_true * h_pred),
                  "arithmetic": np.mean([h_true, h_pred])}[average_method]
    return float(mi / normalizer)


# ---------------------------------------------------------------- internal indices


def _check_X_labels(X, labels, *, metric=None):
    X = check_array(X, input_name="X")
    labels = _as_1d(labels, "labels")
    check_consistent_length(X=X, labels=labels)
    classes, (codes,) = encode_labels(labels)
    k, n = classes.shape[0], X.shape[0]
    if not 1 < k < n:
        raise ValueError(
            f"Number of labels is {k}. Valid values are 2 to n_samples - 1 (inclusive)"
        )
    return X, codes, k


def silhouette_samples(X, labels, *, metric="euclidean", **kwds) -> np.ndarray:
    """Silhouette coefficient of each sample.

        s_i = (b_i − a_i) / max(a_i, b_i)

    a_i: mean distance from i to the other members of its cluster; b_i: the
    smallest mean distance from i to the members of another cluster. 0 for
    samples alone in their cluster. Distances are computed a block of rows at
    a time, and each block's per-cluster sums come from ``np.add.reduceat``
    over columns grouped by cluster, so memory stays bounded.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features), or (n_samples, n_samples)
        with ``metric="precomputed"``.
    labels : array-like of shape (n_samples,)
    metric : str or callable, default="euclidean"
        See :func:`pairwise_distances`.
    **kwds : extra arguments for a callable metric.

    Returns
    -------
    silhouette : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from scratchml.metrics import silhouette_samples
    >>> silhouette_samples([[0.], [1.], [10.], [11.]], [0, 0, 1, 1]).round(3)
    array([0.905, 0.895, 0.895, 0.905])
    """
    metric = _check_metric(metric)
    X, codes, k = _check_X_labels(X, labels)
    n = X.shape[0]
    if metric == "precomputed":
        if X.shape[0] != X.shape[1]:
            raise ValueError(f"A precomputed distance matrix must be square, got {X.shape}.")
        if np.any(np.abs(np.diagonal(X)) > np.finfo(X.dtype).eps * 100):
            raise ValueError("The precomputed distance matrix contains non-zero elements on "
                             "the diagonal. Use np.fill_diagonal(X, 0).")
    # Group the columns by cluster (stable, so each cluster keeps the sample order).
    order = np.argsort(codes, kind="stable")
    freqs = np.bincount(codes, minlength=k)
    starts = np.r_[0, np.cumsum(freqs)[:-1]]
    Y = X[order]
    column_of = np.empty(n, dtype=np.intp)
    column_of[order] = np.arange(n)
    cache = None if metric == "precomputed" or callable(metric) else _block_cache(Y, metric)
    n_feat = 1 if metric == "precomputed" else X.shape[1]
    chunk = _rows_per_chunk(n, n_feat, metric if isinstance(metric, str) else "")
    intra = np.empty(n)
    inter = np.empty(n)
    for start in range(0, n, chunk):
        rows = np.arange(start, min(start + chunk, n))
        if metric == "precomputed":
            D = X[rows][:, order]
        elif callable(metric):
            D = np.array([[metric(X[i], y, **kwds) for y in Y] for i in rows], dtype=float)
        else:
            D = _distance_block(X[rows], Y, metric, cache)
            if metric in ("euclidean", "sqeuclidean"):
                # A sample's distance to itself is 0; the GEMM expansion may not say so.
                D[np.arange(rows.shape[0]), column_of[rows]] = 0
        sums = np.add.reduceat(D, starts, axis=1)
        own = codes[rows]
        intra[rows] = sums[np.arange(rows.shape[0]), own]
        sums[np.arange(rows.shape[0]), own] = np.inf
        inter[rows] = (sums / freqs).min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        intra /= freqs[codes] - 1
        sil = (inter - intra) / np.maximum(intra, inter)
    return np.nan_to_num(sil)


def silhouette_score(X, labels, *, metric="euclidean", sample_size=None, random_state=None,
                     **kwds) -> float:
    """Mean silhouette coefficient over all samples (or a random subset).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) (or precomputed distances)
    labels : array-like of shape (n_samples,)
    metric : str or callable, default="euclidean"
    sample_size : int, default=None
        Score a random subset of this many samples (drawn without replacement).
    random_state : None, int or numpy.random.Generator
        Seed of the subset draw.

    Returns
    -------
    silhouette : float in [-1, 1]

    Examples
    --------
    >>> from scratchml.metrics import silhouette_score
    >>> round(silhouette_score([[0.], [1.], [10.], [11.]], [0, 0, 1, 1]), 4)
    0.8997
    """
    if sample_size is not None:
        X = check_array(X, input_name="X")
        labels = _as_1d(labels, "labels")
        check_consistent_length(X=X, labels=labels)
        idx = check_random_state(random_state).permutation(X.shape[0])[:sample_size]
        if metric == "precomputed":
            X = X[idx][:, idx]
        else:
            X = X[idx]
        labels = labels[idx]
    return float(np.mean(silhouette_samples(X, labels, metric=metric, **kwds)))


def _exact_euclidean(C: np.ndarray) -> np.ndarray:
    """Distances between the rows of C from their differences (no GEMM cancellation:
    nearby centroids are exactly where the Davies-Bouldin ratio is largest)."""
    k, d = C.shape
    out = np.empty((k, k))
    step = max(1, _pairwise._CHUNK_VALUES // max(k * d, 1))
    for start in range(0, k, step):
        diff = C[start:start + step, None, :] - C[None, :, :]
        out[start:start + step] = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    return out


def davies_bouldin_score(X, labels) -> float:
    """Davies-Bouldin index: mean over clusters of the worst similarity ratio.

        DB = (1/k) sum_i max_{j != i} (s_i + s_j) / ||c_i − c_j||

    s_i: mean distance of cluster i's points to its centroid c_i. Lower is
    better; 0 when every cluster is a single point (or all centroids coincide).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of shape (n_samples,)

    Returns
    -------
    score : float

    Examples
    --------
    >>> from scratchml.metrics import davies_bouldin_score
    >>> round(davies_bouldin_score([[0.], [1.], [10.], [11.]], [0, 0, 1, 1]), 4)
    0.1
    """
    X, codes, k = _check_X_labels(X, labels)
    X = X.astype(np.float64, copy=False)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=k)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    centroids = np.add.reduceat(X[order], starts, axis=0) / counts[:, None]
    to_centroid = np.sqrt(np.einsum("ij,ij->i", X - centroids[codes], X - centroids[codes]))
    intra = np.bincount(codes, weights=to_centroid, minlength=k) / counts
    centroid_dist = _exact_euclidean(centroids)
    if np.allclose(intra, 0) or np.allclose(centroid_dist, 0):
        return 0.0
    centroid_dist[centroid_dist == 0] = np.inf
    scores = np.max((intra[:, None] + intra[None, :]) / centroid_dist, axis=1)
    return float(np.mean(scores))
