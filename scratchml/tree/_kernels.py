"""Tree kernels: registrations of ``tree_build`` and ``tree_apply``.

* ``tree_build(Xt, y, w, samples, n_classes, criterion, random_split, max_features,
  max_depth, min_samples_split, min_samples_leaf, min_weight_leaf,
  min_impurity_decrease, max_leaf_nodes, seed) -> dict of node arrays``:
  NumPy reference in :mod:`._builder_numpy`; Cython twin ``scratchml._cython._tree``
  (the whole growth loop, without the GIL). Both build the identical tree.
* ``tree_apply(X, tree_arrays, n_jobs) -> leaf index per row``: the NumPy reference
  walks all rows one level at a time; the Cython twin walks row by row in threads.
* ``forest_sum(X, concatenated tree arrays, value, roots, n_jobs) -> (n, K)``: the sum
  of every tree's leaf value, trees added in order (so every backend and thread count
  rounds alike); the Cython twin walks the rows through each tree in turn.
"""

from __future__ import annotations

import numpy as np

from .._backend import register
from ._builder_numpy import build_tree as _build_tree_numpy


def _apply_numpy(X, left, right, feature, threshold, missing_left, n_jobs=None):
    """Route every row down the tree at once: one vectorized step per level."""
    node = np.zeros(len(X), dtype=np.intp)
    active = np.flatnonzero(left[node] >= 0)
    while active.size:
        nd = node[active]
        x = X[active, feature[nd]].astype(np.float64)
        go_left = np.where(np.isnan(x), missing_left[nd].astype(bool), x <= threshold[nd])
        node[active] = np.where(go_left, left[nd], right[nd])
        active = active[left[node[active]] >= 0]
    return node


def concat_trees(trees) -> tuple:
    """All trees' node arrays end to end (children as global indices) and each root."""
    sizes = np.array([t.node_count for t in trees])
    roots = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
    shift = np.repeat(roots, sizes)
    left = np.concatenate([t.children_left for t in trees])
    right = np.concatenate([t.children_right for t in trees])
    left = np.where(left >= 0, left + shift, -1).astype(np.intp)
    right = np.where(right >= 0, right + shift, -1).astype(np.intp)
    feature = np.concatenate([t.feature for t in trees]).astype(np.intp)
    threshold = np.concatenate([t.threshold for t in trees])
    miss = np.concatenate([t.missing_go_to_left for t in trees]).astype(np.uint8)
    value = np.ascontiguousarray(np.concatenate([t.value[:, 0, :] for t in trees]))
    return left, right, feature, threshold, miss, value, roots


def _forest_sum_numpy(X, left, right, feature, threshold, miss, value, roots, n_jobs=None):
    """Σ over trees (in order) of each row's leaf value: the ``forest_sum`` reference."""
    out = np.zeros((len(X), value.shape[1]))
    for root in roots:
        node = np.full(len(X), root, dtype=np.intp)
        active = np.flatnonzero(left[node] >= 0)
        while active.size:
            nd = node[active]
            x = X[active, feature[nd]].astype(np.float64)
            go_left = np.where(np.isnan(x), miss[nd].astype(bool), x <= threshold[nd])
            node[active] = np.where(go_left, left[nd], right[nd])
            active = active[left[node[active]] >= 0]
        out += value[node]
    return out


register("tree_build", "numpy", _build_tree_numpy)
register("tree_build", "cython", "scratchml._cython._tree:build_tree")
register("tree_apply", "numpy", _apply_numpy)
register("tree_apply", "cython", "scratchml.tree._kernels_native:apply")
register("forest_sum", "numpy", _forest_sum_numpy)
register("forest_sum", "cython", "scratchml.tree._kernels_native:forest_sum")
