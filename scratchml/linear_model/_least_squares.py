"""Ordinary least squares and ridge regression.

LinearRegression minimises Σ s_i (y_i − x_i w − b)². It never forms XᵀX (which would
square the condition number): the centred, weight-scaled [X | y] is reduced by one
Householder QR to a small triangle R, and w is the minimum-norm least-squares
solution of R[:, :p] w = R[:, p:], found by SVD (so rank-deficient X is handled like
LAPACK's gelsd does for scikit-learn).

Ridge minimises Σ s_i (y_i − x_i w − b)² + α ||w||², whose solution satisfies the
regularised normal equations (XᵀSX + α I) w = XᵀS y (X, y centred).
"""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, RegressorMixin
from ..utils._params import store_params
from ._base import (
    LinearPredictMixin,
    center_and_scale,
    centered_gram,
    centered_xty,
    check_option,
    check_scalar,
    validate_sample_weight,
    weighted_means,
)
from ._sparse_ops import CenteredOperator, is_csr, sparse_weighted_means


def _as_2d(y):
    return y[:, None] if y.ndim == 1 else y


def _finish(est, coef, y, X_offset, y_offset, fit_intercept):
    """Set coef_ (1D for a 1D target) and intercept_ = μ_y − μ_X · w."""
    coef = coef.T  # (n_targets, n_features)
    if y.ndim == 1:
        coef = coef[0]
    est.coef_ = coef
    est.intercept_ = (y_offset - X_offset @ coef.T) if fit_intercept else (
        0.0 if y.ndim == 1 else np.zeros(coef.shape[0]))
    if y.ndim == 1:
        est.intercept_ = float(est.intercept_)


class LinearRegression(LinearPredictMixin, RegressorMixin, BaseEstimator):
    """Ordinary least squares: minimise Σ s_i (y_i − x_i w − b)².

    With X and y centred on their weighted means and rows scaled by √s_i, one QR
    factorisation [X | y] = Q R reduces the problem to the small triangular system
    R_X w = R_y (||Xw − y||² = ||R_X w − R_y||² + const); its minimum-norm solution is
    taken by SVD, dropping singular values below eps · max(n, p) · σ_max.
    Shortcut: for tall, well-conditioned float64 data (cond(X)² ≤ 1e6, so the normal
    equations lose at most ~1e-10 relative accuracy) the Cholesky factor of XᵀX is used
    instead, at half the cost of the QR.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit b (on centred data); False forces b = 0.
    copy_X : bool, default=True
        Kept for scikit-learn compatibility; X is never modified.
    n_jobs : int or None, default=None
        Unused (BLAS decides the threads); kept for compatibility.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    rank_ : int
        Numerical rank of the centred X.
    singular_values_ : ndarray of shape (min(n_samples, n_features),)
        Singular values of the centred (weight-scaled) X.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import LinearRegression
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> LinearRegression().fit(X, 2 * X[:, 0] + 1).coef_.round(6)
    array([2.])
    """

    def __init__(self, *, fit_intercept: bool = True, copy_X: bool = True, n_jobs=None):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.n_jobs = n_jobs

    def fit(self, X, y, sample_weight=None) -> LinearRegression:
        """Solve the least-squares problem for X (n_samples, n_features) and y."""
        X, y = self._validate_data(X, y, multi_output=True, y_numeric=True)
        y = y.astype(X.dtype, copy=False)
        n, p = X.shape
        sw = validate_sample_weight(sample_weight, n, self)
        X_offset, y_offset = weighted_means(X, y, sw, self.fit_intercept)
        Y = _as_2d(y)
        coef = _normal_equations_if_well_conditioned(self, X, Y, X_offset, y_offset, sw)
        if coef is None:
            coef = self._qr_svd(X, Y, X_offset, y_offset, sw)
        _finish(self, coef, y, X_offset, y_offset, self.fit_intercept)
        return self

    def _qr_svd(self, X, Y, X_offset, y_offset, sw):
        """Minimum-norm solution through QR of [Xc | yc] and an SVD of the small R."""
        n, p = X.shape
        k = Y.shape[1]
        # One buffer [Xc | yc] (scaled by √s): the QR below needs a private copy anyway.
        M = np.empty((n, p + k), dtype=X.dtype)
        np.subtract(X, X_offset, out=M[:, :p])
        np.subtract(Y, np.atleast_1d(y_offset), out=M[:, p:])
        if sw is not None:
            M *= np.sqrt(sw)[:, None]
        R = np.linalg.qr(M, mode="r")  # only R: Q is never formed
        r = min(n, p)
        U, s, Vt = np.linalg.svd(R[:r, :p], full_matrices=False)
        cutoff = np.finfo(X.dtype).eps * max(n, p) * (s[0] if s.size else 0.0)
        keep = s > cutoff
        self.rank_ = int(keep.sum())
        self.singular_values_ = s
        return Vt[keep].T @ ((U[:, keep].T @ R[:r, p:]) / s[keep, None])


# Normal equations are used only when cond(X)² · (1 + μ²/σ²) ≤ this: their relative error,
# about that product times eps, then stays below ~1e-10 (float64).
_NORMAL_EQUATIONS_LIMIT = 1e6


def _normal_equations_if_well_conditioned(est, X, Y, X_offset, y_offset, sw):
    """Solve XcᵀXc w = Xcᵀy by Cholesky when that is provably accurate, else return None.

    The Gram matrix costs half the flops of a QR (one symmetric BLAS-3 product), but
    squares the condition number; its eigenvalues σ_j² give cond(Xc) for free, so the
    fast path is taken only when the error bound above is tiny (float64, n > p).
    """
    n, p = X.shape
    if X.dtype != np.float64 or n <= p or sw is not None:
        return None
    G = X.T @ X
    spread = np.diag(G) / n - X_offset**2
    if not np.all(spread > 0):
        return None
    G -= n * np.multiply.outer(X_offset, X_offset)
    ratio = float(np.max(X_offset**2 / spread))
    lam = np.linalg.eigvalsh(G)
    if lam[0] <= 0 or (lam[-1] / lam[0]) * (1.0 + ratio) > _NORMAL_EQUATIONS_LIMIT:
        return None
    L = np.linalg.cholesky(G)
    b = centered_xty(X, X_offset, Y - np.atleast_1d(y_offset))
    est.rank_ = p
    est.singular_values_ = np.sqrt(lam[::-1])
    return np.linalg.solve(L.T, np.linalg.solve(L, b))


RIDGE_SOLVERS = ("auto", "cholesky", "svd", "sparse_cg")


def _shifted_systems(A, alphas):
    """Yield (columns, A + α I) once per distinct α: the targets that share α solve together."""
    diag = np.arange(A.shape[0])
    for alpha in np.unique(alphas):
        A_alpha = A.copy()
        A_alpha[diag, diag] += alpha
        yield alphas == alpha, A_alpha


def ridge_cholesky(X, y, alphas, X_offset, y_offset, sw):
    """Solve (XcᵀSXc + α I) w = XcᵀS yc per target (primal, when n_samples ≥ n_features)."""
    A = centered_gram(X, X_offset, sw)
    b = centered_xty(X, X_offset, _as_2d(y - y_offset), sw)
    coef = np.empty_like(b)
    for cols, A_alpha in _shifted_systems(A, alphas):
        try:
            L = np.linalg.cholesky(A_alpha)  # also proves A + αI positive definite
            coef[:, cols] = np.linalg.solve(L.T, np.linalg.solve(L, b[:, cols]))
        except np.linalg.LinAlgError:  # singular (α = 0 on rank-deficient X): use SVD
            coef[:, cols] = np.linalg.lstsq(A_alpha, b[:, cols], rcond=None)[0]
    return coef


def ridge_dual(Xc, yc, alphas):
    """Wide data: w = Xcᵀ (Xc Xcᵀ + α I)⁻¹ yc (the n x n kernel system is the smaller one)."""
    K = Xc @ Xc.T
    Y = _as_2d(yc)
    coef = np.empty((Xc.shape[1], Y.shape[1]), dtype=Xc.dtype)
    for cols, K_alpha in _shifted_systems(K, alphas):
        try:
            dual = np.linalg.solve(K_alpha, Y[:, cols])
        except np.linalg.LinAlgError:
            dual = np.linalg.lstsq(K_alpha, Y[:, cols], rcond=None)[0]
        coef[:, cols] = Xc.T @ dual
    return coef


def ridge_svd(Xc, yc, alphas):
    """w = V diag(σ / (σ² + α)) Uᵀ y from the thin SVD Xc = U diag(σ) Vᵀ."""
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    UTy = U.T @ _as_2d(yc)
    s_big = s > np.finfo(Xc.dtype).eps * max(Xc.shape) * (s[0] if s.size else 0.0)
    d = np.where(s_big[:, None], s[:, None] / (s[:, None] ** 2 + alphas[None, :]), 0.0)
    return Vt.T @ (d * UTy)


def ridge_cg(Xc, yc, alphas, tol, max_iter):
    """Conjugate gradient on (XcᵀXc + α I) w = Xcᵀ y, one matrix-free run per target.

    Each step needs one product with Xc and one with Xcᵀ (never XᵀX), which is what
    makes it the solver for tall data that does not fit a Gram matrix comfortably.
    Stops when ||residual|| ≤ tol · ||Xcᵀ y||. Returns (coef, n_iter per target).
    """
    Y = _as_2d(yc)
    p, k = Xc.shape[1], Y.shape[1]
    coef = np.zeros((p, k), dtype=Xc.dtype)
    n_iter = np.zeros(k, dtype=np.intp)
    limit = max_iter if max_iter is not None else max(10 * p, 100)
    for t in range(k):
        alpha = alphas[t]
        b = Xc.T @ Y[:, t]
        w = np.zeros(p, dtype=Xc.dtype)
        r = b.copy()
        d = r.copy()
        rr = r @ r
        stop = (tol * np.sqrt(b @ b)) ** 2
        it = 0
        while rr > stop and it < limit:
            Ad = Xc.T @ (Xc @ d) + alpha * d
            step = rr / (d @ Ad)
            w += step * d
            r -= step * Ad
            rr_new = r @ r
            d = r + (rr_new / rr) * d
            rr = rr_new
            it += 1
        coef[:, t] = w
        n_iter[t] = it
    return coef, n_iter


class Ridge(LinearPredictMixin, RegressorMixin, BaseEstimator):
    """Ridge regression: minimise Σ s_i (y_i − x_i w − b)² + α ||w||².

    The minimiser solves the regularised normal equations (XᵀSX + α I) w = XᵀS y on
    centred data. Solvers: ``"cholesky"`` factors XᵀSX + αI (or the n x n kernel
    X Xᵀ + αI when n_features > n_samples); ``"svd"`` uses X = U Σ Vᵀ,
    w = V Σ(Σ² + α)⁻¹ Uᵀ y; ``"sparse_cg"`` runs conjugate gradient with matrix-free
    products (for tall data); ``"auto"`` is ``"cholesky"`` for dense X and
    ``"sparse_cg"`` for sparse X (a CSRMatrix or SciPy matrix), which is centred
    implicitly (Xc v = X v − μ·v, never densified).

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Penalty strength (≥ 0), one per target if an array.
    fit_intercept : bool, default=True
    copy_X : bool, default=True
        Kept for compatibility; X is never modified.
    max_iter : int or None, default=None
        Iteration limit of ``"sparse_cg"`` (None: max(10 n_features, 100)).
    tol : float, default=1e-4
        Relative residual at which ``"sparse_cg"`` stops.
    solver : {"auto", "cholesky", "svd", "sparse_cg"}, default="auto"

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : ndarray of shape (n_targets,) or None
        Conjugate-gradient iterations (None for the direct solvers).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import Ridge
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> Ridge(alpha=1.0).fit(X, [0.0, 1.0, 2.0]).coef_
    array([0.66666667])
    """

    def __init__(self, alpha=1.0, *, fit_intercept: bool = True, copy_X: bool = True,
                 max_iter: int | None = None, tol: float = 1e-4, solver: str = "auto"):
        store_params(self, locals())

    def _alphas(self, n_targets: int) -> np.ndarray:
        alphas = np.atleast_1d(np.asarray(self.alpha, dtype=float)).ravel()
        if alphas.size not in (1, n_targets) or not np.all(np.isfinite(alphas)) or np.any(
                alphas < 0):
            raise ValueError(
                f"alpha={self.alpha!r} is not valid for {type(self).__name__}: it must be a "
                f"non-negative number or an array of {n_targets} non-negative numbers (one "
                "per target)."
            )
        return np.broadcast_to(alphas, (n_targets,)).copy()

    def fit(self, X, y, sample_weight=None) -> Ridge:
        """Solve the ridge problem for X (n_samples, n_features) and y."""
        check_option(self.solver, "solver", RIDGE_SOLVERS, self)
        check_scalar(self.tol, "tol", low=0, estimator=self)
        if self.max_iter is not None:
            check_scalar(self.max_iter, "max_iter", low=1, integer=True, estimator=self)
        X, y = self._validate_data(X, y, multi_output=True, y_numeric=True,
                                   accept_sparse=True)
        y = y.astype(X.dtype, copy=False)
        n, p = X.shape
        sw = validate_sample_weight(sample_weight, n, self)
        alphas = self._alphas(1 if y.ndim == 1 else y.shape[1])
        self.n_iter_ = None
        if is_csr(X):
            self._fit_sparse(X, y, sw, alphas)
            return self
        solver = "cholesky" if self.solver == "auto" else self.solver
        if solver == "cholesky" and n >= p:
            X_offset, y_offset = weighted_means(X, y, sw, self.fit_intercept)
            coef = ridge_cholesky(X, y, alphas, X_offset, y_offset, sw)
        else:
            Xc, yc, X_offset, y_offset = center_and_scale(X, y, sw, self.fit_intercept)
            if solver == "cholesky":
                coef = ridge_dual(Xc, yc, alphas)
            elif solver == "svd":
                coef = ridge_svd(Xc, yc, alphas)
            else:
                coef, self.n_iter_ = ridge_cg(Xc, yc, alphas, self.tol, self.max_iter)
        _finish(self, coef.astype(X.dtype, copy=False), y, X_offset, y_offset,
                self.fit_intercept)
        return self

    def _fit_sparse(self, X, y, sw, alphas):
        """Conjugate gradient on the implicitly centred sparse X (never densified)."""
        if self.solver not in ("auto", "sparse_cg"):
            raise ValueError(
                f"solver={self.solver!r} of Ridge needs dense X, got a sparse matrix; use "
                "solver='sparse_cg' (or 'auto') for sparse input, or X.toarray() if it fits "
                "in memory."
            )
        X_offset, y_offset = sparse_weighted_means(X, y, sw, self.fit_intercept)
        root = None if sw is None else np.sqrt(sw).astype(X.dtype, copy=False)
        yc = y - y_offset
        if root is not None:
            yc = yc * (root[:, None] if yc.ndim > 1 else root)
        coef, self.n_iter_ = ridge_cg(CenteredOperator(X, X_offset, root), yc, alphas,
                                      self.tol, self.max_iter)
        _finish(self, coef.astype(X.dtype, copy=False), y, X_offset, y_offset,
                self.fit_intercept)
