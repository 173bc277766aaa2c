"""Unsupervised selection: drop features that nearly duplicate an earlier one."""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator
from ._base import SelectorMixin


def _rank_columns(X: np.ndarray) -> np.ndarray:
    """Average ranks (1..n, ties share their mean rank) of each column, all at once."""
    n, p = X.shape
    order = np.argsort(X, axis=0, kind="stable")
    sorted_x = np.take_along_axis(X, order, axis=0)
    # Ties form runs in sorted order; each member gets the run's mean position + 1.
    new = np.ones((n, p), dtype=bool)
    new[1:] = sorted_x[1:] != sorted_x[:-1]
    last_of_run = np.ones((n, p), dtype=bool)
    last_of_run[:-1] = new[1:]
    idx = np.arange(n)[:, None]
    start = np.maximum.accumulate(np.where(new, idx, 0), axis=0)
    end = np.minimum.accumulate(np.where(last_of_run, idx, n - 1)[::-1], axis=0)[::-1]
    sorted_ranks = (start + end) / 2.0 + 1.0
    ranks = np.empty_like(sorted_ranks)
    np.put_along_axis(ranks, order, sorted_ranks, axis=0)
    return ranks


def _abs_correlation(X: np.ndarray) -> np.ndarray:
    """|Pearson correlation| between the columns of X; 0 where a column is constant."""
    Z = X - X.mean(axis=0)
    norms = np.sqrt(np.einsum("ij,ij->j", Z, Z))
    constant = norms <= 10 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(X).max(axis=0))
    norms[constant] = 1.0
    Z /= norms
    C = np.abs(Z.T @ Z)
    C[constant, :] = 0.0
    C[:, constant] = 0.0
    return C


class CorrelationFilter(SelectorMixin, BaseEstimator):
    """Drop features that are strongly correlated with an earlier kept feature.

    A scratchml-specific, unsupervised filter for redundant columns. Rule (greedy,
    left to right): feature j is kept unless

        |corr(x_j, x_i)| > threshold   for some already kept feature i < j,

    so of two near-duplicates the earlier column stays. Consequently every pair of
    kept features has |corr| ≤ threshold, and every dropped feature is correlated
    above the threshold with a kept feature to its left. (A feature correlated only
    with dropped features is kept: dropping "the later column of every pair" would
    lose it needlessly.) Constant columns have no defined correlation and count as
    uncorrelated. Reorder the columns to choose which of a pair survives.

    Parameters
    ----------
    threshold : float, default=0.9
        In [0, 1]: the largest |correlation| tolerated between kept features.
    method : {"pearson", "spearman"}, default="pearson"
        Pearson's linear correlation, or Spearman's rank correlation (Pearson's on
        average ranks: robust to outliers and monotone transformations).

    Attributes
    ----------
    support_ : ndarray of bool, shape (n_features,)
        True for the kept features.
    dropped_features_ : ndarray of int
        Indices of the dropped features.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.feature_selection import CorrelationFilter
    >>> x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> X = np.column_stack([x, 2 * x + 1, [1.0, -1.0, 2.0, 0.0, 1.0]])
    >>> CorrelationFilter().fit(X).dropped_features_
    array([1])
    """

    def __init__(self, threshold: float = 0.9, method: str = "pearson"):
        self.threshold = threshold
        self.method = method

    def fit(self, X, y=None):
        """Compute the feature correlations and choose the features to keep."""
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or not 0 <= t <= 1:
            raise ValueError(f"threshold={t!r} must be a number in [0, 1].")
        if self.method not in ("pearson", "spearman"):
            raise ValueError(
                f"method={self.method!r} is not supported; use 'pearson' or 'spearman'."
            )
        X = self._validate_data(X, dtype=np.float64)
        if self.method == "spearman":
            X = _rank_columns(X)
        C = _abs_correlation(X)
        keep = np.zeros(X.shape[1], dtype=bool)
        for j in range(X.shape[1]):  # one vectorized test per feature against those kept
            keep[j] = not np.any(C[j, keep] > t)
        self.support_ = keep
        self.dropped_features_ = np.flatnonzero(~keep)
        return self

    def _get_support_mask(self) -> np.ndarray:
        return self.support_
