"""Drawings of fitted trees and of feature importances."""

from __future__ import annotations

import numpy as np

from ._common import get_ax, require_matplotlib


def _layout(tree, max_depth):
    """(x, depth) of every drawn node: leaves evenly spaced, parents centred above them."""
    pos = {}
    next_x = [0.0]

    def place(node, depth):
        left, right = tree.children_left[node], tree.children_right[node]
        if left < 0 or depth >= max_depth:
            pos[node] = (next_x[0], depth)
            next_x[0] += 1.0
            return
        place(left, depth + 1)
        place(right, depth + 1)
        pos[node] = ((pos[left][0] + pos[right][0]) / 2.0, depth)

    place(0, 0)
    return pos


def plot_tree(decision_tree, *, max_depth: int | None = None, feature_names=None,
              class_names=None, precision: int = 3, fontsize: float = 8, ax=None):
    """Draw a fitted decision tree: one box per node, edges from parents to children.

    Internal nodes show their rule ``feature <= threshold``; every node shows its
    impurity, sample count and value (class fractions or mean target). Leaves are
    laid out left to right in order, each parent centred above its children; the left
    child is the ``True`` branch of the rule.

    Parameters
    ----------
    decision_tree : DecisionTreeClassifier or DecisionTreeRegressor
        A fitted tree (or anything with a ``tree_`` attribute).
    max_depth : int, optional
        Draw only this many levels (deeper subtrees end at a box marked "...").
    feature_names, class_names : list of str, optional
    precision : int, default=3
        Decimals of numbers in the boxes.
    fontsize : float, default=8
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        One text box per drawn node (``ax.texts``) and one line per edge.

    Examples
    --------
    >>> from scratchml.tree import DecisionTreeClassifier
    >>> from scratchml.plotting import plot_tree
    >>> clf = DecisionTreeClassifier(max_depth=2).fit([[0.0], [1.0], [2.0]], [0, 1, 1])
    >>> ax = plot_tree(clf)  # doctest: +SKIP
    """
    require_matplotlib()
    tree = getattr(decision_tree, "tree_", None)
    if tree is None:
        raise ValueError("plot_tree needs a fitted decision tree (with a tree_ attribute); "
                         "call fit first.")
    depth_limit = np.iinfo(np.int64).max if max_depth is None else int(max_depth)
    if depth_limit < 0:
        raise ValueError(f"max_depth={max_depth!r} must be None or >= 0.")
    ax = get_ax(ax)
    pos = _layout(tree, depth_limit)
    names = feature_names or [f"x[{i}]" for i in range(tree.n_features)]
    classes = getattr(decision_tree, "classes_", None)
    width = max(x for x, _ in pos.values()) + 1.0
    height = max(d for _, d in pos.values()) + 1.0
    for node in sorted(pos):  # root first: ax.texts[i] is node i when nothing is cut
        x, d = pos[node]
        parts = []
        left = tree.children_left[node]
        truncated = left >= 0 and d >= depth_limit
        if left >= 0 and not truncated:
            parts.append(f"{names[tree.feature[node]]} <= "
                         f"{tree.threshold[node]:.{precision}f}")
        parts.append(f"impurity = {tree.impurity[node]:.{precision}f}")
        parts.append(f"samples = {tree.n_node_samples[node]}")
        value = tree.value[node, 0]
        if classes is not None:
            parts.append("value = [" + ", ".join(f"{v:.{precision}f}" for v in value) + "]")
            label = class_names[int(np.argmax(value))] if class_names else classes[np.argmax(value)]
            parts.append(f"class = {label}")
        else:
            parts.append(f"value = {value[0]:.{precision}f}")
        if truncated:
            parts.append("...")
        ax.text((x + 0.5) / width, 1.0 - (d + 0.5) / height, "\n".join(parts),
                ha="center", va="center", fontsize=fontsize,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.3"},
                transform=ax.transAxes)
        if left >= 0 and not truncated:
            for child in (left, tree.children_right[node]):
                cx, cd = pos[child]
                ax.plot([(x + 0.5) / width, (cx + 0.5) / width],
                        [1.0 - (d + 0.5) / height, 1.0 - (cd + 0.5) / height],
                        color="0.5", linewidth=1, transform=ax.transAxes, zorder=0)
    ax.set_axis_off()
    return ax


def plot_feature_importances(estimator, *, feature_names=None, max_features: int | None = 20,
                             ax=None):
    """Horizontal bar chart of ``feature_importances_``, largest at the top.

    Parameters
    ----------
    estimator : fitted estimator with ``feature_importances_``, or an array of importances
    feature_names : list of str, optional
    max_features : int or None, default=20
        Show only the most important ones.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        One bar (``ax.patches``) per shown feature.

    Examples
    --------
    >>> from scratchml.plotting import plot_feature_importances
    >>> ax = plot_feature_importances([0.7, 0.3], feature_names=["a", "b"])  # doctest: +SKIP
    """
    require_matplotlib()
    imp = getattr(estimator, "feature_importances_", estimator)
    imp = np.asarray(imp, dtype=np.float64)
    if imp.ndim != 1 or imp.size == 0:
        raise ValueError("plot_feature_importances needs a fitted estimator with "
                         "feature_importances_ or a 1-D array of importances.")
    names = list(feature_names) if feature_names is not None else [str(i) for i in range(imp.size)]
    if len(names) != imp.size:
        raise ValueError(f"feature_names has {len(names)} names for {imp.size} importances.")
    order = np.argsort(-imp, kind="stable")
    if max_features is not None:
        order = order[:max_features]
    ax = get_ax(ax)
    ax.barh(np.arange(len(order))[::-1], imp[order], color="tab:blue")
    ax.set_yticks(np.arange(len(order))[::-1])
    ax.set_yticklabels([names[i] for i in order])
    ax.set_xlabel("Importance")
    ax.set_title("Feature importances")
    return ax
