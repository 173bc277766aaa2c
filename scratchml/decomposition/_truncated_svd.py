"""Truncated SVD (latent semantic analysis): the top-k SVD of X, without centring.

X ≈ Uₖ Σₖ Vₖᵀ; ``components_`` = Vₖᵀ and ``transform(X) = X Vₖ``. Unlike PCA the
data are not centred, so it also suits data where the mean is meaningful (term counts).
The SVD is computed by Halko et al.'s randomized algorithm (``_randomized.py``).
That algorithm touches X only through the products X @ Q and Xᵀ @ Q, so a sparse X
(:class:`scratchml.sparse.CSRMatrix`, or SciPy's) is used as it is — the usual way
to reduce a term-count or tf-idf matrix (latent semantic analysis).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_array, check_is_fitted
from ._randomized import NORMALIZERS, randomized_svd


def _column_variance_total(X) -> float:
    """Σ_j Var(x_j) of a dense or CSR X (population variances, zeros included).

    For CSR: Σ_stored (x − μ_j)² + (n − nnz_j) μ_j², the centred two-pass sum with
    the unstored zeros added in closed form.
    """
    if isinstance(X, np.ndarray):
        return float(np.var(X, axis=0).sum())
    n, p = X.shape
    data = X.data.astype(np.float64)
    mean = np.bincount(X.indices, data, minlength=p) / n
    zeros = n - np.bincount(X.indices, minlength=p)
    ss = np.bincount(X.indices, (data - mean[X.indices]) ** 2, minlength=p) + zeros * mean**2
    return float(ss.sum() / n)


class TruncatedSVD(TransformerMixin, BaseEstimator):
    """Dimensionality reduction by a truncated (uncentred) SVD: X ≈ Uₖ Σₖ Vₖᵀ.

    ``explained_variance_`` is the variance of each column of X Vₖ = Uₖ Σₖ, and the
    ratio divides it by the total variance of X's columns. X may be sparse (a
    CSRMatrix or SciPy's): only X @ Q and Xᵀ @ Q products are used, nothing is densified.

    Parameters
    ----------
    n_components : int, default=2
        Number of singular triplets, 1 ≤ n_components ≤ n_features.
    algorithm : {'randomized'}, default='randomized'
        'arpack' needs SciPy and is refused with a pointer to 'randomized'.
    n_iter : int, default=5
        Power iterations of the randomized solver.
    n_oversamples : int, default=10
    power_iteration_normalizer : {'auto', 'QR', 'LU', 'none'}, default='auto'
    random_state : None, int or numpy Generator, default=None
    tol : float, default=0.0
        Unused (ARPACK's tolerance).

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
    explained_variance_, explained_variance_ratio_, singular_values_ : ndarray (n_components,)

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.decomposition import TruncatedSVD
    >>> X = np.diag([3.0, 2.0, 1.0])
    >>> np.round(TruncatedSVD(n_components=2, random_state=0).fit(X).singular_values_, 10)
    array([3., 2.])
    """

    def __init__(
        self,
        n_components: int = 2,
        *,
        algorithm: str = "randomized",
        n_iter: int = 5,
        n_oversamples: int = 10,
        power_iteration_normalizer: str = "auto",
        random_state=None,
        tol: float = 0.0,
    ):
        self.n_components = n_components
        self.algorithm = algorithm
        self.n_iter = n_iter
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state
        self.tol = tol

    def _check_params(self, n_features: int) -> None:
        def is_int(v, low):
            return isinstance(v, Integral) and not isinstance(v, bool) and v >= low

        if self.algorithm == "arpack":
            raise ValueError(
                "TruncatedSVD: algorithm='arpack' needs SciPy, which scratchml does not use; "
                "use algorithm='randomized' instead."
            )
        if self.algorithm != "randomized":
            raise ValueError(
                f"TruncatedSVD: algorithm={self.algorithm!r} is not one of ('randomized',)."
            )
        if not is_int(self.n_components, 1) or self.n_components > n_features:
            raise ValueError(
                f"TruncatedSVD: n_components={self.n_components!r} must be an int between 1 "
                f"and n_features={n_features}; lower n_components."
            )
        if not is_int(self.n_iter, 0):
            raise ValueError(f"TruncatedSVD: n_iter={self.n_iter!r} must be an int >= 0.")
        if not is_int(self.n_oversamples, 1):
            raise ValueError(
                f"TruncatedSVD: n_oversamples={self.n_oversamples!r} must be an int >= 1."
            )
        if self.power_iteration_normalizer not in NORMALIZERS:
            raise ValueError(
                "TruncatedSVD: power_iteration_normalizer="
                f"{self.power_iteration_normalizer!r} is not one of {NORMALIZERS}."
            )
        if not (isinstance(self.tol, Real) and self.tol >= 0):
            raise ValueError(f"TruncatedSVD: tol={self.tol!r} must be a float >= 0.")

    def fit(self, X, y=None):
        """Fit the top singular vectors of X; returns self."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        """Fit to X and return Uₖ Σₖ (= X Vₖ)."""
        X = self._validate_data(X, ensure_min_samples=2, accept_sparse=True)
        self._check_params(X.shape[1])
        U, S, Vt = randomized_svd(
            X,
            self.n_components,
            n_oversamples=self.n_oversamples,
            n_iter=self.n_iter,
            power_iteration_normalizer=self.power_iteration_normalizer,
            random_state=self.random_state,
        )
        self.components_ = Vt
        Z = U * S
        self.explained_variance_ = np.var(Z, axis=0)
        self.explained_variance_ratio_ = self.explained_variance_ / _column_variance_total(X)
        self.singular_values_ = S
        return Z

    def transform(self, X) -> np.ndarray:
        """Project X onto the singular vectors: X Vₖ."""
        check_is_fitted(self)
        X = self._validate_data(X, reset=False, accept_sparse=True)
        return X @ self.components_.T

    def inverse_transform(self, X) -> np.ndarray:
        """Map back to feature space: Z Vₖᵀ (exact only when X had rank ≤ n_components)."""
        check_is_fitted(self)
        Z = check_array(X, estimator=self)
        return Z @ self.components_

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output names 'truncatedsvd0', 'truncatedsvd1', ..."""
        check_is_fitted(self)
        return np.asarray(
            [f"truncatedsvd{i}" for i in range(self.components_.shape[0])], dtype=object
        )
