"""The fitted tree as flat arrays, its traversal, importances and cost-complexity pruning.

Node ``i`` of a tree is described by entry ``i`` of each array (scikit-learn's layout):
``children_left[i]`` / ``children_right[i]`` (-1 for a leaf), ``feature[i]`` and
``threshold[i]`` (-2 for a leaf), ``missing_go_to_left[i]`` (where NaN goes),
``impurity[i]``, ``n_node_samples[i]``, ``weighted_n_node_samples[i]`` and
``value[i]`` (class fractions, or the mean target, shape (n_outputs, n_values)).
A sample goes left when x_f <= threshold, or when x_f is NaN and missing_go_to_left.
Children always have larger ids than their parent.
"""

from __future__ import annotations

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator

_ARRAYS = ("children_left", "children_right", "feature", "threshold", "value", "impurity",
           "n_node_samples", "weighted_n_node_samples", "missing_go_to_left")


class Tree(BaseEstimator):
    """Flat-array storage of a fitted decision tree (the ``tree_`` attribute).

    A plain-data holder: persistence saves the arrays listed in ``_persist_private``,
    so ``scratchml.save``/``load`` round-trip a fitted tree without pickle.

    Attributes
    ----------
    children_left, children_right, feature : ndarray of intp, shape (node_count,)
    threshold, impurity, weighted_n_node_samples : ndarray of float64
    n_node_samples : ndarray of intp
    missing_go_to_left : ndarray of uint8
    value : ndarray of shape (node_count, 1, n_values)
        Class fractions (classification) or the node's prediction (regression).
    n_features, n_classes : int
        Feature count, and class count (1 for regression).

    Examples
    --------
    >>> from scratchml.tree import DecisionTreeClassifier
    >>> t = DecisionTreeClassifier().fit([[0.0], [1.0]], [0, 1]).tree_
    >>> t.node_count, float(t.threshold[0])
    (3, 0.5)
    """

    _persist_private = (*_ARRAYS, "n_features", "n_classes")

    def __init__(self) -> None:
        pass

    @classmethod
    def from_arrays(cls, arrays: dict, n_features: int, n_classes: int) -> Tree:
        tree = cls()
        for name in _ARRAYS:
            setattr(tree, name, np.asarray(arrays[name]))
        if tree.value.ndim == 2:
            tree.value = tree.value[:, None, :]
        tree.missing_go_to_left = tree.missing_go_to_left.astype(np.uint8)
        tree.n_features, tree.n_classes = int(n_features), int(n_classes)
        return tree

    @property
    def node_count(self) -> int:
        return len(self.feature)

    @property
    def n_leaves(self) -> int:
        return int(np.sum(self.children_left < 0))

    @property
    def max_depth(self) -> int:
        return int(self.node_depths().max())

    def node_depths(self) -> np.ndarray:
        """Depth of every node (root 0), one vectorized step per level."""
        depth = np.zeros(self.node_count, dtype=np.intp)
        level, d = np.array([0]), 0
        while level.size:
            depth[level] = d
            inner = level[self.children_left[level] >= 0]
            level = np.concatenate([self.children_left[inner], self.children_right[inner]])
            d += 1
        return depth

    def apply(self, X: np.ndarray, n_jobs=None) -> np.ndarray:
        """Index of the leaf each row of X (validated, C-contiguous) ends in."""
        fn, _ = get_kernel("tree_apply")
        return fn(X, self.children_left, self.children_right, self.feature, self.threshold,
                  self.missing_go_to_left, n_jobs)

    def decision_path(self, X: np.ndarray) -> np.ndarray:
        """Dense 0/1 matrix (n_samples, node_count): 1 where the row passes through the node."""
        path = np.zeros((len(X), self.node_count), dtype=np.int64)
        rows = np.arange(len(X))
        node = np.zeros(len(X), dtype=np.intp)
        path[rows, node] = 1
        active = rows[self.children_left[node] >= 0]
        while active.size:
            nd = node[active]
            x = X[active, self.feature[nd]].astype(np.float64)
            left = np.where(np.isnan(x), self.missing_go_to_left[nd].astype(bool),
                            x <= self.threshold[nd])
            node[active] = np.where(left, self.children_left[nd], self.children_right[nd])
            path[active, node[active]] = 1
            active = active[self.children_left[node[active]] >= 0]
        return path

    def compute_feature_importances(self, normalize: bool = True) -> np.ndarray:
        """Mean decrease in impurity: Σ over nodes splitting on f of
        W_t I_t − W_L I_L − W_R I_R, divided by W_root (and normalized to sum to 1)."""
        inner = np.flatnonzero(self.children_left >= 0)
        wi = self.weighted_n_node_samples * self.impurity
        left, right = self.children_left[inner], self.children_right[inner]
        gain = wi[inner] - wi[left] - wi[right]
        imp = np.bincount(self.feature[inner], weights=gain, minlength=self.n_features)
        imp = imp / self.weighted_n_node_samples[0]
        total = imp.sum()
        if normalize and total > 0:
            imp = imp / total
        return imp


def _parents(tree: Tree) -> np.ndarray:
    parent = np.full(tree.node_count, -1, dtype=np.intp)
    inner = np.flatnonzero(tree.children_left >= 0)
    parent[tree.children_left[inner]] = inner
    parent[tree.children_right[inner]] = inner
    return parent


def _alive(leaf, parent, levels) -> np.ndarray:
    """Nodes still in the tree when the nodes of ``leaf`` are leaves (top-down by level)."""
    alive = np.zeros(len(leaf), dtype=bool)
    alive[0] = True
    for nodes in levels[1:]:
        alive[nodes] = alive[parent[nodes]] & ~leaf[parent[nodes]]
    return alive


def _pruning_sequence(tree: Tree, ccp_alpha: float = np.inf):
    """Minimal cost-complexity pruning (Breiman et al. 1984, ch. 3).

    With R(t) = W_t / W · I_t, an internal node t's *effective alpha* is
    g(t) = (R(t) − R(T_t)) / (|leaves(T_t)| − 1), where T_t is its current subtree.
    Repeatedly collapse the weakest link (smallest g, lowest id on ties) while
    g <= ccp_alpha. Yields (alpha, total leaf impurity, leaf mask) after each step,
    starting with (0, R(T), leaves of the full tree).
    """
    R = tree.weighted_n_node_samples / tree.weighted_n_node_samples[0] * tree.impurity
    parent, depth = _parents(tree), tree.node_depths()
    levels = [np.flatnonzero(depth == d) for d in range(depth.max() + 1)]
    leaf = tree.children_left < 0
    yield 0.0, float(R[leaf].sum()), leaf.copy()
    while not leaf[0]:
        alive = _alive(leaf, parent, levels)
        is_leaf = leaf & alive
        R_sub = np.where(is_leaf, R, 0.0)
        n_leaves = is_leaf.astype(np.float64)
        for nodes in reversed(levels[1:]):
            nodes = nodes[alive[nodes]]
            np.add.at(R_sub, parent[nodes], R_sub[nodes])
            np.add.at(n_leaves, parent[nodes], n_leaves[nodes])
        inner = np.flatnonzero(alive & ~leaf)
        g = (R[inner] - R_sub[inner]) / (n_leaves[inner] - 1.0)
        j = int(np.argmin(g))
        alpha = max(float(g[j]), 0.0)
        if alpha > ccp_alpha:
            return
        leaf[inner[j]] = True
        # leaves below the collapsed node are no longer part of the tree
        total = R_sub[0] - R_sub[inner[j]] + R[inner[j]]
        yield alpha, float(total), leaf.copy()


def prune(tree: Tree, ccp_alpha: float) -> Tree:
    """The subtree left by cost-complexity pruning with parameter ``ccp_alpha``."""
    *_, (_, _, leaf) = _pruning_sequence(tree, ccp_alpha)  # the last (smallest) subtree
    depth = tree.node_depths()
    levels = [np.flatnonzero(depth == d) for d in range(depth.max() + 1)]
    keep = _alive(leaf, _parents(tree), levels)
    new_id = np.cumsum(keep) - 1
    arrays = {name: getattr(tree, name)[keep] for name in _ARRAYS}
    is_leaf = leaf[keep]
    for name in ("children_left", "children_right"):
        child = arrays[name]
        arrays[name] = np.where(is_leaf, -1, new_id[np.maximum(child, 0)]).astype(np.intp)
    arrays["feature"] = np.where(is_leaf, -2, arrays["feature"]).astype(np.intp)
    arrays["threshold"] = np.where(is_leaf, -2.0, arrays["threshold"])
    arrays["missing_go_to_left"] = np.where(is_leaf, 0, arrays["missing_go_to_left"])
    return Tree.from_arrays(arrays, tree.n_features, tree.n_classes)


def pruning_path(tree: Tree) -> dict:
    """``{"ccp_alphas": ..., "impurities": ...}`` of the whole pruning sequence."""
    steps = [(a, imp) for a, imp, _ in _pruning_sequence(tree)]
    return {"ccp_alphas": np.array([a for a, _ in steps]),
            "impurities": np.array([imp for _, imp in steps])}
