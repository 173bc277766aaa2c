"""Text rendering of a fitted tree, in scikit-learn's ``export_text`` layout."""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_is_fitted


def export_text(decision_tree, *, feature_names=None, class_names=None, max_depth: int = 10,
                spacing: int = 3, decimals: int = 2, show_weights: bool = False) -> str:
    """Build a text report of the rules of a decision tree.

    Each internal node prints as two lines, ``feature <= t`` and ``feature >  t``,
    each followed by its subtree indented; a leaf prints its class (classifiers) or
    value (regressors). Deeper nodes than ``max_depth`` are summarised as truncated.

    Parameters
    ----------
    decision_tree : DecisionTreeClassifier or DecisionTreeRegressor
        A fitted tree.
    feature_names : list of str, optional
        Names of the features (default ``feature_i``).
    class_names : list of str, optional
        Names of the classes, in the order of ``classes_`` (default the labels).
    max_depth : int, default=10
        Depth of the rendered part of the tree.
    spacing : int, default=3
        Width of each indentation step.
    decimals : int, default=2
        Decimals of thresholds and values.
    show_weights : bool, default=False
        Print the weighted class counts of classification leaves.

    Returns
    -------
    str

    Examples
    --------
    >>> from scratchml.tree import DecisionTreeClassifier, export_text
    >>> clf = DecisionTreeClassifier().fit([[0.0], [1.0]], [0, 1])
    >>> print(export_text(clf, feature_names=["x"]))
    |--- x <= 0.50
    |   |--- class: 0
    |--- x >  0.50
    |   |--- class: 1
    <BLANKLINE>
    """
    check_is_fitted(decision_tree, "tree_", method="export_text")
    tree = decision_tree.tree_
    if feature_names is not None and len(feature_names) != tree.n_features:
        raise ValueError(f"feature_names has {len(feature_names)} names, but the tree was "
                         f"fitted with {tree.n_features} features.")
    if spacing < 1 or max_depth < 0:
        raise ValueError("spacing must be >= 1 and max_depth >= 0.")
    names = (list(feature_names) if feature_names is not None
             else [f"feature_{i}" for i in range(tree.n_features)])
    classes = getattr(decision_tree, "classes_", None)
    if class_names is None and classes is not None:
        class_names = [str(c) for c in classes]
    step = "|" + " " * spacing
    lines = []

    def leaf_text(node):
        value = tree.value[node, 0]
        if classes is None:
            return f"value: [{value[0]:.{decimals}f}]"
        text = f"class: {class_names[int(np.argmax(value))]}"
        if show_weights:
            weights = value * tree.weighted_n_node_samples[node]
            text = f"weights: [{', '.join(f'{v:.{decimals}f}' for v in weights)}] " + text
        return text

    def walk(node, depth):
        indent = step * depth + "|--- "
        if tree.children_left[node] < 0:
            lines.append(indent + leaf_text(node))
            return
        if depth >= max_depth:
            lines.append(step * depth + "|--- truncated branch of depth "
                         f"{_subtree_depth(tree, node)}")
            return
        name, thr = names[tree.feature[node]], tree.threshold[node]
        lines.append(f"{indent}{name} <= {thr:.{decimals}f}")
        walk(tree.children_left[node], depth + 1)
        lines.append(f"{indent}{name} >  {thr:.{decimals}f}")
        walk(tree.children_right[node], depth + 1)

    walk(0, 0)
    return "\n".join(lines) + "\n"


def _subtree_depth(tree, node) -> int:
    level, depth = np.array([node]), 0
    while True:
        inner = level[tree.children_left[level] >= 0]
        if inner.size == 0:
            return depth
        level = np.concatenate([tree.children_left[inner], tree.children_right[inner]])
        depth += 1
