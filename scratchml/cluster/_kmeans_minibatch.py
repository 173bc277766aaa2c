"""Mini-batch k-means (Sculley, 2010): Lloyd's updates on small random batches.

Each step draws ``batch_size`` samples, labels them with the current centres,
and moves each centre towards the mean of its batch samples with a per-centre
learning rate 1 / (weight seen so far):

    c_j ← (N_j c_j + Σ_{i ∈ batch, label i = j} w_i x_i) / (N_j + W_j),   N_j ← N_j + W_j,

so c_j is always the mean of every sample ever assigned to it. Centres that
receive little weight are moved to random batch samples now and then
(``reassignment_ratio``). Training stops after ``max_iter`` passes over the
data, or when an exponentially weighted average of the batch inertia has not
improved for ``max_no_improvement`` steps (the rules of scikit-learn).
"""

from __future__ import annotations

import numpy as np

from ..sparse import row_norms
from ..utils.validation import check_is_fitted, check_random_state, check_sample_weight
from ._kmeans import KMeans, _check_int, assign, mean_variance
from ._kmeans_init import dense_rows, inertia, is_sparse, sparse_sq_distances, weighted_sums

__all__ = ["MiniBatchKMeans"]


class MiniBatchKMeans(KMeans):
    """k-means on mini-batches: much faster than :class:`KMeans` on large data, slightly worse.

    Sparse X (CSRMatrix or SciPy) is accepted, as in :class:`KMeans`.

    Parameters
    ----------
    n_clusters : int, default=8
    init : {"k-means++", "random"}, callable or array of shape (n_clusters, n_features)
        Seeding, done on ``init_size`` random samples.
    max_iter : int, default=100
        Maximum number of passes over the data (n_samples / batch_size steps each).
    batch_size : int, default=1024
    verbose : int, default=0
    compute_labels : bool, default=True
        Compute ``labels_`` and ``inertia_`` on the whole data after fitting.
    random_state : None, int or numpy.random.Generator
    tol : float, default=0.0
        Stop when the squared centre shift of a step is <= tol × mean(var(X)); 0 disables.
    max_no_improvement : int or None, default=10
        Stop after this many steps without improving the smoothed batch inertia.
    init_size : int or None, default=None
        Samples used for seeding (default 3 × batch_size, at least 3 × n_clusters).
    n_init : "auto" or int, default="auto"
        Seedings tried (best inertia on a validation sample kept); "auto" is 1 for
        k-means++ or an array, 3 otherwise.
    reassignment_ratio : float, default=0.01
        Centres with less than this fraction of the largest centre's weight are reassigned.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,)
        Only when ``compute_labels``.
    inertia_ : float
        Only when ``compute_labels``.
    n_iter_ : int
        Passes over the data, ceil(n_steps_ × batch_size / n_samples).
    n_steps_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.cluster import MiniBatchKMeans
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [4, 2], [4, 0], [4, 4],
    ...               [4, 5], [0, 1], [2, 2], [3, 2], [5, 5], [1, -1]])
    >>> mbk = MiniBatchKMeans(n_clusters=2, random_state=0, batch_size=6).fit(X)
    >>> mbk.cluster_centers_.shape
    (2, 2)
    """

    def __init__(self, n_clusters: int = 8, *, init="k-means++", max_iter: int = 100,
                 batch_size: int = 1024, verbose: int = 0, compute_labels: bool = True,
                 random_state=None, tol: float = 0.0, max_no_improvement: int | None = 10,
                 init_size: int | None = None, n_init="auto",
                 reassignment_ratio: float = 0.01):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.verbose = verbose
        self.compute_labels = compute_labels
        self.random_state = random_state
        self.tol = tol
        self.max_no_improvement = max_no_improvement
        self.init_size = init_size
        self.n_init = n_init
        self.reassignment_ratio = reassignment_ratio

    def _check_minibatch_params(self, X):
        n_init = self._check_params(X, default_n_init=3)
        _check_int(self.batch_size, "batch_size", 1)
        if self.max_no_improvement is not None:
            _check_int(self.max_no_improvement, "max_no_improvement", 0)
        if self.init_size is not None:
            _check_int(self.init_size, "init_size", 1)
        if not (isinstance(self.reassignment_ratio, (int, float)) and self.reassignment_ratio >= 0):
            raise ValueError(f"reassignment_ratio={self.reassignment_ratio!r} must be a "
                             "non-negative number.")
        self._batch = min(self.batch_size, X.shape[0])
        init_size = self.init_size if self.init_size is not None else 3 * self._batch
        if init_size < self.n_clusters:
            init_size = 3 * self.n_clusters
        self._init_size = min(init_size, X.shape[0])
        return n_init

    def _initial_centres(self, X, w, rng, n_init):
        """Best of ``n_init`` seedings on ``init_size`` samples, judged on a validation sample."""
        if self._init_is_array():
            return self._check_init_array(X)
        valid = rng.integers(0, X.shape[0], self._init_size)
        best, best_inertia = None, np.inf
        for _ in range(n_init):
            idx = rng.integers(0, X.shape[0], self._init_size)
            centres = np.ascontiguousarray(self._seed(X[idx], w[idx], rng), dtype=X.dtype)
            labels = assign(X[valid], centres)
            score = inertia(X[valid], w[valid], centres, labels)
            if best is None or score < best_inertia:
                best, best_inertia = centres, score
        return best

    def _step(self, Xb, wb, rng, reassign: bool) -> tuple[float, float]:
        """One mini-batch update of ``cluster_centers_`` and ``_counts``; (batch inertia, shift)."""
        C, k = self.cluster_centers_, self.n_clusters
        if is_sparse(Xb):  # one product gives both the labels and the batch inertia
            d = sparse_sq_distances(Xb, row_norms(Xb, squared=True), C)
            labels = np.argmin(d, axis=1)
            batch_inertia = float(d[np.arange(Xb.shape[0]), labels] @ wb)
        else:
            labels = assign(Xb, C)
            batch_inertia = inertia(Xb, wb, C, labels)
        batch_w = np.bincount(labels, weights=wb, minlength=k)
        if is_sparse(Xb):  # Σ w_i x_i per cluster as Xbᵀ (w ⊙ onehot): one CSR product
            onehot = np.zeros((Xb.shape[0], k))
            onehot[np.arange(Xb.shape[0]), labels] = wb
            sums = np.ascontiguousarray((Xb.T @ onehot).T, dtype=np.float64)
        else:
            sums = weighted_sums(np.ascontiguousarray((Xb * wb[:, None]).T, dtype=np.float64),
                                 labels, k)
        hit = batch_w > 0
        new = C.astype(np.float64)
        total = self._counts_[hit] + batch_w[hit]
        new[hit] = (new[hit] * self._counts_[hit, None] + sums[hit]) / total[:, None]
        self._counts_[hit] = total
        if reassign and self.reassignment_ratio > 0:
            low = self._counts_ < self.reassignment_ratio * self._counts_.max()
            if low.sum() > 0.5 * Xb.shape[0]:  # at most half a batch of new centres
                low[np.argsort(self._counts_)[int(0.5 * Xb.shape[0]):]] = False
            n_low = int(low.sum())
            if n_low:
                picks = rng.choice(Xb.shape[0], size=n_low, replace=False, p=wb / wb.sum())
                new[low] = dense_rows(Xb, picks)
                self._counts_[low] = np.min(self._counts_[~low])
        shift = float(np.sum((new - C) ** 2))
        self.cluster_centers_ = new.astype(Xb.dtype)
        return batch_inertia, shift

    def _reassign_due(self) -> bool:
        self._n_since_reassign_ += self._batch
        if np.any(self._counts_ == 0) or self._n_since_reassign_ >= 10 * self.n_clusters:
            self._n_since_reassign_ = 0
            return True
        return False

    def fit(self, X, y=None, sample_weight=None):
        """Fit the centres on random mini-batches of X; returns ``self``."""
        X = self._validate_data(X, accept_sparse=True)
        n_init = self._check_minibatch_params(X)
        n = X.shape[0]
        w = check_sample_weight(sample_weight, n, dtype=X.dtype, estimator=self)
        rng = check_random_state(self.random_state)
        tol = 0.0 if self.tol == 0 else mean_variance(X) * self.tol
        self.cluster_centers_ = self._initial_centres(X, w, rng, n_init)
        # Private state ends in "_" so scratchml.save keeps it for later partial_fit calls.
        self._counts_ = np.zeros(self.n_clusters)
        self._n_since_reassign_ = 0
        ewa, ewa_min, no_improvement = None, None, 0
        n_steps = (self.max_iter * n) // self._batch
        step = 0
        for step in range(n_steps):
            idx = rng.integers(0, n, self._batch)
            batch_inertia, shift = self._step(X[idx], w[idx], rng, self._reassign_due())
            if self.verbose:
                print(f"Minibatch step {step + 1}/{n_steps}: mean batch inertia "
                      f"{batch_inertia / self._batch}")
            if step == 0:
                continue  # the first step's inertia is measured on the random seeds
            batch_inertia /= self._batch
            alpha = min(1.0, self._batch * 2.0 / (n + 1))
            ewa = batch_inertia if ewa is None else ewa * (1 - alpha) + batch_inertia * alpha
            if tol > 0 and shift <= tol:
                break
            if ewa_min is None or ewa < ewa_min:
                no_improvement, ewa_min = 0, ewa
            else:
                no_improvement += 1
            if self.max_no_improvement is not None and no_improvement >= self.max_no_improvement:
                break
        self.n_steps_ = step + 1
        self.n_iter_ = int(np.ceil(self.n_steps_ * self._batch / n))
        if self.compute_labels:
            self._set_labels(X, w)
        return self

    def _set_labels(self, X, w):
        self.labels_ = assign(X, self.cluster_centers_)
        self.inertia_ = inertia(X, w, self.cluster_centers_, self.labels_)

    def partial_fit(self, X, y=None, sample_weight=None):
        """One mini-batch step on X (seeding the centres on the first call); returns ``self``."""
        first = not hasattr(self, "cluster_centers_")
        X = self._validate_data(X, reset=first, accept_sparse=True)
        w = check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype, estimator=self)
        if first:
            self._check_minibatch_params(X)
            rng = check_random_state(self.random_state)
            # A plain int, not a Generator, so the fitted state stays saveable; each
            # call derives its generator from it and the step number.
            self._partial_seed_ = int(rng.integers(2**63))
            self.cluster_centers_ = self._initial_centres(X, w, rng, 1)
            self._counts_ = np.zeros(self.n_clusters)
            self._n_since_reassign_ = 0
            self.n_steps_ = 0
        else:
            check_is_fitted(self)
            X = (X.astype(self.cluster_centers_.dtype, copy=False) if is_sparse(X) else
                 np.ascontiguousarray(X, dtype=self.cluster_centers_.dtype))
        self._batch = X.shape[0]
        rng = np.random.default_rng([self._partial_seed_, self.n_steps_])
        self._step(X, w, rng, self._reassign_due())
        self.n_steps_ += 1
        if self.compute_labels:
            self._set_labels(X, w)
        return self
