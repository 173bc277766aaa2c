"""Nearest centroid classifier."""

from __future__ import annotations

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator, ClassifierMixin
from ..utils.validation import check_classification_targets, check_is_fitted


class NearestCentroid(ClassifierMixin, BaseEstimator):
    """Classify each sample by the class whose centroid is nearest.

    Fit stores one centroid per class: the mean of its samples for the
    Euclidean metric, the feature-wise median for the Manhattan metric (the
    point minimising the summed L1 distance). Predict returns

        ŷ(x) = argmin_k d(x, μ_k).

    With ``shrink_threshold``, centroids are shrunk towards the overall
    centroid feature by feature (Tibshirani et al., 2002, "nearest shrunken
    centroids"), which zeroes out features that do not separate the classes.

    Parameters
    ----------
    metric : {"euclidean", "manhattan"}, default="euclidean"
    shrink_threshold : float or None, default=None
        Soft threshold applied to the standardized centroid offsets.

    Attributes
    ----------
    centroids_ : ndarray of shape (n_classes, n_features)
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    >>> from scratchml.neighbors import NearestCentroid
    >>> clf = NearestCentroid().fit([[0, 0], [1, 1], [9, 9], [10, 10]], [0, 0, 1, 1])
    >>> clf.predict([[2, 2], [8, 8]])
    array([0, 1])
    """

    def __init__(self, metric: str = "euclidean", shrink_threshold: float | None = None):
        self.metric = metric
        self.shrink_threshold = shrink_threshold

    def fit(self, X, y):
        if self.metric not in ("euclidean", "manhattan"):
            raise ValueError(
                f"metric={self.metric!r} is not supported; use 'euclidean' or 'manhattan'."
            )
        if self.shrink_threshold is not None and not self.shrink_threshold > 0:
            raise ValueError(
                f"shrink_threshold={self.shrink_threshold!r} must be a positive number or None."
            )
        X, y = self._validate_data(X, y)
        self.classes_, y_idx = check_classification_targets(y, estimator=self)
        n_classes = len(self.classes_)
        counts = np.bincount(y_idx, minlength=n_classes)
        if self.metric == "manhattan":
            centroids = np.stack([np.median(X[y_idx == k], axis=0) for k in range(n_classes)])
        else:
            sums = np.zeros((n_classes, X.shape[1]), dtype=np.float64)
            np.add.at(sums, y_idx, X)
            centroids = sums / counts[:, None]
        if self.shrink_threshold is not None:
            centroids = self._shrink(X, y_idx, centroids, counts)
        self.centroids_ = centroids.astype(X.dtype, copy=False)
        return self

    def _shrink(self, X, y_idx, centroids, counts):
        n, n_classes = len(X), len(counts)
        if n <= n_classes:
            raise ValueError(
                f"shrink_threshold needs more samples ({n}) than classes ({n_classes})."
            )
        overall = X.mean(axis=0)
        # Pooled within-class standard deviation, offset by its median (as in the paper).
        within = np.sum((X - centroids[y_idx]) ** 2, axis=0) / (n - n_classes)
        s = np.sqrt(within)
        s += np.median(s)
        m = np.sqrt(1.0 / counts - 1.0 / n)
        d = (centroids - overall) / (m[:, None] * s)
        d = np.sign(d) * np.maximum(np.abs(d) - self.shrink_threshold, 0)
        return overall + m[:, None] * s * d

    def predict(self, X):
        """Class of the nearest centroid for each row of X."""
        check_is_fitted(self)
        X = self._validate_data(X, reset=False)
        C = self.centroids_.astype(X.dtype, copy=False)
        if self.metric == "euclidean":
            kernel, _ = get_kernel("sqeuclidean_argmin")
            labels, _ = kernel(np.ascontiguousarray(X), np.ascontiguousarray(C))
        else:
            labels = np.empty(len(X), dtype=np.intp)
            chunk = max(1, (1 << 20) // max(C.size, 1))
            for s in range(0, len(X), chunk):
                d = np.abs(X[s:s + chunk, None, :] - C[None]).sum(axis=2)
                labels[s:s + chunk] = d.argmin(axis=1)
        return self.classes_[labels]
