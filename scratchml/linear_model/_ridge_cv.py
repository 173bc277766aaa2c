"""Ridge regression with α chosen by efficient leave-one-out cross-validation.

Ridge is a linear smoother: ŷ = H y with H = 𝟙vvᵀ/||v||² + Xc (XcᵀXc + α I)⁻¹ Xcᵀ (the
first term is the unpenalised intercept; v = √s). For such a smoother the
leave-one-out residual needs no refit:

    y_i − ŷ_{(−i)} = (y_i − ŷ_i) / (1 − H_ii).

With one thin SVD Xc = U diag(σ) Vᵀ, H_c = U diag(σ²/(σ² + α)) Uᵀ for *every* α, so the
whole grid costs one SVD plus O(n · rank) per α (Golub, Heath & Wahba 1979).
"""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, RegressorMixin
from ..model_selection._split import check_cv
from ..utils._params import store_params
from ._base import LinearPredictMixin, center_and_scale, validate_sample_weight
from ._least_squares import Ridge


class RidgeCV(LinearPredictMixin, RegressorMixin, BaseEstimator):
    """Ridge regression with built-in leave-one-out selection of α.

    For each α of ``alphas`` the leave-one-out squared errors
    e_i = ((y_i − ŷ_i) / (1 − H_ii))² are computed in closed form from one SVD of the
    centred (√s-scaled) X (see the module docstring); α_ minimises their mean and the
    ridge solution at α_ is kept. Same scoring as scikit-learn's ``RidgeCV`` with
    ``cv=None, scoring=None``: ``best_score_`` is the negative mean squared LOO error.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
        Candidate penalties, each > 0.
    fit_intercept : bool, default=True
    cv : None, int or splitter, default=None
        None: efficient leave-one-out. Otherwise K-fold cross-validation of
        :class:`Ridge` (as scikit-learn, ``best_score_`` is then the mean test R²).
    store_cv_results : bool, default=False
        Keep every squared LOO error in ``cv_results_`` (``cv=None`` only).
    alpha_per_target : bool, default=False
        Choose α separately for each target.

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
    best_score_ : float or ndarray of shape (n_targets,)
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    cv_results_ : ndarray of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import RidgeCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((40, 3))
    >>> RidgeCV(alphas=[0.01, 1.0, 100.0]).fit(X, X @ [1.0, 2.0, 0.0]).alpha_
    0.01
    """

    def __init__(self, alphas=(0.1, 1.0, 10.0), *, fit_intercept: bool = True, cv=None,
                 store_cv_results: bool = False, alpha_per_target: bool = False):
        store_params(self, locals())

    def fit(self, X, y, sample_weight=None) -> RidgeCV:
        """Select α by leave-one-out error and fit ridge on X, y with it."""
        alphas = np.atleast_1d(np.asarray(self.alphas, dtype=float))
        if alphas.ndim != 1 or alphas.size == 0 or not np.all(np.isfinite(alphas)) or np.any(
                alphas <= 0):
            raise ValueError(
                f"alphas={self.alphas!r} is not valid for RidgeCV: give a 1D list of positive "
                "numbers."
            )
        X, y = self._validate_data(X, y, multi_output=True, y_numeric=True)
        X = X.astype(np.float64, copy=False)
        n = X.shape[0]
        sw = validate_sample_weight(sample_weight, n, self)
        if self.cv is not None:
            if self.store_cv_results or self.alpha_per_target:
                raise ValueError("store_cv_results and alpha_per_target need cv=None "
                                 "(leave-one-out) in RidgeCV.")
            return self._fit_kfold(X, y, sw, alphas)
        Xc, yc, X_offset, y_offset = center_and_scale(X, y, sw, self.fit_intercept)
        Y = yc.reshape(n, -1)
        U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
        UtY = U.T @ Y
        if n > X.shape[1]:
            errors = _loo_tall(U, s, UtY, Y, sw, self.fit_intercept, alphas)
        else:
            errors = _loo_wide(Xc, Y, sw, self.fit_intercept, alphas)
        mean_err = errors.mean(axis=0)  # (n_targets, n_alphas)
        if self.alpha_per_target:
            best = mean_err.argmin(axis=1)
            chosen = alphas[best]
            score = -mean_err[np.arange(len(best)), best]
        else:
            b = int(mean_err.mean(axis=0).argmin())
            chosen = np.full(Y.shape[1], alphas[b])
            score = np.array([-mean_err[:, b].mean()])
        d = s[:, None] / (s[:, None] ** 2 + chosen[None, :])
        coef = (Vt.T @ (d * UtY)).T  # (n_targets, n_features)
        one = y.ndim == 1
        self.coef_ = coef[0] if one else coef
        intercept = y_offset - coef @ X_offset if self.fit_intercept else np.zeros(len(coef))
        self.intercept_ = float(np.ravel(intercept)[0]) if one else np.asarray(intercept)
        if self.alpha_per_target and not one:
            self.alpha_, self.best_score_ = chosen, score
        else:
            self.alpha_, self.best_score_ = float(chosen[0]), float(score[0])
        if self.store_cv_results:
            self.cv_results_ = errors[:, 0, :] if one else errors
        return self

    def _fit_kfold(self, X, y, sw, alphas):
        """K-fold selection: the mean test R² of Ridge(α) for each α; refit on all data."""
        folds = list(check_cv(self.cv).split(X, y))
        scores = np.zeros(alphas.size)
        for a, alpha in enumerate(alphas):
            for train, test in folds:
                model = Ridge(alpha=alpha, fit_intercept=self.fit_intercept).fit(
                    X[train], y[train], sample_weight=None if sw is None else sw[train])
                scores[a] += model.score(X[test], y[test]) / len(folds)
        best = int(np.argmax(scores))
        final = Ridge(alpha=alphas[best], fit_intercept=self.fit_intercept).fit(
            X, y, sample_weight=sw)
        self.coef_, self.intercept_ = final.coef_, final.intercept_
        self.alpha_, self.best_score_ = float(alphas[best]), float(scores[best])
        return self


def _loo_tall(U, s, UtY, Y, sw, fit_intercept, alphas):
    """Squared LOO errors (n, n_targets, n_alphas) from the thin SVD, n > p.

    Written with 1 − σ²/(σ² + α) = α/(σ² + α), so that 1 − H_ii and the residual do not
    cancel catastrophically when α ≪ σ² (H close to a projection).
    """
    n = U.shape[0]
    v = np.ones(n) if sw is None else sw
    h0 = v / v.sum() if fit_intercept else np.zeros(n)  # diagonal of vvᵀ/||v||²
    U2 = U**2
    outside = Y - U @ UtY  # part of y outside the column space of Xc
    h_outside = 1.0 - h0 - U2.sum(axis=1)
    errors = np.empty((n, Y.shape[1], alphas.size))
    for a, alpha in enumerate(alphas):
        keep = alpha / (s**2 + alpha)
        residual = outside + U @ (keep[:, None] * UtY)
        errors[:, :, a] = (residual / (h_outside + U2 @ keep)[:, None]) ** 2
    return errors


def _loo_wide(Xc, Y, sw, fit_intercept, alphas):
    """Squared LOO errors from the eigendecomposition of the n x n kernel, n ≤ p.

    K = Xc Xcᵀ = Q diag(λ) Qᵀ with Q square, so I − H = Q diag(α/(λ + α)) Qᵀ − vvᵀ/||v||²;
    the intercept direction v/||v|| is an eigenvector of K with λ = 0, and dropping it
    from the sum (instead of subtracting vvᵀ) avoids cancellation (as scikit-learn).
    """
    n = Xc.shape[0]
    lam, Q = np.linalg.eigh(Xc @ Xc.T)
    QtY = Q.T @ Y
    drop = np.zeros(n, dtype=bool)
    if fit_intercept:
        v = np.sqrt(np.ones(n) if sw is None else sw)
        drop[np.argmax(np.abs(Q.T @ v))] = True
    errors = np.empty((n, Y.shape[1], alphas.size))
    for a, alpha in enumerate(alphas):
        keep = np.where(drop, 0.0, alpha / (np.maximum(lam, 0) + alpha))
        residual = Q @ (keep[:, None] * QtY)
        errors[:, :, a] = (residual / ((Q**2) @ keep)[:, None]) ** 2
    return errors
