"""Polynomial and interaction features."""

from __future__ import annotations

import numbers
from itertools import chain, combinations, combinations_with_replacement
from math import comb

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_is_fitted
from ._scalers_base import _feature_names_in


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """Generate every monomial of the features up to a degree.

    For features (a, b) and degree 2 the output is [1, a, b, a², ab, b²]: the
    monomials ∏ x_j^{p_j} with min_degree <= Σ p_j <= max_degree, in scikit-learn's
    order (by degree, then lexicographic in the feature indices). With
    ``interaction_only`` every p_j is 0 or 1 (no a², only products of distinct
    features).

    There are C(n + d, d) monomials of degree <= d in n features. The transform
    builds them degree by degree: each degree-k column block is a degree-(k − 1)
    block times one input column, so every output column costs one multiplication
    (Horner-like reuse instead of recomputing each product from scratch).

    Parameters
    ----------
    degree : int or tuple (min_degree, max_degree), default=2
        Maximal degree, or the range of degrees kept. The bias (degree 0) column
        is governed by ``include_bias`` alone.
    interaction_only : bool, default=False
        Only products of distinct features.
    include_bias : bool, default=True
        Start with a column of ones.
    order : {"C", "F"}, default="C"
        Memory layout of the output.

    Attributes
    ----------
    n_output_features_ : int
        Number of output columns.
    powers_ : ndarray of shape (n_output_features_, n_features_in_)
        ``powers_[i, j]`` is the exponent of input j in output i (computed on access).

    Examples
    --------
    >>> from scratchml.preprocessing import PolynomialFeatures
    >>> PolynomialFeatures(2).fit_transform([[2.0, 3.0]])
    array([[1., 2., 3., 4., 6., 9.]])
    >>> PolynomialFeatures(2).fit([[2.0, 3.0]]).get_feature_names_out().tolist()
    ['1', 'x0', 'x1', 'x0^2', 'x0 x1', 'x1^2']
    """

    # Fitted degree range, saved with the model (private: not scikit-learn attributes).
    _persist_private = ("_min_degree", "_max_degree", "_n_out_full")

    def __init__(self, degree=2, *, interaction_only: bool = False, include_bias: bool = True,
                 order: str = "C"):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order

    def _degree_range(self) -> tuple[int, int]:
        d = self.degree
        if isinstance(d, numbers.Integral) and not isinstance(d, bool):
            if d < 0:
                raise ValueError(f"degree must be a non-negative int or a tuple (min, max), "
                                 f"got {d}.")
            return 0, int(d)
        if isinstance(d, (tuple, list)) and len(d) == 2 and all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in d
        ) and 0 <= d[0] <= d[1]:
            return int(d[0]), int(d[1])
        raise ValueError(
            "degree must be a non-negative int or a tuple (min_degree, max_degree) of "
            f"non-negative ints with min_degree <= max_degree, got {d!r}."
        )

    @staticmethod
    def _count(n: int, min_degree: int, max_degree: int, interaction_only: bool,
               include_bias: bool) -> int:
        """Number of monomials: Σ C(n, k) (interactions) or C(n + d, d) − C(n + d0 − 1, d0 − 1)."""
        if interaction_only:
            total = sum(comb(n, k) for k in range(max(1, min_degree), min(max_degree, n) + 1))
        else:
            total = comb(n + max_degree, max_degree) - 1
            if min_degree > 0:
                total -= comb(n + min_degree - 1, min_degree - 1) - 1
        return total + int(include_bias)

    def fit(self, X, y=None):
        """Check the parameters and count the output features for X's width."""
        if self.order not in ("C", "F"):
            raise ValueError(f"order must be 'C' or 'F', got {self.order!r}.")
        min_degree, max_degree = self._degree_range()
        if max_degree == 0 and not self.include_bias:
            raise ValueError(
                "degree=0 (or max_degree=0) with include_bias=False would give an empty output; "
                "raise the degree or set include_bias=True."
            )
        n_features = self._validate_data(X).shape[1]
        self._min_degree, self._max_degree = min_degree, max_degree
        self.n_output_features_ = self._count(
            n_features, min_degree, max_degree, self.interaction_only, self.include_bias
        )
        # transform computes every degree from 0 up, then drops the low ones.
        self._n_out_full = self._count(
            n_features, 0, max_degree, self.interaction_only, self.include_bias
        )
        return self

    def _combinations(self):
        comb_fn = combinations if self.interaction_only else combinations_with_replacement
        features = range(self.n_features_in_)
        terms = chain.from_iterable(
            comb_fn(features, k) for k in range(max(1, self._min_degree), self._max_degree + 1)
        )
        return chain([()], terms) if self.include_bias else terms

    @property
    def powers_(self) -> np.ndarray:
        """Exponent of each input (columns) in each output feature (rows)."""
        check_is_fitted(self, "n_output_features_", method="powers_")
        rows = [np.bincount(np.asarray(c, dtype=np.intp), minlength=self.n_features_in_)
                for c in self._combinations()]
        return np.vstack(rows) if rows else np.zeros((0, self.n_features_in_), dtype=np.intp)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names such as ``"x0 x1"`` and ``"x0^2"`` (``"1"`` for the bias)."""
        check_is_fitted(self, "n_output_features_")
        names = _feature_names_in(self, input_features)
        out = []
        for row in self.powers_:
            idx = np.flatnonzero(row)
            out.append(" ".join(names[i] if row[i] == 1 else f"{names[i]}^{row[i]}"
                                for i in idx) or "1")
        return np.asarray(out, dtype=object)

    def transform(self, X):
        """Polynomial features of X, shape (n_samples, n_output_features_)."""
        check_is_fitted(self)
        X = self._validate_data(X, reset=False)
        n_samples, n_features = X.shape
        XP = np.empty((n_samples, self._n_out_full), dtype=X.dtype, order=self.order)
        col = 0
        if self.include_bias:
            XP[:, 0] = 1
            col = 1
        if self._max_degree == 0:
            return XP
        XP[:, col:col + n_features] = X
        # index[j] = first column of the previous degree's block whose monomials
        # start with feature j; multiplying XP[:, index[j]:end] by x_j yields every
        # monomial of the next degree whose smallest feature is j, in order.
        index = list(range(col, col + n_features)) + [col + n_features]
        col += n_features
        for _ in range(2, self._max_degree + 1):
            new_index = []
            end = index[-1]
            for j in range(n_features):
                start = index[j]
                new_index.append(col)
                if self.interaction_only:  # skip the monomials that already contain x_j
                    start += index[j + 1] - index[j]
                next_col = col + end - start
                if next_col <= col:
                    break
                np.multiply(XP[:, start:end], X[:, j:j + 1], out=XP[:, col:next_col])
                col = next_col
            new_index.append(col)
            index = new_index
        if self._min_degree > 1:  # drop degrees 1 .. min_degree − 1, keep the bias
            keep = self.n_output_features_ - int(self.include_bias)
            parts = [XP[:, :1]] if self.include_bias else []
            parts.append(XP[:, self._n_out_full - keep:])
            XP = np.asarray(np.hstack(parts), order=self.order)
        return XP
