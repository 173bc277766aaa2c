"""Successive halving: the schedule, the top-1/factor rule, integer resources, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratchml.base import BaseEstimator, ClassifierMixin
from scratchml.model_selection import HalvingGridSearchCV, HalvingRandomSearchCV, randint
from scratchml.neighbors import KNeighborsClassifier


def _data(seed, n=90):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = (X[:, 0] + 0.8 * rng.standard_normal(n) > 0).astype(int)
    return X, y


def _assert_keeps_top(search, factor):
    """Round i+1's candidates are exactly the best ⌈n_i / factor⌉ of round i."""
    res = search.cv_results_
    it = res["iter"]
    key = lambda p: tuple(sorted((k, v) for k, v in p.items() if k != search.resource))  # noqa: E731
    for i in range(int(it.max())):
        now = np.flatnonzero(it == i)
        nxt = np.flatnonzero(it == i + 1)
        k = math.ceil(len(now) / factor)
        assert len(nxt) == k
        scores = res["mean_test_score"][now]
        threshold = np.sort(scores)[-k]
        kept = {key(res["params"][j]) for j in nxt}
        for j, s in zip(now, scores):
            if s > threshold:  # strictly better than the cut: must survive
                assert key(res["params"][j]) in kept
            elif s < threshold:
                assert key(res["params"][j]) not in kept
        assert len(set(res["n_resources"][nxt])) == 1
        assert res["n_resources"][nxt][0] >= res["n_resources"][now][0]


@settings(max_examples=10)  # each example runs two small halving searches
@given(seed=st.integers(0, 10_000), factor=st.sampled_from([2, 3, 4]),
       n_cand=st.integers(3, 12), aggressive=st.booleans())
def test_schedule_matches_sklearn_and_keeps_top_fraction(seed, factor, n_cand, aggressive):
    pytest.importorskip("sklearn")
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV as SkHalving

    X, y = _data(seed)
    # At most 6 neighbours: the first round may train on only 8 rows.
    grid = {"n_neighbors": list(range(1, min(n_cand, 6) + 1)), "p": [1, 2] if n_cand > 6 else [2]}
    kw = dict(factor=factor, cv=3, aggressive_elimination=aggressive, random_state=seed)
    ours = HalvingGridSearchCV(KNeighborsClassifier(), grid, **kw).fit(X, y)
    ref = SkHalving(KNeighborsClassifier(), grid, **kw).fit(X, y)
    for attr in ("n_candidates_", "n_resources_", "min_resources_", "max_resources_",
                 "n_iterations_", "n_possible_iterations_", "n_required_iterations_",
                 "n_remaining_candidates_"):
        assert getattr(ours, attr) == getattr(ref, attr), attr
    assert np.isfinite(ours.cv_results_["mean_test_score"]).all()
    _assert_keeps_top(ours, factor)
    last = ours.cv_results_["iter"] == ours.cv_results_["iter"].max()
    assert ours.best_score_ == np.max(ours.cv_results_["mean_test_score"][last])


class _Staged(ClassifierMixin, BaseEstimator):
    """A classifier whose CV score is ``quality`` × (1 − 1/n_rounds): more rounds help."""

    def __init__(self, quality=0.5, n_rounds=1):
        self.quality = quality
        self.n_rounds = n_rounds

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return self.quality * (1 - 1 / (1 + self.n_rounds))


def test_integer_parameter_resource_and_random_variant():
    X, y = _data(1, n=40)
    grid = {"quality": [0.1, 0.9, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6]}
    s = HalvingGridSearchCV(_Staged(), grid, resource="n_rounds", max_resources=9,
                            factor=3, cv=2).fit(X, y)
    assert s.n_resources_ == [1, 3, 9] and s.n_candidates_ == [9, 3, 1]
    assert s.best_params_ == {"quality": 0.9, "n_rounds": 9}
    assert [p["n_rounds"] for p in s.cv_results_["params"]] == [1] * 9 + [3] * 3 + [9]
    _assert_keeps_top(s, 3)
    r = HalvingRandomSearchCV(_Staged(), {"quality": [0.1, 0.5, 0.9, 0.3]}, n_candidates=4,
                              resource="n_rounds", max_resources=4, factor=2, cv=2,
                              random_state=0).fit(X, y)
    assert r.n_candidates_ == [4, 2, 1] and r.n_resources_ == [1, 2, 4]
    r2 = HalvingRandomSearchCV(KNeighborsClassifier(), {"n_neighbors": randint(1, 10)},
                               cv=2, random_state=3).fit(X, y)
    r3 = HalvingRandomSearchCV(KNeighborsClassifier(), {"n_neighbors": randint(1, 10)},
                               cv=2, random_state=3, n_jobs=2).fit(X, y)
    assert r2.cv_results_["params"] == r3.cv_results_["params"]
    np.testing.assert_array_equal(r2.cv_results_["mean_test_score"],
                                  r3.cv_results_["mean_test_score"])


@pytest.mark.parametrize("factor", [1, 0.5, -2, "3"])
def test_factor_must_exceed_one(factor):
    X, y = _data(2, n=30)
    with pytest.raises(ValueError, match="factor"):
        HalvingGridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 2]},
                            factor=factor).fit(X, y)


def test_halving_bad_resources():
    X, y = _data(3, n=30)
    knn = KNeighborsClassifier()
    with pytest.raises(ValueError, match="Invalid parameter 'n_estimators'"):
        HalvingGridSearchCV(knn, {"n_neighbors": [1, 2]}, resource="n_estimators",
                            max_resources=10).fit(X, y)
    with pytest.raises(ValueError, match="max_resources='auto' needs"):
        HalvingGridSearchCV(_Staged(), {"quality": [1.0]}, resource="n_rounds").fit(X, y)
    with pytest.raises(ValueError, match="greater than max_resources_"):
        HalvingGridSearchCV(knn, {"n_neighbors": [1, 2]}, min_resources=100).fit(X, y)


@given(counts=st.lists(st.integers(1, 40), min_size=2, max_size=5),
       frac=st.floats(0.05, 1.0), seed=st.integers(0, 1000))
def test_row_subsamples_are_stratified(counts, frac, seed):
    from scratchml.model_selection._halving import _HalvingStrategy

    y = np.repeat(np.arange(len(counts)), counts)
    n = len(y)
    keep = max(1, int(frac * n))
    ctx = {"seed": seed, "y": y, "classifier": True, "splits": [(np.arange(n), np.arange(0))]}
    sub = _HalvingStrategy([{}], [keep], "n_samples", ctx)._subsets(keep)[0]
    assert len(sub) == len(set(sub.tolist())) == keep
    # Each class gets its share of the rows up to rounding: the cut through the
    # interleaved positions can leave each of the K classes half a row off, so the
    # worst class is off by less than K/2 + 1/2 rows (plain random sampling is not bounded).
    share = keep * np.asarray(counts) / n
    off = np.abs(np.bincount(y[sub], minlength=len(counts)) - share)
    assert off.max() < len(counts) / 2 + 0.5
