"""SVR (epsilon-insensitive regression) and OneClassSVM: the same SMO, other problems."""

from __future__ import annotations

import numpy as np

from ..base import RegressorMixin
from ._base import _BaseLibSVM, _check_number, sample_weights, validate_fit_input


class _KernelExpansion(_BaseLibSVM):
    """f(x) = sum_s dual_coef_s K(x_s, x) + intercept (shared by SVR and OneClassSVM)."""

    def _expansion(self, X) -> np.ndarray:
        out = np.empty(X.shape[0])
        for rows, K in self._kernel_chunks(X):
            out[rows] = K @ self.dual_coef_[0] + self.intercept_[0]
        return out

    def _store(self, X, coef, rho, n_iter, status):
        self.support_ = np.flatnonzero(coef != 0).astype(np.intp)
        self.support_vectors_ = self._support_vectors_of(X, self.support_)
        self.dual_coef_ = coef[self.support_][None, :]
        self.intercept_ = np.array([-rho])
        self.n_support_ = np.array([len(self.support_)], dtype=np.int32)
        self.n_iter_ = int(n_iter)
        self.fit_status_ = int(status)
        self.shape_fit_ = X.shape
        self._warn_status()


class SVR(RegressorMixin, _KernelExpansion):
    """Epsilon-support vector regression, solved by SMO (libsvm's epsilon-SVR).

    Residuals smaller than epsilon cost nothing; the dual has two variables per sample,

        min_{a, a*} 1/2 (a - a*)^T K (a - a*) + eps sum (a + a*) - sum y_i (a_i - a*_i),
        s.t. sum (a_i - a*_i) = 0,  0 <= a_i, a*_i <= C_i,

    which is libsvm's problem over 2n variables with signs (+1, -1) sharing one kernel
    column per sample. f(x) = sum_i (a_i - a*_i) K(x_i, x) + b.

    Parameters
    ----------
    kernel, degree, gamma, coef0, tol, C, shrinking, cache_size, verbose, max_iter
        As in :class:`scratchml.svm.SVC`.
    epsilon : float, default=0.1
        Half-width of the tube in which errors are free; must be >= 0.

    Attributes
    ----------
    support_, support_vectors_, dual_coef_ (1, n_SV), intercept_ (1,), n_support_,
    fit_status_, n_iter_, shape_fit_, n_features_in_
        As in :class:`scratchml.svm.SVC`; ``dual_coef_`` holds a_i - a*_i.
    coef_ : ndarray of shape (1, n_features)
        Primal weights, only for the linear kernel.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.svm import SVR
    >>> X = np.arange(10.0)[:, None]
    >>> reg = SVR(kernel="linear", C=10, epsilon=0.01).fit(X, 2 * X[:, 0] + 1)
    >>> np.round(reg.predict([[20.0]]), 1)
    array([41.])
    """

    def __init__(self, *, kernel="rbf", degree: int = 3, gamma="scale", coef0: float = 0.0,
                 tol: float = 1e-3, C: float = 1.0, epsilon: float = 0.1,
                 shrinking: bool = True, cache_size: float = 200, verbose: int = 0,
                 max_iter: int = -1):
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.epsilon = epsilon
        self.shrinking = shrinking
        self.cache_size = cache_size
        self.verbose = verbose
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None) -> SVR:
        """Solve the epsilon-SVR dual; returns self."""
        self._check_common_params()
        _check_number("C", self.C, low=0.0, low_open=True)
        _check_number("epsilon", self.epsilon, low=0.0)
        X, y = validate_fit_input(self, X, y, y_numeric=True)
        y = y.astype(np.float64)
        n = len(y)
        C = self.C * sample_weights(sample_weight, n, self)
        keep = np.flatnonzero(C > 0)
        M = self._fit_kernel(X)
        m = len(keep)
        idx = np.concatenate([keep, keep])
        sign = np.concatenate([np.ones(m), -np.ones(m)])
        p = np.concatenate([self.epsilon - y[keep], self.epsilon + y[keep]])
        a, rho, n_iter, status = self._solve(M, idx, sign, p, np.concatenate([C[keep]] * 2),
                                             np.zeros(2 * m))
        coef = np.zeros(n)
        coef[keep] = a[:m] - a[m:]
        self._store(X, coef, rho, n_iter, status)
        return self

    def predict(self, X) -> np.ndarray:
        """f(x) = sum_i (a_i - a*_i) K(x_i, x) + b."""
        return self._expansion(self._validate_for_predict(X, "predict"))

    @property
    def coef_(self) -> np.ndarray:
        """Primal weights (linear kernel only)."""
        if self.kernel != "linear":
            raise AttributeError("coef_ is only available when kernel='linear'.")
        return self.dual_coef_ @ self.support_vectors_


class OneClassSVM(_KernelExpansion):
    """Unsupervised outlier detection (Schoelkopf et al. 2001), solved by the same SMO.

    The dual, with nu in (0, 1] bounding the fraction of outliers from above and of
    support vectors from below, is

        min_a 1/2 a^T K a   s.t.  0 <= a_i <= 1,  sum a_i = nu n,

    libsvm's problem with p = 0, y = +1, started at libsvm's feasible point. The
    decision function f(x) = sum a_i K(x_i, x) - rho is positive for inliers.

    Parameters
    ----------
    kernel, degree, gamma, coef0, tol, shrinking, cache_size, verbose, max_iter
        As in :class:`scratchml.svm.SVC`.
    nu : float, default=0.5
        In (0, 1].

    Attributes
    ----------
    support_, support_vectors_, dual_coef_ (1, n_SV), intercept_ (1,), n_support_,
    fit_status_, n_iter_, shape_fit_, n_features_in_
        As in :class:`scratchml.svm.SVC`.
    offset_ : float
        rho: ``decision_function = score_samples - offset_``.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.svm import OneClassSVM
    >>> X = np.random.default_rng(0).standard_normal((100, 2))
    >>> OneClassSVM(nu=0.5, gamma=0.5).fit(X).predict([[0.0, 0.0], [6.0, 6.0]])
    array([ 1, -1])
    """

    _estimator_type = "outlier_detector"

    def __init__(self, *, kernel="rbf", degree: int = 3, gamma="scale", coef0: float = 0.0,
                 tol: float = 1e-3, nu: float = 0.5, shrinking: bool = True,
                 cache_size: float = 200, verbose: int = 0, max_iter: int = -1):
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.nu = nu
        self.shrinking = shrinking
        self.cache_size = cache_size
        self.verbose = verbose
        self.max_iter = max_iter

    def fit(self, X, y=None, sample_weight=None) -> OneClassSVM:
        """Solve the one-class dual; ``y`` is ignored. Returns self."""
        self._check_common_params()
        _check_number("nu", self.nu, low=0.0, low_open=True)
        if self.nu > 1:
            raise ValueError(f"nu={self.nu!r} must be in (0, 1].")
        X = validate_fit_input(self, X)
        n = X.shape[0]
        C = sample_weights(sample_weight, n, self)
        keep = np.flatnonzero(C > 0)
        m = len(keep)
        # libsvm's feasible starting point: fill the variables in order up to their
        # bound C_i (1, or the sample weight) until sum a = nu sum C.
        Ck = C[keep]
        filled = np.minimum(np.cumsum(Ck), self.nu * Ck.sum())
        alpha0 = np.diff(filled, prepend=0.0)
        M = self._fit_kernel(X)
        a, rho, n_iter, status = self._solve(M, keep, np.ones(m), np.zeros(m), C[keep], alpha0)
        coef = np.zeros(n)
        coef[keep] = a
        self._store(X, coef, rho, n_iter, status)
        self.offset_ = float(rho)
        return self

    def decision_function(self, X) -> np.ndarray:
        """f(x) = sum a_i K(x_i, x) - rho; positive for inliers."""
        return self._expansion(self._validate_for_predict(X, "decision_function"))

    def score_samples(self, X) -> np.ndarray:
        """Unshifted score sum a_i K(x_i, x) (= decision_function + offset_)."""
        return self._expansion(self._validate_for_predict(X, "score_samples")) + self.offset_

    def predict(self, X) -> np.ndarray:
        """+1 for inliers (decision > 0), -1 for outliers."""
        dec = self._expansion(self._validate_for_predict(X, "predict"))
        return np.where(dec > 0, 1, -1)

    def fit_predict(self, X, y=None) -> np.ndarray:
        """Fit, then predict on the same X."""
        return self.fit(X).predict(X)
