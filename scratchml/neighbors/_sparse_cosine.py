"""Cosine-distance neighbour search on sparse (CSR) training and query data.

With unit rows x̂ = x / ||x|| (zero rows left as they are, scikit-learn's
``normalize`` rule), the cosine distance is d(q, x) = 1 − q̂·x̂, clipped to [0, 2].
The fitted rows stay a CSR matrix; for a block of queries Q̂_b (densified, a few
hundred rows at a time) the similarities of every training row are one sparse
product X̂ Q̂_bᵀ (O(nnz(X) · b)), and the top-k / radius selection is that of the
dense brute-force search (:mod:`._topk`), so ties go to the lower training index.
"""

from __future__ import annotations

import numpy as np

from ..sparse import CSRMatrix, row_norms
from ._topk import _ARGMIN_MAX_K, _CHUNK_VALUES, _select_k


def unit_rows(X):
    """Rows of a dense array or CSRMatrix scaled to unit norm (zero rows unchanged)."""
    norms = row_norms(X)
    norms[norms == 0] = 1.0
    if isinstance(X, CSRMatrix):
        return X.astype(np.float64).multiply((1.0 / norms)[:, None])
    return np.asarray(X, dtype=np.float64) / norms[:, None]


def pack(X: CSRMatrix) -> dict:
    """The fitted CSR rows as plain arrays (so scratchml.save can store them)."""
    return {"data": X.data, "indices": X.indices, "indptr": X.indptr,
            "shape": np.array(X.shape)}


def unpack(state: dict) -> CSRMatrix:
    return CSRMatrix((state["data"], state["indices"], state["indptr"]),
                     shape=tuple(int(v) for v in state["shape"]))


def _blocks(Q, X):
    """(start, D) blocks of cosine distances, D of shape (rows of the block, n_train)."""
    n_q, p = Q.shape
    # Both the densified queries (b × p) and D (b × n_train) stay near _CHUNK_VALUES.
    step = max(1, _CHUNK_VALUES // max(X.shape[0], p, 1))
    for s in range(0, n_q, step):
        Qb = Q[s:s + step]
        Qb = Qb.toarray() if isinstance(Qb, CSRMatrix) else Qb
        if isinstance(X, CSRMatrix):
            S = (X @ np.ascontiguousarray(Qb.T)).T
        else:
            S = Qb @ X.T
        D = 1.0 - S
        yield s, np.clip(D, 0.0, 2.0, out=D)


def kneighbors_cosine(Q, X, k: int, exclude_self: bool = False):
    """k nearest rows of X (unit rows, dense or CSR) for each unit row of Q, by cosine."""
    n_q = Q.shape[0]
    dist = np.empty((n_q, k))
    ind = np.empty((n_q, k), dtype=np.intp)
    for s, D in _blocks(Q, X):
        rows = np.arange(len(D))
        if exclude_self:
            D[rows, s + rows] = np.inf
        D_kept = D.copy() if k <= _ARGMIN_MAX_K else D
        cand = np.sort(_select_k(D, k), axis=1)
        d = np.take_along_axis(D_kept, cand, axis=1)
        order = np.argsort(d, axis=1, kind="stable")
        dist[s:s + len(D)] = np.take_along_axis(d, order, axis=1)
        ind[s:s + len(D)] = np.take_along_axis(cand, order, axis=1)
    return dist, ind


def radius_cosine(Q, X, radius: float, exclude_self: bool = False, sort_results: bool = False):
    """Rows of X within cosine distance ``radius`` of each row of Q, as object arrays."""
    n_q = Q.shape[0]
    dists = np.empty(n_q, dtype=object)
    inds = np.empty(n_q, dtype=object)
    for s, D in _blocks(Q, X):
        rows = np.arange(len(D))
        if exclude_self:
            D[rows, s + rows] = np.inf
        r, c = np.nonzero(D <= radius)
        d = D[r, c]
        if sort_results:
            order = np.lexsort((c, d, r))
            r, c, d = r[order], c[order], d[order]
        bounds = np.cumsum(np.bincount(r, minlength=len(D)))[:-1]
        for i, (di, ci) in enumerate(zip(np.split(d, bounds), np.split(c, bounds))):
            dists[s + i] = di
            inds[s + i] = ci.astype(np.intp)
    return dists, inds


class SparseCosineMixin:
    """Query validation and fitted-row access of the neighbour estimators for sparse input."""

    #: Whether fit and the queries take sparse input (with metric="cosine").
    _accepts_sparse = False

    def _query(self, X):
        """Validated query rows; sparse ones are allowed for a cosine search."""
        sparse_ok = self._accepts_sparse and self.effective_metric_ == "cosine"
        return self._validate_data(X, reset=False, accept_sparse=sparse_ok)

    def _sparse_search(self, Q) -> bool:
        return hasattr(self, "_fit_sparse_") or isinstance(Q, CSRMatrix)

    def _unit_fit_rows(self):
        if hasattr(self, "_fit_sparse_"):
            return unpack(self._fit_sparse_)
        return unit_rows(self._fit_X_)
