"""Growing one regression tree on binned data from gradients and hessians.

Leaf-wise, best first (LightGBM; scikit-learn's ``TreeGrower``): every node that
could still be split waits in a heap keyed by the gain of its best split, and
the node with the largest gain is split next, until ``max_leaf_nodes`` leaves
exist or no node has a split with positive gain. A node becomes a leaf when it
is at ``max_depth``, has fewer than ``2 * min_samples_leaf`` samples, or has no
valid split. Its value is the Newton step, shrunk by the learning rate:

    value = -learning_rate * G / (H + l2_regularization),   G = sum g_i, H = sum h_i.

Histogram subtraction: a parent's histogram is the sum of its children's, so
after a split only the *smaller* child's histogram is built from its samples;
the larger one's is ``parent - smaller``. Each level then costs at most half
the samples of the level above.
"""

from __future__ import annotations

import heapq

import numpy as np

# A split needs this much hessian on each side (scikit-learn's min_hessian_to_split).
MIN_HESSIAN = 1e-3


class _Tree:
    """Flat arrays of a tree under construction (node 0 is the root)."""

    def __init__(self):
        self.feature, self.bin, self.threshold, self.missing_left = [], [], [], []
        self.left, self.right, self.value, self.is_leaf = [], [], [], []

    def add(self, value: float) -> int:
        self.feature.append(0)
        self.bin.append(0)
        self.threshold.append(0.0)
        self.missing_left.append(False)
        self.left.append(-1)
        self.right.append(-1)
        self.value.append(value)
        self.is_leaf.append(True)
        return len(self.value) - 1

    def arrays(self) -> dict:
        return {
            "feature": np.asarray(self.feature, dtype=np.intp),
            "bin": np.asarray(self.bin, dtype=np.uint8),
            "threshold": np.asarray(self.threshold, dtype=np.float64),
            "missing_left": np.asarray(self.missing_left, dtype=bool),
            "left": np.asarray(self.left, dtype=np.intp),
            "right": np.asarray(self.right, dtype=np.intp),
            "value": np.asarray(self.value, dtype=np.float64),
            "is_leaf": np.asarray(self.is_leaf, dtype=bool),
        }


def grow_tree(X_binned, gradients, hessians, *, thresholds, n_bins_non_missing, has_missing,
              max_leaf_nodes, max_depth, min_samples_leaf, l2, shrinkage,
              hist_build, best_split, partition, n_jobs=None):
    """Grow one tree; return ``(arrays, leaves)``.

    ``arrays`` is the dict of flat node arrays (``feature``, ``threshold``,
    ``missing_left``, ``left``, ``right``, ``value`` (already shrunk), ``is_leaf``,
    ``bin``); ``leaves`` lists ``(node_id, sample_indices)`` of every leaf, which
    is how the caller updates its raw predictions without predicting.
    """
    n = X_binned.shape[0]
    tree = _Tree()
    leaves = []
    g_sum = float(np.sum(gradients, dtype=np.float64))
    h_sum = float(n if hessians is None else np.sum(hessians, dtype=np.float64))
    root = tree.add(-g_sum / (h_sum + l2))
    all_rows = np.arange(n, dtype=np.intp)
    heap: list = []
    counter = 0  # ties in gain pop in creation order

    def push_or_finalize(node, rows, hist, sums, depth):
        nonlocal counter
        split = best_split(hist, n_bins_non_missing, has_missing, sums[0], sums[1], sums[2],
                           min_samples_leaf, MIN_HESSIAN, l2)
        if split[0] > 0:
            heapq.heappush(heap, (-split[0], counter, node, rows, hist, sums, split, depth))
            counter += 1
        else:
            leaves.append((node, rows))

    if n < 2 * min_samples_leaf or h_sum < MIN_HESSIAN or max_depth == 0:
        leaves.append((root, all_rows))
    else:
        hist = hist_build(X_binned, None, gradients, hessians, n_jobs=n_jobs)
        push_or_finalize(root, all_rows, hist, (g_sum, h_sum, n), 0)

    n_leaves = 1
    while heap:
        _, _, node, rows, hist, sums, split, depth = heapq.heappop(heap)
        _, f, b, missing_left, g_l, h_l, n_l = split
        left_rows, right_rows = partition(X_binned, rows, f, b, missing_left)
        if not has_missing[f]:
            # No NaN in training: at predict time NaN follows the majority.
            missing_left = len(left_rows) > len(right_rows)
        t = thresholds[f]
        tree.feature[node], tree.bin[node] = f, b
        tree.threshold[node] = t[b] if b < len(t) else np.inf  # bin past the last: split on NaN
        tree.missing_left[node] = bool(missing_left)
        tree.is_leaf[node] = False
        sums_l = (g_l, h_l, n_l)
        sums_r = (sums[0] - g_l, sums[1] - h_l, sums[2] - n_l)
        left = tree.add(-sums_l[0] / (sums_l[1] + l2))
        right = tree.add(-sums_r[0] / (sums_r[1] + l2))
        tree.left[node], tree.right[node] = left, right
        n_leaves += 1
        depth += 1

        if (max_leaf_nodes is not None and n_leaves >= max_leaf_nodes) or depth == max_depth:
            leaves += [(left, left_rows), (right, right_rows)]
            if max_leaf_nodes is not None and n_leaves >= max_leaf_nodes:
                leaves += [(entry[2], entry[3]) for entry in heap]
                heap.clear()
            continue
        can_l = len(left_rows) >= 2 * min_samples_leaf
        can_r = len(right_rows) >= 2 * min_samples_leaf
        if not (can_l or can_r):
            leaves += [(left, left_rows), (right, right_rows)]
            continue
        # Build the smaller child's histogram; the larger one's is parent - smaller.
        small_is_left = len(left_rows) < len(right_rows)
        small_rows = left_rows if small_is_left else right_rows
        small = hist_build(X_binned, small_rows, gradients, hessians, n_jobs=n_jobs)
        # The parent's histogram is not needed again: subtract in place, sparing a
        # (n_features, 256, 3) allocation per split.
        large = np.subtract(hist, small, out=hist) if hist.flags.writeable else hist - small
        hist_l, hist_r = (small, large) if small_is_left else (large, small)
        for child, child_rows, child_hist, child_sums, can in (
            (left, left_rows, hist_l, sums_l, can_l),
            (right, right_rows, hist_r, sums_r, can_r),
        ):
            if can:
                push_or_finalize(child, child_rows, child_hist, child_sums, depth)
            else:
                leaves.append((child, child_rows))

    arrays = tree.arrays()
    arrays["value"] *= shrinkage
    return arrays, leaves


def predict_tree(tree: dict, root: int, X: np.ndarray) -> np.ndarray:
    """Value of the leaf each row of X reaches, walking all rows down one level at a time.

    A row goes left when x_f <= threshold, or, when x_f is NaN, when the node's
    ``missing_left`` says so.
    """
    n = X.shape[0]
    node = np.full(n, root, dtype=np.intp)
    rows = np.arange(n)
    is_leaf, feature, threshold = tree["is_leaf"], tree["feature"], tree["threshold"]
    while rows.size:
        nd = node[rows]
        inner = ~is_leaf[nd]
        rows, nd = rows[inner], nd[inner]
        if not rows.size:
            break
        x = X[rows, feature[nd]]
        go_left = x <= threshold[nd]
        nan = np.isnan(x)
        if nan.any():
            go_left[nan] = tree["missing_left"][nd[nan]]
        node[rows] = np.where(go_left, tree["left"][nd], tree["right"][nd])
    return tree["value"][node]
