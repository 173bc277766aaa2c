"""Principal component analysis: the orthogonal directions of largest variance.

With X_c = X − μ (μ the column means) and its SVD X_c = U Σ Vᵀ, the principal axes
are the rows of Vᵀ, the variance along axis i is σᵢ² / (n − 1), and the scores are
X_c V = U Σ. Three routes compute the same thing:

* ``'full'``: the thin SVD of X_c (LAPACK gesdd), O(n d min(n, d));
* ``'covariance_eigh'``: the eigendecomposition of C = X_cᵀ X_c / (n − 1), formed as
  (Xᵀ X − n μ μᵀ) / (n − 1) so X is never copied; one GEMM of n d² flops and a d x d
  eigh — much faster for tall data, but it squares the condition number (small
  variances lose about twice as many digits as with the SVD, and a column offset
  much larger than its spread cancels in Xᵀ X − n μ μᵀ, exactly as in scikit-learn);
* ``'randomized'``: Halko et al.'s randomized SVD (see ``_randomized.py``) for a few
  components of a large matrix.

Probabilistic PCA (Tipping & Bishop, 1999) turns the fit into a Gaussian model
x ~ N(μ, W Wᵀ + σ² I) whose noise σ² is the mean of the discarded variances; it
gives ``get_covariance``, ``get_precision`` and ``score_samples``.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_array, check_is_fitted
from ._randomized import NORMALIZERS, randomized_svd, svd_flip_v

SOLVERS = ("auto", "full", "covariance_eigh", "randomized")


def _assess_dimension(spectrum: np.ndarray, rank: int, n_samples: int) -> float:
    """Log-likelihood of a rank-``rank`` PCA model of a data set with this spectrum (Minka 2000)."""
    n_features = spectrum.shape[0]
    eps = 1e-15
    if spectrum[rank - 1] < eps:
        return -np.inf
    i = np.arange(1, rank + 1)
    pu = -rank * math.log(2.0) + sum(
        math.lgamma((n_features - k + 1) / 2.0) - math.log(math.pi) * (n_features - k + 1) / 2.0
        for k in i
    )
    pl = -np.sum(np.log(spectrum[:rank])) * n_samples / 2.0
    v = max(eps, np.sum(spectrum[rank:]) / (n_features - rank))
    pv = -math.log(v) * n_samples * (n_features - rank) / 2.0
    m = n_features * rank - rank * (rank + 1.0) / 2.0
    pp = math.log(2.0 * math.pi) * (m + rank) / 2.0
    # pa: sum over i < rank, j > i of log((λi − λj)(1/λ'j − 1/λ'i)) + log n, where λ'
    # replaces the discarded eigenvalues by their mean v.
    clipped = spectrum.copy()
    clipped[rank:] = v
    rows, cols = np.arange(rank)[:, None], np.arange(n_features)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.log(
            (spectrum[:rank, None] - spectrum[None, :])
            * (1.0 / clipped[None, :] - 1.0 / clipped[:rank, None])
        ) + math.log(n_samples)
    pa = float(np.sum(terms[cols > rows]))
    return pu + pl + pv + pp - pa / 2.0 - rank * math.log(n_samples) / 2.0


def _ratio(var: np.ndarray, total) -> np.ndarray:
    """var / total, with 0 (not scikit-learn's NaN) when every column of X is constant."""
    return var / total if total > 0 else np.zeros_like(var)


def _infer_dimension(spectrum: np.ndarray, n_samples: int) -> int:
    """The rank in [1, n_features − 1] that maximizes Minka's evidence."""
    ll = np.full(spectrum.shape[0], -np.inf)
    for rank in range(1, spectrum.shape[0]):
        ll[rank] = _assess_dimension(spectrum, rank, n_samples)
    return int(np.argmax(ll))


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis: project centred data onto its top principal axes.

    Solves X − μ = U Σ Vᵀ and keeps the first k rows of Vᵀ (``components_``);
    ``transform(X) = (X − μ) Vₖ``, divided by √(σᵢ² / (n − 1)) when ``whiten``.

    Parameters
    ----------
    n_components : int, float in (0, 1), 'mle' or None, default=None
        Number of components; a float keeps the fewest components whose explained
        variance ratio sums above it; 'mle' chooses by Minka's evidence; None keeps
        min(n_samples, n_features).
    copy : bool, default=True
        Kept for scikit-learn compatibility; X is never modified.
    whiten : bool, default=False
        Scale the projections to unit variance.
    svd_solver : {'auto', 'full', 'covariance_eigh', 'randomized'}, default='auto'
        'auto': 'covariance_eigh' when n_features ≤ 1000 and n_samples ≥ 10 n_features,
        else 'full' for max(shape) ≤ 500 or 'mle', else 'randomized' when
        1 ≤ n_components < 0.8 min(shape), else 'full' (as scikit-learn).
    tol : float, default=0.0
        Unused (ARPACK's tolerance in scikit-learn; ARPACK needs SciPy).
    iterated_power : int or 'auto', default='auto'
        Power iterations of the randomized solver.
    n_oversamples : int, default=10
        Extra random vectors of the randomized solver.
    power_iteration_normalizer : {'auto', 'QR', 'LU', 'none'}, default='auto'
    random_state : None, int or numpy Generator, default=None

    Attributes
    ----------
    components_ : ndarray of shape (n_components_, n_features)
    explained_variance_, explained_variance_ratio_, singular_values_ : ndarray (n_components_,)
    mean_ : ndarray of shape (n_features,)
    n_components_, n_samples_ : int
    noise_variance_ : float
        Mean variance of the discarded directions (probabilistic PCA's σ²).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.decomposition import PCA
    >>> X = np.array([[-1.0, -1.0], [-2.0, -1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> pca = PCA(n_components=1).fit(X)
    >>> np.round(pca.explained_variance_ratio_, 4)
    array([0.9792])
    """

    def __init__(
        self,
        n_components=None,
        *,
        copy: bool = True,
        whiten: bool = False,
        svd_solver: str = "auto",
        tol: float = 0.0,
        iterated_power="auto",
        n_oversamples: int = 10,
        power_iteration_normalizer: str = "auto",
        random_state=None,
    ):
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.tol = tol
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state

    # -- hyperparameters ----------------------------------------------------------

    def _check_params(self) -> None:
        k = self.n_components
        ok = (
            k is None
            or k == "mle"
            or (isinstance(k, Integral) and not isinstance(k, bool) and k >= 0)
            or (isinstance(k, Real) and not isinstance(k, Integral) and 0 < k < 1)
        )
        if not ok:
            raise ValueError(
                f"PCA: n_components={k!r} is invalid; use None, an int >= 0, a float in "
                "(0, 1) or 'mle'."
            )
        if self.svd_solver == "arpack":
            raise ValueError(
                "PCA: svd_solver='arpack' needs SciPy, which scratchml does not use; "
                "use svd_solver='randomized' (or 'full') instead."
            )
        if self.svd_solver not in SOLVERS:
            raise ValueError(f"PCA: svd_solver={self.svd_solver!r} is not one of {SOLVERS}.")
        if self.power_iteration_normalizer not in NORMALIZERS:
            raise ValueError(
                f"PCA: power_iteration_normalizer={self.power_iteration_normalizer!r} is not "
                f"one of {NORMALIZERS}."
            )
        it = self.iterated_power
        if it != "auto" and not (isinstance(it, Integral) and not isinstance(it, bool) and it >= 0):
            raise ValueError(f"PCA: iterated_power={it!r} must be 'auto' or an int >= 0.")
        if not (isinstance(self.n_oversamples, Integral) and self.n_oversamples >= 1):
            raise ValueError(f"PCA: n_oversamples={self.n_oversamples!r} must be an int >= 1.")
        if not (isinstance(self.tol, Real) and self.tol >= 0):
            raise ValueError(f"PCA: tol={self.tol!r} must be a float >= 0.")

    def _choose_solver(self, shape: tuple[int, int], k) -> str:
        if self.svd_solver != "auto":
            return self.svd_solver
        n, d = shape
        if d <= 1000 and n >= 10 * d:
            return "covariance_eigh"
        if max(shape) <= 500 or k == "mle":
            return "full"
        if isinstance(k, Integral) and 1 <= k < 0.8 * min(shape):
            return "randomized"
        return "full"

    # -- fitting ------------------------------------------------------------------

    def fit(self, X, y=None):
        """Fit the principal axes to X; returns self."""
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit to X and return its projections (from U Σ directly when the solver has U)."""
        U, S, X = self._fit(X)
        if U is None:  # covariance route: X is already validated, project it directly
            return self._project(X)
        U = U[:, : self.n_components_]
        if self.whiten:
            U *= math.sqrt(X.shape[0] - 1)
        else:
            U *= S[: self.n_components_]
        return U

    def _fit(self, X):
        self._check_params()
        X = self._validate_data(X, ensure_min_samples=2)
        n, d = X.shape
        k = min(n, d) if self.n_components is None else self.n_components
        self._fit_svd_solver = solver = self._choose_solver((n, d), k)
        if isinstance(k, Integral) and not 0 <= k <= min(n, d):
            raise ValueError(
                f"PCA: n_components={k} must be between 0 and min(n_samples, n_features)="
                f"{min(n, d)} (X has {n} samples and {d} features); lower n_components."
            )
        if solver == "randomized":
            return self._fit_randomized(X, k)
        if k == "mle" and n < d:
            raise ValueError(
                f"PCA: n_components='mle' needs n_samples >= n_features (X has {n} samples "
                f"and {d} features); pass an int instead."
            )
        if solver == "full":
            self.mean_ = X.mean(axis=0)
            U, S, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)
            var = S**2 / (n - 1)
        else:
            # The mean as one GEMV (1ᵀ X / n): ~5x faster than np.mean's strided reduction.
            self.mean_ = (np.ones(n, dtype=X.dtype) @ X) / n
            # Xᵀ X − n μ μᵀ = X_cᵀ X_c without a centred copy of X (one GEMM, SYRK in NumPy).
            C = X.T @ X
            C -= n * np.outer(self.mean_, self.mean_)
            C /= n - 1
            var, V = np.linalg.eigh(C)
            var, Vt = var[::-1].copy(), np.ascontiguousarray(V[:, ::-1].T)
            var[var < 0.0] = 0.0  # C is PSD; tiny negative eigenvalues are rounding
            S, U = np.sqrt(var * (n - 1)), None
        U, Vt = svd_flip_v(U, Vt)
        ratio = _ratio(var, var.sum())
        if k == "mle":
            k = _infer_dimension(var, n)
        elif isinstance(k, float):
            # Fewest components whose cumulative ratio exceeds k (side='right' as sklearn).
            k = int(np.searchsorted(np.cumsum(ratio), k, side="right")) + 1
            k = min(k, ratio.shape[0])
        self.noise_variance_ = float(var[k:].mean()) if k < min(n, d) else 0.0
        self._store(n, k, Vt, var, ratio, S)
        return U, S, X

    def _fit_randomized(self, X, k):
        n, d = X.shape
        if not (isinstance(k, Integral) and 1 <= k <= min(n, d)):
            raise ValueError(
                f"PCA: n_components={k!r} must be an int between 1 and min(n_samples, "
                f"n_features)={min(n, d)} with svd_solver='randomized'."
            )
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        U, S, Vt = randomized_svd(
            Xc,
            k,
            n_oversamples=self.n_oversamples,
            n_iter=self.iterated_power,
            power_iteration_normalizer=self.power_iteration_normalizer,
            random_state=self.random_state,
        )
        var = S**2 / (n - 1)
        total = float(np.einsum("ij,ij->", Xc, Xc)) / (n - 1)
        kept = float(var.sum())
        self.noise_variance_ = (total - kept) / (min(n, d) - k) if k < min(n, d) else 0.0
        self._store(n, k, Vt, var, _ratio(var, total), S)
        return U, S, X

    def _store(self, n, k, Vt, var, ratio, S):
        self.n_samples_ = n
        self.n_components_ = int(k)
        self.components_ = np.ascontiguousarray(Vt[:k])
        self.explained_variance_ = var[:k].copy()
        self.explained_variance_ratio_ = ratio[:k].copy()
        self.singular_values_ = S[:k].copy()

    # -- projection ---------------------------------------------------------------

    def transform(self, X):
        """Project X onto the principal axes: (X − μ) Vₖ (whitened: divided by √variance)."""
        check_is_fitted(self)
        return self._project(self._validate_data(X, reset=False))

    def _project(self, X):
        comps = self.components_
        # X Vₖ − μ Vₖ: no centred copy of X is made.
        Z = X @ comps.T
        Z -= self.mean_ @ comps.T
        if self.whiten:
            scale = np.sqrt(self.explained_variance_)
            Z /= np.maximum(scale, np.finfo(scale.dtype).eps)
        return Z

    def inverse_transform(self, X):
        """Map back to feature space: Z Vₖᵀ + μ (exact when no component was dropped)."""
        check_is_fitted(self)
        Z = check_array(X, estimator=self)
        comps = self.components_
        if self.whiten:
            comps = np.sqrt(self.explained_variance_)[:, None] * comps
        return Z @ comps + self.mean_

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output names 'pca0', 'pca1', ..."""
        check_is_fitted(self)
        return np.asarray([f"pca{i}" for i in range(self.n_components_)], dtype=object)

    # -- probabilistic PCA --------------------------------------------------------

    def _weighted_components(self):
        comps, var = self.components_, self.explained_variance_
        if self.whiten:
            comps = comps * np.sqrt(var[:, None])
        return comps, np.maximum(var - self.noise_variance_, 0.0)

    def get_covariance(self) -> np.ndarray:
        """Model covariance Wᵀ diag(λ − σ²) W + σ² I of probabilistic PCA."""
        check_is_fitted(self)
        comps, diff = self._weighted_components()
        cov = (comps.T * diff) @ comps
        cov.flat[:: cov.shape[0] + 1] += self.noise_variance_
        return cov

    def get_precision(self) -> np.ndarray:
        """Inverse of ``get_covariance()``, by the Woodbury identity when σ² > 0."""
        check_is_fitted(self)
        d = self.components_.shape[1]
        if self.n_components_ == 0:
            return np.eye(d) / self.noise_variance_
        if np.isclose(self.noise_variance_, 0.0, atol=0.0):
            return np.linalg.inv(self.get_covariance())
        comps, diff = self._weighted_components()
        s2 = self.noise_variance_
        # (σ² I + Wᵀ D W)⁻¹ = I/σ² − Wᵀ (D⁻¹ + W Wᵀ/σ²)⁻¹ W / σ⁴
        inner = comps @ comps.T / s2
        with np.errstate(divide="ignore"):
            inner.flat[:: inner.shape[0] + 1] += np.where(diff > 0, 1.0 / diff, np.inf)
        prec = comps.T @ np.linalg.inv(inner) @ comps
        prec /= -(s2**2)
        prec.flat[:: d + 1] += 1.0 / s2
        return prec

    def score_samples(self, X) -> np.ndarray:
        """Gaussian log-likelihood of each sample under the probabilistic PCA model."""
        check_is_fitted(self)
        X = self._validate_data(X, reset=False)
        Xr = X - self.mean_
        prec = self.get_precision()
        sign, logdet = np.linalg.slogdet(prec)
        logdet = logdet if sign > 0 else -np.inf
        ll = -0.5 * np.sum(Xr * (Xr @ prec), axis=1)
        return ll - 0.5 * (X.shape[1] * math.log(2.0 * math.pi) - logdet)

    def score(self, X, y=None) -> float:
        """Mean log-likelihood of the samples of X."""
        return float(np.mean(self.score_samples(X)))
