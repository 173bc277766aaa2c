"""Feature scalers."""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_is_fitted, check_sample_weight


class StandardScaler(TransformerMixin, BaseEstimator):
    """Standardize features: z = (x − μ) / σ, column by column.

    μ and σ² are the (weighted) mean and population variance of each column.
    ``partial_fit`` updates them batch by batch with the pairwise update of
    Chan, Golub & LeVeque (1979), which stays accurate where the naive
    running sum of squares would cancel catastrophically:

        n = n_a + n_b,  δ = μ_b − μ_a,
        μ = μ_a + δ n_b / n,
        M2 = M2_a + M2_b + δ² n_a n_b / n,   σ² = M2 / n.

    Columns with zero variance get σ = 1 (they are centred, not divided by 0).

    Parameters
    ----------
    copy : bool, default=True
        If False, ``transform`` may scale a float array in place.
    with_mean, with_std : bool, default=True
        Centre, and scale to unit variance.

    Attributes
    ----------
    mean_, var_, scale_ : ndarray of shape (n_features,) or None
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
        for attr in ("mean_", "var_", "scale_", "n_samples_seen_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y, sample_weight)

    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the mean and variance with one more batch of samples."""
        first = not hasattr(self, "n_samples_seen_")
        X = self._validate_data(X, reset=first)
        w = check_sample_weight(sample_weight, X.shape[0], estimator=self)
        n_b = float(w.sum())
        if n_b <= 0:
            raise ValueError("sample_weight sums to 0: at least one sample needs a positive weight.")
        mean_b = np.average(X, axis=0, weights=w).astype(np.float64)
        m2_b = np.einsum("i,ij->j", w, (X - mean_b) ** 2)
        if first:
            n, mean, m2 = n_b, mean_b, m2_b
        else:
            n_a = self.n_samples_seen_
            mean_a = self.mean_ if self.mean_ is not None else self._mean_running_
            m2_a = self._m2_
            n = n_a + n_b
            delta = mean_b - mean_a
            mean = mean_a + delta * (n_b / n)
            m2 = m2_a + m2_b + delta**2 * (n_a * n_b / n)
        self.n_samples_seen_ = n
        self._m2_ = m2
        self._mean_running_ = mean
        self.mean_ = mean if (self.with_mean or self.with_std) else None
        if self.with_std:
            self.var_ = m2 / n
            scale = np.sqrt(self.var_)
            # Zero (or numerically zero) variance: leave the column unscaled.
            scale[scale < 10 * np.finfo(np.float64).eps * np.maximum(np.abs(mean), 1)] = 1.0
            self.scale_ = scale
        else:
            self.var_ = None
            self.scale_ = None
        return self

    def transform(self, X, copy: bool | None = None):
        """Standardize X with the fitted mean and scale."""
        check_is_fitted(self)
        copy = self.copy if copy is None else copy
        X = self._validate_data(X, reset=False, copy=copy)
        if self.with_mean:
            X -= self.mean_.astype(X.dtype)
        if self.with_std:
            X /= self.scale_.astype(X.dtype)
        return X

    def inverse_transform(self, X, copy: bool | None = None):
        """Undo ``transform``: x = z σ + μ."""
        check_is_fitted(self)
        copy = self.copy if copy is None else copy
        X = self._validate_data(X, reset=False, copy=copy)
        if self.with_std:
            X *= self.scale_.astype(X.dtype)
        if self.with_mean:
            X += self.mean_.astype(X.dtype)
        return X

