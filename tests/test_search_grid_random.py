"""GridSearchCV, RandomizedSearchCV, ParameterGrid/Sampler and the distributions."""

import io
import math
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scratchml
from scratchml.base import BaseEstimator, ClassifierMixin
from scratchml.exceptions import FitFailedWarning
from scratchml.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
    choice,
    loguniform,
    normal,
    randint,
    uniform,
)
from scratchml.naive_bayes import GaussianNB
from scratchml.neighbors import KNeighborsClassifier
from scratchml.pipeline import Pipeline
from scratchml.preprocessing import StandardScaler

sk_ms = pytest.importorskip("sklearn.model_selection")


def _data(seed, n=60, p=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = (X[:, 0] + 0.7 * rng.standard_normal(n) > 0).astype(int)
    return X, y


# -- agreement with scikit-learn ----------------------------------------------------


@settings(max_examples=10)  # each example runs two 12-candidate searches
@given(seed=st.integers(0, 10_000), n_splits=st.integers(2, 5))
def test_grid_search_matches_sklearn_pipeline(seed, n_splits):
    X, y = _data(seed)
    folds = list(KFold(n_splits, shuffle=True, random_state=seed).split(X))
    pipe = Pipeline([("scale", StandardScaler()), ("knn", KNeighborsClassifier())])
    grid = [{"knn__n_neighbors": [1, 3, 5, 9], "knn__weights": ["uniform", "distance"]},
            {"knn__n_neighbors": [2, 4], "scale__with_mean": [True, False]}]
    ours = GridSearchCV(pipe, grid, cv=folds, return_train_score=True).fit(X, y)
    ref = sk_ms.GridSearchCV(pipe, grid, cv=folds, return_train_score=True).fit(X, y)
    assert ours.best_params_ == ref.best_params_
    assert ours.best_index_ == ref.best_index_
    assert set(ours.cv_results_) == set(ref.cv_results_)
    for key, value in ref.cv_results_.items():
        if "time" in key:
            continue
        if key.startswith("param_"):  # masked arrays: same mask, same visible values
            np.testing.assert_array_equal(ours.cv_results_[key].mask, value.mask)
            assert list(ours.cv_results_[key].compressed()) == list(value.compressed())
        elif key == "params":
            assert ours.cv_results_[key] == value
        else:
            # Same folds, same fits, same averaging: only summation order can differ.
            np.testing.assert_allclose(ours.cv_results_[key], value, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@settings(max_examples=10)
@given(seed=st.integers(0, 10_000))
def test_grid_search_matches_sklearn_gaussian_nb_multimetric(seed):
    X, y = _data(seed, n=50)
    folds = list(KFold(5).split(X))
    grid = {"var_smoothing": [1e-9, 1e-3, 1e-1, 1.0, 10.0]}
    scoring = ["accuracy", "f1"]
    ours = GridSearchCV(GaussianNB(), grid, cv=folds, scoring=scoring, refit="f1").fit(X, y)
    ref = sk_ms.GridSearchCV(GaussianNB(), grid, cv=folds, scoring=scoring,
                             refit="f1").fit(X, y)
    assert ours.best_params_ == ref.best_params_
    for m in scoring:
        # 1e-12: identical fits; differences only from floating-point summation order.
        np.testing.assert_allclose(ours.cv_results_[f"mean_test_{m}"],
                                   ref.cv_results_[f"mean_test_{m}"], atol=1e-12, rtol=0)
        np.testing.assert_array_equal(ours.cv_results_[f"rank_test_{m}"],
                                      ref.cv_results_[f"rank_test_{m}"])
    assert ours.best_score_ == pytest.approx(ref.best_score_, abs=1e-12)


@given(grid=st.dictionaries(st.sampled_from("abcde"),
                            st.lists(st.integers(-5, 5), min_size=1, max_size=3),
                            min_size=1, max_size=4))
def test_parameter_grid_matches_sklearn_order_and_indexing(grid):
    ours, ref = ParameterGrid(grid), sk_ms.ParameterGrid(grid)
    assert list(ours) == list(ref)
    assert len(ours) == len(ref)
    assert [ours[i] for i in range(len(ours))] == list(ref)


# -- reproducibility and executors -----------------------------------------------------


def _random_search(**kw):
    space = {"n_neighbors": randint(1, 15), "weights": ["uniform", "distance"],
             "p": choice([1, 2])}
    return RandomizedSearchCV(KNeighborsClassifier(), space, n_iter=6, cv=3, random_state=7,
                              **kw)


def _assert_same_results(a, b):
    assert a["params"] == b["params"]
    for key in a:
        if "time" not in key and key != "params":
            np.testing.assert_array_equal(np.asarray(a[key]), np.asarray(b[key]))


def test_random_search_reproducible_and_independent_of_executor():
    X, y = _data(1)
    ref = _random_search().fit(X, y).cv_results_
    _assert_same_results(ref, _random_search().fit(X, y).cv_results_)
    _assert_same_results(ref, _random_search(n_jobs=2).fit(X, y).cv_results_)
    _assert_same_results(ref, _random_search(n_jobs=2, executor="processes").fit(X, y)
                         .cv_results_)
    with ThreadPoolExecutor(3) as pool:
        _assert_same_results(ref, _random_search(executor=pool).fit(X, y).cv_results_)
    with scratchml.config_context(executor="threads"):
        _assert_same_results(ref, _random_search(n_jobs=-1).fit(X, y).cv_results_)
    other = RandomizedSearchCV(KNeighborsClassifier(), {"n_neighbors": randint(1, 15)},
                               n_iter=6, cv=3, random_state=8).fit(X, y)
    assert other.cv_results_["params"] != ref["params"]


def test_refit_is_clean_on_every_fit():
    X, y = _data(2)
    s = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3]}, cv=3).fit(X, y)
    first = s.best_estimator_
    s.set_params(param_grid={"n_neighbors": [5, 7, 9]}, refit=False).fit(X, y)
    assert not hasattr(s, "best_estimator_") and first is not None
    assert len(s.cv_results_["params"]) == 3


# -- failures ------------------------------------------------------------------------


class _FailsOn(ClassifierMixin, BaseEstimator):
    """Predicts the majority class; fit raises when ``bad`` is True."""

    def __init__(self, bad=False, shift=0):
        self.bad = bad
        self.shift = shift

    def fit(self, X, y):
        if self.bad:
            raise RuntimeError("boom: this candidate cannot be fitted")
        self.classes_, counts = np.unique(y, return_counts=True)
        self.n_features_in_ = np.shape(X)[1]
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_failing_candidate_is_recorded_and_search_completes():
    X, y = _data(3)
    s = GridSearchCV(_FailsOn(), {"bad": [False, True], "shift": [0, 1]}, cv=3)
    with pytest.warns(FitFailedWarning, match="6 fits failed"):
        s.fit(X, y)
    res = s.cv_results_
    failed = [i for i, p in enumerate(res["params"]) if p["bad"]]
    assert np.isnan(res["mean_test_score"][failed]).all()
    # NaN means rank last, tied with each other (scikit-learn's "min" ranking).
    assert (res["rank_test_score"][failed] == len(res["params"]) - len(failed) + 1).all()
    assert all("boom" in s.errors_[i] for i in failed)
    assert all(s.errors_[i] == "" for i in range(4) if i not in failed)
    assert s.best_params_["bad"] is False
    with pytest.raises(RuntimeError, match="boom"):
        GridSearchCV(_FailsOn(), {"bad": [False, True]}, cv=3, error_score="raise").fit(X, y)
    with pytest.raises(ValueError, match="All the 3 fits failed"):
        GridSearchCV(_FailsOn(), {"bad": [True]}, cv=3).fit(X, y)


# -- bad input --------------------------------------------------------------------------


def test_bad_input_gives_clear_errors():
    X, y = _data(4, n=12)
    knn = KNeighborsClassifier(n_neighbors=1)
    with pytest.raises(ValueError, match="empty"):
        GridSearchCV(knn, {}).fit(X, y)
    with pytest.raises(ValueError, match="empty"):
        GridSearchCV(knn, []).fit(X, y)
    with pytest.raises(ValueError, match="non-empty"):
        GridSearchCV(knn, {"n_neighbors": []}).fit(X, y)
    with pytest.raises(ValueError, match=r"Invalid parameter 'n_neighbours'.*'n_neighbors'"):
        GridSearchCV(knn, {"n_neighbours": [1, 2]}).fit(X, y)
    with pytest.raises(ValueError, match="Invalid parameter 'gamma'"):
        RandomizedSearchCV(knn, {"gamma": uniform(0, 1)}, n_iter=2).fit(X, y)
    too_many = r"cv=13 \(13 folds\) is larger than the number of samples \(12\)"
    with pytest.raises(ValueError, match=too_many):
        GridSearchCV(knn, {"n_neighbors": [1]}, cv=13).fit(X, y)
    with pytest.raises(ValueError, match=r"cv=None \(5 folds\) is larger.*\(3\)"):
        GridSearchCV(knn, {"n_neighbors": [1]}).fit(X[:3], y[:3])
    with pytest.raises(ValueError, match="refit"):
        GridSearchCV(knn, {"n_neighbors": [1]}, scoring=["accuracy", "f1"]).fit(X, y)
    with pytest.raises(ValueError, match="error_score"):
        GridSearchCV(knn, {"n_neighbors": [1]}, error_score="ignore").fit(X, y)
    with pytest.raises(ValueError, match="max_time"):
        GridSearchCV(knn, {"n_neighbors": [1]}, max_time=-1).fit(X, y)


@pytest.mark.parametrize("make", [
    lambda: uniform(1, 1), lambda: uniform(2, 1), lambda: uniform(0, math.inf),
    lambda: loguniform(0, 1), lambda: loguniform(-1, 1), lambda: loguniform(10, 1),
    lambda: randint(3, 3), lambda: randint(0.5, 3), lambda: normal(0, 0),
    lambda: normal(0, -1), lambda: choice([]), lambda: choice([1, 2], p=[0.5, 0.6]),
])
def test_invalid_distribution_bounds_raise(make):
    with pytest.raises(ValueError):
        make()


# -- distributions and the sampler -------------------------------------------------


@given(seed=st.integers(0, 2**32 - 1), lo=st.floats(-1e3, 1e3), width=st.floats(1e-3, 1e3))
def test_distributions_stay_in_support_and_round_trip_the_unit_cube(seed, lo, width):
    u = uniform(lo, lo + width).rvs(size=50, random_state=seed)
    assert ((u >= lo) & (u <= lo + width)).all()
    lg = loguniform(width, width * 100)
    v = lg.rvs(size=50, random_state=seed)
    assert ((v >= width) & (v <= width * 100 * (1 + 1e-12))).all()
    # 1e-9 relative: exp(log(x)) round trip in float64.
    np.testing.assert_allclose(lg.from_unit(lg.to_unit(v)), v, rtol=1e-9)
    r = randint(-3, 4)
    k = r.rvs(size=50, random_state=seed)
    assert ((k >= -3) & (k < 4)).all()
    np.testing.assert_array_equal(r.from_unit(r.to_unit(k)), k)
    assert isinstance(r.rvs(random_state=seed), int)
    assert choice(["a", None]).rvs(random_state=seed) in ("a", None)


def test_normal_warping_matches_scipy_cdf():
    stats = pytest.importorskip("scipy.stats")
    x = np.linspace(-4, 4, 17)
    # 1.2e-7: accuracy of the erfc approximation used without SciPy.
    np.testing.assert_allclose(normal(0, 1).to_unit(x), stats.norm.cdf(x), atol=2e-7)
    np.testing.assert_allclose(normal(1, 2).from_unit(stats.norm.cdf(x)), 1 + 2 * x, atol=1e-5)


def test_sampler_reproducible_accepts_scipy_and_samples_grids_without_replacement():
    stats = pytest.importorskip("scipy.stats")
    space = {"a": stats.uniform(0, 2), "b": loguniform(1e-3, 1), "c": [1, 2, 3]}
    first = list(ParameterSampler(space, 20, random_state=0))
    assert first == list(ParameterSampler(space, 20, random_state=0))
    # Every candidate is seeded on its own: a shorter search is a prefix of a longer one.
    assert list(ParameterSampler(space, 7, random_state=0)) == first[:7]
    assert all(0 <= p["a"] <= 2 and p["c"] in (1, 2, 3) for p in first)
    lists = list(ParameterSampler({"x": [1, 2, 3], "y": [0, 1]}, 6, random_state=1))
    assert sorted(map(str, lists)) == sorted(map(str, ParameterGrid({"x": [1, 2, 3],
                                                                     "y": [0, 1]})))
    with pytest.warns(UserWarning, match="smaller than n_iter"):
        assert len(list(ParameterSampler({"x": [1, 2]}, 5, random_state=0))) == 2


# -- budgets, callbacks, progress ------------------------------------------------------


def test_callbacks_target_score_max_time_and_verbose():
    X, y = _data(5)
    seen = []

    class Recorder:
        def on_candidate_done(self, info):
            seen.append((info["index"], info["mean_test_score"]))

    s = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3, 5, 7]}, cv=3,
                     callbacks=[Recorder()]).fit(X, y)
    assert [i for i, _ in seen] == [0, 1, 2, 3]
    np.testing.assert_array_equal([v for _, v in seen], s.cv_results_["mean_test_score"])
    stop = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3, 5, 7]}, cv=3,
                        callbacks=lambda info: info["index"] == 1).fit(X, y)
    assert len(stop.cv_results_["params"]) == 2 and stop.stop_reason_ == "callback"
    target = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3, 5, 7]}, cv=3,
                          target_score=0.0).fit(X, y)
    assert len(target.cv_results_["params"]) == 1 and target.stop_reason_ == "target_score"
    timed = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3, 5, 7]}, cv=3,
                         max_time=1e-9).fit(X, y)
    assert len(timed.cv_results_["params"]) == 1 and timed.stop_reason_ == "max_time"
    buf = io.StringIO()
    with redirect_stdout(buf):
        GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3]}, cv=3, verbose=2).fit(X, y)
    out = buf.getvalue()
    assert "Fitting 3 folds for each of 2 candidates, totalling 6 fits" in out
    assert "candidate 1" in out


def test_refit_options_delegation_and_persistence(tmp_path):
    X, y = _data(6)
    grid = {"n_neighbors": [1, 5, 9]}
    s = GridSearchCV(KNeighborsClassifier(), grid, cv=3, refit=lambda r: 2).fit(X, y)
    assert s.best_index_ == 2 and not hasattr(s, "best_score_")
    no_refit = GridSearchCV(KNeighborsClassifier(), grid, cv=3, refit=False).fit(X, y)
    assert no_refit.best_params_ and not hasattr(no_refit, "best_estimator_")
    with pytest.raises(AttributeError, match="refit=False"):
        no_refit.predict(X)
    best = GridSearchCV(KNeighborsClassifier(), grid, cv=3).fit(X, y)
    np.testing.assert_array_equal(best.predict_proba(X), best.best_estimator_.predict_proba(X))
    assert best.score(X, y) == best.best_estimator_.score(X, y)
    assert not hasattr(GridSearchCV(StandardScaler(), {"with_mean": [True]}), "predict")
    path = tmp_path / "search.zip"
    scratchml.save(best, path)
    loaded = scratchml.load(path)
    np.testing.assert_array_equal(loaded.predict(X), best.predict(X))
    _assert_same_results(loaded.cv_results_, best.cv_results_)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert isinstance(loaded.cv_results_["param_n_neighbors"], np.ma.MaskedArray)
