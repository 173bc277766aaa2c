"""What every naive Bayes classifier shares: turning joint log likelihoods into predictions.

Each model supplies ``_joint_log_likelihood(X)``, the unnormalised log posterior
``log P(c) + log P(x | c)`` of every class c; Bayes' rule then gives

    log P(c | x) = jll_c(x) − log Σ_k exp(jll_k(x)),

computed with the max-shift log-sum-exp so that no exponential overflows.
"""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, ClassifierMixin
from ..exceptions import DataValidationError
from ..utils._extmath import logsumexp_rows
from ..utils.validation import check_classification_targets, check_is_fitted


def _check_partial_fit_classes(estimator, classes) -> bool:
    """Record ``classes`` on the first ``partial_fit`` call; True when this is that call."""
    fitted = getattr(estimator, "classes_", None)
    if fitted is None and classes is None:
        raise ValueError(
            f"classes must be passed on the first call to {type(estimator).__name__}."
            "partial_fit: give every label the stream will contain, e.g. classes=np.unique(y)."
        )
    if classes is None:
        return False
    classes = np.unique(np.asarray(classes))
    if fitted is not None:
        if not np.array_equal(fitted, classes):
            raise ValueError(
                f"classes={classes!r} is not the same as on the first call to partial_fit, "
                f"which was {fitted!r}. Pass the same classes (or none) after the first call."
            )
        return False
    estimator.classes_ = classes
    return True


def _encode_labels(estimator, y: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Index of each label of y in ``classes``; labels outside it are an error."""
    idx = np.searchsorted(classes, y)
    idx = np.clip(idx, 0, len(classes) - 1)
    unknown = classes[idx] != y
    if np.any(unknown):
        raise ValueError(
            f"The target label(s) {np.unique(y[unknown])[:5]!r} in y do not exist in the "
            f"classes {classes!r} given to {type(estimator).__name__}.partial_fit. Pass every "
            "label in classes on the first call."
        )
    return idx.astype(np.intp)


def _fit_classes(estimator, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Classes of y and y as class indices; fit needs two classes (scratchml's contract)."""
    return check_classification_targets(y, estimator=estimator, min_classes=2)


def _check_negative(estimator, X) -> None:
    """Count models need counts or frequencies: reject negative entries, saying where.

    For a sparse X only the stored values can be negative, so only ``X.data`` is read.
    """
    if not isinstance(X, np.ndarray):
        if X.data.size == 0 or X.data.min() >= 0:  # one reduction, no mask temporary
            return
        first = int(np.argmax(X.data < 0))
        value, col = float(X.data[first]), int(X.indices[first])
    else:
        bad = X < 0
        if not np.any(bad):
            return
        row, col = np.argwhere(bad)[0]
        value = float(X[row, col])
    name = type(estimator).__name__
    raise DataValidationError(
        f"X has negative values (e.g. {value!r} in column {col}); {name} needs "
        "counts or frequencies >= 0 — scale with MinMaxScaler or use GaussianNB."
    )


class _BaseNB(ClassifierMixin, BaseEstimator):
    """Predictions from ``_joint_log_likelihood``, shared by every naive Bayes model."""

    # The count models (multinomial, complement, Bernoulli) are linear in x and take
    # a CSRMatrix as it is; the others need dense input and say so in a TypeError.
    _accept_sparse = False

    def _check_X(self, X) -> np.ndarray:
        return self._validate_data(X, reset=False, accept_sparse=self._accept_sparse)

    def _jll(self, X, method: str) -> np.ndarray:
        check_is_fitted(self, method=method)
        return self._joint_log_likelihood(self._check_X(X))

    def _log_proba(self, X, method: str) -> np.ndarray:
        jll = self._jll(X, method)
        # Shift by the row maximum *before* normalising: when |jll| is huge (a
        # near-zero variance) jll - logsumexp(jll) would lose log 2 to rounding
        # and the probabilities would no longer sum to 1.
        top = np.max(jll, axis=1, keepdims=True)
        shifted = jll - np.where(np.isfinite(top), top, 0.0)
        return shifted - logsumexp_rows(shifted)[:, None]

    def predict_joint_log_proba(self, X) -> np.ndarray:
        """Unnormalised log posterior ``log P(c) + log P(x | c)``, shape (n_samples, n_classes)."""
        return self._jll(X, "predict_joint_log_proba")

    def predict(self, X) -> np.ndarray:
        """The class of highest posterior probability for each sample."""
        jll = self._jll(X, "predict")
        return self.classes_[np.argmax(jll, axis=1)]

    def predict_log_proba(self, X) -> np.ndarray:
        """log P(c | x) for every class, columns in the order of ``classes_``."""
        return self._log_proba(X, "predict_log_proba")

    def predict_proba(self, X) -> np.ndarray:
        """P(c | x) for every class, columns in the order of ``classes_``; rows sum to 1."""
        return np.exp(self._log_proba(X, "predict_proba"))
