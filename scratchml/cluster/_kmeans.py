"""k-means clustering: Lloyd's (and Elkan's) algorithm with k-means++ seeding.

k-means looks for k centres c_1..c_k minimising the inertia

    J = Σ_i w_i ||x_i − c_{label(i)}||²,    label(i) = argmin_j ||x_i − c_j||².

Lloyd's algorithm alternates the two steps that each lower J:

    E-step: label every sample with its nearest centre;
    M-step: move every centre to the weighted mean of its samples.

Both steps' passes over X are one fused kernel, "lloyd_step" (``_lloyd.py``: labels
plus per-cluster sums and weights, on the NumPy, Cython or CUDA backend chosen by
scratchml's config), so an iteration reads X once; the M-step is then O(k p).
``algorithm="elkan"`` prunes distance computations with the triangle inequality
(``_kmeans_elkan.py``) and visits the same partitions.

It stops when the labels no longer change ("strict convergence") or when the
squared centre shift Σ_j ||c_j^new − c_j^old||² falls to tol × mean(var(X))
(the same rule as scikit-learn, so runs from the same initial centres agree).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator, ClusterMixin, TransformerMixin
from ..exceptions import ConvergenceWarning
from ..utils.validation import (
    check_array,
    check_is_fitted,
    check_random_state,
    check_sample_weight,
)
from ._kmeans_elkan import _elkan
from ._kmeans_init import (
    inertia,
    is_same_clustering,
    is_sparse,
    kmeans_plusplus,
    random_rows,
    sparse_column_variance_mean,
    sparse_lloyd,
    sparse_sq_distances,
)

__all__ = ["KMeans", "MiniBatchKMeans"]


def _new_centres(X, w, labels, sums, counts, centers):
    """New centres as weighted means of the E-step's sums; empty clusters take far points.

    ``sums``/``counts`` are the per-cluster Σ w_i x_i and Σ w_i from the fused
    kernel (float64). An empty cluster j takes the sample farthest from its own
    centre (largest first, as scikit-learn's ``_relocate_empty_clusters_dense``),
    which is removed from the sums of the cluster it left.
    """
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        diff = X - centers[labels]
        dist = np.einsum("ij,ij->i", diff, diff)
        far = np.argpartition(dist, -empty.size)[:-empty.size - 1:-1]
        for new_id, idx in zip(empty, far):
            old_id, wt = labels[idx], w[idx]
            sums[old_id] -= X[idx] * wt
            sums[new_id] = X[idx] * wt
            counts[new_id] = wt
            counts[old_id] -= wt
    nonzero = counts > 0
    sums[nonzero] *= (1.0 / counts[nonzero])[:, None]
    return sums.astype(X.dtype)


def _lloyd(X, w, centers, max_iter, tol, verbose=0, n_jobs=None):
    """One k-means run from ``centers``; returns (labels, inertia, centers, n_iter).

    Each iteration is one call of the fused kernel ``"lloyd_step"`` (assignment
    and per-cluster sums in one pass over X) plus an O(k p) division.
    """
    step, _ = get_kernel("lloyd_step")
    centers = np.ascontiguousarray(centers, dtype=X.dtype)
    labels_old = np.full(X.shape[0], -1, dtype=np.intp)
    strict = False
    for i in range(max_iter):
        labels, sums, counts, step_inertia = step(X, centers, w, n_jobs=n_jobs)
        new = _new_centres(X, w, labels, sums, counts, centers)
        shift = float(np.sum((new.astype(np.float64) - centers) ** 2))
        if verbose:
            print(f"Iteration {i}, inertia {step_inertia}.")
        centers = new
        if np.array_equal(labels, labels_old):
            strict = True  # same partition: the new centres equal the old ones
            break
        if shift <= tol:
            break
        labels_old = labels
    if not strict:
        # Final E-step so that labels_ are the nearest centres of cluster_centers_.
        kernel, _ = get_kernel("sqeuclidean_argmin")
        labels, _ = kernel(X, centers, n_jobs=n_jobs)
    return labels, inertia(X, w, centers, labels), centers, i + 1


def assign(X, C):
    """Nearest-centre labels of the rows of a dense or CSR X (ties: lowest index)."""
    if is_sparse(X):
        from ..sparse import row_norms

        x_sq = row_norms(X, squared=True).astype(X.dtype, copy=False)
        return np.argmin(sparse_sq_distances(X, x_sq, C), axis=1)
    kernel, _ = get_kernel("sqeuclidean_argmin")
    return kernel(X, C)[0]


def mean_variance(X, centred: bool = False) -> float:
    """mean_j var(X[:, j]), the scale of ``tol``.

    ``centred=True`` says X's columns already have mean 0: then the mean variance
    is ||X||_F² / X.size, one BLAS dot product instead of ``np.var``'s strided
    column passes (about 25 ms of a 110 ms default fit on 100,000 x 50).
    """
    if is_sparse(X):
        return sparse_column_variance_mean(X)
    if centred:
        flat = X.ravel()
        return float(np.dot(flat, flat)) / max(X.size, 1)
    return float(np.mean(np.var(X, axis=0)))


def _check_int(value, name, low):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
        raise ValueError(f"{name}={value!r} must be an integer >= {low}.")


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-means clustering by Lloyd's algorithm.

    Minimises the inertia J = Σ_i w_i ||x_i − c_{label(i)}||² by alternating
    nearest-centre assignment and weighted-mean updates, from ``n_init``
    seedings, and keeps the run of lowest inertia.

    Sparse X (a :class:`scratchml.sparse.CSRMatrix` or SciPy matrix) is accepted and
    never densified: distances ||x||² − 2 X Cᵀ + ||c||², centre sums Xᵀ (w ⊙ onehot),
    in NumPy (the fused Lloyd kernel reads dense rows); ``algorithm`` is ignored.

    Parameters
    ----------
    n_clusters : int, default=8
    init : {"k-means++", "random"}, callable or array of shape (n_clusters, n_features)
        Seeding: greedy k-means++, ``n_clusters`` random rows, ``init(X, k, random_state=rng)``,
        or explicit centres.
    n_init : "auto" or int, default="auto"
        Number of seedings; "auto" is 1 for k-means++ or an array, 10 otherwise.
    max_iter : int, default=300
    tol : float, default=1e-4
        Stop when Σ_j ||Δc_j||² <= tol × mean(var(X, axis=0)).
    verbose : int, default=0
    random_state : None, int or numpy.random.Generator
    copy_x : bool, default=True
        Accepted for compatibility; X is never modified (the centred copy is always new).
    algorithm : {"lloyd", "elkan"}, default="lloyd"
        "lloyd": each iteration is one fused pass over X (kernel "lloyd_step").
        "elkan": triangle-inequality bounds skip most distance computations
        (``_kmeans_elkan``; O(n k) memory); same labels and centres from the same init.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features), in X's float dtype
    labels_ : ndarray of shape (n_samples,)
    inertia_ : float
    n_iter_ : int
        Lloyd iterations of the kept run.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.cluster import KMeans
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0]])
    >>> km = KMeans(n_clusters=2, init=np.array([[1.0, 2.0], [10.0, 2.0]])).fit(X)
    >>> km.labels_
    array([0, 0, 0, 1, 1, 1])
    >>> km.cluster_centers_
    array([[ 1.,  2.],
           [10.,  2.]])
    """

    def __init__(self, n_clusters: int = 8, *, init="k-means++", n_init="auto",
                 max_iter: int = 300, tol: float = 1e-4, verbose: int = 0,
                 random_state=None, copy_x: bool = True, algorithm: str = "lloyd"):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm

    # -- checks shared with MiniBatchKMeans ---------------------------------------

    def _init_is_array(self) -> bool:
        return not isinstance(self.init, str) and not callable(self.init)

    def _check_params(self, X, default_n_init: int) -> int:
        _check_int(self.n_clusters, "n_clusters", 1)
        _check_int(self.max_iter, "max_iter", 1)
        if isinstance(self.init, str) and self.init not in ("k-means++", "random"):
            raise ValueError(
                f"init={self.init!r} is not supported; use 'k-means++', 'random', a callable "
                "or an array of initial centres."
            )
        if not isinstance(self.tol, numbers.Real) or not self.tol >= 0:
            raise ValueError(f"tol={self.tol!r} must be a non-negative number.")
        if X.shape[0] < self.n_clusters:
            raise ValueError(
                f"n_samples={X.shape[0]} should be >= n_clusters={self.n_clusters}; "
                "lower n_clusters."
            )
        if self.n_init == "auto":
            random = isinstance(self.init, str) and self.init == "random"
            n_init = default_n_init if random or callable(self.init) else 1
        else:
            _check_int(self.n_init, "n_init", 1)
            n_init = self.n_init
        if self._init_is_array() and n_init != 1:
            warnings.warn(
                f"Explicit initial centres passed: performing one init in "
                f"{type(self).__name__} instead of n_init={n_init}.",
                RuntimeWarning, stacklevel=3,
            )
            n_init = 1
        return n_init

    def _check_init_array(self, X):
        init = check_array(self.init, dtype=X.dtype, copy=True, input_name="init")
        if init.shape != (self.n_clusters, X.shape[1]):
            raise ValueError(
                f"The shape of the initial centres {init.shape} does not match "
                f"(n_clusters, n_features) = ({self.n_clusters}, {X.shape[1]}); pass one row "
                "per cluster with the columns of X."
            )
        return init

    def _seed(self, X, w, rng):
        if isinstance(self.init, str) and self.init == "k-means++":
            return kmeans_plusplus(X, self.n_clusters, w, rng)
        if isinstance(self.init, str) and self.init == "random":
            return random_rows(X, self.n_clusters, w, rng)
        centers = check_array(self.init(X, self.n_clusters, random_state=rng), dtype=X.dtype,
                              input_name="init(...)")
        if centers.shape != (self.n_clusters, X.shape[1]):
            raise ValueError(f"init returned centres of shape {centers.shape}; expected "
                             f"({self.n_clusters}, {X.shape[1]}).")
        return centers

    # -- fit -----------------------------------------------------------------------

    def fit(self, X, y=None, sample_weight=None):
        """Compute the k-means clustering of X; returns ``self``."""
        X = self._validate_data(X, accept_sparse=True)
        if self.algorithm not in ("lloyd", "elkan"):
            raise ValueError(f"algorithm={self.algorithm!r} is not supported; use 'lloyd' "
                             "or 'elkan'.")
        n_init = self._check_params(X, default_n_init=10)
        w = check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype, estimator=self)
        rng = check_random_state(self.random_state)
        init = self._check_init_array(X) if self._init_is_array() else None
        sparse = is_sparse(X)
        # Centring X makes ||x||² − 2x·c + ||c||² lose less to cancellation (not for a
        # sparse X, which centring would densify).
        X_mean = np.zeros(X.shape[1], dtype=X.dtype) if sparse else X.mean(axis=0)
        if not sparse:
            X = X - X_mean
        tol = 0.0 if self.tol == 0 else mean_variance(X, centred=not sparse) * self.tol
        best = None
        for _ in range(n_init):
            centers = init - X_mean if init is not None else self._seed(X, w, rng)
            # Sparse X: the NumPy Lloyd path (Elkan visits the same partitions).
            run = sparse_lloyd if sparse else _elkan if self.algorithm == "elkan" else _lloyd
            labels, inert, centers, n_iter = run(X, w, centers, self.max_iter, tol, self.verbose)
            # A slightly lower inertia for the same partition is rounding: keep the first.
            if best is None or (inert < best[1]
                                and not is_same_clustering(labels, best[0], self.n_clusters)):
                best = (labels, inert, centers, n_iter)
        labels, inert, centers, n_iter = best
        n_distinct = len(np.unique(labels))
        if n_distinct < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({n_distinct}) found smaller than n_clusters "
                f"({self.n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning, stacklevel=2,
            )
        self.cluster_centers_ = centers + X_mean
        self.labels_ = labels
        self.inertia_ = inert
        self.n_iter_ = int(n_iter)
        return self

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit, then return ``labels_``."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def fit_transform(self, X, y=None, sample_weight=None):
        """Fit, then return the distances of X to the centres."""
        return self.fit(X, sample_weight=sample_weight)._distances(self._X_for(X))

    # -- prediction ----------------------------------------------------------------

    def _X_for(self, X):
        X = self._validate_data(X, reset=False, accept_sparse=True)
        if is_sparse(X):
            return X.astype(self.cluster_centers_.dtype, copy=False)
        return np.ascontiguousarray(X, dtype=self.cluster_centers_.dtype)

    def _distances(self, X):
        C = self.cluster_centers_
        if is_sparse(X):
            from ..sparse import row_norms

            d = sparse_sq_distances(X, row_norms(X, squared=True), C)
            return np.sqrt(d, out=d)
        d = X @ C.T
        d *= -2
        d += np.einsum("ij,ij->i", X, X)[:, None]
        d += np.einsum("ij,ij->i", C, C)
        np.maximum(d, 0, out=d)
        return np.sqrt(d, out=d)

    def predict(self, X):
        """Index of the nearest centre for each row of X."""
        check_is_fitted(self)
        return assign(self._X_for(X), self.cluster_centers_)

    def transform(self, X):
        """Euclidean distance of each row of X to each centre, shape (n_samples, n_clusters)."""
        check_is_fitted(self)
        return self._distances(self._X_for(X))

    def score(self, X, y=None, sample_weight=None) -> float:
        """Opposite of the inertia of X on the fitted centres (higher is better)."""
        check_is_fitted(self)
        X = self._X_for(X)
        w = check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype, estimator=self)
        labels = assign(X, self.cluster_centers_)
        return -inertia(X, w, self.cluster_centers_, labels)


from ._kmeans_minibatch import MiniBatchKMeans  # noqa: E402  (subclass of KMeans, defined above)
