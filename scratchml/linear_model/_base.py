"""Shared pieces of the linear models: centring, intercepts, prediction, parameter checks.

A linear model predicts ŷ = X w + b. Fitting the intercept b is done the usual way:
centre X and y on their (weighted) means μ_X, μ_y, solve for w without an intercept,
then b = μ_y − μ_X · w. With sample weights s the weighted least-squares problem
Σ s_i (y_i − x_i w)² becomes an ordinary one after scaling row i by √s_i.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..utils.validation import check_is_fitted, check_sample_weight

# Rows per chunk when a reduction would otherwise need a centred copy of X.
_CHUNK_ROWS = 8192


def check_scalar(value, name: str, *, low=None, high=None, low_open=False, integer=False,
                 estimator=None) -> None:
    """Raise ValueError naming ``name`` unless ``value`` is a number in the allowed range."""
    kind = numbers.Integral if integer else numbers.Real
    where = f" for {type(estimator).__name__}" if estimator is not None else ""
    ok = isinstance(value, kind) and not isinstance(value, bool) and np.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        bounds = []
        if low is not None:
            bounds.append(f"{'>' if low_open else '>='} {low}")
        if high is not None:
            bounds.append(f"<= {high}")
        what = "an integer" if integer else "a finite number"
        raise ValueError(
            f"{name}={value!r} is not valid{where}: it must be {what}"
            f"{' ' + ' and '.join(bounds) if bounds else ''}."
        )


def check_option(value, name: str, allowed, estimator=None) -> None:
    """Raise ValueError naming ``name`` and the allowed values unless ``value`` is one."""
    if not any(value is a or (isinstance(value, str) and value == a) for a in allowed):
        where = f" for {type(estimator).__name__}" if estimator is not None else ""
        raise ValueError(
            f"{name}={value!r} is not valid{where}; use one of {list(allowed)!r}."
        )


def weighted_means(X, y, sample_weight, fit_intercept: bool):
    """Weighted column means of X and y (zeros when no intercept is fitted)."""
    if not fit_intercept:
        y_shape = y.shape[1:] if y.ndim > 1 else ()
        return np.zeros(X.shape[1], dtype=X.dtype), np.zeros(y_shape, dtype=y.dtype)
    if sample_weight is None:
        return X.mean(axis=0), y.mean(axis=0)
    return (np.average(X, axis=0, weights=sample_weight).astype(X.dtype, copy=False),
            np.average(y, axis=0, weights=sample_weight))


def center_and_scale(X, y, sample_weight, fit_intercept: bool):
    """(X', y', μ_X, μ_y): X and y centred, rows scaled by √s; always fresh arrays.

    Least squares on (X', y') without intercept equals weighted least squares on
    (X, y) with one.
    """
    X_offset, y_offset = weighted_means(X, y, sample_weight, fit_intercept)
    Xc = X - X_offset
    yc = y - y_offset
    if sample_weight is not None:
        root = np.sqrt(sample_weight)
        Xc *= root[:, None].astype(X.dtype, copy=False)
        yc = yc * (root[:, None] if yc.ndim > 1 else root)
    return Xc, yc, X_offset, y_offset


def centered_gram(X, X_offset, sample_weight=None):
    """Xcᵀ S Xc for Xc = X − μ_X, computed over row chunks (never a full centred copy).

    Centring each chunk before the product (instead of XᵀX − n μμᵀ) avoids the
    cancellation that ruins the Gram matrix of features with large means.
    """
    p = X.shape[1]
    if sample_weight is None:
        # Fast path: XᵀX − n μμᵀ (one BLAS call). Its rounding error is about
        # eps · n (σ² + μ²) per entry, i.e. relative eps (1 + μ²/σ²): harmless unless a
        # column's mean dwarfs its spread, which the diagonal tells us for free.
        G = X.T @ X
        n = X.shape[0]
        var = np.diag(G) / n - X_offset**2
        if np.all(X_offset**2 <= 1e4 * np.maximum(var, 0)):
            G -= n * np.multiply.outer(X_offset, X_offset)
            return G
    G = np.zeros((p, p), dtype=X.dtype)
    for start in range(0, X.shape[0], _CHUNK_ROWS):
        Xc = X[start:start + _CHUNK_ROWS] - X_offset
        if sample_weight is None:
            G += Xc.T @ Xc  # NumPy recognises AᵀA and calls the symmetric rank-k update
        else:
            G += Xc.T @ (Xc * sample_weight[start:start + _CHUNK_ROWS, None])
    return G


def centered_xty(X, X_offset, yc, sample_weight=None):
    """Xcᵀ S yc for Xc = X − μ_X without forming Xc: Xᵀ(S yc) − μ_X Σ S yc."""
    v = yc if sample_weight is None else yc * (sample_weight if yc.ndim == 1
                                               else sample_weight[:, None])
    return X.T @ v - np.multiply.outer(X_offset, v.sum(axis=0))


def validate_sample_weight(sample_weight, n_samples: int, estimator):
    """None stays None (the unweighted fast paths); anything else becomes float64 weights."""
    if sample_weight is None:
        return None
    sw = check_sample_weight(sample_weight, n_samples, estimator=estimator)
    if not sw.sum() > 0:
        raise ValueError(
            f"sample_weight sums to {sw.sum()} in {type(estimator).__name__}; at least one "
            "sample needs a positive weight."
        )
    return sw


class LinearPredictMixin:
    """``predict`` for regressors: ŷ = X coef_ᵀ + intercept_."""

    def predict(self, X):
        """Predicted targets X coef_ᵀ + intercept_ for the rows of X."""
        check_is_fitted(self, method="predict")
        X = self._validate_data(X, reset=False, accept_sparse=True)
        coef = np.asarray(self.coef_)
        return X @ coef.T + self.intercept_


class LinearClassifierMixin:
    """``decision_function`` and ``predict`` for linear classifiers (one score per class)."""

    def decision_function(self, X):
        """Signed scores X coef_ᵀ + intercept_: shape (n,) for two classes, else (n, K)."""
        check_is_fitted(self, method="decision_function")
        X = self._validate_data(X, reset=False, accept_sparse=True)
        scores = X @ np.asarray(self.coef_).T + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict(self, X):
        """The class with the highest score (the positive class when the score is > 0)."""
        check_is_fitted(self, method="predict")
        scores = self.decision_function(X)
        if scores.ndim == 1:
            index = (scores > 0).astype(np.intp)
        else:
            index = scores.argmax(axis=1)
        return np.asarray(self.classes_)[index]


def class_weight_vector(class_weight, classes, y_encoded, estimator):
    """Per-class weights as an array aligned with ``classes`` ('balanced': n / (K n_k))."""
    k = len(classes)
    if class_weight is None:
        return np.ones(k)
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError(
                f"class_weight={class_weight!r} is not valid for {type(estimator).__name__}; "
                "use None, 'balanced' or a dict {class: weight}."
            )
        counts = np.bincount(y_encoded, minlength=k)
        return len(y_encoded) / (k * counts)
    if isinstance(class_weight, dict):
        weights = np.ones(k)
        lookup = {c: i for i, c in enumerate(classes.tolist())}
        for label, w in class_weight.items():
            if label not in lookup:
                raise ValueError(
                    f"class_weight has a weight for class {label!r}, which is not in y "
                    f"(classes: {classes.tolist()}) in {type(estimator).__name__}."
                )
            weights[lookup[label]] = float(w)
        return weights
    raise ValueError(
        f"class_weight={class_weight!r} is not valid for {type(estimator).__name__}; use None, "
        "'balanced' or a dict {class: weight}."
    )
