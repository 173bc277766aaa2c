"""NumPy reference of the tree kernel, part 2: growing the tree (depth-first or best-first).

Depth-first (scikit-learn's default): pop a node from a stack, decide whether it is a
leaf, otherwise split it and push the right then the left child, so nodes are numbered
in pre-order. A node is a leaf when it is too deep, too small (``min_samples_split``,
2 ``min_samples_leaf``, 2 ``min_weight_leaf``), pure (impurity <= eps), has no valid
split, or its split decreases the weighted impurity by less than ``min_impurity_decrease``:

    ΔI = W_t / W · (I_t − W_R / W_t · I_R − W_L / W_t · I_L).

Best-first (``max_leaf_nodes``): each node's best split is found when the node is
created; the frontier node with the largest ΔI is split next, until the tree has
``max_leaf_nodes`` leaves.

Children's totals are the parent's split statistics (left) and their difference from
the parent's totals (right), so neither backend ever re-sums a node in another order.
"""

from __future__ import annotations

import heapq

import numpy as np

from ._splitter_numpy import (
    ABSOLUTE,
    EPSILON,
    SplitMix64,
    find_split,
    node_impurity,
    sample_stats,
    seqsum,
    weighted_median,
)

LEAF, UNDEFINED = -1, -2


class _Nodes:
    """Growing lists of node fields, turned into the flat arrays of the fitted tree."""

    def __init__(self) -> None:
        self.fields = {k: [] for k in ("children_left", "children_right", "feature", "threshold",
                                       "impurity", "n_node_samples", "weighted_n_node_samples",
                                       "missing_go_to_left", "value")}

    def add(self, parent, is_left, impurity, n, W, value):
        f = self.fields
        node = len(f["feature"])
        if parent >= 0:
            f["children_left" if is_left else "children_right"][parent] = node
        for key, v in (("children_left", LEAF), ("children_right", LEAF), ("feature", UNDEFINED),
                       ("threshold", float(UNDEFINED)), ("impurity", impurity),
                       ("n_node_samples", n), ("weighted_n_node_samples", W),
                       ("missing_go_to_left", 0), ("value", value)):
            f[key].append(v)
        return node

    def set_split(self, node, split):
        self.fields["feature"][node] = split.feature
        self.fields["threshold"][node] = split.threshold
        self.fields["missing_go_to_left"][node] = int(split.missing_left)

    def arrays(self) -> dict:
        f = self.fields
        out = {k: np.asarray(f[k], dtype=np.intp) for k in
               ("children_left", "children_right", "feature", "n_node_samples")}
        out["threshold"] = np.asarray(f["threshold"], dtype=np.float64)
        out["impurity"] = np.asarray(f["impurity"], dtype=np.float64)
        out["weighted_n_node_samples"] = np.asarray(f["weighted_n_node_samples"], np.float64)
        out["missing_go_to_left"] = np.asarray(f["missing_go_to_left"], dtype=np.uint8)
        out["value"] = np.asarray(f["value"], dtype=np.float64)
        return out


class _Grower:
    def __init__(self, Xt, y, w, params, seed):
        self.Xt, self.y, self.w, self.p = Xt, y, w, params
        self.rng = SplitMix64(seed)
        self.features = np.arange(Xt.shape[0], dtype=np.intp)
        self.nodes = _Nodes()

    def value(self, tot, W, seg):
        if self.p["n_classes"] > 0:
            return tot / W
        if self.p["criterion"] == ABSOLUTE:
            return np.array([weighted_median(self.y[seg], self.w[seg])])
        return np.array([tot[0] / W])

    def impurity(self, tot, W, seg):
        return node_impurity(self.p["criterion"], tot, W, self.y, self.w, seg)

    def is_small(self, n, W, depth, impurity):
        p = self.p
        return (depth >= p["max_depth"] or n < p["min_samples_split"]
                or n < 2 * p["min_samples_leaf"] or W < 2 * p["min_weight_leaf"]
                or impurity <= EPSILON)

    def split(self, seg, tot, W, impurity, W_root):
        """(split, children (seg, tot, W) pairs, ΔI), or None when the node stays a leaf."""
        split = find_split(self.Xt, self.y, self.w, seg, tot, W, self.p, self.features, self.rng)
        if split is None:
            return None
        x = self.Xt[split.feature, seg].astype(np.float64)
        go_left = (x <= split.threshold) | (np.isnan(x) & split.missing_left)
        left_seg, right_seg = seg[go_left], seg[~go_left]
        wl, wr = split.wl, W - split.wl
        left_tot, right_tot = split.left, tot - split.left
        if self.p["criterion"] == ABSOLUTE:  # the split search's deviations, as scikit-learn
            imp_l, imp_r = split.dev_left / wl, split.dev_right / wr
        else:
            imp_l = self.impurity(left_tot, wl, left_seg)
            imp_r = self.impurity(right_tot, wr, right_seg)
        gain = (W / W_root) * (impurity - wr / W * imp_r - wl / W * imp_l)
        if gain + EPSILON < self.p["min_impurity_decrease"]:
            return None
        return split, ((left_seg, left_tot, wl, imp_l), (right_seg, right_tot, wr, imp_r)), gain


def _root(y, w, samples, n_classes):
    st, sw = sample_stats(y, w, samples, n_classes)
    return seqsum(st, axis=0), float(seqsum(sw))


def build_depth_first(g: _Grower, samples):
    tot, W = _root(g.y, g.w, samples, g.p["n_classes"])
    W_root = W
    stack = [(samples, tot, W, g.impurity(tot, W, samples), 0, -1, False)]
    while stack:
        seg, tot, W, imp, depth, parent, is_left = stack.pop()
        node = g.nodes.add(parent, is_left, imp, len(seg), W, g.value(tot, W, seg))
        if g.is_small(len(seg), W, depth, imp):
            continue
        found = g.split(seg, tot, W, imp, W_root)
        if found is None:
            continue
        split, (left, right), _ = found
        g.nodes.set_split(node, split)
        stack.append((*right, depth + 1, node, False))
        stack.append((*left, depth + 1, node, True))


def build_best_first(g: _Grower, samples, max_leaf_nodes):
    tot, W = _root(g.y, g.w, samples, g.p["n_classes"])
    W_root = W
    frontier = []

    def add(seg, tot, W, imp, depth, parent, is_left):
        node = g.nodes.add(parent, is_left, imp, len(seg), W, g.value(tot, W, seg))
        if not g.is_small(len(seg), W, depth, imp):
            found = g.split(seg, tot, W, imp, W_root)
            if found is not None:
                heapq.heappush(frontier, (-found[2], node, depth, found))

    add(samples, tot, W, g.impurity(tot, W, samples), 0, -1, False)
    n_splits_left = max_leaf_nodes - 1
    while frontier and n_splits_left > 0:
        _, node, depth, (split, (left, right), _) = heapq.heappop(frontier)
        n_splits_left -= 1
        g.nodes.set_split(node, split)
        add(*left, depth + 1, node, True)
        add(*right, depth + 1, node, False)


def build_tree(Xt, y, w, samples, n_classes, criterion, random_split, max_features, max_depth,
               min_samples_split, min_samples_leaf, min_weight_leaf, min_impurity_decrease,
               max_leaf_nodes, seed):
    """Grow a tree; NumPy reference of the ``tree_build`` kernel.

    Parameters
    ----------
    Xt : ndarray of shape (n_features, n_samples), float32 or float64
        The training data, feature-major (each feature's values contiguous).
    y : ndarray of shape (n_samples,), float64
        Class codes 0..n_classes-1 (classification) or targets (regression).
    w : ndarray of shape (n_samples,), float64
        Sample weights.
    samples : ndarray of intp
        Increasing ids of the samples to use (those with positive weight).
    n_classes : int
        Number of classes, 0 for regression.
    criterion : int
        A code of ``_splitter_numpy.CRITERIA``.
    random_split : bool
        Draw one random threshold per feature (extra trees) instead of trying all.
    max_features, max_depth, min_samples_split, min_samples_leaf : int
    min_weight_leaf, min_impurity_decrease : float
    max_leaf_nodes : int
        -1 grows depth-first without a leaf limit; otherwise best-first.
    seed : int
        Seed of the SplitMix64 generator that draws features and thresholds.

    Returns
    -------
    dict of ndarray
        The flat node arrays (``children_left``, ..., ``value`` of shape
        (n_nodes, max(n_classes, 1))).
    """
    params = dict(n_classes=n_classes, criterion=criterion, random=bool(random_split),
                  max_features=max_features, max_depth=max_depth,
                  min_samples_split=min_samples_split, min_samples_leaf=min_samples_leaf,
                  min_weight_leaf=min_weight_leaf, min_impurity_decrease=min_impurity_decrease)
    g = _Grower(Xt, y, w, params, seed)
    samples = np.asarray(samples, dtype=np.intp)
    if max_leaf_nodes < 0:
        build_depth_first(g, samples)
    else:
        build_best_first(g, samples, max_leaf_nodes)
    return g.nodes.arrays()
