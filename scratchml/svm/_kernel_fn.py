"""Kernel functions of the SVMs, as NumPy expressions on whole blocks.

With the dot product u.v of two rows,

    linear   K(u, v) = u.v
    poly     K(u, v) = (gamma u.v + coef0) ** degree
    rbf      K(u, v) = exp(-gamma ||u - v||^2),  ||u - v||^2 = ||u||^2 + ||v||^2 - 2 u.v
    sigmoid  K(u, v) = tanh(gamma u.v + coef0)

The solvers name a kernel by an integer code (``KERNEL_CODES``); code 4 means
"precomputed": the matrix handed to the solver *is* the Gram matrix.
"""

from __future__ import annotations

import numpy as np

KERNEL_CODES = {"linear": 0, "poly": 1, "rbf": 2, "sigmoid": 3, "precomputed": 4}


def kernel_block(code: int, A: np.ndarray, B: np.ndarray, gamma: float, coef0: float,
                 degree: int, a_sq=None, b_sq=None) -> np.ndarray:
    """K(a_i, b_j) for every row a_i of A and b_j of B, shape (len(A), len(B)).

    ``a_sq``/``b_sq`` are the rows' squared norms when the caller has them (rbf only).
    """
    if code == 4:
        raise ValueError("a precomputed kernel has no rows to evaluate")
    dot = A @ B.T
    if code == 0:
        return dot
    if code == 1:
        return np.power(gamma * dot + coef0, degree)
    if code == 2:
        if a_sq is None:
            a_sq = np.einsum("ij,ij->i", A, A)
        if b_sq is None:
            b_sq = np.einsum("ij,ij->i", B, B)
        # Same expression as libsvm (and the Cython twin): no clipping of the
        # squared distance, so both backends round identically.
        return np.exp(-gamma * (a_sq[:, None] + b_sq[None, :] - 2.0 * dot))
    return np.tanh(gamma * dot + coef0)


def kernel_diagonal(code: int, X: np.ndarray, gamma: float, coef0: float, degree: int):
    """K(x_i, x_i) for every row (the diagonal QD of the SMO solver)."""
    if code == 4:
        return np.ascontiguousarray(np.diag(X), dtype=np.float64)
    sq = np.einsum("ij,ij->i", X, X)
    if code == 0:
        return sq
    if code == 1:
        return np.power(gamma * sq + coef0, degree)
    if code == 2:
        return np.exp(-gamma * (sq + sq - 2.0 * sq))
    return np.tanh(gamma * sq + coef0)
