"""plot_search_results and plot_convergence draw what the search found."""

import numpy as np
import pytest

from scratchml.model_selection import GridSearchCV, RandomizedSearchCV, randint
from scratchml.neighbors import KNeighborsClassifier

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from scratchml.plotting import plot_convergence, plot_search_results  # noqa: E402


@pytest.fixture(scope="module")
def searches():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    y = (X[:, 0] > 0).astype(int)
    grid = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3, 5],
                                                 "weights": ["uniform", "distance"]}, cv=3)
    rand = RandomizedSearchCV(KNeighborsClassifier(), {"n_neighbors": randint(1, 10)},
                              n_iter=5, cv=3, random_state=0)
    return grid.fit(X, y), rand.fit(X, y)


def test_search_results_plot_shows_best_mean_and_std_per_value(searches):
    grid, _ = searches
    ax = plot_search_results(grid, "n_neighbors")
    res = grid.cv_results_
    bars = ax.containers[0]
    x, yv = bars.lines[0].get_data()
    np.testing.assert_array_equal(x, [1, 3, 5])
    for value, shown in zip([1, 3, 5], yv):
        rows = [i for i, p in enumerate(res["params"]) if p["n_neighbors"] == value]
        assert shown == max(res["mean_test_score"][rows])
    ax2 = plot_search_results(grid.cv_results_, "weights")
    assert [t.get_text() for t in ax2.get_xticklabels()] == ["uniform", "distance"]
    with pytest.raises(ValueError, match="parameters are"):
        plot_search_results(grid, "gamma")
    with pytest.raises(ValueError, match="metrics are"):
        plot_search_results(grid, "n_neighbors", metric="f1")
    plt.close("all")


def test_convergence_plot_is_the_running_best(searches):
    grid, rand = searches
    ax = plot_convergence(grid, rand, labels=["grid", "random"])
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["grid", "random"]
    for line, search in zip(lines, (grid, rand)):
        x, yv = line.get_data()
        np.testing.assert_array_equal(x, np.arange(1, len(search.cv_results_["params"]) + 1))
        np.testing.assert_array_equal(yv, np.maximum.accumulate(
            search.cv_results_["mean_test_score"]))
    with pytest.raises(ValueError, match="labels"):
        plot_convergence(grid, labels=["a", "b"])
    with pytest.raises(ValueError, match="fitted search"):
        plot_convergence({"a": 1})
    plt.close("all")
