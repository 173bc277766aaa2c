"""Cython twins of the ``kdtree_build`` and ``kdtree_query`` kernels: arrays and threads.

The compiled part (``kernels/cython/_kdtree.pyx``) builds the tree breadth first
with an introselect per node, and searches it depth first, one query at a time,
with a heap of the k best (squared distance, index) pairs. This adapter sizes the
node arrays, lays the training rows out in tree order (each leaf's points
contiguous in memory) and splits the queries between threads; each query's
result depends only on that query, so it does not depend on the thread count.
Importing this module fails if the extension was not built, which is how the
registry learns the Cython backend is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._cython import _kdtree
from ..utils._parallel import row_ranges, run_ranges


def _n_nodes(n: int, leaf_size: int, memo: dict | None = None) -> int:
    """Nodes of the median-split tree of n rows (sizes per level take two values)."""
    memo = {} if memo is None else memo
    if n <= leaf_size:
        return 1
    if n not in memo:
        memo[n] = 1 + _n_nodes(n // 2, leaf_size, memo) + _n_nodes(n - n // 2, leaf_size, memo)
    return memo[n]


def kdtree_build(X: np.ndarray, leaf_size: int) -> dict:
    """The reference's tree (same arrays, same numbering) built by the compiled kernel."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    n, p = X.shape
    m = _n_nodes(n, leaf_size)
    tree = {"perm": np.arange(n, dtype=np.intp),
            "start": np.empty(m, dtype=np.intp), "stop": np.empty(m, dtype=np.intp),
            "left": np.empty(m, dtype=np.intp), "right": np.empty(m, dtype=np.intp),
            "dim": np.empty(m, dtype=np.intp), "split": np.empty(m),
            "lo": np.empty((m, p)), "hi": np.empty((m, p))}
    made = _kdtree.build(X, leaf_size, *(tree[key] for key in
                         ("perm", "start", "stop", "left", "right", "dim", "split", "lo", "hi")))
    if made != m:  # the node count is exact; a mismatch would be a bug here
        raise RuntimeError(f"KD-tree build made {made} nodes, expected {m}")
    return tree


def kdtree_query(Q: np.ndarray, X: np.ndarray, tree: dict, k: int,
                 exclude_self: bool = False, n_jobs=None):
    """``(squared distances, indices)`` of the k nearest rows of X, by (d², index)."""
    Q = np.ascontiguousarray(Q, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    arrays = [np.ascontiguousarray(tree[key], dtype=np.intp)
              for key in ("perm", "start", "stop", "left", "right")]
    lo = np.ascontiguousarray(tree["lo"], dtype=np.float64)
    hi = np.ascontiguousarray(tree["hi"], dtype=np.float64)
    _check_tree(len(X), *arrays)
    pts = np.ascontiguousarray(X[arrays[0]])  # leaf points contiguous in memory
    n_q = len(Q)
    dist = np.empty((n_q, k))
    ind = np.empty((n_q, k), dtype=np.intp)

    def work(start, stop):
        _kdtree.query(Q, pts, *arrays, lo, hi, k, exclude_self, start, stop, dist, ind)

    run_ranges(work, row_ranges(n_q, n_jobs, min_rows=256))
    return dist, ind


def _check_tree(n: int, perm, start, stop, left, right) -> None:
    """Refuse a tree (e.g. from a damaged saved model) that would send the search out of bounds.

    The compiled search trusts these: rows of ``perm`` within [0, n), node ranges
    within [0, n], and children with larger ids than their parents (so a path, and
    the search's stack, holds at most n_nodes nodes). O(n) and vectorised.
    """
    m = len(left)
    ids = np.arange(m)
    inner = left >= 0
    ok = (m >= 1 and len(perm) == n and len(start) == len(stop) == len(right) == m
          and (n == 0 or (perm.min() >= 0 and perm.max() < n))
          and bool(np.all((start >= 0) & (start <= stop) & (stop <= n)))
          and bool(np.all(inner == (right >= 0)))
          and bool(np.all((left[inner] > ids[inner]) & (left[inner] < m)
                          & (right[inner] > ids[inner]) & (right[inner] < m))))
    if not ok:
        raise ValueError(
            "The KD-tree's arrays are inconsistent (indices out of range, or a child "
            "numbered before its parent); refit the model to rebuild the tree."
        )
