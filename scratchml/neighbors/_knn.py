"""k-nearest-neighbour search, classification and regression.

Every estimator here stores the training set at ``fit`` and answers queries with the
chunked brute-force search of :mod:`._topk` or a KD-tree (:mod:`._kd_tree`); the shared
fit and queries live in :mod:`._knn_query`. Ties between equally distant training
points are broken by index (the lower training index wins), so results are deterministic.

``algorithm="kd_tree"`` (and ``"auto"`` in low dimension with enough training points,
where it was measured faster; see ``_knn_query._kd_tree_wins``) searches a KD-tree that
returns exactly brute force's neighbours; ``"ball_tree"`` is accepted for compatibility
and runs brute force. Radius queries always run brute force. ``n_jobs`` sets the threads
of the KD-tree search (results do not depend on it); brute force's matrix products and
native kernels use every core already.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import ClassifierMixin, RegressorMixin
from ..utils.validation import check_classification_targets, check_is_fitted
from ._knn_query import _KNeighborsBase, _NeighborsBase
from ._neighbor_weights import _check_weights, _neighbor_weights


class NearestNeighbors(_NeighborsBase):
    """Unsupervised nearest-neighbour search: the k nearest, or all within a radius.

    For a query q the distance to training point x_i is d(q, x_i) with the chosen metric;
    ``kneighbors`` returns the k smallest, ``radius_neighbors`` all with d <= radius.
    Minkowski distance: d(q, x) = (Σ_j |q_j − x_j|^p)^(1/p) (p=2 Euclidean, p=1 Manhattan).

    Parameters
    ----------
    n_neighbors : int, default=5
    radius : float, default=1.0
    algorithm : {"auto", "brute", "kd_tree", "ball_tree"}, default="auto"
        "kd_tree" (Euclidean metric) searches a KD-tree; "auto" uses it where it was
        measured faster than brute force: with the compiled kernels, at most 10
        features and from 2,000 training points (<= 5 features) up to 200,000 (10
        features); fewer features with the NumPy ones; never under the CUDA backend.
        "ball_tree" runs brute force. Same results.
    metric : {"minkowski", "euclidean", "l2", "manhattan", "cityblock", "l1", "chebyshev", "cosine"}
    p : float, default=2
        Minkowski power (>= 1, np.inf for Chebyshev).
    n_jobs : int or None
        Threads of the KD-tree search (None: the configured n_jobs, else every core);
        results do not depend on it. Brute force uses BLAS / its kernel's threads.

    Attributes
    ----------
    effective_metric_ : str
    n_samples_fit_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from scratchml.neighbors import NearestNeighbors
    >>> nn = NearestNeighbors(n_neighbors=1).fit([[0.0], [1.0], [5.0]])
    >>> nn.kneighbors([[0.9]])
    (array([[0.1]]), array([[1]]))
    """

    def __init__(self, n_neighbors: int = 5, radius: float = 1.0, algorithm: str = "auto",
                 metric: str = "minkowski", p: float = 2, n_jobs: int | None = None):
        self.n_neighbors = n_neighbors
        self.radius = radius
        self.algorithm = algorithm
        self.metric = metric
        self.p = p
        self.n_jobs = n_jobs

    _accepts_sparse = True

    def fit(self, X, y=None):
        """Store the training points; returns self.

        Sparse X (a CSRMatrix or SciPy matrix) needs ``metric="cosine"``: its unit rows
        are kept sparse, and each block of queries is one sparse product.
        """
        X = self._validate_data(X, accept_sparse=True)
        self._fit_data(X)
        return self


class KNeighborsClassifier(ClassifierMixin, _KNeighborsBase):
    """Classify by a (weighted) vote of the k nearest training points.

    P(c | q) = Σ_{i∈N_k(q)} w_i [y_i = c] / Σ_{i∈N_k(q)} w_i, and the prediction is the
    class of highest P; a tie in the vote goes to the smallest class (first in ``classes_``).

    Parameters
    ----------
    n_neighbors : int, default=5
    weights : {"uniform", "distance"} or callable, default="uniform"
        "distance" uses w = 1/d. A callable maps the (n_queries, k) distance array to
        weights; it cannot be saved with ``scratchml.save`` (only named weights can).
    algorithm, metric, p, n_jobs
        As in :class:`NearestNeighbors`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    effective_metric_ : str
    n_samples_fit_ : int

    Examples
    --------
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> clf = KNeighborsClassifier(n_neighbors=3).fit([[0], [1], [2], [10], [11]], [0, 0, 0, 1, 1])
    >>> clf.predict([[1.5], [10.5]])
    array([0, 1])
    """

    def fit(self, X, y):
        """Store the training points and their encoded labels; returns self."""
        _check_weights(self.weights)
        X, y = self._validate_data(X, y)
        self.classes_, self._y_ = check_classification_targets(y, estimator=self)
        self._fit_data(X)
        return self

    def predict_proba(self, X):
        """Vote shares of each class among the k neighbours, shape (n_queries, n_classes)."""
        check_is_fitted(self)
        ind, w = self._weighted_neighbors(X)
        n_classes = len(self.classes_)
        labels = self._y_[ind] + n_classes * np.arange(len(ind))[:, None]
        votes = np.bincount(labels.ravel(), weights=w.ravel(), minlength=len(ind) * n_classes)
        votes = votes.reshape(len(ind), n_classes)
        total = votes.sum(axis=1, keepdims=True)
        total[total == 0] = 1.0  # all-zero weights: a row of zeros, as scikit-learn
        return votes / total

    def predict(self, X):
        """Class with the largest vote share (smallest class on ties)."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class KNeighborsRegressor(RegressorMixin, _KNeighborsBase):
    """Predict the (weighted) mean target of the k nearest training points.

    ŷ(q) = Σ_{i∈N_k(q)} w_i y_i / Σ_{i∈N_k(q)} w_i, with w_i = 1 or 1/d(q, x_i).

    Parameters
    ----------
    n_neighbors : int, default=5
    weights : {"uniform", "distance"} or callable, default="uniform"
    algorithm, metric, p, n_jobs
        As in :class:`NearestNeighbors`.

    Attributes
    ----------
    effective_metric_ : str
    n_samples_fit_ : int

    Examples
    --------
    >>> from scratchml.neighbors import KNeighborsRegressor
    >>> reg = KNeighborsRegressor(n_neighbors=2).fit([[0], [1], [2], [3]], [0.0, 1.0, 2.0, 3.0])
    >>> reg.predict([[1.4]])
    array([1.5])
    """

    def fit(self, X, y):
        """Store the training points and targets; returns self."""
        _check_weights(self.weights)
        X, y = self._validate_data(X, y, y_numeric=True, multi_output=True)
        self._y_ = np.asarray(y, dtype=np.float64)
        self._fit_data(X)
        return self

    def predict(self, X):
        """Weighted mean of the neighbours' targets: (n_queries,) or (n_queries, n_outputs)."""
        check_is_fitted(self)
        ind, w = self._weighted_neighbors(X)
        Y = self._y_[ind]  # (n_queries, k) or (n_queries, k, n_outputs)
        if Y.ndim == 3:
            w = w[:, :, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            return (Y * w).sum(axis=1) / w.sum(axis=1)


class RadiusNeighborsClassifier(ClassifierMixin, _NeighborsBase):
    """Classify by a (weighted) vote of all training points within a fixed radius.

    P(c | q) = Σ_{i: d(q, x_i) <= r} w_i [y_i = c] / Σ_{i: d(q, x_i) <= r} w_i. A query with
    no training point within r is an outlier: it gets ``outlier_label`` (probability 1 on
    that class, or all zeros when the label is not a training class), or raises when
    ``outlier_label`` is None.

    Parameters
    ----------
    radius : float, default=1.0
    weights : {"uniform", "distance"} or callable, default="uniform"
        A callable is applied to the 1-D array of all the neighbours' distances.
    algorithm, metric, p, n_jobs
        As in :class:`NearestNeighbors`.
    outlier_label : None, "most_frequent" or a label, default=None

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    outlier_label_ : label or None
    effective_metric_ : str

    Examples
    --------
    >>> from scratchml.neighbors import RadiusNeighborsClassifier
    >>> clf = RadiusNeighborsClassifier(radius=1.5, outlier_label=-1)
    >>> clf.fit([[0], [1], [10], [11]], [0, 0, 1, 1]).predict([[0.5], [10.5], [5.0]])
    array([ 0,  1, -1])
    """

    def __init__(self, radius: float = 1.0, weights="uniform", algorithm: str = "auto",
                 metric: str = "minkowski", p: float = 2, outlier_label=None,
                 n_jobs: int | None = None):
        self.radius = radius
        self.weights = weights
        self.algorithm = algorithm
        self.metric = metric
        self.p = p
        self.outlier_label = outlier_label
        self.n_jobs = n_jobs

    n_neighbors = None  # only the radius query is used; _check_params skips the k check

    def fit(self, X, y):
        """Store the training points, their encoded labels and the outlier label."""
        _check_weights(self.weights)
        if not (isinstance(self.radius, numbers.Real) and self.radius >= 0):
            raise ValueError(f"radius={self.radius!r} must be a non-negative number.")
        X, y = self._validate_data(X, y)
        self.classes_, self._y_ = check_classification_targets(y, estimator=self)
        if isinstance(self.outlier_label, str) and self.outlier_label == "most_frequent":
            self.outlier_label_ = self.classes_[np.argmax(np.bincount(self._y_))]
        else:
            self.outlier_label_ = self.outlier_label
        self._fit_data(X)
        return self

    def predict_proba(self, X):
        """Vote shares within the radius, shape (n_queries, n_classes)."""
        check_is_fitted(self)
        X = self._validate_data(X, reset=False)
        dist, ind = self.radius_neighbors(X)
        counts = np.array([len(i) for i in ind], dtype=np.intp)
        outliers = np.flatnonzero(counts == 0)
        if len(outliers) and self.outlier_label_ is None:
            raise ValueError(
                f"No neighbors found for test samples {outliers[:10].tolist()} within "
                f"radius={self.radius}; use a larger radius, set outlier_label, or remove "
                "those samples."
            )
        rows = np.repeat(np.arange(len(ind)), counts)
        d = np.concatenate(list(dist)) if len(rows) else np.zeros(0)
        cols = np.concatenate(list(ind)) if len(rows) else np.zeros(0, dtype=np.intp)
        if self.weights == "distance":
            zero = d == 0
            # Rows with a neighbour at distance 0: weight 1 on those, 0 on the others.
            row_zero = np.bincount(rows, weights=zero, minlength=len(ind)) > 0
            with np.errstate(divide="ignore"):
                w = np.where(row_zero[rows], zero.astype(np.float64), 1.0 / d)
        else:
            w = _neighbor_weights(d[None, :], self.weights)[0]
        n_classes = len(self.classes_)
        votes = np.bincount(rows * n_classes + self._y_[cols], weights=w,
                            minlength=len(ind) * n_classes).reshape(len(ind), n_classes)
        if len(outliers):
            hit = np.flatnonzero(self.classes_ == self.outlier_label_)
            if len(hit):
                votes[outliers, hit[0]] = 1.0
        total = votes.sum(axis=1, keepdims=True)
        total[total == 0] = 1.0
        return votes / total

    def predict(self, X):
        """Class with the largest vote share; ``outlier_label_`` for rows with no votes."""
        check_is_fitted(self)
        proba = self.predict_proba(X)
        pred = self.classes_[np.argmax(proba, axis=1)]
        empty = np.flatnonzero(~proba.any(axis=1))
        if len(empty):
            pred = pred.astype(np.result_type(pred, np.asarray(self.outlier_label_)))
            pred[empty] = self.outlier_label_
        return pred
