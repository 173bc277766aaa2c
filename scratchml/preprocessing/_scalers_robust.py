"""Robust (quantile) scaling and row normalization: RobustScaler and Normalizer.

They share the habits described in :mod:`._scalers` (validate once, write into a
fresh or private output, work over row chunks); their statistics are quantiles and
row norms rather than column moments. Like every scaler they reject NaN; impute
first with ``scratchml.impute.SimpleImputer``.
"""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_is_fitted
from ._scalers_base import (
    _apply_chunked,
    _column_percentiles,
    _handle_zeros_in_scale,
    _OneToOneFeatureNamesMixin,
    _row_chunks,
    _sparse_normalize_rows,
    _validate_for_output,
)


class RobustScaler(_OneToOneFeatureNamesMixin, TransformerMixin, BaseEstimator):
    """Scale with statistics robust to outliers: x' = (x − median) / (Q_hi − Q_lo).

    Q_lo and Q_hi are the ``quantile_range`` percentiles of each column (linear
    interpolation between order statistics, NumPy's default, as scikit-learn). With
    ``unit_variance`` the scale is divided by Φ⁻¹(hi/100) − Φ⁻¹(lo/100), the same
    range for a standard normal, so normal data ends with variance 1. A column
    with Q_hi − Q_lo < 10·eps gets scale 1.

    Parameters
    ----------
    with_centering, with_scaling : bool, default=True
        Subtract the median; divide by the quantile range.
    quantile_range : tuple (lo, hi), default=(25.0, 75.0)
        Percentiles, 0 <= lo <= hi <= 100 (0 < lo < hi < 100 with ``unit_variance``).
    copy : bool, default=True
        If False, transform a float array in place.
    unit_variance : bool, default=False
        Rescale so that normally distributed features get variance 1.

    Attributes
    ----------
    center_, scale_ : ndarray of shape (n_features,) or None
        Medians (None without centering) and quantile ranges (None without scaling).

    Examples
    --------
    >>> from scratchml.preprocessing import RobustScaler
    >>> RobustScaler().fit_transform([[1.0], [2.0], [3.0], [4.0], [100.0]]).ravel()
    array([-1. , -0.5,  0. ,  0.5, 48.5])
    """

    def __init__(self, *, with_centering: bool = True, with_scaling: bool = True,
                 quantile_range: tuple = (25.0, 75.0), copy: bool = True,
                 unit_variance: bool = False):
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.copy = copy
        self.unit_variance = unit_variance

    def fit(self, X, y=None):
        """Compute the median and the quantile range of each column of X."""
        X = self._validate_data(X)
        try:
            q_lo, q_hi = (float(q) for q in self.quantile_range)
        except (TypeError, ValueError):
            q_lo = q_hi = float("nan")
        if not 0 <= q_lo <= q_hi <= 100:
            raise ValueError(
                "quantile_range must be a pair (lo, hi) of percentiles with "
                f"0 <= lo <= hi <= 100, got {self.quantile_range!r}."
            )
        if self.with_scaling and self.unit_variance and not 0 < q_lo < q_hi < 100:
            raise ValueError(
                "With unit_variance=True, quantile_range must satisfy 0 < lo < hi < 100 (the "
                f"normal quantiles of 0 and 100 are infinite), got {self.quantile_range!r}."
            )
        q = [q_lo, q_hi] if self.with_scaling else []
        quantiles, median = _column_percentiles(X, q, median=self.with_centering)
        self.center_ = median
        if self.with_scaling:
            self.scale_ = _handle_zeros_in_scale(quantiles[1] - quantiles[0])
            if self.unit_variance:
                from statistics import NormalDist  # exact Φ⁻¹ (Wichura's AS241), stdlib

                std_normal = NormalDist()
                self.scale_ = self.scale_ / (
                    std_normal.inv_cdf(q_hi / 100.0) - std_normal.inv_cdf(q_lo / 100.0)
                )
        else:
            self.scale_ = None
        return self

    def transform(self, X):
        """Centre and scale X: (x − center_) / scale_."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy)
        steps = []
        if self.with_centering:
            steps.append((np.subtract, self.center_))
        if self.with_scaling:
            steps.append((np.divide, self.scale_))
        return _apply_chunked(X, out, steps)

    def inverse_transform(self, X):
        """Undo ``transform``: x = x' · scale_ + center_."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy)
        steps = []
        if self.with_scaling:
            steps.append((np.multiply, self.scale_))
        if self.with_centering:
            steps.append((np.add, self.center_))
        return _apply_chunked(X, out, steps)


_NORMS = ("l1", "l2", "max")


class Normalizer(_OneToOneFeatureNamesMixin, TransformerMixin, BaseEstimator):
    """Scale each sample (row) to unit norm: x' = x / ‖x‖.

    ‖x‖ is Σ|x_j| (``"l1"``), √Σx_j² (``"l2"``) or max|x_j| (``"max"``). Rows whose
    norm is below 10·eps (all-zero rows) are left unchanged. A sparse X stays a
    CSRMatrix with the same stored pattern. ``fit`` learns nothing
    but the number of features; unlike scikit-learn, scratchml still requires it
    before ``transform`` (every scratchml transformer is fitted first).

    Parameters
    ----------
    norm : {"l1", "l2", "max"}, default="l2"
    copy : bool, default=True
        If False, normalize a float array in place.

    Examples
    --------
    >>> from scratchml.preprocessing import Normalizer
    >>> Normalizer().fit_transform([[3.0, 4.0], [0.0, 0.0]])
    array([[0.6, 0.8],
           [0. , 0. ]])
    """

    def __init__(self, norm: str = "l2", *, copy: bool = True):
        self.norm = norm
        self.copy = copy

    def fit(self, X, y=None):
        """Check the parameters and record the number of features of X."""
        if self.norm not in _NORMS:
            raise ValueError(f"norm must be one of {_NORMS}, got {self.norm!r}.")
        self._validate_data(X, accept_sparse=True)
        return self

    def transform(self, X, copy: bool | None = None):
        """Divide every row of X by its norm (a sparse X stays sparse)."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy if copy is None else copy, True)
        if out is None:
            return _sparse_normalize_rows(X, self.norm)
        for rows in _row_chunks(*X.shape):
            block = X[rows]
            if self.norm == "l2":  # scikit-learn's row_norms: √ of an einsum
                norms = np.sqrt(np.einsum("ij,ij->i", block, block))
            elif self.norm == "l1":
                norms = np.abs(block).sum(axis=1)
            else:
                norms = np.abs(block).max(axis=1)
            # Flat division by the repeated norms: one contiguous loop (see _apply_chunked).
            np.divide(block.reshape(-1), np.repeat(_handle_zeros_in_scale(norms), X.shape[1]),
                      out=out[rows].reshape(-1))
        return out
