"""Univariate selection: keep the features with the best scores of a statistical test."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..base import BaseEstimator
from ._base import SelectorMixin
from ._mutual_info import mutual_info_classif
from ._score_functions import chi2, f_classif, f_regression, r_regression

#: Score functions that may be named by a string: a string parameter, unlike a function,
#: can be saved with scratchml.save.
SCORE_FUNCTIONS = {
    "chi2": chi2,
    "f_classif": f_classif,
    "f_regression": f_regression,
    "mutual_info_classif": mutual_info_classif,
    "r_regression": r_regression,
}


def _clean_nans(scores: np.ndarray) -> np.ndarray:
    """NaN scores rank lowest (NaN cannot be compared)."""
    scores = np.array(scores, dtype=np.float64)
    scores[np.isnan(scores)] = np.finfo(np.float64).min
    return scores


class _BaseFilter(SelectorMixin, BaseEstimator):
    """Run ``score_func(X, y)`` once in ``fit``; subclasses turn the scores into a mask."""

    def _resolve_score_func(self):
        func = self.score_func
        if isinstance(func, str):
            if func not in SCORE_FUNCTIONS:
                raise ValueError(
                    f"score_func={func!r} is not a known score function; use a callable or one "
                    f"of {sorted(SCORE_FUNCTIONS)}."
                )
            return SCORE_FUNCTIONS[func]
        if not callable(func):
            raise ValueError(
                f"score_func={func!r} must be a callable (X, y) -> scores or (scores, p-values), "
                f"or one of {sorted(SCORE_FUNCTIONS)}."
            )
        return func

    def _check_params(self, X) -> None:
        """Subclasses validate their own parameters here."""

    def fit(self, X, y=None):
        """Score every feature with ``score_func(X, y)``."""
        func = self._resolve_score_func()
        # Sparse X is passed on as a CSRMatrix: score functions that cannot take it
        # (all but chi2) raise the TypeError that names the alternatives.
        if y is None:
            X = self._validate_data(X, accept_sparse=True)
        else:
            X, y = self._validate_data(X, y, accept_sparse=True)
        self._check_params(X)
        result = func(X, y)
        if isinstance(result, (list, tuple)):
            scores, pvalues = result
            self.pvalues_ = np.asarray(pvalues, dtype=np.float64)
        else:
            scores = result
            self.pvalues_ = None
        self.scores_ = np.asarray(scores, dtype=np.float64)
        return self


#: The fitted attributes that both filters' docstrings list.
_FILTER_ATTRS_DOC = """
    Attributes
    ----------
    scores_ : ndarray of shape (n_features,)
    pvalues_ : ndarray of shape (n_features,) or None
    n_features_in_ : int
""".strip()


class SelectKBest(_BaseFilter):
    __doc__ = f"""Keep the k features with the highest scores.

    Scores come from ``score_func`` (an ANOVA F-test by default). NaN scores rank
    lowest. Ties are broken as in scikit-learn: features are ordered by a stable
    sort of their scores and the last k are kept, so among equal scores the
    features further right win.

    Parameters
    ----------
    score_func : callable or str, default=f_classif
        ``score_func(X, y)`` returns scores, or a pair (scores, p-values). A string
        names one of scratchml's functions ("f_classif", "f_regression", "chi2",
        "mutual_info_classif", "r_regression"); unlike a function, a string can be
        saved with :func:`scratchml.save` (a scratchml extension).
    k : int or "all", default=10
        Number of features to keep; more than there are keeps all (with a warning).

    {_FILTER_ATTRS_DOC}

    Examples
    --------
    >>> from scratchml.feature_selection import SelectKBest
    >>> X = [[1.0, 5.0, 0.0], [2.0, 4.0, 1.0], [8.0, 5.0, 0.0], [9.0, 4.0, 1.0]]
    >>> SelectKBest(k=1).fit(X, [0, 0, 1, 1]).get_support()
    array([ True, False, False])
    """

    def __init__(self, score_func=f_classif, *, k=10):
        self.score_func = score_func
        self.k = k

    def _check_params(self, X) -> None:
        k = self.k
        if isinstance(k, str):
            if k != "all":
                raise ValueError(f"k={k!r} is not supported; use a non-negative int or 'all'.")
            return
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 0:
            raise ValueError(f"k={k!r} must be a non-negative integer or 'all'.")
        if k > X.shape[1]:
            warnings.warn(
                f"k={k} is greater than n_features={X.shape[1]}. All the features will be "
                "returned.", UserWarning, stacklevel=3,
            )

    def _get_support_mask(self) -> np.ndarray:
        n = self.scores_.size
        if self.k == "all":
            return np.ones(n, dtype=bool)
        mask = np.zeros(n, dtype=bool)
        if self.k == 0:
            return mask
        order = np.argsort(_clean_nans(self.scores_), kind="stable")
        mask[order[-self.k:]] = True
        return mask


class SelectPercentile(_BaseFilter):
    __doc__ = f"""Keep the given percentage of features with the highest scores.

    The features scoring above the (100 − percentile)-th percentile of the scores
    are kept; features exactly at that threshold are then added from the left
    while fewer than int(n_features · percentile / 100) are kept (scikit-learn's
    rule). NaN scores rank lowest.

    Parameters
    ----------
    score_func : callable or str, default=f_classif
        As in :class:`SelectKBest`.
    percentile : float, default=10
        Percentage of features to keep, in [0, 100].

    {_FILTER_ATTRS_DOC}

    Examples
    --------
    >>> from scratchml.feature_selection import SelectPercentile
    >>> X = [[1.0, 5.0, 0.0, 3.0], [2.0, 4.0, 1.0, 3.5], [8.0, 5.0, 0.0, 3.0],
    ...      [9.0, 4.0, 1.0, 3.2]]
    >>> SelectPercentile(percentile=50).fit(X, [0, 0, 1, 1]).get_support(indices=True)
    array([0, 3])
    """

    def __init__(self, score_func=f_classif, *, percentile=10):
        self.score_func = score_func
        self.percentile = percentile

    def _check_params(self, X) -> None:
        q = self.percentile
        if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0 <= q <= 100:
            raise ValueError(f"percentile={q!r} must be a number in [0, 100].")

    def _get_support_mask(self) -> np.ndarray:
        n = self.scores_.size
        if self.percentile == 100:
            return np.ones(n, dtype=bool)
        if self.percentile == 0:
            return np.zeros(n, dtype=bool)
        scores = _clean_nans(self.scores_)
        threshold = np.percentile(scores, 100 - self.percentile)
        mask = scores > threshold
        ties = np.flatnonzero(scores == threshold)
        if ties.size:
            max_feats = int(n * self.percentile / 100)
            # scikit-learn's slice, negative bound included, for identical supports.
            mask[ties[: max_feats - mask.sum()]] = True
        return mask
