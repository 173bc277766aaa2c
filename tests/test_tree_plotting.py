"""plot_tree and plot_feature_importances draw what the fitted model holds."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from scratchml.ensemble import RandomForestRegressor  # noqa: E402
from scratchml.plotting import plot_feature_importances, plot_tree  # noqa: E402
from scratchml.tree import DecisionTreeClassifier  # noqa: E402


def _tree():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int)
    return DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)


def test_plot_tree_draws_one_box_per_node_and_one_line_per_edge():
    clf = _tree()
    ax = plot_tree(clf, feature_names=["a", "b", "c"])
    n = clf.tree_.node_count
    assert len(ax.texts) == n and len(ax.lines) == n - 1
    root = "abc"[clf.tree_.feature[0]]
    assert ax.texts[0].get_text().startswith(f"{root} <= {clf.tree_.threshold[0]:.3f}")
    plt.close("all")


def test_plot_tree_max_depth_truncates():
    clf = _tree()
    ax = plot_tree(clf, max_depth=1)
    assert len(ax.texts) == 3 and len(ax.lines) == 2
    assert clf.get_depth() > 1 and any("..." in t.get_text() for t in ax.texts)
    plt.close("all")
    with pytest.raises(ValueError, match="fit"):
        plot_tree(DecisionTreeClassifier())


def test_plot_feature_importances_sorted_bars():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 4))
    rf = RandomForestRegressor(n_estimators=5, random_state=0).fit(X, 3 * X[:, 2] + X[:, 0])
    ax = plot_feature_importances(rf, feature_names=list("wxyz"))
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 4 and np.isclose(sum(widths), 1.0)  # importances sum to 1
    top = [t.get_text() for t in ax.get_yticklabels()][0]
    assert top == "y"  # largest first (top of the chart)
    plt.close("all")
    with pytest.raises(ValueError, match="names"):
        plot_feature_importances([0.5, 0.5], feature_names=["a"])
