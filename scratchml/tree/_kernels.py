"""Tree kernels: registrations of ``tree_build`` and ``tree_apply``.

* ``tree_build(Xt, y, w, samples, n_classes, criterion, random_split, max_features,
  max_depth, min_samples_split, min_samples_leaf, min_weight_leaf,
  min_impurity_decrease, max_leaf_nodes, seed) -> dict of node arrays``:
  NumPy reference in :mod:`._builder_numpy`; Cython twin ``scratchml._cython._tree``
  (the whole growth loop, without the GIL). Both build the identical tree.
* ``tree_apply(X, tree_arrays, n_jobs) -> leaf index per row``: the NumPy reference
  walks all rows one level at a time; the Cython twin walks row by row in threads.
* ``forest_sum(X, tree_arrays(trees), n_jobs) -> (n, K)``: the sum of every tree's
  leaf value, trees added in order (so every backend and thread count rounds alike);
  the Cython twin walks the rows through each tree's own arrays in turn (no copy).
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


def tree_arrays(trees) -> list:
    """Per tree, the node arrays ``forest_sum`` reads, in its dtypes (no copy if they match).

    Returns ``[(left, right, feature, threshold, missing_left, value), ...]`` with
    ``value`` of shape (node_count, K). Each tree keeps its own arrays: nothing is
    concatenated, so predicting costs no copy of the forest.
    """
    out = []
    for t in trees:
        out.append((np.ascontiguousarray(t.children_left, dtype=np.intp),
                    np.ascontiguousarray(t.children_right, dtype=np.intp),
                    np.ascontiguousarray(t.feature, dtype=np.intp),
                    np.ascontiguousarray(t.threshold, dtype=np.float64),
                    np.ascontiguousarray(t.missing_go_to_left, dtype=np.uint8),
                    np.ascontiguousarray(t.value[:, 0, :], dtype=np.float64)))
    return out


def _forest_sum_numpy(X, trees, n_jobs=None):
    """Σ over trees (in order) of each row's leaf value: the ``forest_sum`` reference."""
    out = np.zeros((len(X), trees[0][5].shape[1]))
    for left, right, feature, threshold, miss, value in trees:
        out += value[_apply_numpy(X, left, right, feature, threshold, miss)]
    return out


register("tree_build", "numpy", _build_tree_numpy)
register("tree_build", "cython", "scratchml._cython._tree:build_tree")
register("tree_apply", "numpy", _apply_numpy)
register("tree_apply", "cython", "scratchml.tree._kernels_native:apply")
register("forest_sum", "numpy", _forest_sum_numpy)
register("forest_sum", "cython", "scratchml.tree._kernels_native:forest_sum")
