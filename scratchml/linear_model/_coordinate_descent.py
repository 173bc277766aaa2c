"""Lasso and elastic net by cyclic coordinate descent with a duality-gap stop.

Objective (scikit-learn's scaling, n = number of samples, weights s summing to n):

    1/(2n) Σ s_i (y_i − x_i w − b)² + α ρ ||w||₁ + α (1 − ρ)/2 ||w||²,   ρ = l1_ratio.

Multiplying by n gives the form the kernels minimise (``_kernels`` docstring) with
L1 weight n α ρ and L2 weight n α (1 − ρ). The descent runs on the residual, one
contiguous column at a time (O(n p) per sweep), or, with ``precompute=True`` and in
the cross-validated paths on tall data, on the Gram matrix XᵀX (built once in BLAS;
O(p²) per sweep), which pays off when many sweeps or many alphas reuse it.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..utils._params import store_params
from . import _kernels  # noqa: F401  (registers the coordinate-descent kernels)
from ._base import (
    LinearPredictMixin,
    centered_gram,
    centered_xty,
    check_option,
    check_scalar,
    validate_sample_weight,
    weighted_means,
)


class _Problem:
    """Centred data of one fit, in the form the chosen kernel needs (built once)."""

    def __init__(self, X, y, sample_weight, fit_intercept, use_gram):
        n, p = X.shape
        if sample_weight is not None:
            # Weights summing to n keep α on the same scale as the unweighted problem.
            sample_weight = sample_weight * (n / sample_weight.sum())
        self.n_samples = n
        self.X_offset, self.y_offset = weighted_means(X, y, sample_weight, fit_intercept)
        self.X_offset = self.X_offset.astype(X.dtype, copy=False)
        Y = (y - self.y_offset).astype(X.dtype, copy=False)
        self.Y = Y[:, None] if Y.ndim == 1 else Y
        self.use_gram = use_gram
        sw = sample_weight
        if use_gram:
            self.Q = centered_gram(X, self.X_offset, sw)
            self.q = np.ascontiguousarray(centered_xty(X, self.X_offset, self.Y, sw))
            w = np.ones(n) if sw is None else sw
            self.y_norm2 = (w[:, None] * self.Y**2).sum(axis=0)
        else:
            # Xᵀ centred, written straight into one C-ordered buffer (no temporary).
            self.XT = np.empty((p, n), dtype=X.dtype)
            np.subtract(X.T, self.X_offset[:, None], out=self.XT)
            if sw is not None:
                root = np.sqrt(sw).astype(X.dtype)
                self.XT *= root
                self.Y = self.Y * root[:, None]

    def solve(self, w, alpha, l1_ratio, max_iter, tol, target=0):
        """Run coordinate descent on one target from ``w`` (updated in place)."""
        l1 = alpha * l1_ratio * self.n_samples
        l2 = alpha * (1.0 - l1_ratio) * self.n_samples
        if self.use_gram:
            fn, _ = get_kernel("enet_coordinate_descent_gram")
            return fn(w, l1, l2, self.Q, np.ascontiguousarray(self.q[:, target]),
                      float(self.y_norm2[target]), max_iter, tol)
        fn, _ = get_kernel("enet_coordinate_descent")
        return fn(w, l1, l2, self.XT, np.ascontiguousarray(self.Y[:, target]), max_iter, tol)


def check_enet_params(est) -> None:
    check_scalar(est.alpha, "alpha", low=0, estimator=est)
    check_scalar(est.l1_ratio, "l1_ratio", low=0, high=1, estimator=est)
    check_scalar(est.max_iter, "max_iter", low=1, integer=True, estimator=est)
    check_scalar(est.tol, "tol", low=0, estimator=est)
    check_option(est.precompute, "precompute", ("auto", True, False), est)


def convergence_warning(name, gap, tol, max_iter):
    warnings.warn(
        f"{name}: coordinate descent did not converge after max_iter={max_iter} iterations "
        f"(duality gap {gap:.3e} > tolerance {tol:.3e}). Increase max_iter, raise tol, or "
        "scale the features (StandardScaler).",
        ConvergenceWarning,
        stacklevel=3,
    )


class ElasticNet(LinearPredictMixin, RegressorMixin, BaseEstimator):
    """Linear regression with combined L1 and L2 penalties, by coordinate descent.

    Minimises 1/(2n) ||y − Xw − b||² + α ρ ||w||₁ + α (1 − ρ)/2 ||w||²  (ρ = l1_ratio),
    cycling through the coordinates with the exact one-dimensional update
    w_j ← S(x_jᵀ r_j, nαρ) / (||x_j||² + nα(1 − ρ)) (S: soft thresholding,
    r_j: residual without feature j), until the duality gap is ≤ tol · ||y||²
    (Friedman, Hastie & Tibshirani 2010, "Regularization paths for generalized
    linear models via coordinate descent").

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength (≥ 0).
    l1_ratio : float, default=0.5
        ρ in [0, 1]: 1 is the lasso, 0 is ridge.
    fit_intercept : bool, default=True
    precompute : {"auto", True, False}, default="auto"
        Run on the Gram matrix XᵀX (True). ``"auto"`` is False for a single fit: the
        few O(n p) sweeps on the residual cost less than forming the O(n p²) Gram.
    max_iter : int, default=1000
        Maximum number of sweeps over the coordinates.
    copy_X : bool, default=True
        Kept for compatibility; X is never modified.
    tol : float, default=1e-4
        Stop when the duality gap is ≤ tol · ||y − ȳ||².
    warm_start : bool, default=False
        Start from the previous ``coef_`` (useful along a path of alphas).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap at the solution, on the 1/(2n) scale of the objective.
    n_iter_ : int or list of int
        Sweeps run (per target).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import ElasticNet
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    >>> ElasticNet(alpha=0.1).fit(X, [0.0, 1.0, 2.0, 3.0]).coef_.round(3)
    array([0.923, 0.   ])
    """

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 precompute="auto", max_iter: int = 1000, copy_X: bool = True,
                 tol: float = 1e-4, warm_start: bool = False):
        store_params(self, locals())

    def fit(self, X, y, sample_weight=None):
        """Fit by coordinate descent on X (n_samples, n_features) and y."""
        check_enet_params(self)
        X, y = self._validate_data(X, y, multi_output=True, y_numeric=True)
        n, p = X.shape
        sw = validate_sample_weight(sample_weight, n, self)
        # One fit needs few sweeps, each O(n p) on the residual: cheaper than the
        # O(n p²) Gram matrix, so "auto" means False here (the CV paths reuse a Gram).
        use_gram = self.precompute is True
        problem = _Problem(X, y, sw, self.fit_intercept, use_gram)
        k = problem.Y.shape[1]
        coef = np.zeros((k, p), dtype=X.dtype)
        previous = getattr(self, "coef_", None) if self.warm_start else None
        if previous is not None and np.size(previous) == k * p:
            coef[:] = np.reshape(previous, (k, p))
        gaps, iters = np.zeros(k), []
        for t in range(k):
            w = np.ascontiguousarray(coef[t])
            gap, tol, n_iter = problem.solve(w, self.alpha, self.l1_ratio, self.max_iter,
                                             self.tol, t)
            if gap > tol:
                convergence_warning(type(self).__name__, gap, tol, self.max_iter)
            coef[t] = w
            gaps[t] = gap / n
            iters.append(int(n_iter))
        intercept = problem.y_offset - coef @ problem.X_offset if self.fit_intercept else (
            np.zeros(k))
        if y.ndim == 1:
            self.coef_, self.intercept_ = coef[0], float(np.ravel(intercept)[0])
            self.dual_gap_, self.n_iter_ = float(gaps[0]), iters[0]
        else:
            self.coef_, self.intercept_ = coef, np.asarray(intercept, dtype=float)
            self.dual_gap_, self.n_iter_ = gaps, iters
        return self


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty: 1/(2n) ||y − Xw − b||² + α ||w||₁.

    The elastic net with l1_ratio = 1 (see :class:`ElasticNet`): coordinate descent
    with soft thresholding w_j ← S(x_jᵀ r_j, nα) / ||x_j||², stopped by the duality gap.
    Many coefficients end exactly at 0 (the KKT conditions |x_jᵀ r| ≤ nα there).

    Parameters
    ----------
    alpha : float, default=1.0
    fit_intercept : bool, default=True
    precompute : {"auto", True, False}, default="auto"
    max_iter : int, default=1000
    copy_X : bool, default=True
    tol : float, default=1e-4
    warm_start : bool, default=False

    Attributes
    ----------
    coef_, intercept_, dual_gap_, n_iter_ : as in :class:`ElasticNet`.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import Lasso
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    >>> Lasso(alpha=0.1).fit(X, [0.0, 1.0, 2.0, 3.0]).coef_.round(3)
    array([0.92, 0.  ])
    """

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True, precompute="auto",
                 max_iter: int = 1000, copy_X: bool = True, tol: float = 1e-4,
                 warm_start: bool = False):
        store_params(self, locals())

    @property
    def l1_ratio(self) -> float:
        return 1.0
