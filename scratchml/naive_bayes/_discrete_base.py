"""Shared machinery of the count-based naive Bayes models (fit, partial_fit, priors, alpha).

A model sees X and a (weighted) one-hot class matrix Y; ``_count`` accumulates the
sufficient statistics (usually Y.T @ X), ``_update_feature_log_prob`` turns them
into smoothed log probabilities, and the class log prior is

    log P(c) = log N_c − log N   (fit_prior), −log K (uniform), or log(class_prior).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..utils.validation import check_sample_weight
from ._base import _BaseNB, _check_partial_fit_classes, _encode_labels, _fit_classes

_ALPHA_MIN = 1e-10


class _BaseDiscreteNB(_BaseNB):
    """fit / partial_fit for models whose statistics are sums of Y.T @ f(X)."""

    def _check_X_y(self, X, y, reset: bool = True):
        return self._validate_data(X, y, reset=reset, accept_sparse=self._accept_sparse)

    def _one_hot(self, y, sample_weight) -> np.ndarray:
        idx = _encode_labels(self, y, self.classes_)
        Y = np.zeros((len(y), len(self.classes_)))
        Y[np.arange(len(y)), idx] = 1.0
        if sample_weight is not None:
            Y *= check_sample_weight(sample_weight, len(y), estimator=self)[:, None]
        return Y

    def fit(self, X, y, sample_weight=None):
        """Fit from scratch: count per class, smooth, and set the class priors."""
        X, y = self._check_X_y(X, y)
        self.classes_, _ = _fit_classes(self, y)
        self._init_counters(len(self.classes_), X.shape[1])
        return self._update(X, y, sample_weight)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Add one batch to the counts; ``classes`` (all labels) is required the first time."""
        first = _check_partial_fit_classes(self, classes)
        X, y = self._check_X_y(X, y, reset=first)
        if first:
            self._init_counters(len(self.classes_), X.shape[1])
        return self._update(X, y, sample_weight)

    def _update(self, X, y, sample_weight):
        alpha = self._check_alpha()
        self._count(X, self._one_hot(y, sample_weight))
        self._update_feature_log_prob(alpha)
        self._update_class_log_prior()
        return self

    def _init_counters(self, n_classes: int, n_features: int) -> None:
        self.class_count_ = np.zeros(n_classes)
        self.feature_count_ = np.zeros((n_classes, n_features))

    def _check_alpha(self):
        if not isinstance(self.fit_prior, (bool, np.bool_)):
            raise ValueError(f"fit_prior must be True or False, got {self.fit_prior!r}.")
        alpha = self.alpha
        if isinstance(alpha, bool) or not (
            isinstance(alpha, numbers.Real) or isinstance(alpha, (list, tuple, np.ndarray))
        ):
            raise ValueError(f"alpha must be a float >= 0 or an array of them, got {alpha!r}.")
        alpha = np.asarray(alpha, dtype=np.float64)
        if alpha.ndim == 1 and alpha.shape[0] != self.n_features_in_:
            raise ValueError(
                f"alpha has {alpha.shape[0]} values but X has {self.n_features_in_} features; "
                "give one alpha per feature or a scalar."
            )
        if alpha.ndim > 1 or not np.all(alpha >= 0):
            raise ValueError(f"alpha must be >= 0 (a scalar or one per feature), got {alpha!r}.")
        if np.min(alpha) < _ALPHA_MIN and not self.force_alpha:
            warnings.warn(
                f"alpha too small will result in numeric errors, setting alpha = {_ALPHA_MIN:.1e}."
                " Use force_alpha=True to keep alpha unchanged.",
                UserWarning,
                stacklevel=4,
            )
            alpha = np.maximum(alpha, _ALPHA_MIN)
        return alpha if alpha.ndim else float(alpha)

    def _update_class_log_prior(self) -> None:
        n_classes = len(self.classes_)
        if self.class_prior is not None:
            prior = np.asarray(self.class_prior, dtype=np.float64)
            if prior.ndim != 1 or len(prior) != n_classes:
                raise ValueError(
                    f"class_prior has {prior.size} values but there are {n_classes} classes; "
                    "give one prior per class."
                )
            with np.errstate(divide="ignore"):
                self.class_log_prior_ = np.log(prior)
        elif self.fit_prior:
            # A class with no samples yet has prior 0: log 0 = −inf is intended.
            with np.errstate(divide="ignore"):
                self.class_log_prior_ = np.log(self.class_count_) - np.log(self.class_count_.sum())
        else:
            self.class_log_prior_ = np.full(n_classes, -np.log(n_classes))
