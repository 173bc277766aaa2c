"""Sparse (CSR) input for the linear models: detection, weighted means, implicit centring.

A model with an intercept works on the centred design Xc = X − 1 μᵀ. For a sparse X that
matrix is dense, so it is never formed: products with it are rewritten as

    Xc v  = X v − (μ · v) 1,        Xcᵀ u = Xᵀ u − μ (1 · u),

(with √s_i row scaling for sample weights), as scikit-learn does for sparse input.
"""

from __future__ import annotations

import numpy as np

from ..sparse import CSRMatrix


def is_csr(X) -> bool:
    """Whether X is a validated sparse matrix (``check_array(accept_sparse=True)`` output)."""
    return isinstance(X, CSRMatrix)


def sparse_weighted_means(X, y, sample_weight, fit_intercept: bool):
    """Weighted column means of a CSR X and of y, without densifying X."""
    if not fit_intercept:
        y_shape = y.shape[1:] if y.ndim > 1 else ()
        return np.zeros(X.shape[1], dtype=X.dtype), np.zeros(y_shape, dtype=y.dtype)
    if sample_weight is None:
        return np.asarray(X.mean(axis=0), dtype=X.dtype).ravel(), y.mean(axis=0)
    total = sample_weight.sum()
    mu = (X.T @ sample_weight.astype(X.dtype, copy=False)) / total
    return mu.astype(X.dtype, copy=False), np.average(y, axis=0, weights=sample_weight)


class CenteredOperator:
    """The matrix S^½ (X − 1 μᵀ) as a matrix-free operator over a CSR X.

    Supports ``A @ v`` and ``A.T @ u`` for vectors (all :func:`ridge_cg` needs), each
    one sparse product plus O(n + p) work.

    Parameters
    ----------
    X : CSRMatrix of shape (n_samples, n_features)
    mean : ndarray of shape (n_features,)
        μ, the (weighted) column means (zeros when no intercept is fitted).
    root_weight : ndarray of shape (n_samples,) or None
        √s, the square roots of the sample weights.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.sparse import CSRMatrix
    >>> A = CenteredOperator(CSRMatrix(np.array([[1.0, 0.0], [3.0, 2.0]])), np.array([2.0, 1.0]))
    >>> A @ np.array([1.0, 1.0])
    array([-2.,  2.])
    """

    def __init__(self, X, mean, root_weight=None):
        self.X, self.mean, self.root = X, np.asarray(mean, dtype=X.dtype), root_weight
        self.shape, self.dtype = X.shape, X.dtype

    def __matmul__(self, v):
        out = self.X @ v - self.mean @ v
        return out if self.root is None else out * self.root

    @property
    def T(self):
        return _TransposedOperator(self)


class _TransposedOperator:
    def __init__(self, A):
        self.A = A
        self.shape = A.shape[::-1]

    def __matmul__(self, u):
        A = self.A
        if A.root is not None:
            u = u * A.root
        return A.X.T @ u - A.mean * u.sum()
