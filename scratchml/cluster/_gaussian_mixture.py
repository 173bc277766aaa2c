"""Gaussian mixture models fitted by expectation–maximization (Dempster, Laird & Rubin, 1977).

The model: p(x) = Σ_k π_k N(x | μ_k, Σ_k). EM alternates

* E-step: log r_ik = log π_k + log N(x_i | μ_k, Σ_k) − log Σ_j π_j N(x_i | μ_j, Σ_j),
  all in log space (log-sum-exp), so tiny densities never underflow;
* M-step: N_k = Σ_i r_ik, π_k = N_k / n, μ_k = Σ_i r_ik x_i / N_k,
  Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k + reg_covar·I,

until the mean log-likelihood (the lower bound) changes by less than ``tol``.
Densities use the Cholesky factor L_k of the *precision* Σ_k⁻¹ = L_k L_kᵀ (as
scikit-learn's ``precisions_cholesky_``): with y = (x − μ_k)ᵀ L_k,

    log N(x | μ_k, Σ_k) = −½ (d log 2π + ‖y‖²) + Σ_j log (L_k)_jj,

one triangular product per component instead of an inverse or a determinant.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..base import BaseEstimator
from ..exceptions import ConvergenceWarning
from ..utils._extmath import logsumexp_rows
from ..utils.validation import check_is_fitted, check_random_state

_COV_TYPES = ("full", "tied", "diag", "spherical")
_INIT_PARAMS = ("kmeans", "random", "random_from_data")


def _not_pd(cov_type: str) -> ValueError:
    return ValueError(
        f"Fitting the mixture model failed: a {cov_type} covariance matrix is not positive "
        "definite (a component collapsed onto too few samples, or features are duplicated). "
        "Decrease n_components, increase reg_covar, or scale the input data."
    )


def _precision_cholesky(cov: np.ndarray, cov_type: str) -> np.ndarray:
    """Cholesky factors of the precisions, L = chol(Σ)⁻ᵀ (lower-triangular L)."""
    if cov_type in ("full", "tied"):
        stack = cov[None] if cov_type == "tied" else cov
        try:
            chol = np.linalg.cholesky(stack)
        except np.linalg.LinAlgError:
            raise _not_pd(cov_type) from None
        eye = np.broadcast_to(np.eye(cov.shape[-1]), stack.shape)
        prec = np.swapaxes(np.linalg.solve(chol, eye), -1, -2)
        return prec[0] if cov_type == "tied" else prec
    if np.any(cov <= 0.0):
        raise _not_pd(cov_type)
    return 1.0 / np.sqrt(cov)


def _precision_cholesky_from_precisions(precisions: np.ndarray, cov_type: str) -> np.ndarray:
    if cov_type in ("full", "tied"):
        return np.linalg.cholesky(precisions)
    return np.sqrt(precisions)


def _gaussian_parameters(X, resp, reg_covar, cov_type):
    """M-step statistics: N_k (unnormalized weights), means and covariances."""
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps  # no empty component divides by 0
    means = (resp.T @ X) / nk[:, None]
    d = X.shape[1]
    if cov_type == "full":
        cov = np.empty((len(nk), d, d))
        for k in range(len(nk)):  # one GEMM per component; k is small
            diff = X - means[k]
            cov[k] = (resp[:, k] * diff.T) @ diff / nk[k]
            cov[k].flat[:: d + 1] += reg_covar
    elif cov_type == "tied":
        cov = X.T @ X - (nk * means.T) @ means
        cov /= nk.sum()
        cov.flat[:: d + 1] += reg_covar
    else:
        cov = (resp.T @ (X * X)) / nk[:, None] - means**2 + reg_covar
        if cov_type == "spherical":
            cov = cov.mean(axis=1)
    return nk, means, cov


def _log_gaussian_prob(X, means, prec_chol, cov_type):
    """log N(x_i | μ_k, Σ_k) for every sample i and component k."""
    n, d = X.shape
    k = len(means)
    if cov_type in ("full", "tied"):
        log_det = (np.sum(np.log(np.diagonal(prec_chol, axis1=-2, axis2=-1)), axis=-1)
                   * np.ones(k))
        maha = np.empty((n, k))
        for j in range(k):
            L = prec_chol if cov_type == "tied" else prec_chol[j]
            y = X @ L - means[j] @ L
            maha[:, j] = np.einsum("ij,ij->i", y, y)
    elif cov_type == "diag":
        log_det = np.sum(np.log(prec_chol), axis=1)
        prec = prec_chol**2
        maha = np.sum(means**2 * prec, 1) - 2.0 * (X @ (means * prec).T) + (X**2) @ prec.T
    else:
        log_det = d * np.log(prec_chol)
        prec = prec_chol**2
        maha = (np.sum(means**2, 1) * prec - 2 * (X @ means.T) * prec
                + np.outer(np.einsum("ij,ij->i", X, X), prec))
    return -0.5 * (d * np.log(2 * np.pi) + maha) + log_det


class GaussianMixture(BaseEstimator):
    """Gaussian mixture model fitted by EM, with the best of ``n_init`` runs kept.

    See the module docstring for the model and the EM updates. Parameters,
    attributes and results follow scikit-learn's ``GaussianMixture``.

    Parameters
    ----------
    n_components : int, default=1
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default='full'
        One full matrix per component, one shared matrix, one diagonal per
        component, or one variance per component.
    tol : float, default=1e-3
        Stop when the mean log-likelihood gains less than this.
    reg_covar : float, default=1e-6
        Added to the covariance diagonals so they stay positive definite.
    max_iter : int, default=100
    n_init : int, default=1
        Number of initializations; the one with the highest lower bound is kept.
    init_params : {'kmeans', 'random', 'random_from_data'}, default='kmeans'
        Initial responsibilities: k-means labels, random, or one sample per component.
    weights_init, means_init, precisions_init : array-like, optional
        User-provided initial parameters (they replace the ones from ``init_params``).
    random_state : int, Generator or None, default=None
    warm_start : bool, default=False
        Start the next ``fit`` from the current solution (one initialization).
    verbose : int, default=0
        Print the lower bound after each iteration when > 0.

    Attributes
    ----------
    weights_, means_, covariances_, precisions_, precisions_cholesky_ : ndarray
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        Mean log-likelihood of the training data at the best run's last iteration.
    lower_bounds_ : list of float
        Lower bound after each iteration of the best run.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.cluster import GaussianMixture
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0]])
    >>> gm = GaussianMixture(n_components=2, random_state=0).fit(X)
    >>> np.round(np.sort(gm.means_[:, 0]), 6)
    array([ 1., 10.])
    """

    _estimator_type = "density_estimator"

    def __init__(self, n_components: int = 1, *, covariance_type: str = "full",
                 tol: float = 1e-3, reg_covar: float = 1e-6, max_iter: int = 100,
                 n_init: int = 1, init_params: str = "kmeans", weights_init=None,
                 means_init=None, precisions_init=None, random_state=None,
                 warm_start: bool = False, verbose: int = 0):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    # -- checks and initialization ------------------------------------------------------

    def _check_params(self, n_features: int) -> None:
        def integer(name, low):
            v = getattr(self, name)
            if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v < low:
                raise ValueError(f"{name}={v!r} is invalid: {name} must be an int >= {low}.")

        integer("n_components", 1)
        integer("max_iter", 0)
        integer("n_init", 1)
        for name in ("tol", "reg_covar"):
            v = getattr(self, name)
            if not isinstance(v, numbers.Real) or not np.isfinite(v) or v < 0:
                raise ValueError(f"{name}={v!r} is invalid: {name} must be a float >= 0.")
        if self.covariance_type not in _COV_TYPES:
            raise ValueError(f"covariance_type={self.covariance_type!r} is invalid; use one of "
                             f"{_COV_TYPES}.")
        if self.init_params not in _INIT_PARAMS:
            raise ValueError(f"init_params={self.init_params!r} is invalid; use one of "
                             f"{_INIT_PARAMS}.")
        k, d = self.n_components, n_features
        if self.weights_init is not None:
            w = np.asarray(self.weights_init, dtype=np.float64)
            if w.shape != (k,) or np.any(w < 0) or not np.isclose(w.sum(), 1.0):
                raise ValueError(f"weights_init must be {k} non-negative weights summing to 1; "
                                 f"got shape {w.shape}, sum {w.sum():.6g}.")
        if self.means_init is not None and np.shape(self.means_init) != (k, d):
            raise ValueError(f"means_init must have shape ({k}, {d}) = (n_components, "
                             f"n_features); got {np.shape(self.means_init)}.")
        if self.precisions_init is not None:
            want = {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}
            shape = want[self.covariance_type]
            if np.shape(self.precisions_init) != shape:
                raise ValueError(f"precisions_init must have shape {shape} for covariance_type="
                                 f"{self.covariance_type!r}; got {np.shape(self.precisions_init)}.")

    def _initial_resp(self, X, rng) -> np.ndarray:
        n, k = X.shape[0], self.n_components
        if self.init_params == "kmeans":
            from ._kmeans import KMeans

            labels = KMeans(n_clusters=k, n_init=1, random_state=rng).fit(X).labels_
            resp = np.zeros((n, k))
            resp[np.arange(n), labels] = 1.0
        elif self.init_params == "random":
            resp = rng.uniform(size=(n, k))
            resp /= resp.sum(axis=1)[:, None]
        else:
            resp = np.zeros((n, k))
            resp[rng.choice(n, size=k, replace=False), np.arange(k)] = 1.0
        return resp

    def _initialize(self, X, rng) -> None:
        nk, means, cov = _gaussian_parameters(X, self._initial_resp(X, rng), self.reg_covar,
                                              self.covariance_type)
        self.weights_ = (nk / X.shape[0] if self.weights_init is None
                         else np.asarray(self.weights_init, dtype=np.float64))
        self.means_ = means if self.means_init is None else np.asarray(self.means_init, float)
        if self.precisions_init is None:
            self.covariances_ = cov
            self.precisions_cholesky_ = _precision_cholesky(cov, self.covariance_type)
        else:
            self.precisions_cholesky_ = _precision_cholesky_from_precisions(
                np.asarray(self.precisions_init, dtype=np.float64), self.covariance_type)

    # -- EM ------------------------------------------------------------------------------

    def _weighted_log_prob(self, X) -> np.ndarray:
        return (_log_gaussian_prob(X, self.means_, self.precisions_cholesky_,
                                   self.covariance_type) + np.log(self.weights_))

    def _e_step(self, X):
        weighted = self._weighted_log_prob(X)
        log_norm = logsumexp_rows(weighted)
        with np.errstate(under="ignore"):
            log_resp = weighted - log_norm[:, None]
        return float(np.mean(log_norm)), log_resp

    def _m_step(self, X, log_resp) -> None:
        nk, self.means_, self.covariances_ = _gaussian_parameters(
            X, np.exp(log_resp), self.reg_covar, self.covariance_type)
        self.weights_ = nk / nk.sum()
        self.precisions_cholesky_ = _precision_cholesky(self.covariances_, self.covariance_type)

    def _get_parameters(self):
        return (self.weights_, self.means_, self.covariances_, self.precisions_cholesky_)

    def fit(self, X, y=None) -> GaussianMixture:
        """Estimate the mixture's parameters with EM; returns ``self``."""
        self.fit_predict(X)
        return self

    def fit_predict(self, X, y=None) -> np.ndarray:
        """Fit, then return the most likely component of each training sample."""
        X = self._validate_data(X, dtype=np.float64, ensure_min_samples=2)
        self._check_params(X.shape[1])
        if X.shape[0] < self.n_components:
            raise ValueError(f"Expected n_samples >= n_components, but got n_components = "
                             f"{self.n_components}, n_samples = {X.shape[0]}.")
        do_init = not (self.warm_start and hasattr(self, "converged_"))
        n_init = self.n_init if do_init else 1
        rng = check_random_state(self.random_state)
        best_bound, best, best_iter, best_bounds, converged_best = -np.inf, None, 0, [], False
        for _ in range(n_init):
            if do_init:
                self._initialize(X, rng)
            bound = -np.inf if do_init else self.lower_bound_
            bounds, converged, n_iter = [], False, 0
            for n_iter in range(1, self.max_iter + 1):
                previous = bound
                log_norm, log_resp = self._e_step(X)
                self._m_step(X, log_resp)
                bound = log_norm
                bounds.append(bound)
                if self.verbose:
                    print(f"  iteration {n_iter}: lower bound {bound:.6f}")
                if abs(bound - previous) < self.tol:
                    converged = True
                    break
            if best is None or bound > best_bound:
                best_bound, best_iter, best_bounds = bound, n_iter, bounds
                best = tuple(getattr(self, a, None) for a in
                             ("weights_", "means_", "covariances_", "precisions_cholesky_"))
                converged_best = converged
        if not converged_best and self.max_iter > 0:
            warnings.warn("Best performing initialization did not converge. Try different init "
                          "parameters, or increase max_iter, tol, or check for degenerate data.",
                          ConvergenceWarning, stacklevel=2)
        self.weights_, self.means_, covariances, self.precisions_cholesky_ = best
        if covariances is not None:
            self.covariances_ = covariances
        self.converged_ = converged_best
        self.n_iter_ = best_iter
        self.lower_bound_ = best_bound
        self.lower_bounds_ = list(best_bounds)
        L = self.precisions_cholesky_
        if self.covariance_type == "full":
            self.precisions_ = L @ np.swapaxes(L, -1, -2)
        elif self.covariance_type == "tied":
            self.precisions_ = L @ L.T
        else:
            self.precisions_ = L**2
        # A final E-step so that fit_predict(X) equals fit(X).predict(X).
        return self._e_step(X)[1].argmax(axis=1)

    # -- inference -------------------------------------------------------------------------

    def score_samples(self, X) -> np.ndarray:
        """log p(x_i) of each sample."""
        check_is_fitted(self)
        X = self._validate_data(X, dtype=np.float64, reset=False)
        return logsumexp_rows(self._weighted_log_prob(X))

    def score(self, X, y=None) -> float:
        """Mean log-likelihood of X."""
        return float(np.mean(self.score_samples(X)))

    def predict(self, X) -> np.ndarray:
        """Most likely component of each sample."""
        check_is_fitted(self)
        X = self._validate_data(X, dtype=np.float64, reset=False)
        return self._weighted_log_prob(X).argmax(axis=1)

    def predict_proba(self, X) -> np.ndarray:
        """Posterior probability r_ik of each component for each sample."""
        check_is_fitted(self)
        X = self._validate_data(X, dtype=np.float64, reset=False)
        return np.exp(self._e_step(X)[1])

    def _n_parameters(self) -> int:
        k, d = self.means_.shape
        cov = {"full": k * d * (d + 1) / 2, "diag": k * d, "tied": d * (d + 1) / 2,
               "spherical": k}[self.covariance_type]
        return int(cov + k * d + k - 1)

    def bic(self, X) -> float:
        """Bayesian information criterion: −2 log L + p log n (lower is better)."""
        n = np.shape(X)[0]
        return float(-2 * self.score(X) * n + self._n_parameters() * np.log(n))

    def aic(self, X) -> float:
        """Akaike information criterion: −2 log L + 2p (lower is better)."""
        return float(-2 * self.score(X) * np.shape(X)[0] + 2 * self._n_parameters())

    def sample(self, n_samples: int = 1):
        """Draw ``n_samples`` points from the fitted mixture; returns (X, component labels)."""
        check_is_fitted(self)
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"n_samples={n_samples!r} is invalid: it must be an int >= 1.")
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        d = self.means_.shape[1]
        parts = []
        for k, (mean, count) in enumerate(zip(self.means_, counts)):
            z = rng.standard_normal((count, d))
            if self.covariance_type in ("full", "tied"):
                cov = self.covariances_ if self.covariance_type == "tied" else self.covariances_[k]
                parts.append(mean + z @ np.linalg.cholesky(cov).T)
            else:
                parts.append(mean + z * np.sqrt(self.covariances_[k]))
        labels = np.repeat(np.arange(len(counts)), counts)
        return np.vstack(parts), labels


__all__ = ["GaussianMixture"]
