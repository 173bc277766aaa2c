"""BayesSearchCV and its Gaussian-process surrogate."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratchml.base import BaseEstimator
from scratchml.model_selection import (
    BayesSearchCV,
    RandomizedSearchCV,
    choice,
    loguniform,
    randint,
    uniform,
)
from scratchml.model_selection._gp import (
    GaussianProcess,
    _log_ml_and_grad,
    expected_improvement,
    matern52,
)
from scratchml.neighbors import KNeighborsClassifier

# -- the surrogate --------------------------------------------------------------------


@given(seed=st.integers(0, 10_000), d=st.integers(1, 4))
def test_log_marginal_likelihood_gradient_matches_finite_differences(seed, d):
    rng = np.random.default_rng(seed)
    Z = rng.uniform(size=(8, d))
    y = np.sin(3 * Z).sum(1)
    theta = np.r_[rng.uniform(-2, 0.5, d), rng.uniform(-1, 1), rng.uniform(-6, -1)]
    _, grad = _log_ml_and_grad(theta, Z, y)
    h = 1e-6
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = h
        fd = (_log_ml_and_grad(theta + e, Z, y)[0] - _log_ml_and_grad(theta - e, Z, y)[0]) / (2 * h)
        # Central differences with h=1e-6 on a float64 log-likelihood of O(10):
        # truncation O(h²) plus rounding O(1e-16/h) relative error.
        assert grad[i] == pytest.approx(fd, rel=1e-4, abs=1e-5)


def test_matern_kernel_matches_sklearn():
    gp_kernels = pytest.importorskip("sklearn.gaussian_process.kernels")
    rng = np.random.default_rng(0)
    A, B = rng.uniform(size=(5, 3)), rng.uniform(size=(4, 3))
    lengths = np.array([0.2, 0.5, 1.5])
    ref = gp_kernels.Matern(length_scale=lengths, nu=2.5)(A, B)
    np.testing.assert_allclose(matern52(A, B, lengths, 1.0), ref, rtol=1e-12, atol=1e-14)


def test_gp_interpolates_and_is_uncertain_away_from_data():
    Z = np.linspace(0, 1, 10)[:, None]
    y = np.sin(6 * Z[:, 0])
    gp = GaussianProcess(rng=np.random.default_rng(0)).fit(Z, y)
    mu, sd = gp.predict(Z)
    # The fitted noise is tiny on noiseless data, so the mean passes near every point.
    np.testing.assert_allclose(mu, y, atol=0.02)
    _, sd_far = gp.predict(np.array([[1.6]]))
    assert sd_far[0] > 5 * sd.max()


@given(mu=st.floats(-5, 5), sd=st.floats(1e-3, 5), best=st.floats(-5, 5))
def test_expected_improvement_is_positive_and_grows_with_the_mean(mu, sd, best):
    ei = expected_improvement(np.array([mu, mu + 0.5]), np.array([sd, sd]), best, xi=0.0)
    assert ei[0] >= -1e-12 and ei[1] >= ei[0] - 1e-12
    assert ei[0] >= max(mu - best, 0) - 1e-6  # EI ≥ the plain improvement of the mean


# -- optimization on standard test functions -------------------------------------------


def branin(x0, x1):
    return ((x1 - 5.1 / (4 * math.pi**2) * x0**2 + 5 / math.pi * x0 - 6) ** 2
            + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x0) + 10)


_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
               [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                      [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(*x):
    return -float(_ALPHA @ np.exp(-np.sum(_A * (np.asarray(x) - _P) ** 2, axis=1)))


class Objective(BaseEstimator):
    """An 'estimator' whose score is −f(parameters): tuning it minimizes f quickly."""

    def __init__(self, func="branin", x0=0.0, x1=0.0, x2=0.0, x3=0.0, x4=0.0, x5=0.0):
        self.func = func
        self.x0, self.x1, self.x2, self.x3, self.x4, self.x5 = x0, x1, x2, x3, x4, x5

    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def score(self, X, y=None):
        if self.func == "branin":
            return -branin(self.x0, self.x1)
        return -hartmann6(self.x0, self.x1, self.x2, self.x3, self.x4, self.x5)


X_DUMMY = np.zeros((2, 1))
ONE_SPLIT = [(np.array([0]), np.array([1]))]


@pytest.mark.parametrize("func,space,optimum", [
    ("branin", {"x0": uniform(-5, 10), "x1": uniform(0, 15)}, -0.397887),
    ("hartmann", {f"x{i}": uniform(0, 1) for i in range(6)}, 3.32237),
])
def test_bayes_beats_random_search_median_after_30_evaluations(func, space, optimum):
    random_best = [RandomizedSearchCV(Objective(func), space, n_iter=30, cv=ONE_SPLIT,
                                      random_state=s, refit=False).fit(X_DUMMY).best_score_
                   for s in range(20)]
    bayes = BayesSearchCV(Objective(func), space, n_iter=30, n_initial_points=8, cv=ONE_SPLIT,
                          random_state=0, refit=False).fit(X_DUMMY)
    assert bayes.best_score_ > np.median(random_best)
    assert bayes.best_score_ <= optimum + 1e-6  # never better than the true optimum
    assert len(bayes.cv_results_["params"]) == 30


def test_tpe_surrogate_beats_random_search_on_hartmann6():
    space = {f"x{i}": uniform(0, 1) for i in range(6)}
    random_best = [RandomizedSearchCV(Objective("hartmann"), space, n_iter=30, cv=ONE_SPLIT,
                                      random_state=s, refit=False).fit(X_DUMMY).best_score_
                   for s in range(20)]
    tpe_best = [BayesSearchCV(Objective("hartmann"), space, n_iter=30, n_initial_points=8,
                              surrogate="tpe", n_points=2, cv=ONE_SPLIT, random_state=s,
                              refit=False).fit(X_DUMMY).best_score_ for s in range(5)]
    assert np.median(tpe_best) > np.median(random_best)
    with pytest.raises(ValueError, match="surrogate"):
        BayesSearchCV(Objective(), {"x0": [0.0]}, surrogate="rf", cv=ONE_SPLIT).fit(X_DUMMY)


# -- the search API -----------------------------------------------------------------


def _data(seed=0, n=60):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    return X, (X[:, 0] + 0.5 * rng.standard_normal(n) > 0).astype(int)


@settings(max_examples=5)  # each example runs three 7-candidate searches
@given(seed=st.integers(0, 1000))
def test_batches_reproducible_and_independent_of_executor(seed):
    X, y = _data(seed)
    space = {"n_neighbors": randint(1, 20), "weights": ["uniform", "distance"],
             "p": choice([1, 2])}

    def run(**kw):
        return BayesSearchCV(KNeighborsClassifier(), space, n_iter=7, n_initial_points=3,
                             n_points=2, cv=3, random_state=seed, **kw).fit(X, y)

    a, b, c = run(), run(), run(n_jobs=2)
    assert a.cv_results_["params"] == b.cv_results_["params"] == c.cv_results_["params"]
    np.testing.assert_array_equal(a.cv_results_["mean_test_score"],
                                  c.cv_results_["mean_test_score"])
    for p in a.cv_results_["params"]:
        assert type(p["n_neighbors"]) is int and 1 <= p["n_neighbors"] < 20
        assert p["weights"] in ("uniform", "distance") and p["p"] in (1, 2)


def test_constant_liar_batch_proposes_distinct_points():
    space = {"x0": uniform(-5, 10), "x1": uniform(0, 15)}
    s = BayesSearchCV(Objective(), space, n_iter=12, n_initial_points=4, n_points=4,
                      cv=ONE_SPLIT, random_state=1, refit=False).fit(X_DUMMY)
    proposed = np.array([[p["x0"], p["x1"]] for p in s.cv_results_["params"][4:]])
    for batch in (proposed[:4], proposed[4:]):
        dists = np.linalg.norm(batch[:, None] - batch[None], axis=-1)
        assert dists[np.triu_indices(4, 1)].min() > 1e-3


def test_log_scale_scipy_distributions_and_failures():
    stats = pytest.importorskip("scipy.stats")
    X, y = _data(1)
    space = {"n_neighbors": stats.randint(1, 15), "p": loguniform(1.0, 3.0)}
    s = BayesSearchCV(KNeighborsClassifier(), space, n_iter=6, n_initial_points=3, cv=3,
                      random_state=0).fit(X, y)
    assert all(1.0 <= p["p"] <= 3.0 for p in s.cv_results_["params"])
    assert all(1 <= p["n_neighbors"] < 15 for p in s.cv_results_["params"])
    # n_neighbors beyond the 40 training rows fails: recorded, and the search goes on.
    bad = BayesSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 500]}, n_iter=5,
                        n_initial_points=3, cv=3, random_state=0)
    with pytest.warns(UserWarning):
        bad.fit(X, y)
    assert len(bad.cv_results_["params"]) == 5 and bad.best_params_ == {"n_neighbors": 1}


def test_bayes_bad_input():
    X, y = _data()
    knn = KNeighborsClassifier()
    with pytest.raises(ValueError, match="non-empty dict"):
        BayesSearchCV(knn, {}).fit(X, y)
    with pytest.raises(ValueError, match=r"Invalid parameter 'k'.*'n_neighbors'"):
        BayesSearchCV(knn, {"k": [1, 2]}).fit(X, y)
    with pytest.raises(ValueError, match="n_iter"):
        BayesSearchCV(knn, {"n_neighbors": [1, 2]}, n_iter=0).fit(X, y)
    with pytest.raises(ValueError, match="cannot be searched"):
        BayesSearchCV(knn, {"n_neighbors": 3}).fit(X, y)


def test_discrete_space_is_not_evaluated_twice_before_it_is_exhausted():
    X, y = _data(2)
    options = [1, 2, 3, 5, 8, 13]
    s = BayesSearchCV(KNeighborsClassifier(), {"n_neighbors": options}, n_iter=6,
                      n_initial_points=1, n_points=2, cv=3, random_state=0).fit(X, y)
    assert sorted(p["n_neighbors"] for p in s.cv_results_["params"]) == options
