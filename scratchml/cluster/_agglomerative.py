"""Agglomerative (hierarchical) clustering: ward, complete, average and single linkage.

Start with every sample as its own cluster and repeatedly merge the two closest
clusters, until one is left; the merges form a binary tree (``children_``), and
cutting it at ``n_clusters`` clusters or at a distance threshold gives the labels.
After merging u and v into u∪v, the distance to every other cluster w follows
from the old ones (the Lance–Williams update), one vectorised row per merge:

    single:    d(u∪v, w) = min(d(u, w), d(v, w))
    complete:  d(u∪v, w) = max(d(u, w), d(v, w))
    average:   d(u∪v, w) = (n_u d(u, w) + n_v d(v, w)) / (n_u + n_v)
    ward:      d(u∪v, w) = sqrt(((n_w + n_u) d(u, w)² + (n_w + n_v) d(v, w)² − n_w d(u, v)²)
                                 / (n_u + n_v + n_w))

Ward, complete and average are *reducible* linkages, so the nearest-neighbour
chain algorithm finds the merges in O(n²) time: follow nearest neighbours from
any cluster until two clusters are each other's nearest (a reciprocal pair), merge
them, continue from the chain's rest. Single linkage is a minimum spanning tree,
built by Prim's algorithm in O(n²). Both are the algorithms scikit-learn runs
(SciPy's nn_chain; its own Prim MST for single linkage), with the same tie
rules; the merges are then sorted by distance (stably) and labelled by a
union–find exactly as SciPy does, so ``children_``, ``distances_`` and (numbered
by the same heap-based cut) ``labels_`` equal scikit-learn's. For cosine, exact
ties may be ordered differently: its distances round differently from SciPy's pdist.

Memory: the full n × n distance matrix, O(n²) (about 80 MB for 3,000 samples):
this estimator is meant for up to a few thousand samples, as scikit-learn's
unstructured version is.
"""

from __future__ import annotations

import heapq
import numbers

import numpy as np

from ..base import BaseEstimator, ClusterMixin
from ..metrics._pairwise import _coordinate_block, _unit_rows
from ._dbscan import _min_label_components

_LINKAGES = ("ward", "complete", "average", "single")
_METRICS = ("euclidean", "l2", "manhattan", "l1", "cityblock", "cosine", "precomputed")


def _distance_matrix(X: np.ndarray, metric: str) -> np.ndarray:
    """Full matrix of pairwise distances, features summed in order (as SciPy's pdist)."""
    if metric == "precomputed":
        return np.array(X, dtype=np.float64)
    if metric in ("manhattan", "l1", "cityblock"):
        return _coordinate_block(X, X, "manhattan")
    if metric == "cosine":
        U = _unit_rows(X)
        D = 1.0 - U @ U.T
        np.clip(D, 0.0, 2.0, out=D)
        np.fill_diagonal(D, 0.0)
        return D
    D = _coordinate_block(X, X, "minkowski", 2.0)  # Σ (x_f − y_f)², feature by feature
    return np.sqrt(D, out=D)


def _update(linkage, d_x, d_y, d_xy, n_x, n_y, n_i):
    """Lance–Williams: distance of x∪y to clusters i (arrays), as SciPy evaluates it."""
    if linkage == "single":
        return np.minimum(d_x, d_y)
    if linkage == "complete":
        return np.maximum(d_x, d_y)
    if linkage == "average":
        return (n_x * d_x + n_y * d_y) / (n_x + n_y)
    t = 1.0 / (n_x + n_y + n_i)
    return np.sqrt((n_i + n_x) * t * d_x * d_x + (n_i + n_y) * t * d_y * d_y
                   - n_i * t * d_xy * d_xy)


def _nn_chain(D: np.ndarray, linkage: str) -> np.ndarray:
    """Merges (x, y, distance) by the nearest-neighbour chain; D is overwritten.

    Cluster x∪y lives on at position y (x < y), as in SciPy and fastcluster.
    """
    n = len(D)
    np.fill_diagonal(D, np.inf)
    size = np.ones(n)
    merges = np.empty((n - 1, 3))
    chain: list[int] = []
    for k in range(n - 1):
        if not chain:
            chain.append(int(np.flatnonzero(size > 0)[0]))
        while True:
            x = chain[-1]
            row = D[x]
            y = int(np.argmin(row))  # first minimum; merged-away rows are +inf
            # Prefer the previous chain element on a tie, to avoid cycles.
            if len(chain) > 1 and not row[y] < row[chain[-2]]:
                y = chain[-2]
                break
            chain.append(y)
        chain = chain[:-2]
        dist = D[x, y]
        x, y = min(x, y), max(x, y)
        merges[k] = (x, y, dist)
        # Whole rows at once (contiguous, no gathers): merged-away clusters hold +inf,
        # which every update keeps at +inf, and x, y themselves are reset below.
        new = _update(linkage, D[x], D[y], dist, size[x], size[y], size)
        size[y] += size[x]
        size[x] = 0
        new[x] = new[y] = np.inf
        D[y] = new
        D[:, y] = new
        D[x] = np.inf
        D[:, x] = np.inf
    return merges


def _mst(D: np.ndarray) -> np.ndarray:
    """Single-linkage merges (x, y, distance) by Prim's algorithm, as SciPy's mst_single_linkage."""
    n = len(D)
    merged = np.zeros(n, dtype=bool)
    best = np.full(n, np.inf)
    merges = np.empty((n - 1, 3))
    y = 0
    for k in range(n - 1):
        x = y
        merged[x] = True
        np.minimum(best, D[x], out=best, where=~merged)
        cand = np.where(merged, np.inf, best)
        y = int(np.argmin(cand))
        merges[k] = (x, y, cand[y])
    return merges


def _label(merges: np.ndarray, n: int, smaller_first: bool = True) -> np.ndarray:
    """Sort merges by distance (stable) and name clusters as SciPy's ``label`` does.

    Returns (n − 1, 3): the children's cluster ids (leaves 0..n−1, the k-th merge
    creating id n + k) and the distance. SciPy puts the smaller id first; for single
    linkage scikit-learn (its own MST code) keeps the edge's order instead
    (``smaller_first=False``). One union–find step per merge, not per pair.
    """
    merges = merges[np.argsort(merges[:, 2], kind="stable")]
    parent = np.arange(2 * n - 1)
    out = np.empty_like(merges)
    for k, (x, y, dist) in enumerate(merges):
        roots = []
        for node in (int(x), int(y)):
            root = node
            while parent[root] != root:
                root = parent[root]
            while parent[node] != root:  # path compression
                parent[node], node = root, parent[node]
            roots.append(root)
        a, b = sorted(roots) if smaller_first else roots
        parent[a] = parent[b] = n + k
        out[k] = (a, b, dist)
    return out


def _cut_order(children: np.ndarray, n: int, n_clusters: int) -> np.ndarray:
    """Label of each top node when cutting at n_clusters, numbered as scikit-learn's _hc_cut.

    scikit-learn undoes the last merges with a heap of node ids and numbers the
    clusters in the heap's array order; the same n_clusters heap steps are done here
    (one per cluster, not per sample). Returns a lookup indexed by node id.
    """
    nodes = [-(2 * n - 2)]
    for _ in range(n_clusters - 1):
        left, right = children[-nodes[0] - n]
        heapq.heappush(nodes, -int(left))
        heapq.heappushpop(nodes, -int(right))
    lookup = np.full(2 * n - 1, -1, dtype=np.intp)
    lookup[-np.array(nodes)] = np.arange(len(nodes))
    return lookup


class AgglomerativeClustering(ClusterMixin, BaseEstimator):
    """Hierarchical clustering by successive merges of the two closest clusters.

    Linkages (distance between clusters u and v): "ward" (the increase of the
    within-cluster sum of squares, sqrt(2 n_u n_v/(n_u + n_v)) ||μ_u − μ_v||),
    "complete" (largest pairwise distance), "average" (mean pairwise distance) and
    "single" (smallest pairwise distance). The tree is built in full (O(n²) time and
    memory, see the module docstring), then cut into ``n_clusters`` clusters, or
    where merges are at least ``distance_threshold`` apart.

    Parameters
    ----------
    n_clusters : int or None, default=2
        Number of clusters; None when ``distance_threshold`` is given.
    metric : {"euclidean", "l2", "manhattan", "l1", "cityblock", "cosine", "precomputed"}
        Distance between samples; "ward" needs "euclidean".
    memory : None
        Accepted for scikit-learn compatibility (nothing is cached).
    connectivity : None
        Only unstructured clustering is implemented; a connectivity matrix raises.
    compute_full_tree : "auto" or bool, default="auto"
        Accepted; the full tree is always built (as scikit-learn does without connectivity).
    linkage : {"ward", "complete", "average", "single"}, default="ward"
    distance_threshold : float or None, default=None
        Merges at a distance >= this are not performed; needs ``n_clusters=None``.
    compute_distances : bool, default=False
        Store ``distances_`` even without ``distance_threshold``.

    Attributes
    ----------
    n_clusters_ : int
    labels_ : ndarray of shape (n_samples,)
    n_leaves_ : int
    n_connected_components_ : int
    children_ : ndarray of shape (n_samples − 1, 2)
        Merge k joins nodes children_[k] into node n_samples + k (nodes < n_samples are samples).
    distances_ : ndarray of shape (n_samples − 1,)
        Only with ``compute_distances`` or ``distance_threshold``.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.cluster import AgglomerativeClustering
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [4, 2], [4, 4], [4, 0]])
    >>> AgglomerativeClustering().fit(X).labels_
    array([1, 1, 1, 0, 0, 0])
    """

    def __init__(self, n_clusters: int | None = 2, *, metric: str = "euclidean", memory=None,
                 connectivity=None, compute_full_tree="auto", linkage: str = "ward",
                 distance_threshold: float | None = None, compute_distances: bool = False):
        self.n_clusters = n_clusters
        self.metric = metric
        self.memory = memory
        self.connectivity = connectivity
        self.compute_full_tree = compute_full_tree
        self.linkage = linkage
        self.distance_threshold = distance_threshold
        self.compute_distances = compute_distances

    def _check_params(self, n_samples: int) -> None:
        if (self.n_clusters is None) == (self.distance_threshold is None):
            raise ValueError("Exactly one of n_clusters and distance_threshold has to be set, "
                             "and the other needs to be None.")
        if self.n_clusters is not None:
            k = self.n_clusters
            if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
                raise ValueError(f"n_clusters={k!r} must be an integer >= 1.")
            if k > n_samples:
                raise ValueError(f"n_clusters={k} is larger than the number of samples "
                                 f"({n_samples}); lower n_clusters.")
        elif not (isinstance(self.distance_threshold, numbers.Real)
                  and self.distance_threshold >= 0):
            raise ValueError(f"distance_threshold={self.distance_threshold!r} must be a "
                             "non-negative number.")
        if self.linkage not in _LINKAGES:
            raise ValueError(f"linkage={self.linkage!r} is not supported; use one of "
                             f"{list(_LINKAGES)}.")
        if self.metric not in _METRICS:
            raise ValueError(f"metric={self.metric!r} is not supported; use one of "
                             f"{list(_METRICS)}.")
        if self.linkage == "ward" and self.metric not in ("euclidean", "l2"):
            raise ValueError(f"metric={self.metric!r} was given with linkage='ward'; ward "
                             "works only with metric='euclidean'.")
        if self.connectivity is not None:
            raise ValueError("connectivity is not supported (only unstructured clustering "
                             "is implemented); pass connectivity=None.")

    def fit(self, X, y=None):
        """Build the merge tree of X and cut it; returns ``self``."""
        X = self._validate_data(X, dtype=np.float64, ensure_min_samples=2)
        n = X.shape[0]
        self._check_params(n)
        if self.metric == "precomputed" and X.shape[0] != X.shape[1]:
            raise ValueError(f"metric='precomputed' needs a square distance matrix; X has "
                             f"shape {X.shape}.")
        if self.metric == "cosine" and not np.all(np.any(X != 0, axis=1)):
            raise ValueError("Cosine affinity cannot be used when X contains zero vectors "
                             f"(row {int(np.flatnonzero(~np.any(X != 0, axis=1))[0])}); "
                             "remove them or use another metric.")
        D = _distance_matrix(X, self.metric)
        merges = _mst(D) if self.linkage == "single" else _nn_chain(D, self.linkage)
        # scikit-learn runs its own MST only for metrics its DistanceMetric knows (not cosine).
        tree = _label(merges, n, smaller_first=self.linkage != "single" or self.metric == "cosine")
        self.children_ = tree[:, :2].astype(np.intp)
        distances = tree[:, 2]
        if self.distance_threshold is not None:
            self.n_clusters_ = int(np.count_nonzero(distances >= self.distance_threshold)) + 1
        else:
            self.n_clusters_ = int(self.n_clusters)
        if self.compute_distances or self.distance_threshold is not None:
            self.distances_ = distances
        self.n_leaves_ = n
        self.n_connected_components_ = 1
        # The clusters are the connected components of the first n − n_clusters merges,
        # which link a sample of each side (the sorted, unlabelled ``merges``).
        first = merges[np.argsort(merges[:, 2], kind="stable")][:n - self.n_clusters_]
        a, b = first[:, 0].astype(np.intp), first[:, 1].astype(np.intp)
        root = _min_label_components(n, np.r_[a, b], np.r_[b, a])  # both directions
        comp = np.unique(root, return_inverse=True)[1]
        # Each cluster's tree node: its last merge (node n + k), or the sample itself.
        top = np.empty(comp.max() + 1, dtype=np.intp)
        top[comp] = np.arange(n)
        np.maximum.at(top, comp[a], n + np.arange(len(a)))
        self.labels_ = _cut_order(self.children_, n, self.n_clusters_)[top][comp]
        return self

    def fit_predict(self, X, y=None):
        """Fit and return ``labels_``."""
        return self.fit(X).labels_


__all__ = ["AgglomerativeClustering"]
