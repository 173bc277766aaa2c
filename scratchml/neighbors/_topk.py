"""Brute-force k-nearest and radius search, in bounded-memory chunks of query rows.

The query rows are processed in chunks so that one block of the distance matrix holds at
most ``_CHUNK_VALUES`` numbers, whatever the number of samples. Per chunk:

* Euclidean distances come from one matrix product (the GEMM trick used by k-means),
  ‖q − x‖² = ‖q‖² − 2 q·x + ‖x‖², clipped at 0 because rounding can make it slightly
  negative. The k winners' distances are then recomputed directly as ‖q − x‖, which is
  exact to the last bits (the expansion loses ~1e-16·(‖q‖² + ‖x‖²) absolutely).
* Manhattan, Chebyshev and Minkowski(p) accumulate one feature at a time, so the block
  stays (chunk × n_train); cosine is 1 − q̂·x̂ on unit-normalised rows.
* ``np.argpartition`` finds the k + 1 smallest values of each row in linear time. When the
  (k + 1)-th value equals the k-th there is a tie at the boundary and the partition's
  choice is arbitrary, so that row falls back to a stable full sort.

Ties are broken by index: among equal distances the lower training index comes first,
in the chosen set and in the returned order. The result is deterministic.
"""

from __future__ import annotations

import numpy as np

from .._backend import get_kernel, register
from ..metrics._pairwise import _distance_block, _unit_rows

#: Values in one (chunk rows × n_train) block of distances: 16 MiB of float64. Smaller
#: blocks make many small matrix products, on which multithreaded BLAS pays its
#: start-up cost again and again; larger ones only add memory.
_CHUNK_VALUES = 2**21
#: Up to this k, the k smallest are found by k argmin passes instead of a partition.
_ARGMIN_MAX_K = 8

METRICS = ("euclidean", "l2", "manhattan", "cityblock", "l1", "chebyshev", "minkowski", "cosine")


def resolve_metric(metric: str, p: float) -> tuple[str, float]:
    """Map (metric, p) to one of euclidean, manhattan, chebyshev, minkowski, cosine."""
    if metric not in METRICS:
        raise ValueError(
            f"metric={metric!r} is not supported; use one of {list(METRICS)}."
        )
    if metric == "minkowski":
        if not (isinstance(p, (int, float, np.integer, np.floating)) and p >= 1):
            raise ValueError(f"p={p!r} must be a number >= 1 (or np.inf) for metric='minkowski'.")
        if p == 1:
            return "manhattan", 1.0
        if p == 2:
            return "euclidean", 2.0
        if np.isinf(p):
            return "chebyshev", float(p)
        return "minkowski", float(p)
    return {"l2": "euclidean", "cityblock": "manhattan", "l1": "manhattan"}.get(metric, metric), p


def _block(Q, X, metric, p, XX):
    """Distance-like block D (chunk × n_train), monotone in the true distance.

    Euclidean gives squared distances, Minkowski gives Σ|q − x|^p (roots taken later);
    Q and X are already unit rows for cosine. The shared chunked-distance helper of
    :mod:`scratchml.metrics._pairwise` computes it.
    """
    if metric == "euclidean":
        return _distance_block(Q, X, "sqeuclidean", XX)
    if metric == "cosine":
        return _distance_block(Q, X, "cosine", X)  # X is its own unit-row cache
    return _distance_block(Q, X, metric, p=p)


def _finish(D, metric, p):
    """Turn the block's monotone values into true distances."""
    if metric == "euclidean":
        return np.sqrt(D)
    if metric == "minkowski":
        return D ** (1.0 / p)
    return D


def _prepare(Q, X, metric, dtype=np.float64):
    Q = np.asarray(Q, dtype=dtype)
    X = np.asarray(X, dtype=dtype)
    if metric == "cosine":
        Q, X = _unit_rows(Q), _unit_rows(X)
    XX = np.einsum("ij,ij->i", X, X) if metric == "euclidean" else None
    return Q, X, XX


def _chunk_rows(n_train: int) -> int:
    return max(1, _CHUNK_VALUES // max(n_train, 1))


def _select_k(D, k: int) -> np.ndarray:
    """Column indices of the k smallest values of each row of D, ties to the lower index.

    D may be overwritten. For small k, k passes of ``argmin`` (which returns the first
    minimum, hence the lowest index among ties) beat a partition: each pass is one
    vectorised sweep, and the winner is masked with +inf before the next.
    """
    if k <= _ARGMIN_MAX_K:
        cand = np.empty((len(D), k), dtype=np.intp)
        # Bands of rows small enough (~1 MiB) that the k passes re-read them from cache.
        band = max(1, 2**17 // max(D.shape[1], 1))
        for s in range(0, len(D), band):
            B, C = D[s:s + band], cand[s:s + band]
            rows = np.arange(len(B))
            for j in range(k):
                C[:, j] = np.argmin(B, axis=1)
                B[rows, C[:, j]] = np.inf
        return cand
    if k >= D.shape[1]:
        return np.argsort(D, axis=1, kind="stable")[:, :k]
    part = np.argpartition(D, k, axis=1)[:, :k + 1]
    vals = np.take_along_axis(D, part, axis=1)
    cand = part[:, :k].copy()
    # The (k+1)-th value equals the k-th: ties straddle the boundary, and which of them
    # argpartition kept is arbitrary. A stable sort of that row keeps the lowest indices.
    tied = np.flatnonzero(vals[:, k] == vals[:, :k].max(axis=1))
    if len(tied):
        cand[tied] = np.argsort(D[tied], axis=1, kind="stable")[:, :k]
    return cand


def _knn_topk_numpy(Q: np.ndarray, X: np.ndarray, k: int, exclude_self: bool = False,
                    n_jobs=None) -> np.ndarray:
    """NumPy reference of kernel ``"knn_topk"``: the k nearest rows of X for each row of Q.

    Ranks training row j by v_j = ‖x_j‖² − 2 q·x_j (the squared Euclidean distance
    minus ‖q‖², which is constant along a row), computed as one matrix product of
    [q, 1] with [−2x, ‖x‖²] per chunk of query rows. Returns the indices of the k
    smallest v, shape (n_q, k), sorted by (v, index): ties go to the lower index.
    With ``exclude_self`` (Q is X), row i never returns i.

    float32 Q and X are ranked in float32 (matrix product and block alike), any
    other mix in float64. float32 rounding can only swap two training rows whose
    v differ by less than a few ε₃₂ · p · (‖q‖² + ‖x‖²); on integer-valued data
    small enough to be exact in float32 the indices are the float64 ones.
    """
    n_q, n_x = len(Q), len(X)
    ind = np.empty((n_q, k), dtype=np.intp)
    step = _chunk_rows(n_x)
    XX = np.einsum("ij,ij->i", X, X)
    XA = np.ascontiguousarray(np.hstack([-2.0 * X, XX[:, None]]).T)
    buf = np.empty((min(step, n_q), n_x), dtype=np.result_type(Q, XA))
    for s in range(0, n_q, step):
        D = _rank_block(Q[s:s + step], XA, buf)
        if exclude_self:
            rows = np.arange(len(D))
            D[rows, s + rows] = np.inf
        D_kept = D.copy() if k <= _ARGMIN_MAX_K else D
        cand = np.sort(_select_k(D, k), axis=1)  # index order, kept by the stable sort
        order = np.argsort(np.take_along_axis(D_kept, cand, axis=1), axis=1, kind="stable")
        ind[s:s + step] = np.take_along_axis(cand, order, axis=1)
    return ind


def _rank_block(Qc: np.ndarray, XA: np.ndarray, buf: np.ndarray) -> np.ndarray:
    """v = [q, 1] @ [−2x, ‖x‖²]ᵀ for a chunk of query rows, written into ``buf``."""
    D = buf[:len(Qc)]
    np.matmul(Qc, XA[:-1], out=D)
    D += XA[-1]
    return D


register("knn_topk", "numpy", _knn_topk_numpy)
register("knn_topk", "cython", "scratchml.neighbors._topk_native:knn_topk")
register("knn_topk", "cuda", "scratchml._cuda.topk:knn_topk")


def kneighbors_brute(Q, X, k: int, metric: str = "euclidean", p: float = 2.0,
                     exclude_self: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest rows of X for each row of Q: ``(distances, indices)``, both (n_q, k).

    Sorted by (distance, index). With ``exclude_self`` (Q is X), row i never returns i.
    Euclidean search selects with the ``"knn_topk"`` kernel (NumPy, Cython or CUDA
    backend), then recomputes the k winners' distances directly as ‖q − x‖, which
    is exact to the last bits (the expansion loses ~1e-16·(‖q‖² + ‖x‖²) absolutely).
    When Q and X are both float32 the kernel ranks in float32 (half the memory
    traffic, twice the SIMD lanes); the distances are still recomputed in float64
    from the float32 values and returned as float64, as for any other input.
    """
    single = metric == "euclidean" and _is_float32(Q) and _is_float32(X)
    Q, X, XX = _prepare(Q, X, metric, np.float32 if single else np.float64)
    n_q, n_x = len(Q), len(X)
    if metric == "euclidean":
        topk, _ = get_kernel("knn_topk")
        cand = np.sort(topk(Q, X, k, exclude_self=exclude_self), axis=1)
        dist = np.empty((n_q, k))
        ind = np.empty((n_q, k), dtype=np.intp)
        # Chunks of ~2^20 gathered values keep the (rows, k, p) temporary small.
        step = max(1, (1 << 20) // max(k * Q.shape[1], 1))
        for s in range(0, n_q, step):
            c = cand[s:s + step]
            # float64 differences (float32 values are exact in float64).
            diff = (Q[s:s + step, None, :].astype(np.float64, copy=False)
                    - X[c].astype(np.float64, copy=False))
            d = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
            order = np.argsort(d, axis=1, kind="stable")  # (distance, index) order
            dist[s:s + step] = np.take_along_axis(d, order, axis=1)
            ind[s:s + step] = np.take_along_axis(c, order, axis=1)
        return dist, ind
    dist = np.empty((n_q, k))
    ind = np.empty((n_q, k), dtype=np.intp)
    step = _chunk_rows(n_x)
    for s in range(0, n_q, step):
        Qc = Q[s:s + step]
        D = _block(Qc, X, metric, p, XX)
        rows = np.arange(len(Qc))
        if exclude_self:
            D[rows, s + rows] = np.inf
        D_kept = D.copy() if k <= _ARGMIN_MAX_K else D
        cand = np.sort(_select_k(D, k), axis=1)
        d = _finish(np.take_along_axis(D_kept, cand, axis=1), metric, p)
        order = np.argsort(d, axis=1, kind="stable")
        dist[s:s + step] = np.take_along_axis(d, order, axis=1)
        ind[s:s + step] = np.take_along_axis(cand, order, axis=1)
    return dist, ind


def _is_float32(A) -> bool:
    return getattr(A, "dtype", None) == np.float32


def radius_brute(Q, X, radius: float, metric: str = "euclidean", p: float = 2.0,
                 exclude_self: bool = False, sort_results: bool = False):
    """Rows of X within ``radius`` (d <= radius) of each row of Q, as object arrays.

    Returns ``(distances, indices)``: each an object array of n_q 1-D arrays, in index
    order, or sorted by (distance, index) with ``sort_results``.
    """
    Q, X, XX = _prepare(Q, X, metric)
    n_q, n_x = len(Q), len(X)
    dists = np.empty(n_q, dtype=object)
    inds = np.empty(n_q, dtype=object)
    step = _chunk_rows(n_x)
    for s in range(0, n_q, step):
        Qc = Q[s:s + step]
        D = _finish(_block(Qc, X, metric, p, XX), metric, p)
        rows = np.arange(len(Qc))
        if exclude_self:
            D[rows, s + rows] = np.inf
        r, c = np.nonzero(D <= radius)  # row-major: indices ascending within each row
        d = D[r, c]
        if sort_results:
            order = np.lexsort((c, d, r))
            r, c, d = r[order], c[order], d[order]
        bounds = np.cumsum(np.bincount(r, minlength=len(Qc)))[:-1]
        for i, (di, ci) in enumerate(zip(np.split(d, bounds), np.split(c, bounds))):
            dists[s + i] = di
            inds[s + i] = ci.astype(np.intp)
    return dists, inds
