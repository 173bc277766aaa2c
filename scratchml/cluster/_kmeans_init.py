"""Seeding for k-means: k-means++ and random rows, plus the Lloyd helpers they share.

k-means++ (Arthur & Vassilvitskii, 2007) picks the first centre at random
(weighted by ``sample_weight``), then each next one with probability
proportional to w_i D(x_i)², D being the distance to the nearest centre chosen
so far. The greedy variant used here (as scikit-learn does) draws
``2 + int(log k)`` candidates per step and keeps the one that lowers the
potential Σ w_i D(x_i)² the most.
"""

from __future__ import annotations

import numpy as np

from ..utils._parallel import row_ranges, run_ranges

# weighted_sums: up to this many clusters a one-hot GEMM beats per-feature bincounts
# (measured 3 ms vs 9 ms at k = 8, n = 100,000, p = 50); blocks of samples for it.
_GEMM_MAX_CLUSTERS = 16
_GEMM_BLOCK = 1 << 16


def _sq_dist_to(X: np.ndarray, x_sq: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Squared distances of every row of X to every row of C, shape (len(C), n)."""
    d = C @ X.T
    d *= -2
    d += x_sq
    d += np.einsum("ij,ij->i", C, C)[:, None]
    np.maximum(d, 0, out=d)
    return d


def kmeans_plusplus(X: np.ndarray, n_clusters: int, sample_weight: np.ndarray, rng,
                    n_local_trials: int | None = None) -> np.ndarray:
    """Greedy k-means++ seeds: ``n_clusters`` rows of X, shape (n_clusters, n_features).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), validated
    n_clusters : int
    sample_weight : ndarray of shape (n_samples,)
    rng : numpy.random.Generator
    n_local_trials : int or None
        Candidates drawn per centre; None means ``2 + int(log(n_clusters))``.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.cluster._kmeans_init import kmeans_plusplus
    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [9.0, 9.0], [9.1, 9.0]])
    >>> C = kmeans_plusplus(X, 2, np.ones(4), np.random.default_rng(0))
    >>> sorted((C[:, 0] > 5).tolist())
    [False, True]
    """
    n = X.shape[0]
    if n_local_trials is None:
        n_local_trials = 2 + int(np.log(n_clusters))
    x_sq = _row_sq_norms(X)
    centers = np.empty((n_clusters, X.shape[1]), dtype=X.dtype)
    first = rng.choice(n, p=sample_weight / sample_weight.sum())
    centers[0] = dense_rows(X, [first])[0]
    closest = _sq_dist_to(X, x_sq, centers[:1])[0]
    potential = closest @ sample_weight
    for c in range(1, n_clusters):
        # Inverse-CDF sampling of candidates, P(i) ∝ w_i D(x_i)².
        draws = rng.uniform(size=n_local_trials) * potential
        cand = np.searchsorted(np.cumsum(sample_weight * closest), draws)
        np.clip(cand, None, n - 1, out=cand)  # rounding can put a draw past the last sum
        cand_rows = dense_rows(X, cand)
        d = _sq_dist_to(X, x_sq, cand_rows)
        np.minimum(closest, d, out=d)
        pots = d @ sample_weight
        best = int(np.argmin(pots))
        potential, closest = pots[best], d[best]
        centers[c] = cand_rows[best]
    return centers


def random_rows(X: np.ndarray, n_clusters: int, sample_weight: np.ndarray, rng) -> np.ndarray:
    """``n_clusters`` distinct rows of X drawn with probability ∝ sample_weight."""
    idx = rng.choice(X.shape[0], size=n_clusters, replace=False,
                     p=sample_weight / sample_weight.sum())
    return dense_rows(X, idx)


def dense_rows(X, idx) -> np.ndarray:
    """Rows ``idx`` of a dense or CSR X as a dense array."""
    return X[idx].toarray() if is_sparse(X) else X[idx]


def _row_sq_norms(X) -> np.ndarray:
    if is_sparse(X):
        from ..sparse import row_norms

        return row_norms(X, squared=True).astype(X.dtype, copy=False)
    return np.einsum("ij,ij->i", X, X)


def is_same_clustering(labels1: np.ndarray, labels2: np.ndarray, n_clusters: int) -> bool:
    """True when two labelings are the same partition up to a renaming of the clusters."""
    mapping = np.full(n_clusters, -1, dtype=np.intp)
    mapping[labels1] = labels2
    return bool(np.array_equal(mapping[labels1], labels2))


def weighted_sums(XwT: np.ndarray, labels: np.ndarray, n_clusters: int) -> np.ndarray:
    """Σ_{i: label_i = j} w_i x_i for every cluster j, shape (n_clusters, n_features).

    ``XwT`` is (w ⊙ X)ᵀ, C-contiguous. For a few clusters the sums are one GEMM,
    (w ⊙ X)ᵀ Z with Z the n × k one-hot matrix of the labels (k n p flops, run
    by BLAS threads, in blocks of samples so Z stays small). For many clusters
    that GEMM would cost as much as the E-step, so each feature is instead one
    ``np.bincount`` pass (O(n p) work), features shared between threads
    (``np.bincount`` releases the GIL; each column is computed whole by one
    thread, so the result does not depend on the thread count).
    """
    n_features, n = XwT.shape
    if n_clusters <= _GEMM_MAX_CLUSTERS:
        sums = np.zeros((n_features, n_clusters), dtype=np.float64)
        ids = np.arange(n_clusters)[:, None]
        for s in range(0, n, _GEMM_BLOCK):
            onehot = (labels[None, s:s + _GEMM_BLOCK] == ids).astype(XwT.dtype)
            sums += XwT[:, s:s + _GEMM_BLOCK] @ onehot.T
        return np.ascontiguousarray(sums.T)
    sums = np.empty((n_clusters, n_features), dtype=np.float64)

    def work(start, stop):
        for j in range(start, stop):
            sums[:, j] = np.bincount(labels, weights=XwT[j], minlength=n_clusters)

    # Threads only pay off once a column is long (~20k values is a few tens of µs).
    min_cols = 1 if n >= 20_000 else n_features
    run_ranges(work, row_ranges(n_features, min_rows=min_cols))
    return sums


def inertia(X: np.ndarray, w: np.ndarray, C: np.ndarray, labels: np.ndarray) -> float:
    """Σ w_i ||x_i − c_{label_i}||², computed from differences (no cancellation), chunked.

    For a CSR X: Σ w_i (||x_i||² − 2 x_i·c + ||c||²), clipped at 0 per sample.
    """
    if is_sparse(X):
        rows = np.arange(X.shape[0])
        xc = (X @ C.T)[rows, labels]  # x_i·c_{label_i}, O(nnz k): never C[labels] (n × p)
        d = _row_sq_norms(X) - 2 * xc + np.einsum("ij,ij->i", C, C)[labels]
        return float(np.maximum(d, 0) @ w)
    total = 0.0
    # Chunks of ~2^17 values (1 MiB in float64) stay in cache; larger ones were 10x slower.
    chunk = max(1, (1 << 17) // max(X.shape[1], 1))
    for s in range(0, X.shape[0], chunk):
        diff = X[s:s + chunk] - C[labels[s:s + chunk]]
        total += float(np.einsum("ij,ij->i", diff, diff) @ w[s:s + chunk])
    return total


# -- sparse (CSRMatrix) input --------------------------------------------------------
#
# Lloyd's fused kernel reads dense rows, so a sparse X takes this NumPy path instead:
# squared distances by the expansion ||x||² − 2 X Cᵀ + ||c||² (one CSR @ dense product
# per iteration, O(nnz k)), and the centre sums Σ w_i x_i as Xᵀ (w ⊙ onehot(labels)),
# one transposed CSR product. X is never densified.


def is_sparse(X) -> bool:
    """Whether X is a validated sparse matrix (``check_array(accept_sparse=True)`` output)."""
    return not isinstance(X, np.ndarray) and hasattr(X, "indptr")


def sparse_sq_distances(X, x_sq: np.ndarray, C: np.ndarray) -> np.ndarray:
    """||x_i − c_j||² for a CSR X, shape (n_samples, n_clusters), clipped at 0."""
    d = X @ C.T
    d *= -2
    d += x_sq[:, None]
    d += np.einsum("ij,ij->i", C, C)
    np.maximum(d, 0, out=d)
    return d


def sparse_lloyd(X, w, centers, max_iter, tol, verbose=0):
    """Lloyd's algorithm on a CSR X; same rules as ``_kmeans._lloyd``, same return.

    Empty clusters take the samples farthest from their centres (largest first), as
    the dense path does.
    """
    from ..sparse import row_norms

    x_sq = row_norms(X, squared=True).astype(X.dtype, copy=False)
    k = centers.shape[0]
    centers = np.array(centers, dtype=X.dtype)
    labels_old = np.full(X.shape[0], -1, dtype=np.intp)
    rows = np.arange(X.shape[0])
    strict = False
    for i in range(max_iter):
        d = sparse_sq_distances(X, x_sq, centers)
        labels = np.argmin(d, axis=1)
        if verbose:
            print(f"Iteration {i}, inertia {float(d[rows, labels] @ w)}.")
        counts = np.bincount(labels, weights=w, minlength=k)
        onehot = np.zeros((X.shape[0], k))
        onehot[rows, labels] = w
        sums = np.ascontiguousarray((X.T @ onehot).T, dtype=np.float64)
        empty = np.flatnonzero(counts == 0)
        if empty.size:
            far = np.argsort(-d[rows, labels], kind="stable")[:empty.size]
            for new_id, idx in zip(empty, far):
                x = X[[idx]].toarray()[0] * w[idx]
                sums[labels[idx]] -= x
                counts[labels[idx]] -= w[idx]
                sums[new_id], counts[new_id] = x, w[idx]
        nonzero = counts > 0
        sums[nonzero] /= counts[nonzero, None]
        new = np.where(nonzero[:, None], sums, centers).astype(X.dtype)
        shift = float(np.sum((new.astype(np.float64) - centers) ** 2))
        centers = new
        if np.array_equal(labels, labels_old):
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
    d = sparse_sq_distances(X, x_sq, centers)
    if not strict:
        labels = np.argmin(d, axis=1)
    return labels, float(d[rows, labels] @ w), centers, i + 1


def sparse_column_variance_mean(X) -> float:
    """mean_j var(X[:, j]) for a CSR X, from E[x²] − E[x]² per column."""
    n, p = X.shape
    mean = np.bincount(X.indices, weights=X.data, minlength=p) / n
    mean_sq = np.bincount(X.indices, weights=X.data.astype(np.float64) ** 2, minlength=p) / n
    return float(np.mean(np.maximum(mean_sq - mean**2, 0.0)))
