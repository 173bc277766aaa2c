"""Unsupervised selection: drop the features whose variance is too low."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..base import BaseEstimator
from ._base import SelectorMixin


def _sparse_variances(X):
    """NaN-ignoring column variances and ranges (max − min) of a CSRMatrix.

    Column j has n_j = n − (its NaN count) values, of which z_j = n_j − (its stored
    non-NaN count) are unstored zeros; with the stored values v,

        μ_j = Σ v / n_j,   Var_j = (Σ (v − μ_j)² + z_j μ_j²) / n_j,

    and the range includes 0 when z_j > 0. Returns (variances, ranges, has_nan).
    """
    n, p = X.shape
    nan = np.isnan(X.data)
    cols, v = X.indices[~nan], X.data[~nan]
    has_nan = np.bincount(X.indices[nan], minlength=p) > 0
    n_j = n - np.bincount(X.indices[nan], minlength=p)
    zeros = n_j - np.bincount(cols, minlength=p)
    with np.errstate(divide="ignore", invalid="ignore"):  # an all-NaN column: NaN
        mean = np.bincount(cols, v, minlength=p) / n_j
        variances = (np.bincount(cols, (v - mean[cols]) ** 2, minlength=p)
                     + zeros * mean**2) / n_j
    hi = np.where(zeros > 0, 0.0, -np.inf)
    lo = np.where(zeros > 0, 0.0, np.inf)
    np.maximum.at(hi, cols, v)
    np.minimum.at(lo, cols, v)
    with np.errstate(invalid="ignore"):
        ranges = np.where(n_j > 0, hi - lo, np.nan)
    return variances, ranges, has_nan


class VarianceThreshold(SelectorMixin, BaseEstimator):
    """Drop the features whose variance is not above a threshold.

        keep feature j  ⇔  Var(x_j) = (1/n) Σ_i (x_ij − x̄_j)² > threshold

    The variance ignores missing values (NaN is allowed in X). With the default
    threshold 0, the variance of a column without NaN is replaced by its range
    (max − min) when that is smaller, as in scikit-learn, so a constant column
    scores exactly 0 even where the rounding of the mean would leave a tiny
    positive variance. A column constant apart from its NaN also scores 0 (in
    scikit-learn rounding may leave it a tiny variance, and keep it). A sparse X
    (CSRMatrix or SciPy's) is reduced over its stored values, its zeros counted in
    closed form, and ``transform`` returns a CSRMatrix.

    Parameters
    ----------
    threshold : float, default=0.0
        Features with a variance at or below it are dropped.

    Attributes
    ----------
    variances_ : ndarray of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> from scratchml.feature_selection import VarianceThreshold
    >>> X = [[0, 2, 0, 3], [0, 1, 4, 3], [0, 1, 1, 3]]
    >>> VarianceThreshold().fit_transform(X)
    array([[2, 0],
           [1, 4],
           [1, 1]])
    """

    _allow_nan = True

    def __init__(self, threshold: float = 0.0):
        self.threshold = threshold

    def fit(self, X, y=None):
        """Compute the variance of every feature."""
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or not t >= 0:
            raise ValueError(f"threshold={t!r} must be a non-negative number.")
        X = self._validate_data(X, dtype=np.float64, ensure_all_finite="allow-nan",
                                accept_sparse=True)
        if not isinstance(X, np.ndarray):
            variances, ptp, has_nan = _sparse_variances(X)
            # As the dense path: a column with NaN keeps its variance unless constant.
            ptp[has_nan & (ptp > 0)] = np.nan
            ptp = ptp if t == 0 else None
        elif np.isfinite(col_sums := X.sum(axis=0)).all():  # no NaN: plain two-pass variance
            dev = X - col_sums / X.shape[0]
            variances = np.einsum("ij,ij->j", dev, dev) / X.shape[0]
            ptp = X.max(axis=0) - X.min(axis=0) if t == 0 else None
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns -> NaN
                variances = np.nanvar(X, axis=0)
                if t == 0:
                    # As scikit-learn, a column with NaN keeps its variance, except that
                    # one constant apart from its NaN gets exactly 0.
                    ptp = np.nanmax(X, axis=0) - np.nanmin(X, axis=0)
                    ptp[np.isnan(col_sums) & (ptp > 0)] = np.nan
                else:
                    ptp = None
        if t == 0:
            # NaN-aware minimum: a column whose range is NaN keeps its variance.
            variances = np.where(ptp < variances, ptp, variances)
        self.variances_ = variances
        if np.all(~np.isfinite(variances) | (variances <= t)):
            msg = f"No feature in X meets the variance threshold {t:.5f}"
            if X.shape[0] == 1:
                msg += " (X contains only one sample)"
            raise ValueError(msg + "; lower the threshold or check the data.")
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _get_support_mask(self) -> np.ndarray:
        return self.variances_ > self.threshold
