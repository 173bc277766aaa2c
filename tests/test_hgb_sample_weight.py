"""Sample and class weights in histogram gradient boosting: what a weight means, and sklearn."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from scratchml.ensemble._hgb_binning import find_thresholds
from scratchml.ensemble._hgb_loss import weighted_median
from scratchml.utils.validation import check_random_state

_FIT = dict(max_iter=8, min_samples_leaf=1, early_stopping=False)


def _data(seed, n, kind, distinct=10):
    """X with few distinct values (every value its own bin, whatever the rows' weights)."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, distinct, (n, 3)).astype(float)
    y = X[:, 0] - 0.5 * X[:, 1] + rng.standard_normal(n)
    if kind == "binary":
        y = (y > 1.5).astype(int)
    elif kind == "multiclass":
        y = np.digitize(y, [0.0, 3.0])
    return X, y


def _model(kind, **params):
    if kind in ("binary", "multiclass"):
        return HistGradientBoostingClassifier(**params)
    loss = "absolute_error" if kind == "absolute" else "squared_error"
    return HistGradientBoostingRegressor(loss=loss, **params)


def _out(model, X):
    """The model's raw output (decision function for classifiers, predictions otherwise)."""
    return model.decision_function(X) if hasattr(model, "classes_") else model.predict(X)


KINDS = ["squared", "absolute", "binary", "multiclass"]


# -- what a weight means ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_unit_weights_give_bitwise_the_unweighted_model(kind):
    # Early stopping on (validation split, weighted losses), NaN and more distinct
    # values than bins (quantile thresholds): every part of the weighted code runs.
    rng = np.random.default_rng(3)
    X, y = _data(3, 400, kind)
    X = X + rng.standard_normal(X.shape)
    X[rng.random(X.shape) < 0.05] = np.nan
    params = dict(max_iter=15, max_bins=32, early_stopping=True, validation_fraction=0.2,
                  n_iter_no_change=3, random_state=0)
    a = _model(kind, **params).fit(X, y)
    b = _model(kind, **params).fit(X, y, sample_weight=np.ones(len(y)))
    np.testing.assert_array_equal(_out(a, X), _out(b, X))
    np.testing.assert_array_equal(a.validation_score_, b.validation_score_)
    for key in a.trees_:
        np.testing.assert_array_equal(a.trees_[key], b.trees_[key])


@given(st.integers(0, 2**32 - 1), st.sampled_from(KINDS))
def test_integer_weights_equal_repeating_the_rows(seed, kind):
    X, y = _data(seed, 60, kind)
    w = np.random.default_rng(seed).integers(1, 4, len(y))
    # min_samples_leaf=1: the limit counts rows, which repetition multiplies.
    a = _model(kind, **_FIT).fit(X, y, sample_weight=w)
    b = _model(kind, **_FIT).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    # Same bins and splits; the gradient sums differ by float32 rounding only
    # (w * g rounded once against g rounded then added w times): ~1e-7 relative.
    np.testing.assert_allclose(_out(a, X), _out(b, X), rtol=1e-5, atol=1e-5)


@given(st.integers(0, 2**32 - 1), st.sampled_from(KINDS))
def test_zero_weights_equal_dropping_the_rows(seed, kind):
    X, y = _data(seed, 80, kind)
    keep = np.random.default_rng(seed).random(len(y)) < 0.7
    if kind in ("binary", "multiclass") and len(np.unique(y[keep])) < len(np.unique(y)):
        keep[:] = True  # dropping must not remove a class (that changes the model's classes)
    a = _model(kind, **_FIT).fit(X, y, sample_weight=keep.astype(float))
    b = _model(kind, **_FIT).fit(X[keep], y[keep])
    # Zero-weight rows add exact zeros to every sum and are left out of the bins; only
    # the initial prediction is summed in another order (a few ulps), and min_samples_leaf=1
    # (which counts rows, weighted or not) never binds on them. Predictions on the kept
    # rows: the zero-weight rows may sit on either side of a split tied between features.
    np.testing.assert_allclose(_out(a, X[keep]), _out(b, X[keep]), rtol=1e-6, atol=1e-6)


@given(st.integers(0, 2**32 - 1), st.integers(2, 40))
def test_weighted_bin_thresholds_are_those_of_the_repeated_values(seed, max_bins):
    rng = np.random.default_rng(seed)
    col = rng.standard_normal(rng.integers(5, 120)).round(1)
    col[rng.random(len(col)) < 0.1] = np.nan
    w = rng.integers(0, 4, len(col)).astype(float)
    got = find_thresholds(col, max_bins, w)
    np.testing.assert_array_equal(got, find_thresholds(np.repeat(col, w.astype(int)), max_bins))


@given(st.lists(st.floats(-10, 10), min_size=1, max_size=30), st.integers(0, 2**32 - 1))
def test_weighted_median_is_the_median_of_the_repeated_values(values, seed):
    v = np.array(values)
    w = np.random.default_rng(seed).integers(0, 4, len(v))
    w[0] = max(w[0], 1)
    assert weighted_median(v, w.astype(float)) == np.median(np.repeat(v, w))


def test_backends_agree_on_a_weighted_fit(backend):
    X, y = _data(0, 40, "binary")
    w = np.random.default_rng(0).uniform(0.0, 2.0, len(y))
    params = dict(max_iter=2, min_samples_leaf=3, max_leaf_nodes=4, early_stopping=False)
    with scratchml.config_context(backend=backend):
        a = HistGradientBoostingClassifier(**params).fit(X, y, sample_weight=w)
    with scratchml.config_context(backend="numpy"):
        b = HistGradientBoostingClassifier(**params).fit(X, y, sample_weight=w)
    if backend == "cuda":
        # Float64 sums of <= 40 values of size <= 2 in another order: a few ulps of 10.
        np.testing.assert_allclose(a.decision_function(X), b.decision_function(X),
                                   rtol=0, atol=1e-12)
    else:  # CPU backends sum every bin in sample order: identical
        np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))


def test_early_stopping_scores_are_weighted_losses_of_the_split_weights():
    X, y = _data(5, 300, "binary")
    w = np.random.default_rng(5).uniform(0.0, 3.0, len(y))
    m = HistGradientBoostingClassifier(max_iter=6, early_stopping=True, validation_fraction=0.3,
                                       n_iter_no_change=50, random_state=7)
    m.fit(X, y, sample_weight=w)
    # The split is the first use of the random state: redo it to find the validation rows.
    _, val = m._split(y, 2, check_random_state(7))
    raws = [np.full(len(val), m._baseline_prediction[0])]
    raws += [r[0] for r in m._staged_raw(X[val])]
    for score, raw in zip(m.validation_score_, raws):
        expected = np.average(np.logaddexp(0, raw) - y[val] * raw, weights=w[val])
        # The fit adds leaf values to the same raw scores in the same order; np.average
        # and the fit's weighted mean sum in the same order: equal up to ~1 ulp.
        assert score == pytest.approx(-expected, rel=1e-12)
    # Weighted loss: giving the validation rows other weights changes the scores.
    w2 = w.copy()
    w2[val] = np.where(y[val] == 1, 5.0, 0.1)
    m2 = HistGradientBoostingClassifier(**m.get_params()).fit(X, y, sample_weight=w2)
    assert not np.allclose(m.validation_score_[0], m2.validation_score_[0])


def test_class_weight_is_the_matching_sample_weight():
    X, y = _data(1, 200, "multiclass")
    labels = np.array(["a", "b", "c"])[y]
    counts = np.bincount(y)
    balanced = (len(y) / (3 * counts))[y]
    a = HistGradientBoostingClassifier(max_iter=5, class_weight="balanced").fit(X, labels)
    b = HistGradientBoostingClassifier(max_iter=5).fit(X, labels, sample_weight=balanced)
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    sw = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    cw = {"a": 2.0, "c": 0.5}  # "b" not named: weight 1
    a = HistGradientBoostingClassifier(max_iter=5, class_weight=cw).fit(X, labels, sw)
    b = HistGradientBoostingClassifier(max_iter=5).fit(
        X, labels, sample_weight=sw * np.array([2.0, 1.0, 0.5])[y])
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    # Balancing moves predictions towards the rare class.
    rare = np.argmin(counts)
    plain = HistGradientBoostingClassifier(max_iter=5).fit(X, labels)
    weighted = HistGradientBoostingClassifier(max_iter=5, class_weight="balanced").fit(X, labels)
    assert (weighted.predict(X) == labels[y == rare][0]).sum() > (
        plain.predict(X) == labels[y == rare][0]).sum()


@pytest.mark.parametrize("sample_weight, match", [
    (-np.ones(30), "negative"),
    (np.ones(29), "shape"),
    (np.full(30, np.nan), "NaN|infinity"),
    (np.zeros(30), "sums to zero"),
])
def test_bad_sample_weight_raises(sample_weight, match):
    X, y = _data(0, 30, "binary")
    for model in (HistGradientBoostingClassifier(max_iter=2),
                  HistGradientBoostingRegressor(max_iter=2)):
        with pytest.raises(ValueError, match=match):
            model.fit(X, y, sample_weight=sample_weight)


def test_bad_class_weight_raises():
    X, y = _data(0, 30, "binary")
    with pytest.raises(ValueError, match="class_weight"):
        HistGradientBoostingClassifier(max_iter=2, class_weight="balance").fit(X, y)
    with pytest.raises(ValueError, match="not in y"):
        HistGradientBoostingClassifier(max_iter=2, class_weight={7: 2.0}).fit(X, y)


# -- agreement with scikit-learn ----------------------------------------------------------


@pytest.fixture
def _sklearn_single_thread():
    """scikit-learn's OpenMP threads spin badly on a busy CI machine: use one."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(1):
        yield


@pytest.mark.usefixtures("_sklearn_single_thread")
@pytest.mark.parametrize("kind", ["squared", "binary", "multiclass"])
@pytest.mark.parametrize("seed", [0, 1])
def test_weighted_predictions_match_sklearn(kind, seed):
    ensemble = pytest.importorskip("sklearn.ensemble")
    X, y = _data(seed, 300, kind, distinct=12)
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 3.0, len(y))
    w[rng.random(len(y)) < 0.2] = 0.0
    params = dict(max_iter=10, min_samples_leaf=5, early_stopping=False)
    ours = _model(kind, **params).fit(X, y, sample_weight=w)
    ref_cls = (ensemble.HistGradientBoostingRegressor if kind == "squared"
               else ensemble.HistGradientBoostingClassifier)
    ref = ref_cls(**params).fit(X, y, sample_weight=w)
    pos = w > 0  # a zero-weight row may fall either way of a split tied between features
    got = ours.predict(X) if kind == "squared" else ours.predict_proba(X)
    want = ref.predict(X) if kind == "squared" else ref.predict_proba(X)
    # Same bins, splits and leaf values; float32 gradients summed in the same order,
    # the loss's arithmetic differs in its last bits: 1e-6.
    np.testing.assert_allclose(got[pos], want[pos], rtol=0, atol=1e-6)


@pytest.mark.usefixtures("_sklearn_single_thread")
@pytest.mark.parametrize("loader, params", [
    ("load_breast_cancer", {}),
    ("load_diabetes", {}),
    ("load_diabetes", {"loss": "absolute_error"}),
])
def test_weighted_scores_match_sklearn_on_bundled_datasets(loader, params):
    ensemble = pytest.importorskip("sklearn.ensemble")
    from scratchml import datasets

    X, y = getattr(datasets, loader)(return_X_y=True)
    classifier = loader == "load_breast_cancer"
    ours_cls = HistGradientBoostingClassifier if classifier else HistGradientBoostingRegressor
    ref_cls = (ensemble.HistGradientBoostingClassifier if classifier
               else ensemble.HistGradientBoostingRegressor)
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(y))
    tr, te = perm[: 3 * len(y) // 4], perm[3 * len(y) // 4:]
    w = rng.uniform(0.0, 3.0, len(y))
    params = dict(params, max_iter=30)
    a = ours_cls(**params).fit(X[tr], y[tr], sample_weight=w[tr]).score(X[te], y[te], w[te])
    b = ref_cls(**params).fit(X[tr], y[tr], sample_weight=w[tr]).score(X[te], y[te], w[te])
    # The bar for the unweighted models: held-out scores within 1 point.
    assert abs(a - b) <= 0.01, (a, b)


@pytest.mark.usefixtures("_sklearn_single_thread")
def test_class_weight_matches_sklearn():
    ensemble = pytest.importorskip("sklearn.ensemble")
    X, y = _data(2, 300, "multiclass", distinct=12)
    # Sample weights as well: with class weights alone the first trees' gradients are
    # constant within a class, so many splits and nodes tie exactly, and the two
    # libraries' heaps break ties between nodes differently.
    sw = np.random.default_rng(2).uniform(0.5, 2.0, len(y))
    params = dict(max_iter=10, min_samples_leaf=5, early_stopping=False)
    for cw in ("balanced", {0: 3.0, 2: 0.5}):
        got = HistGradientBoostingClassifier(class_weight=cw, **params).fit(X, y, sw)
        want = ensemble.HistGradientBoostingClassifier(class_weight=cw, **params).fit(X, y, sw)
        # As test_weighted_predictions_match_sklearn (every weight positive here).
        np.testing.assert_allclose(got.predict_proba(X), want.predict_proba(X), atol=1e-6)
