"""Categorical naive Bayes: each feature is a category index with its own distribution per class.

    P(x_j = t | c) = (N_ctj + α) / (N_c + α n_j),
    log P(c | x) ∝ log P(c) + Σ_j log P(x_j | c),

with N_ctj the (weighted) number of class-c samples whose feature j is category t,
and n_j the number of categories of feature j (at least ``min_categories``).
"""

from __future__ import annotations

import numpy as np

from ..exceptions import DataValidationError
from ..utils._params import store_params
from ._base import _check_negative
from ._discrete_base import _BaseDiscreteNB


class CategoricalNB(_BaseDiscreteNB):
    """Naive Bayes for categorical features encoded as non-negative integers 0, 1, 2, ...

    Parameters
    ----------
    alpha, force_alpha, fit_prior, class_prior : as in :class:`MultinomialNB`
    min_categories : int or array-like of shape (n_features,), default=None
        Minimum number of categories per feature (categories not seen in training
        still get smoothed probability); None: the largest category seen plus one.

    Attributes
    ----------
    classes_, class_count_, class_log_prior_ : ndarray of shape (n_classes,)
    category_count_ : list of n_features arrays of shape (n_classes, n_categories_j)
    feature_log_prob_ : list of n_features arrays of shape (n_classes, n_categories_j)
    n_categories_ : ndarray of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.naive_bayes import CategoricalNB
    >>> X = np.array([[0, 1], [0, 2], [1, 0], [2, 0]])
    >>> CategoricalNB().fit(X, [0, 0, 1, 1]).predict([[0, 2]])
    array([0])
    """

    def __init__(self, *, alpha=1.0, force_alpha: bool = True, fit_prior: bool = True,
                 class_prior=None, min_categories=None):
        store_params(self, locals())

    def _to_categories(self, X) -> np.ndarray:
        _check_negative(self, X)
        frac = X != np.floor(X)
        if np.any(frac):
            row, col = np.argwhere(frac)[0]
            raise DataValidationError(
                f"X has a non-integer value ({float(X[row, col])!r} in column {col}); "
                "CategoricalNB needs category indices 0, 1, 2, ... — encode with OrdinalEncoder."
            )
        return X.astype(np.intp)

    def _check_X(self, X):
        X = self._to_categories(super()._check_X(X))
        unseen = X >= self.n_categories_max_
        if np.any(unseen):
            row, col = np.argwhere(unseen)[0]
            raise DataValidationError(
                f"X has category {X[row, col]} in column {col}, but CategoricalNB saw at most "
                f"{self.n_categories_max_[col]} categories there in fit. Set min_categories "
                "to cover every category."
            )
        return X

    def _check_X_y(self, X, y, reset: bool = True):
        X, y = super()._check_X_y(X, y, reset=reset)
        return self._to_categories(X), y

    def _init_counters(self, n_classes: int, n_features: int) -> None:
        self.class_count_ = np.zeros(n_classes)
        self.category_count_ = [np.zeros((n_classes, 0)) for _ in range(n_features)]

    def _validate_n_categories(self, X) -> np.ndarray:
        n_categories_X = X.max(axis=0) + 1
        if self.min_categories is None:
            return n_categories_X
        min_categories = np.asarray(self.min_categories)
        if min_categories.dtype.kind not in "iu" or isinstance(self.min_categories, bool):
            raise ValueError(
                f"min_categories must be an int or an array of ints, got {self.min_categories!r}."
            )
        if min_categories.shape not in ((), (X.shape[1],)):
            raise ValueError(
                f"min_categories has shape {min_categories.shape}, but X has {X.shape[1]} "
                "features; give a scalar or one value per feature."
            )
        return np.maximum(n_categories_X, min_categories)

    def _count(self, X, Y) -> None:
        n_classes = Y.shape[1]
        self.class_count_ += Y.sum(axis=0)
        self.n_categories_ = self._validate_n_categories(X)
        cls = np.argmax(Y, axis=1)
        weight = Y[np.arange(len(cls)), cls]
        for j, count in enumerate(self.category_count_):
            width = max(count.shape[1], int(self.n_categories_[j]))
            if width > count.shape[1]:
                count = np.pad(count, [(0, 0), (0, width - count.shape[1])])
            # One bincount over (class, category) pairs counts every class at once.
            flat = np.bincount(cls * width + X[:, j], weights=weight, minlength=n_classes * width)
            self.category_count_[j] = count + flat.reshape(n_classes, width)
        self.n_categories_max_ = np.array([c.shape[1] for c in self.category_count_])

    def _update_feature_log_prob(self, alpha) -> None:
        alpha = np.broadcast_to(np.asarray(alpha, dtype=np.float64), (self.n_features_in_,))
        out = []
        for j, count in enumerate(self.category_count_):
            smoothed = count + alpha[j]
            with np.errstate(divide="ignore"):
                out.append(np.log(smoothed) - np.log(smoothed.sum(axis=1))[:, None])
        self.feature_log_prob_ = out

    def _joint_log_likelihood(self, X) -> np.ndarray:
        jll = np.zeros((X.shape[0], len(self.classes_)))
        for j, log_prob in enumerate(self.feature_log_prob_):
            jll += log_prob[:, X[:, j]].T
        return jll + self.class_log_prior_


