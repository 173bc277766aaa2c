"""Feature scalers: standard, min-max and max-abs; robust (quantile) scaling and row
normalization are in :mod:`._scalers_robust`.

All of them are column-wise affine maps x ↦ (x − a) / b or x·s + m, so fitting is a
few reductions and transforming is one streaming pass. Two habits keep them fast on
large arrays:

* the input is validated once and never copied just to be modified: ``transform``
  writes into a fresh output array (or in place, when validation already made a
  private copy or ``copy=False``);
* the work runs over row chunks of about 256 KiB, so every arithmetic step after the
  first reads a chunk that is still in cache (scikit-learn makes a full copy and then
  sweeps it once per operation);
* narrow arrays (a few dozen columns) are never processed row by row: per-column
  vectors are tiled to a whole chunk and reductions fold many rows into one, so
  NumPy's inner loops run over thousands of values instead of n_features.

Unlike scikit-learn, scalers reject NaN (scratchml's contract: an estimator refuses
missing values unless it supports them); impute first with
``scratchml.impute.SimpleImputer``.
"""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_is_fitted, check_sample_weight
from ._scalers_base import (
    _apply_chunked,
    _check_sparse_centering,
    _chunk_rows,
    _column_min_max,
    _handle_zeros_in_scale,
    _OneToOneFeatureNamesMixin,
    _reduce_rows,
    _row_chunks,
    _sparse_divide_columns,
    _sparse_max_abs,
    _sparse_mean_and_m2,
    _validate_for_output,
)

# RobustScaler and Normalizer moved to _scalers_robust.py; saved models name this
# module, so it still provides them.
from ._scalers_robust import Normalizer, RobustScaler  # noqa: F401


class StandardScaler(_OneToOneFeatureNamesMixin, TransformerMixin, BaseEstimator):
    """Standardize features: z = (x − μ) / σ, column by column.

    μ and σ² are the (weighted) mean and population variance of each column,
    computed with the corrected two-pass algorithm (centre, then sum squares, minus
    the rounding correction (Σ w(x − μ))² / Σ w). ``partial_fit`` merges batches with
    the pairwise update of Chan, Golub & LeVeque (1979), which stays accurate where
    a running sum of squares would cancel catastrophically:

        n = n_a + n_b,  δ = μ_b − μ_a,
        μ = μ_a + δ n_b / n,
        M2 = M2_a + M2_b + δ² n_a n_b / n,   σ² = M2 / n.

    A column whose variance is within rounding error of 0 (scikit-learn's bound
    σ² ≤ n·eps·σ² + (n·μ·eps)²) gets σ = 1: it is centred, not divided by ~0.

    A sparse X (:class:`scratchml.sparse.CSRMatrix`) needs ``with_mean=False``
    (centring would fill in every zero); its μ and σ² include the unstored zeros and
    ``transform`` returns a CSRMatrix.

    Parameters
    ----------
    copy : bool, default=True
        If False, ``transform`` may scale a float array in place.
    with_mean, with_std : bool, default=True
        Centre, and scale to unit variance.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
        None only when both ``with_mean`` and ``with_std`` are False.
    var_, scale_ : ndarray of shape (n_features,) or None
        None when ``with_std`` is False.
    n_samples_seen_ : float
        Number (sum of weights) of samples seen.

    Examples
    --------
    >>> from scratchml.preprocessing import StandardScaler
    >>> StandardScaler().fit_transform([[0.0], [2.0]])
    array([[-1.],
           [ 1.]])
    """

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None, sample_weight=None):
        """Compute the mean and standard deviation of each column of X."""
        for attr in ("mean_", "var_", "scale_", "n_samples_seen_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y, sample_weight)

    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the mean and variance with one more batch of samples."""
        first = not hasattr(self, "n_samples_seen_")
        X = self._validate_data(X, reset=first, accept_sparse=True)
        _check_sparse_centering(self, X, self.with_mean)
        w = None
        n_b = float(X.shape[0])
        if sample_weight is not None:
            w = check_sample_weight(sample_weight, X.shape[0], estimator=self)
            n_b = float(w.sum())
            if n_b <= 0:
                raise ValueError(
                    "sample_weight sums to 0 in StandardScaler: at least one sample needs a "
                    "positive weight."
                )
        n_a = 0.0 if first else float(self.n_samples_seen_)
        n = n_a + n_b
        self.n_samples_seen_ = n
        if not (self.with_mean or self.with_std):
            self.mean_ = self.var_ = self.scale_ = None
            return self
        if isinstance(X, np.ndarray):
            mean_b, m2_b = _mean_and_m2(X, w, n_b, need_m2=self.with_std)
        else:  # with_mean is False here, so with_std is True: M2 is needed
            mean_b, m2_b = _sparse_mean_and_m2(X, w, n_b)
        if first:
            mean, m2 = mean_b, m2_b
        else:
            delta = mean_b - self.mean_
            mean = self.mean_ + delta * (n_b / n)
            if self.with_std:
                m2 = self.var_ * n_a + m2_b + delta**2 * (n_a * n_b / n)
        self.mean_ = mean
        if self.with_std:
            # Rounding can leave M2 a hair below 0 for a constant column; clamp it.
            self.var_ = np.maximum(m2, 0.0) / n
            eps = np.finfo(np.float64).eps
            constant = self.var_ <= n * eps * self.var_ + (n * mean * eps) ** 2
            self.scale_ = np.sqrt(self.var_)
            self.scale_[constant] = 1.0
        else:
            self.var_ = self.scale_ = None
        return self

    def transform(self, X, copy: bool | None = None):
        """Standardize X with the fitted mean and scale: (x − μ) / σ (x / σ if sparse)."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy if copy is None else copy, True)
        if out is None:
            _check_sparse_centering(self, X, self.with_mean)
            return _sparse_divide_columns(X, self.scale_) if self.with_std else X.copy()
        steps = []
        if self.with_mean:
            steps.append((np.subtract, self.mean_.astype(X.dtype)))
        if self.with_std:
            steps.append((np.divide, self.scale_.astype(X.dtype)))
        return _apply_chunked(X, out, steps)

    def inverse_transform(self, X, copy: bool | None = None):
        """Undo ``transform``: x = z σ + μ."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy if copy is None else copy, True)
        if out is None:
            _check_sparse_centering(self, X, self.with_mean)
            if not self.with_std:
                return X.copy()
            return _sparse_divide_columns(X, self.scale_, np.multiply)
        steps = []
        if self.with_std:
            steps.append((np.multiply, self.scale_.astype(X.dtype)))
        if self.with_mean:
            steps.append((np.add, self.mean_.astype(X.dtype)))
        return _apply_chunked(X, out, steps)


def _mean_and_m2(X: np.ndarray, w, total: float, need_m2: bool):
    """Weighted column means and Σ w (x − μ)², with float64 accumulators.

    Corrected two-pass algorithm: after centring on the computed mean μ̂, the
    centred values still sum to a tiny Σ w(x − μ̂) because of rounding;
    subtracting its square over Σ w removes that error from the sum of squares.
    """
    p = X.shape[1]
    s = np.zeros(p)
    for rows in _row_chunks(*X.shape):
        block = X[rows]
        s += _reduce_rows(np.add, block, np.float64) if w is None else w[rows] @ block
    mean = s / total
    if not need_m2:
        return mean, None
    m2, correction = np.zeros(p), np.zeros(p)
    mean_wide = np.tile(mean, _chunk_rows(p))  # flat subtraction, see _apply_chunked
    for rows in _row_chunks(*X.shape):
        block = X[rows]
        # float64 even for float32 X: accumulate precisely.
        c = np.subtract(block.reshape(-1), mean_wide[:block.size]).reshape(block.shape)
        if w is None:
            correction += _reduce_rows(np.add, c)
            c *= c
            m2 += _reduce_rows(np.add, c)
        else:
            correction += w[rows] @ c
            c *= c
            m2 += w[rows] @ c
    m2 -= correction**2 / total
    return mean, m2


# ----------------------------------------------------------- MinMax and MaxAbs scalers


class MinMaxScaler(_OneToOneFeatureNamesMixin, TransformerMixin, BaseEstimator):
    """Scale each feature to a range: x' = lo + (x − min) (hi − lo) / (max − min).

    Stored as the affine map x' = x·scale_ + min_ with
    scale_ = (hi − lo) / (max − min) and min_ = lo − min·scale_. A constant column
    (max − min < 10·eps) gets scale (hi − lo), so it maps to lo.

    Parameters
    ----------
    feature_range : tuple (lo, hi), default=(0, 1)
        Desired range of the transformed data; lo < hi.
    copy : bool, default=True
        If False, transform a float array in place.
    clip : bool, default=False
        Clip transformed values of new data to ``feature_range``.

    Attributes
    ----------
    data_min_, data_max_, data_range_ : ndarray of shape (n_features,)
        Per-column minimum, maximum and max − min seen in the data.
    scale_, min_ : ndarray of shape (n_features,)
        The affine map x·scale_ + min_.
    n_samples_seen_ : int

    Examples
    --------
    >>> from scratchml.preprocessing import MinMaxScaler
    >>> MinMaxScaler().fit_transform([[1.0], [3.0], [2.0]]).ravel()
    array([0. , 1. , 0.5])
    """

    def __init__(self, feature_range: tuple = (0, 1), *, copy: bool = True, clip: bool = False):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def _range(self, dtype) -> tuple:
        fr = self.feature_range
        try:
            lo, hi = (dtype.type(v) for v in fr)
        except (TypeError, ValueError):
            lo = hi = None
        if lo is None or not lo < hi:
            raise ValueError(
                f"feature_range must be a pair (min, max) of numbers with min < max, got {fr!r}."
            )
        return lo, hi

    def fit(self, X, y=None):
        """Compute the per-column minimum and maximum of X."""
        for attr in ("scale_", "min_", "n_samples_seen_", "data_min_", "data_max_",
                     "data_range_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y)

    def partial_fit(self, X, y=None):
        """Update the minimum and maximum with one more batch of samples."""
        first = not hasattr(self, "n_samples_seen_")
        X = self._validate_data(X, reset=first)
        lo, hi = self._range(X.dtype)
        data_min, data_max = _column_min_max(X)
        if first:
            self.n_samples_seen_ = X.shape[0]
        else:
            data_min = np.minimum(self.data_min_, data_min)
            data_max = np.maximum(self.data_max_, data_max)
            self.n_samples_seen_ += X.shape[0]
        self.data_min_, self.data_max_ = data_min, data_max
        self.data_range_ = data_max - data_min
        self.scale_ = (hi - lo) / _handle_zeros_in_scale(self.data_range_)
        self.min_ = lo - data_min * self.scale_
        return self

    def transform(self, X):
        """Scale X: x·scale_ + min_ (then clipped to feature_range if ``clip``)."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy)
        steps = [(np.multiply, self.scale_), (np.add, self.min_)]
        if self.clip:
            steps.append((np.clip, *self._range(X.dtype)))
        return _apply_chunked(X, out, steps)

    def inverse_transform(self, X):
        """Undo ``transform``: x = (x' − min_) / scale_."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy)
        return _apply_chunked(X, out, [(np.subtract, self.min_), (np.divide, self.scale_)])


class MaxAbsScaler(_OneToOneFeatureNamesMixin, TransformerMixin, BaseEstimator):
    """Scale each feature by its maximum absolute value: x' = x / max|x|, into [−1, 1].

    No centring, so zeros stay zeros. An all-zero column gets scale 1. A sparse X
    (:class:`scratchml.sparse.CSRMatrix`, or SciPy's) stays a CSRMatrix with the same
    stored pattern; max|x| is taken over its stored values.

    Parameters
    ----------
    copy : bool, default=True
        If False, transform a float array in place.
    clip : bool, default=False
        Clip transformed values of new data to [−1, 1].

    Attributes
    ----------
    max_abs_, scale_ : ndarray of shape (n_features,)
        Per-column max |x|, and the divisor used (max_abs_ with zeros set to 1).
    n_samples_seen_ : int

    Examples
    --------
    >>> from scratchml.preprocessing import MaxAbsScaler
    >>> MaxAbsScaler().fit_transform([[-4.0], [2.0]]).ravel()
    array([-1. ,  0.5])
    """

    def __init__(self, *, copy: bool = True, clip: bool = False):
        self.copy = copy
        self.clip = clip

    def fit(self, X, y=None):
        """Compute the per-column maximum absolute value of X."""
        for attr in ("scale_", "max_abs_", "n_samples_seen_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y)

    def partial_fit(self, X, y=None):
        """Update the maximum absolute values with one more batch of samples."""
        first = not hasattr(self, "n_samples_seen_")
        X = self._validate_data(X, reset=first, accept_sparse=True)
        if isinstance(X, np.ndarray):
            # max|x| = max(|min x|, |max x|): two reductions, no |X| temporary.
            lo, hi = _column_min_max(X)
            max_abs = np.maximum(np.abs(lo), np.abs(hi))
        else:  # sparse: the stored values, gathered by column
            max_abs = _sparse_max_abs(X)
        if first:
            self.n_samples_seen_ = X.shape[0]
        else:
            max_abs = np.maximum(self.max_abs_, max_abs)
            self.n_samples_seen_ += X.shape[0]
        self.max_abs_ = max_abs
        self.scale_ = _handle_zeros_in_scale(max_abs)
        return self

    def transform(self, X):
        """Scale X: x / scale_ (then clipped to [−1, 1] if ``clip``); sparse stays sparse."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy, accept_sparse=True)
        if out is None:
            Xs = _sparse_divide_columns(X, self.scale_)
            if self.clip:
                np.clip(Xs.data, -1, 1, out=Xs.data)
            return Xs
        steps = [(np.divide, self.scale_)]
        if self.clip:
            steps.append((np.clip, X.dtype.type(-1), X.dtype.type(1)))
        return _apply_chunked(X, out, steps)

    def inverse_transform(self, X):
        """Undo ``transform``: x = x' · scale_."""
        check_is_fitted(self)
        X, out = _validate_for_output(self, X, self.copy, accept_sparse=True)
        if out is None:
            return _sparse_divide_columns(X, self.scale_, np.multiply)
        return _apply_chunked(X, out, [(np.multiply, self.scale_)])
