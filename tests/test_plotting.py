"""scratchml.plotting: every plot renders to a PNG and holds the artists it promises.

The curves' data are cross-checked against scikit-learn's metrics where it
computes the same thing.
"""

import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")  # no display needed; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402

from scratchml.datasets import make_blobs, make_classification  # noqa: E402
from scratchml.plotting import (  # noqa: E402
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_learning_curve,
    plot_precision_recall_curve,
    plot_residuals,
    plot_roc_curve,
    plot_validation_curve,
)

sk_metrics = pytest.importorskip("sklearn.metrics")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _render(ax, tmp_path, name="plot.png"):
    path = tmp_path / name
    ax.figure.savefig(path)
    assert path.read_bytes()[:8] == PNG_MAGIC
    return path


@pytest.fixture(scope="module")
def binary_scores():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    score = y + rng.normal(scale=0.8, size=200)
    return y, score


# --------------------------------------------------------------------------- confusion matrix


def test_confusion_matrix_counts(tmp_path):
    rng = np.random.default_rng(1)
    y_true = rng.choice(["cat", "dog", "eel"], 60)
    y_pred = np.where(rng.random(60) < 0.7, y_true, rng.choice(["cat", "dog", "eel"], 60))
    ax = plot_confusion_matrix(y_true, y_pred)
    _render(ax, tmp_path)
    assert len(ax.images) == 1 and len(ax.texts) == 9
    expected = sk_metrics.confusion_matrix(y_true, y_pred)
    assert [t.get_text() for t in ax.texts] == [str(v) for v in expected.ravel()]
    assert np.array_equal(ax.images[0].get_array(), expected)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "eel"]


@pytest.mark.parametrize("normalize", ["true", "pred", "all"])
def test_confusion_matrix_normalized(tmp_path, normalize):
    y_true, y_pred = [0, 0, 1, 1, 2, 2, 2], [0, 1, 1, 1, 2, 0, 2]
    ax = plot_confusion_matrix(y_true, y_pred, normalize=normalize, values_format=".3f")
    _render(ax, tmp_path)
    expected = sk_metrics.confusion_matrix(y_true, y_pred, normalize=normalize)
    # The image holds the rates; 1e-12 is division round-off.
    np.testing.assert_allclose(ax.images[0].get_array(), expected, atol=1e-12)
    assert [t.get_text() for t in ax.texts] == [format(v, ".3f") for v in expected.ravel()]


def test_confusion_matrix_labels_order_and_absent_class(tmp_path):
    ax = plot_confusion_matrix([1, 2, 2], [2, 2, 1], labels=[2, 1, 3], normalize="true")
    _render(ax, tmp_path)
    expected = sk_metrics.confusion_matrix([1, 2, 2], [2, 2, 1], labels=[2, 1, 3],
                                           normalize="true")
    np.testing.assert_allclose(ax.images[0].get_array(), expected, atol=1e-12)
    assert len(ax.texts) == 9  # the absent class 3 still gets its row of zeros


def test_confusion_matrix_precomputed(tmp_path):
    cm = np.array([[5, 1], [2, 7]])
    fig, ax = plt.subplots()
    out = plot_confusion_matrix(cm, labels=["no", "yes"], cmap="Blues", ax=ax, colorbar=False)
    assert out is ax
    _render(ax, tmp_path)
    assert [t.get_text() for t in ax.texts] == ["5", "1", "2", "7"]
    assert len(ax.images) == 1 and len(fig.axes) == 1  # no colorbar axes
    ax = plot_confusion_matrix(cm, normalize="true")
    np.testing.assert_allclose(ax.images[0].get_array(), cm / cm.sum(1, keepdims=True))
    assert len(ax.figure.axes) == 2  # plot + colorbar


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match="normalize"):
        plot_confusion_matrix([[1, 0], [0, 1]], normalize="rows")
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix([1, 0, 1])
    with pytest.raises(ValueError, match="labels"):
        plot_confusion_matrix([[1, 0], [0, 1]], labels=["a", "b", "c"])


# --------------------------------------------------------------------------- ROC and PR curves


def test_roc_curve(tmp_path, binary_scores):
    y, score = binary_scores
    ax = plot_roc_curve(y, score, name="model")
    _render(ax, tmp_path)
    assert len(ax.lines) == 2  # the curve and the chance diagonal
    fpr, tpr, _ = sk_metrics.roc_curve(y, score)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), fpr, atol=1e-12)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), tpr, atol=1e-12)
    assert np.array_equal(ax.lines[1].get_xdata(), [0, 1])
    auc = sk_metrics.roc_auc_score(y, score)
    assert ax.lines[0].get_label() == f"model (AUC = {auc:.2f})"


def test_roc_curve_pos_label_no_chance(tmp_path, binary_scores):
    y, score = binary_scores
    labels = np.where(y == 1, "spam", "ham")
    ax = plot_roc_curve(labels, score, pos_label="spam", plot_chance_level=False)
    _render(ax, tmp_path)
    assert len(ax.lines) == 1
    fpr, tpr, _ = sk_metrics.roc_curve(labels, score, pos_label="spam")
    np.testing.assert_allclose(ax.lines[0].get_ydata(), tpr, atol=1e-12)


def test_precision_recall_curve(tmp_path, binary_scores):
    y, score = binary_scores
    ax = plot_precision_recall_curve(y, score, plot_chance_level=True)
    _render(ax, tmp_path)
    assert len(ax.lines) == 2
    precision, recall, _ = sk_metrics.precision_recall_curve(y, score)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), recall, atol=1e-12)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), precision, atol=1e-12)
    assert ax.lines[0].get_drawstyle() == "steps-post"
    ap = sk_metrics.average_precision_score(y, score)
    assert ax.lines[0].get_label() == f"AP = {ap:.2f}"
    np.testing.assert_allclose(ax.lines[1].get_ydata(), y.mean())


def test_curves_reject_mismatched_lengths():
    with pytest.raises(ValueError, match="y_score has 2"):
        plot_roc_curve([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="1-D"):
        plot_precision_recall_curve([[0, 1], [1, 0]], [[0.1, 0.2], [0.3, 0.4]])


# --------------------------------------------------------------------------- learning / validation


def _band_count(ax):
    return sum(isinstance(c, matplotlib.collections.PolyCollection) for c in ax.collections)


def test_learning_curve(tmp_path):
    rng = np.random.default_rng(0)
    sizes = np.array([10, 30, 50, 70, 90])
    train, test = rng.uniform(0.8, 1, (5, 3)), rng.uniform(0.5, 0.8, (5, 3))
    ax = plot_learning_curve(sizes, train, test, score_name="Accuracy")
    _render(ax, tmp_path)
    assert len(ax.lines) == 2 and _band_count(ax) == 2
    np.testing.assert_allclose(ax.lines[0].get_ydata(), train.mean(axis=1))
    np.testing.assert_allclose(ax.lines[1].get_ydata(), test.mean(axis=1))
    assert ax.get_ylabel() == "Accuracy"
    ax = plot_learning_curve(sizes, train, test, std_display=False)
    assert len(ax.lines) == 2 and _band_count(ax) == 0


def test_learning_curve_from_sklearn_learning_curve(tmp_path):
    model_selection = pytest.importorskip("sklearn.model_selection")
    from sklearn.tree import DecisionTreeClassifier

    X, y = make_classification(n_samples=120, n_features=5, random_state=0)
    out = model_selection.learning_curve(DecisionTreeClassifier(random_state=0), X, y, cv=3,
                                         train_sizes=[0.3, 0.6, 1.0])
    _render(plot_learning_curve(*out), tmp_path)


def test_validation_curve(tmp_path):
    rng = np.random.default_rng(0)
    train, test = rng.random((4, 5)), rng.random((4, 5))
    ax = plot_validation_curve(np.logspace(-3, 3, 4), train, test, param_name="C")
    _render(ax, tmp_path)
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "C"
    assert len(ax.lines) == 2 and _band_count(ax) == 2
    ax = plot_validation_curve([1, 2, 3, 4], train, test)
    assert ax.get_xscale() == "linear"
    with pytest.raises(ValueError, match="train_scores"):
        plot_validation_curve([1, 2, 3], train, test)


# --------------------------------------------------------------------------- decision boundary


def test_decision_boundary_predict(tmp_path):
    from scratchml.neighbors import NearestCentroid

    X, y = make_blobs(n_samples=90, centers=3, random_state=0)
    labels = np.array(["a", "b", "c"])[y]  # string classes are coloured by index
    clf = NearestCentroid().fit(X, labels)
    ax = plot_decision_boundary(clf, X, labels, grid_resolution=50)
    _render(ax, tmp_path)
    assert len(ax.collections) == 2  # the filled regions and the samples
    contour, points = ax.collections
    assert isinstance(contour, matplotlib.contour.ContourSet)
    np.testing.assert_allclose(contour.levels, [-0.5, 0.5, 1.5, 2.5])
    assert points.get_offsets().shape == (90, 2)
    plot_decision_boundary(clf, X, ax=ax)  # one more call: one more of each
    assert len(ax.collections) == 4


@pytest.mark.parametrize("method", ["predict_proba", "decision_function"])
def test_decision_boundary_scores(tmp_path, method):
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_samples=80, n_features=2, n_informative=2, n_redundant=0,
                               random_state=0)
    ax = plot_decision_boundary(LogisticRegression().fit(X, y), X, y, response_method=method,
                                grid_resolution=30)
    _render(ax, tmp_path)
    assert len(ax.collections) == 2
    X3, y3 = make_blobs(n_samples=60, centers=3, random_state=1)
    ax = plot_decision_boundary(LogisticRegression().fit(X3, y3), X3, y3,
                                response_method=method, grid_resolution=30)
    _render(ax, tmp_path, "multiclass.png")


def test_decision_boundary_dataframe(tmp_path):
    pd = pytest.importorskip("pandas")
    from sklearn.linear_model import LogisticRegression

    X, y = make_blobs(n_samples=40, centers=2, random_state=0)
    df = pd.DataFrame(X, columns=["height", "weight"])
    ax = plot_decision_boundary(LogisticRegression().fit(df, y), df, y, grid_resolution=20)
    _render(ax, tmp_path)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("height", "weight")


def test_decision_boundary_errors():
    from scratchml.neighbors import NearestCentroid

    X, y = make_blobs(n_samples=20, n_features=3, random_state=0)
    clf = NearestCentroid().fit(X[:, :2], y)
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        plot_decision_boundary(clf, X, y)
    with pytest.raises(ValueError, match="response_method"):
        plot_decision_boundary(clf, X[:, :2], y, response_method="transform")
    with pytest.raises(ValueError, match="predict_proba"):
        plot_decision_boundary(clf, X[:, :2], y, response_method="predict_proba")
    with pytest.raises(ValueError, match="grid_resolution"):
        plot_decision_boundary(clf, X[:, :2], y, grid_resolution=1)


# --------------------------------------------------------------------------- residuals


def test_residuals(tmp_path):
    y_true = np.array([1.0, 2.0, 3.0, 4.0])
    y_pred = np.array([1.5, 1.5, 3.5, 3.0])
    ax = plot_residuals(y_true, y_pred, color="C3")
    _render(ax, tmp_path)
    assert len(ax.collections) == 1 and len(ax.lines) == 1
    np.testing.assert_array_equal(ax.collections[0].get_offsets(),
                                  np.column_stack([y_pred, y_true - y_pred]))
    assert np.array_equal(ax.lines[0].get_ydata(), [0, 0])
    with pytest.raises(ValueError, match="y_pred has 3"):
        plot_residuals(y_true, y_pred[:3])


# --------------------------------------------------------------------------- matplotlib missing


@pytest.mark.parametrize("call", [
    lambda: plot_confusion_matrix([[1, 0], [0, 1]]),
    lambda: plot_roc_curve([0, 1], [0.2, 0.8]),
    lambda: plot_precision_recall_curve([0, 1], [0.2, 0.8]),
    lambda: plot_learning_curve([1, 2], [1, 1], [1, 1]),
    lambda: plot_validation_curve([1, 2], [1, 1], [1, 1]),
    lambda: plot_decision_boundary(object(), [[0, 0], [1, 1]]),
    lambda: plot_residuals([1.0], [1.0]),
])
def test_missing_matplotlib_message(monkeypatch, call):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)  # `import matplotlib...` now fails
    with pytest.raises(ImportError, match=r"pip install 'scratchml\[plot\]'"):
        call()
