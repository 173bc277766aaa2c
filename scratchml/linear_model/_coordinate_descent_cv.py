"""Regularisation paths and cross-validated Lasso / ElasticNet.

Along a decreasing grid α_max > … > ε α_max (log-spaced), each fit starts from the
previous solution (warm start), so the whole path costs little more than one fit.
α_max = max_j |x_jᵀ (y − ȳ)| / (n ρ) is the smallest α at which every coefficient is 0
(the KKT condition |x_jᵀ r| ≤ n α ρ at w = 0).
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator, RegressorMixin
from ..model_selection._split import check_cv
from ..utils._params import store_params
from ._base import (
    LinearPredictMixin,
    check_scalar,
    validate_sample_weight,
    weighted_means,
)
from ._coordinate_descent import ElasticNet, _Problem, check_enet_params, convergence_warning


def alpha_grid(X, y, l1_ratio, fit_intercept, eps, n_alphas, sample_weight=None):
    """Log-spaced α from α_max (all coefficients 0) down to eps · α_max."""
    n = X.shape[0]
    sw = np.ones(n) if sample_weight is None else sample_weight * (n / sample_weight.sum())
    X_offset, y_offset = weighted_means(X, y, sw, fit_intercept)
    Y = (y - y_offset).reshape(n, -1)
    Xy = X.T @ (sw[:, None] * Y) - np.multiply.outer(X_offset, (sw[:, None] * Y).sum(axis=0))
    alpha_max = np.sqrt((Xy**2).sum(axis=1)).max() / (n * max(l1_ratio, 1e-3))
    if alpha_max <= np.finfo(float).resolution:
        return np.full(n_alphas, np.finfo(float).resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def enet_path(X, y, *, l1_ratio=0.5, eps=1e-3, n_alphas=100, alphas=None, max_iter=1000,
              tol=1e-4, precompute="auto"):
    """Elastic-net solutions along a path of alphas (no intercept: centre X and y first).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    l1_ratio, eps, n_alphas, alphas, max_iter, tol, precompute
        As in :class:`ElasticNetCV`; ``alphas`` overrides the automatic grid.

    Returns
    -------
    alphas : ndarray (n_alphas,), decreasing
    coefs : ndarray (n_features, n_alphas)
    dual_gaps : ndarray (n_alphas,)

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import enet_path
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    >>> alphas, coefs, gaps = enet_path(X, np.array([1.0, 0.0, -1.0, 0.0]), n_alphas=3)
    >>> coefs.shape
    (2, 3)
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if alphas is None or isinstance(alphas, numbers.Integral):  # int: sklearn >= 1.9
        alphas = alpha_grid(X, y, l1_ratio, False, eps, n_alphas if alphas is None else alphas)
    alphas = np.sort(np.asarray(alphas, dtype=float))[::-1]
    use_gram = precompute is True or (precompute == "auto" and X.shape[0] > X.shape[1])
    problem = _Problem(X, y, None, False, use_gram)
    return (alphas, *_path(problem, alphas, l1_ratio, max_iter, tol))


def _path(problem, alphas, l1_ratio, max_iter, tol):
    p = problem.Q.shape[0] if problem.use_gram else problem.XT.shape[0]
    w = np.zeros(p, dtype=problem.Y.dtype)  # warm-started from one alpha to the next
    coefs = np.empty((w.size, len(alphas)))
    gaps = np.empty(len(alphas))
    for i, alpha in enumerate(alphas):
        gap, scaled_tol, _ = problem.solve(w, alpha, l1_ratio, max_iter, tol)
        if gap > scaled_tol:
            convergence_warning("enet_path", gap, scaled_tol, max_iter)
        coefs[:, i] = w
        gaps[i] = gap / problem.n_samples
    return coefs, gaps


class ElasticNetCV(LinearPredictMixin, RegressorMixin, BaseEstimator):
    """Elastic net with α (and ρ = l1_ratio) chosen by K-fold cross-validation.

    For each ρ, each fold fits the whole α path on the training part (warm starts)
    and records the test mean squared error; α_, ρ_ minimise the mean over folds, and
    a final :class:`ElasticNet` is fitted on all data with them.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
    eps : float, default=1e-3
        α_min / α_max of the automatic grid.
    n_alphas : int, default=100
    alphas : array-like, int or None, default=None
        Explicit grid (overrides eps / n_alphas), or an int: the number of alphas of the
        automatic grid (scikit-learn >= 1.7 spelling of n_alphas).
    fit_intercept : bool, default=True
    precompute : {"auto", True, False}, default="auto"
        Gram matrix per fold: ``"auto"`` uses it when n_samples > n_features (each
        fold's Gram is reused along the whole path of alphas).
    max_iter : int, default=1000
    tol : float, default=1e-4
    cv : int, splitter or None, default=None
        None is 5-fold (unshuffled) K-fold.
    verbose : int, default=0

    Attributes
    ----------
    alpha_, l1_ratio_ : float
    alphas_ : ndarray (n_l1_ratio, n_alphas), or (n_alphas,) for one l1_ratio
    mse_path_ : ndarray (n_l1_ratio, n_alphas, n_folds), or (n_alphas, n_folds)
    coef_, intercept_, dual_gap_, n_iter_ : of the final fit.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import ElasticNetCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3))
    >>> model = ElasticNetCV(n_alphas=10).fit(X, X[:, 0] + 0.1 * rng.standard_normal(50))
    >>> bool(model.alpha_ > 0)
    True
    """

    _is_lasso = False

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, n_alphas=100, alphas=None,
                 fit_intercept=True, precompute="auto", max_iter=1000, tol=1e-4, cv=None,
                 verbose=0):
        store_params(self, locals())

    def _final_model(self, alpha, l1_ratio):
        return ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=self.fit_intercept,
                          precompute=self.precompute, max_iter=self.max_iter, tol=self.tol)

    def fit(self, X, y, sample_weight=None):
        """Choose α (and l1_ratio) by cross-validation, then fit on all of X, y."""
        ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=float))
        for r in ratios:
            check_scalar(float(r), "l1_ratio", low=0, high=1, estimator=self)
        check_scalar(self.eps, "eps", low=0, low_open=True, estimator=self)
        check_scalar(self.n_alphas, "n_alphas", low=1, integer=True, estimator=self)
        check_enet_params(self._final_model(1.0, float(ratios[0])))
        X, y = self._validate_data(X, y, y_numeric=True)
        n = X.shape[0]
        sw = validate_sample_weight(sample_weight, n, self)
        folds = list(check_cv(self.cv).split(X, y))
        use_gram = self.precompute is True or (self.precompute == "auto" and n > X.shape[1])
        grids, mse = [], []
        automatic = self.alphas is None or isinstance(self.alphas, numbers.Integral)
        n_alphas = self.n_alphas if self.alphas is None else self.alphas
        for r in ratios:
            if automatic:
                grid = alpha_grid(X, y, r, self.fit_intercept, self.eps, n_alphas, sw)
            else:
                grid = np.sort(np.asarray(self.alphas, dtype=float))[::-1]
            errors = np.empty((len(grid), len(folds)))
            for f, (train, test) in enumerate(folds):
                train_sw = None if sw is None else sw[train]
                problem = _Problem(X[train], y[train], train_sw, self.fit_intercept, use_gram)
                coefs, _ = _path(problem, grid, r, self.max_iter, self.tol)
                intercepts = problem.y_offset - problem.X_offset @ coefs
                resid = y[test][:, None] - X[test] @ coefs - intercepts
                w_test = np.ones(len(test)) if sw is None else sw[test]
                errors[:, f] = (w_test @ resid**2) / w_test.sum()
            if self.verbose > 0:
                print(f"{type(self).__name__}: l1_ratio={r}, best mean MSE "
                      f"{errors.mean(axis=1).min():.6g}")
            grids.append(grid)
            mse.append(errors)
        mean = np.array([e.mean(axis=1) for e in mse])  # (n_ratios, n_alphas)
        i, j = np.unravel_index(np.argmin(mean), mean.shape)
        self.alpha_, self.l1_ratio_ = float(grids[i][j]), float(ratios[i])
        final = self._final_model(self.alpha_, self.l1_ratio_).fit(X, y, sample_weight=sw)
        self.coef_, self.intercept_ = final.coef_, final.intercept_
        self.dual_gap_, self.n_iter_ = final.dual_gap_, final.n_iter_
        single = np.ndim(self.l1_ratio) == 0 or self._is_lasso
        self.alphas_ = grids[0] if single else np.array(grids)
        self.mse_path_ = mse[0] if single else np.array(mse)
        return self


class LassoCV(ElasticNetCV):
    """Lasso with α chosen by K-fold cross-validation along a regularisation path.

    :class:`ElasticNetCV` with l1_ratio = 1 (see there for the procedure).

    Parameters
    ----------
    eps, n_alphas, alphas, fit_intercept, precompute, max_iter, tol, cv, verbose
        As in :class:`ElasticNetCV`.

    Attributes
    ----------
    alpha_, alphas_ (n_alphas,), mse_path_ (n_alphas, n_folds), coef_, intercept_,
    dual_gap_, n_iter_

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import LassoCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3))
    >>> LassoCV(n_alphas=10).fit(X, X[:, 0]).coef_.round(1)
    array([1., 0., 0.])
    """

    _is_lasso = True

    def __init__(self, *, eps=1e-3, n_alphas=100, alphas=None, fit_intercept=True,
                 precompute="auto", max_iter=1000, tol=1e-4, cv=None, verbose=0):
        store_params(self, locals())

    @property
    def l1_ratio(self) -> float:
        return 1.0
