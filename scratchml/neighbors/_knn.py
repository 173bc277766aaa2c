"""k-nearest-neighbour search, classification and regression (brute force, NumPy).

Every estimator here stores the training set at ``fit`` and answers queries with the
chunked brute-force search of :mod:`._topk`. Ties between equally distant training
points are broken by index (the lower training index wins), so results are deterministic.

``algorithm="kd_tree"`` (and ``"auto"`` with at most 15 features and 20,000+ points)
searches a KD-tree (:mod:`._kd_tree`) that returns exactly brute force's neighbours;
``"ball_tree"`` is accepted for compatibility and runs brute force. Radius queries
always run brute force. ``n_jobs`` is accepted and ignored: the matrix products and
the native kernels use every core already.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, RegressorMixin
from ..sparse import CSRMatrix
from ..utils.validation import check_classification_targets, check_is_fitted
from ._kd_tree import build_kd_tree, kneighbors_kd_tree
from ._neighbor_weights import _check_weights, _neighbor_weights
from ._sparse_cosine import (
    SparseCosineMixin,
    kneighbors_cosine,
    pack,
    radius_cosine,
    unit_rows,
)
from ._topk import kneighbors_brute, radius_brute, resolve_metric

#: "auto" uses the KD-tree up to this many features (scikit-learn's threshold too)
#: and from this many training points on (where it beats the brute-force kernel).
_KD_MAX_FEATURES = 15
_KD_MIN_SAMPLES = 20_000

_ALGORITHMS = ("auto", "brute", "kd_tree", "ball_tree")


class _NeighborsBase(SparseCosineMixin, BaseEstimator):
    """Shared fit (store the data) and the k-nearest / radius queries."""

    def _check_params(self):
        if self.algorithm not in _ALGORITHMS:
            raise ValueError(
                f"algorithm={self.algorithm!r} is not supported; use one of {list(_ALGORITHMS)}."
            )
        k = self.n_neighbors
        if k is not None and (not isinstance(k, numbers.Integral) or isinstance(k, bool)
                              or k <= 0):
            raise ValueError(f"n_neighbors={k!r} must be a positive integer (e.g. 5).")
        return resolve_metric(self.metric, self.p)

    def _fit_data(self, X):
        self.effective_metric_, self.effective_p_ = self._check_params()
        self.__dict__.pop("_fit_sparse_", None)
        if isinstance(X, CSRMatrix):
            if self.effective_metric_ != "cosine":
                raise TypeError(
                    f"{type(self).__name__} got sparse X with metric={self.metric!r}; sparse "
                    "input needs metric='cosine'. Otherwise reduce X with "
                    "scratchml.decomposition.TruncatedSVD, or call X.toarray() if it fits "
                    "in memory."
                )
            # Unit rows once at fit; plain arrays so that scratchml.save can store them.
            self._fit_sparse_ = pack(unit_rows(X))
            self._fit_X_ = None
            self.n_samples_fit_ = X.shape[0]
            self._fit_method_ = "brute"
            return
        self._fit_X_ = np.asarray(X, dtype=np.float64)
        self.n_samples_fit_ = len(X)
        self._fit_method_ = self._choose_method(self._fit_X_)
        if self._fit_method_ == "kd_tree":
            # A dict of plain arrays (not a tree object), so scratchml.save can store it.
            self._kd_tree_ = build_kd_tree(self._fit_X_)

    def _choose_method(self, X) -> str:
        """'kd_tree' or 'brute'. The KD-tree serves the Euclidean metric only.

        "auto" picks it in low dimension (<= 15 features, as scikit-learn's rule)
        from 20,000 training points on: below that the brute-force top-k kernel is
        as fast (measured at 3 features); "ball_tree" runs brute force.
        """
        euclidean = self.effective_metric_ == "euclidean"
        if self.algorithm == "kd_tree" and euclidean:
            return "kd_tree"
        if self.algorithm == "auto" and euclidean and X.shape[1] <= _KD_MAX_FEATURES \
                and X.shape[0] >= _KD_MIN_SAMPLES:
            return "kd_tree"
        return "brute"

    def kneighbors(self, X=None, n_neighbors: int | None = None, return_distance: bool = True):
        """The ``n_neighbors`` nearest training points of each query row.

        With ``X=None`` the queries are the training points themselves and each one is
        excluded from its own neighbours.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors)
            Only when ``return_distance``; sorted ascending.
        indices : ndarray of shape (n_queries, n_neighbors)
            Training-row indices; equal distances are ordered by index.
        """
        check_is_fitted(self, method="kneighbors")
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k <= 0:
            raise ValueError(f"n_neighbors={k!r} must be a positive integer (e.g. 5).")
        exclude = X is None
        Q = self._fit_X_ if exclude else self._query(X)
        needed = k + 1 if exclude else k
        if needed > self.n_samples_fit_:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {needed}, "
                f"n_samples_fit = {self.n_samples_fit_}; lower n_neighbors."
            )
        k = int(k)
        if self._sparse_search(Q):
            Xf = self._unit_fit_rows()
            dist, ind = kneighbors_cosine(Xf if exclude else unit_rows(Q), Xf, k,
                                          exclude_self=exclude)
        elif getattr(self, "_fit_method_", "brute") == "kd_tree" and k < self.n_samples_fit_ // 2:
            dist, ind = kneighbors_kd_tree(np.asarray(Q, dtype=np.float64), self._fit_X_,
                                           self._kd_tree_, k, exclude_self=exclude)
        else:
            dist, ind = kneighbors_brute(Q, self._fit_X_, k, self.effective_metric_,
                                         self.effective_p_, exclude_self=exclude)
        return (dist, ind) if return_distance else ind

    def radius_neighbors(self, X=None, radius: float | None = None,
                         return_distance: bool = True, sort_results: bool = False):
        """Training points within ``radius`` (d <= radius) of each query row.

        Returns object arrays of per-row arrays: ``(distances, indices)`` or ``indices``.
        Without ``sort_results`` each row is in index order; with it, by (distance, index).
        """
        check_is_fitted(self, method="radius_neighbors")
        radius = self.radius if radius is None else radius
        if not (isinstance(radius, numbers.Real) and radius >= 0):
            raise ValueError(f"radius={radius!r} must be a non-negative number.")
        if sort_results and not return_distance:
            raise ValueError("return_distance must be True if sort_results is True.")
        exclude = X is None
        Q = self._fit_X_ if exclude else self._query(X)
        if self._sparse_search(Q):
            Xf = self._unit_fit_rows()
            dist, ind = radius_cosine(Xf if exclude else unit_rows(Q), Xf, float(radius),
                                      exclude_self=exclude, sort_results=sort_results)
            return (dist, ind) if return_distance else ind
        dist, ind = radius_brute(Q, self._fit_X_, float(radius), self.effective_metric_,
                                 self.effective_p_, exclude_self=exclude,
                                 sort_results=sort_results)
        return (dist, ind) if return_distance else ind


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
        "kd_tree" (Euclidean metric) searches a KD-tree; "auto" uses it with at most
        15 features and 20,000+ training points, brute force otherwise; "ball_tree"
        runs brute force. Same results.
    metric : {"minkowski", "euclidean", "l2", "manhattan", "cityblock", "l1", "chebyshev", "cosine"}
    p : float, default=2
        Minkowski power (>= 1, np.inf for Chebyshev).
    n_jobs : int or None
        Accepted and ignored (BLAS threads are used).

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


class KNeighborsClassifier(ClassifierMixin, _NeighborsBase):
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

    def __init__(self, n_neighbors: int = 5, weights="uniform", algorithm: str = "auto",
                 metric: str = "minkowski", p: float = 2, n_jobs: int | None = None):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.metric = metric
        self.p = p
        self.n_jobs = n_jobs

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
        X = self._validate_data(X, reset=False)
        dist, ind = self.kneighbors(X)
        w = _neighbor_weights(dist, self.weights)
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


class KNeighborsRegressor(RegressorMixin, _NeighborsBase):
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

    def __init__(self, n_neighbors: int = 5, weights="uniform", algorithm: str = "auto",
                 metric: str = "minkowski", p: float = 2, n_jobs: int | None = None):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.metric = metric
        self.p = p
        self.n_jobs = n_jobs

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
        X = self._validate_data(X, reset=False)
        dist, ind = self.kneighbors(X)
        w = _neighbor_weights(dist, self.weights)
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
