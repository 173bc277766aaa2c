"""Clip outliers to per-column bounds learned from the training data (scratchml-specific)."""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_is_fitted
from ._scalers import _mean_and_m2
from ._scalers_base import (
    _apply_chunked,
    _column_percentiles,
    _OneToOneFeatureNamesMixin,
    _validate_for_output,
)

_DEFAULT_FACTORS = {"iqr": 1.5, "zscore": 3.0}


class OutlierClipper(_OneToOneFeatureNamesMixin, TransformerMixin, BaseEstimator):
    """Clip every feature to an outlier fence learned in ``fit`` (winsorizing).

    Not in scikit-learn. Two classic fences, column by column:

    * ``"iqr"`` (Tukey's fences): [Q1 − k·IQR, Q3 + k·IQR] with Q1, Q3 the 25th and
      75th percentiles (linear interpolation) and IQR = Q3 − Q1; k = 1.5 by default.
    * ``"zscore"``: [μ − k·σ, μ + k·σ] with μ the mean and σ the population standard
      deviation; k = 3 by default.

    ``transform`` replaces x by min(max(x, lower_), upper_): values inside the fence
    are untouched, and transforming twice changes nothing more. Rows are never
    dropped, so it fits in a pipeline and keeps X aligned with y.

    Parameters
    ----------
    method : {"iqr", "zscore"}, default="iqr"
    factor : float or None, default=None
        The fence width k (>= 0); None means 1.5 for "iqr" and 3.0 for "zscore".
    copy : bool, default=True
        If False, clip a float array in place.

    Attributes
    ----------
    lower_, upper_ : ndarray of shape (n_features,)
        The per-column bounds.
    factor_ : float
        The factor k used.

    Examples
    --------
    >>> from scratchml.preprocessing import OutlierClipper
    >>> X = [[1.0], [2.0], [3.0], [4.0], [100.0]]
    >>> OutlierClipper().fit_transform(X).ravel()
    array([1., 2., 3., 4., 7.])
    """

    def __init__(self, method: str = "iqr", *, factor: float | None = None, copy: bool = True):
        self.method = method
        self.factor = factor
        self.copy = copy

    def fit(self, X, y=None):
        """Learn the lower and upper bound of each column of X."""
        if self.method not in _DEFAULT_FACTORS:
            raise ValueError(f"method must be one of {tuple(_DEFAULT_FACTORS)}, got "
                             f"{self.method!r}.")
        k = _DEFAULT_FACTORS[self.method] if self.factor is None else self.factor
        if not (isinstance(k, numbers.Real) and not isinstance(k, bool)
                and np.isfinite(k) and k >= 0):
            raise ValueError(f"factor must be a finite number >= 0 or None, got {self.factor!r}.")
        X = self._validate_data(X)
        k = float(k)
        if self.method == "iqr":
            (q1, q3), _ = _column_percentiles(X, [25.0, 75.0])
            iqr = q3 - q1
            lower, upper = q1 - k * iqr, q3 + k * iqr
        else:
            mean, m2 = _mean_and_m2(X, None, float(X.shape[0]), need_m2=True)
            std = np.sqrt(np.maximum(m2, 0.0) / X.shape[0])
            lower, upper = mean - k * std, mean + k * std
        self.lower_, self.upper_, self.factor_ = lower, upper, k
        return self

    def transform(self, X):
        """Clip each column of X to [lower_, upper_]."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy)
        return _apply_chunked(X, out, [(np.clip, self.lower_, self.upper_)])
