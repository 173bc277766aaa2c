"""The shared fit and queries of the neighbour estimators in :mod:`._knn`.

``_NeighborsBase`` stores the training set at ``fit`` (and builds a KD-tree when
the chosen algorithm is ``"kd_tree"``) and answers k-nearest and radius queries;
``_KNeighborsBase`` adds the parameters and the weighted-neighbours step that the
k-nearest classifier and regressor share. Ties between equally distant training
points are broken by index (the lower training index wins) on every path, so the
algorithm never changes a result, only its speed.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._backend import get_kernel
from .._config import get_config
from ..base import BaseEstimator
from ..sparse import CSRMatrix
from ..utils.validation import check_is_fitted
from ._kd_tree import build_kd_tree, kneighbors_kd_tree
from ._neighbor_weights import _neighbor_weights
from ._sparse_cosine import (
    SparseCosineMixin,
    kneighbors_cosine,
    pack,
    radius_cosine,
    unit_rows,
)
from ._topk import kneighbors_brute, radius_brute, resolve_metric

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
        # float32 data stays float32 for brute force: the top-k kernel ranks it natively
        # (half the memory traffic, twice the SIMD lanes). The KD-tree works in float64.
        single = getattr(X, "dtype", None) == np.float32
        self._fit_X_ = np.asarray(X, dtype=np.float32 if single else np.float64)
        self.n_samples_fit_ = len(X)
        self._fit_method_ = self._choose_method(self._fit_X_)
        if self._fit_method_ == "kd_tree":
            self._fit_X_ = np.asarray(self._fit_X_, dtype=np.float64)
            # A dict of plain arrays (not a tree object), so scratchml.save can store it.
            self._kd_tree_ = build_kd_tree(self._fit_X_)

    def _choose_method(self, X) -> str:
        """'kd_tree' or 'brute'. The KD-tree serves the Euclidean metric only.

        "auto" picks whichever is faster by :func:`_kd_tree_wins`; "ball_tree" runs
        brute force.
        """
        euclidean = self.effective_metric_ == "euclidean"
        if self.algorithm == "kd_tree" and euclidean:
            return "kd_tree"
        if self.algorithm == "auto" and euclidean and _kd_tree_wins(*X.shape):
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
                                           self._kd_tree_, k, exclude_self=exclude,
                                           n_jobs=self.n_jobs)
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


class _KNeighborsBase(_NeighborsBase):
    """The parameters and the weighted k-neighbours step of the classifier and regressor."""

    def __init__(self, n_neighbors: int = 5, weights="uniform", algorithm: str = "auto",
                 metric: str = "minkowski", p: float = 2, n_jobs: int | None = None):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.metric = metric
        self.p = p
        self.n_jobs = n_jobs

    def _weighted_neighbors(self, X):
        """Indices of each query's k neighbours and their weights, both (n_queries, k).

        The caller (``predict``, ``predict_proba``) has checked that the model is fitted.
        """
        X = self._validate_data(X, reset=False)
        dist, ind = self.kneighbors(X)
        return ind, _neighbor_weights(dist, self.weights)


def _kd_tree_wins(n_samples: int, n_features: int) -> bool:
    """Whether "auto" should search a KD-tree rather than brute force (measured below).

    The crossover depends on which implementation runs: the compiled tree search is
    far faster than the NumPy one in more than a few dimensions. The tree has no CUDA
    twin, so a configured CUDA backend keeps brute force (whose kernel has one).
    """
    if get_config()["backend"] == "cuda":
        return False
    _, used = get_kernel("kdtree_query")
    table = _KD_MIN_SAMPLES if used == "cython" else _KD_MIN_SAMPLES_NUMPY
    return n_features < len(table) and n_samples >= table[n_features]


#: "auto" uses the KD-tree from ``_KD_MIN_SAMPLES[n_features]`` training points on, and
#: never with more features than the table covers. Measured with both compiled kernels
#: (fit + kneighbors of 10,000 queries, k=5, 2 shared cores; two noisy runs, so steps are
#: rounded toward brute force) on standard-normal blobs, which fill every dimension
#: (data of lower intrinsic dimension favours the tree further).
#: KD-tree time / brute-force time at the crossover:
#:   <= 5 features: the tree wins from 1,000-2,000 points (5: 0.86 at 2k, 0.73 at 5k);
#:   6: 1.34 at 5k, 0.65 at 10k;  7: 1.18 at 10k, 0.66 at 20k;  8: 1.0 at 20k, 0.6 at 50k;
#:   9: 1.38 at 50k, 0.97 at 100k;  10: 1.3-1.8 at 50k-100k, 0.4-0.8 at 200k;
#:   11: 1.7 at 200k;  12: 1.4 at 200k;  15: 5-6 at 5k-50k (brute force wins up to
#:   200k points, the largest measured; the tree's pruning fades with the dimension).
#: Checked again at each threshold (5: 0.72 at 2k; 6: 0.76 at 8k; 7: 0.88 at 15k;
#: 8: 0.79 at 30k; 9: 0.41 at 100k; 10: 1.00 at 200k; 11: 1.19 at 200k).
_KD_MIN_SAMPLES = (None, 2_000, 2_000, 2_000, 2_000, 2_000,
                   8_000, 15_000, 30_000, 100_000, 200_000)
#: The same with both NumPy references (no compiled kernels): 3 features 0.57 at 2k;
#: 5: 1.5 at 2k, 0.40 at 20k;  6: 1.4 at 10k, 0.53 at 50k;  7: 2.6 at 50k;  8: 3.6 at 50k.
_KD_MIN_SAMPLES_NUMPY = (None, 2_000, 2_000, 2_000, 5_000, 10_000, 30_000)
