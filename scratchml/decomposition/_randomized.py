"""Randomized SVD (Halko, Martinsson & Tropp, 2011) and the sign rule shared by all solvers.

To approximate the top-k singular triplets of an m x n matrix A:

1. draw a Gaussian test matrix Ω of shape (n, k + p) (p = oversamples);
2. form Y = (A Aᵀ)^q A Ω — q power iterations sharpen a slowly decaying spectrum,
   each followed by a cheap re-normalization (LU or QR) so that the columns of Y
   do not all collapse onto the top singular vector in floating point;
3. Q = orth(Y): an orthonormal basis of (approximately) the range of A;
4. B = Qᵀ A is small, (k + p) x n: its exact SVD B = Û Σ Vᵀ gives A ≈ (Q Û) Σ Vᵀ.

Reference: N. Halko, P.-G. Martinsson, J. A. Tropp, "Finding structure with
randomness", SIAM Review 53(2), 2011, algorithms 4.3 and 4.4.
"""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_random_state

NORMALIZERS = ("auto", "QR", "LU", "none")


def svd_flip_v(U: np.ndarray | None, Vt: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Fix the sign ambiguity of an SVD: the largest-|.| entry of each row of Vt is positive.

    (u_i, v_i) and (−u_i, −v_i) are equally valid singular pairs; this is
    scikit-learn's ``svd_flip(u, v, u_based_decision=False)``, so components agree
    with scikit-learn's. Ties in |.| go to the first index (``argmax``). Flips in place.
    """
    rows = np.arange(Vt.shape[0])
    signs = np.sign(Vt[rows, np.argmax(np.abs(Vt), axis=1)])
    signs[signs == 0] = 1.0  # an all-zero row: nothing to flip
    Vt *= signs[:, None]
    if U is not None:
        U *= signs[None, :]
    return U, Vt


def _lu_permuted_l(A: np.ndarray) -> np.ndarray:
    """P L of the partially pivoted LU factorization A = P L U (scipy's ``permute_l=True``).

    Only L is needed: its columns span the same space as A's, and it is well
    conditioned (unit diagonal, |entries| ≤ 1), which is all a power iteration needs.
    The loop runs over the k (small) columns; each step is one rank-1 array update.
    """
    m, k = A.shape
    # Work on Aᵀ (k x m, C order): a column of A is then one contiguous row, so the
    # rank-1 updates stream along rows (3x faster than on A itself).
    T = np.array(A.T, order="C")
    perm = np.arange(m)
    r = min(m, k)
    for j in range(r):
        p = j + int(np.argmax(np.abs(T[j, j:])))
        if p != j:
            T[:, [j, p]] = T[:, [p, j]]
            perm[[j, p]] = perm[[p, j]]
        pivot = T[j, j]
        if pivot != 0:
            T[j, j + 1:] /= pivot
            T[j + 1:, j + 1:] -= np.outer(T[j + 1:, j], T[j, j + 1:])
    # The multipliers sit right of the diagonal of Tᵀ's rows: unit lower-trapezoidal L.
    L = np.ascontiguousarray(np.triu(T[:r], 1).T)
    np.fill_diagonal(L, 1.0)
    out = np.empty_like(L)
    out[perm] = L  # undo the row swaps: P L
    return out


def _normalize(Y: np.ndarray, how: str) -> np.ndarray:
    if how == "LU":
        return _lu_permuted_l(Y)
    if how == "QR":
        return np.linalg.qr(Y)[0]
    return Y


def randomized_range_finder(
    A: np.ndarray,
    *,
    size: int,
    n_iter: int,
    power_iteration_normalizer: str = "auto",
    random_state=None,
) -> np.ndarray:
    """Orthonormal Q (m x size) whose range approximates the range of A (Halko alg. 4.4).

    Parameters
    ----------
    A : ndarray of shape (m, n)
    size : int
        Number of test vectors (columns of Q).
    n_iter : int
        Number of power iterations q.
    power_iteration_normalizer : {'auto', 'QR', 'LU', 'none'}
        'auto' is 'none' for n_iter ≤ 2, else 'LU' (as scikit-learn).
    random_state : None, int or numpy Generator

    Returns
    -------
    Q : ndarray of shape (m, min(size, m))

    Examples
    --------
    >>> import numpy as np
    >>> A = np.outer(np.arange(1.0, 5.0), np.arange(1.0, 4.0))
    >>> Q = randomized_range_finder(A, size=1, n_iter=2, random_state=0)
    >>> bool(np.allclose(Q @ (Q.T @ A), A))
    True
    """
    rng = check_random_state(random_state)
    how = power_iteration_normalizer
    if how == "auto":
        how = "none" if n_iter <= 2 else "LU"
    Q = rng.standard_normal((A.shape[1], size)).astype(A.dtype, copy=False)
    for _ in range(n_iter):
        Q = _normalize(A @ Q, how)
        Q = _normalize(A.T @ Q, how)
    return np.linalg.qr(A @ Q)[0]


def randomized_svd(
    M: np.ndarray,
    n_components: int,
    *,
    n_oversamples: int = 10,
    n_iter: int | str = "auto",
    power_iteration_normalizer: str = "auto",
    random_state=None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Approximate top-``n_components`` SVD M ≈ U diag(s) Vt by random projection.

    ``n_iter='auto'`` is 7 when n_components < 0.1 min(M.shape), else 4; a wide M
    is transposed first so the range finder works on the short side (both as
    scikit-learn). Signs follow :func:`svd_flip_v`.

    Parameters
    ----------
    M : ndarray of shape (m, n)
    n_components : int
    n_oversamples : int, default=10
    n_iter : int or 'auto', default='auto'
    power_iteration_normalizer : {'auto', 'QR', 'LU', 'none'}, default='auto'
    random_state : None, int or numpy Generator

    Returns
    -------
    U : ndarray (m, n_components); s : ndarray (n_components,); Vt : ndarray (n_components, n)

    Examples
    --------
    >>> import numpy as np
    >>> A = np.diag([3.0, 2.0, 1.0])
    >>> U, s, Vt = randomized_svd(A, 2, random_state=0)
    >>> np.round(s, 12)
    array([3., 2.])
    """
    if n_iter == "auto":
        n_iter = 7 if n_components < 0.1 * min(M.shape) else 4
    transpose = M.shape[0] < M.shape[1]
    if transpose:
        M = M.T
    Q = randomized_range_finder(
        M,
        size=n_components + n_oversamples,
        n_iter=n_iter,
        power_iteration_normalizer=power_iteration_normalizer,
        random_state=random_state,
    )
    Uhat, s, Vt = np.linalg.svd(Q.T @ M, full_matrices=False)
    U = Q @ Uhat
    U, Vt, s = U[:, :n_components], Vt[:n_components], s[:n_components]
    if transpose:
        U, Vt = Vt.T, U.T
    U, Vt = np.ascontiguousarray(U), np.ascontiguousarray(Vt)
    return svd_flip_v(U, Vt)[0], s, Vt
