"""LogisticRegression and its L-BFGS: zero gradient, scikit-learn's coefficients, errors."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratchml._backend import get_kernel
from scratchml.exceptions import ConvergenceWarning
from scratchml.linear_model import LogisticRegression
from scratchml.linear_model._kernels import saga_epoch_numpy
from scratchml.linear_model._lbfgs import minimize_lbfgs, strong_wolfe
from scratchml.linear_model._logistic_loss import LogisticObjective

sk = pytest.importorskip("sklearn.linear_model")


@st.composite
def classification_problem(draw, max_classes=4):
    n = draw(st.integers(30, 80))
    p = draw(st.integers(1, 5))
    k = draw(st.integers(2, max_classes))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    X = rng.standard_normal((n, p)) * draw(st.sampled_from([0.5, 1.0, 2.0]))
    scores = X @ rng.standard_normal((p, k)) + rng.standard_normal((n, k))
    y = scores.argmax(axis=1)
    y[:k] = np.arange(k)  # every class present
    sw = rng.uniform(0.2, 2.0, n) if draw(st.booleans()) else None
    return X, y, sw


def _sklearn(**params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # sklearn 1.8 deprecates penalty
        return sk.LogisticRegression(**params)


def _rel(a, b):
    return np.abs(a - b).max() / max(np.abs(b).max(), 1e-3)


@given(classification_problem(), st.sampled_from([0.05, 1.0, 20.0]), st.booleans())
def test_lbfgs_matches_sklearn_coefficients(problem, C, fit_intercept):
    X, y, sw = problem
    ours = LogisticRegression(C=C, fit_intercept=fit_intercept, tol=1e-10, max_iter=2000).fit(
        X, y, sample_weight=sw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _sklearn(C=C, fit_intercept=fit_intercept, tol=1e-10, max_iter=2000).fit(
            X, y, sample_weight=sw)
    # Same objective, both solved to a 1e-10 gradient: the 1e-4 relative bound.
    assert _rel(ours.coef_, ref.coef_) <= 1e-4
    if fit_intercept:
        assert np.abs(ours.intercept_ - ref.intercept_).max() <= 1e-4 * (
            1 + np.abs(ref.intercept_).max())
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)


@given(classification_problem())
def test_gradient_vanishes_at_the_solution(problem):
    X, y, sw = problem
    model = LogisticRegression(C=0.7, tol=1e-8, max_iter=1000).fit(X, y, sample_weight=sw)
    s = np.ones(len(y)) if sw is None else sw
    k = model.coef_.shape[0]
    yy = y.astype(float) if k == 1 else y
    obj = LogisticObjective(X, yy, s, k, True, 1.0 / (0.7 * s.sum()))
    W = np.column_stack([model.coef_, model.intercept_])
    _, grad = obj.loss_grad(W.ravel())
    assert np.abs(grad).max() <= 1e-7  # tol=1e-8, stopping on the max-norm gradient


@pytest.mark.parametrize("solver", ["newton-cd", "saga"])
@pytest.mark.parametrize("penalty, l1_ratio", [("l1", 1.0), ("elasticnet", 0.5)])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_l1_and_elasticnet_match_sklearn_saga(penalty, l1_ratio, n_classes, solver):
    rng = np.random.default_rng(n_classes)
    X = rng.standard_normal((120, 6))
    y = np.digitize(X[:, 0] + 0.5 * X[:, 1] + 0.3 * rng.standard_normal(120),
                    [-0.4, 0.4] if n_classes == 3 else [0.0])
    # newton-cd stops on the optimality violation, saga on the relative change of W per
    # epoch (scikit-learn's rule): tol=1e-9 puts W within ~1e-7 of the optimum.
    ours = LogisticRegression(penalty=penalty, l1_ratio=l1_ratio, C=0.3, solver=solver,
                              tol=1e-9, max_iter=5000, random_state=0).fit(X, y)
    ref = _sklearn(l1_ratio=l1_ratio, C=0.3, solver="saga", tol=1e-12,
                   max_iter=100_000).fit(X, y)
    assert _rel(ours.coef_, ref.coef_) <= 1e-4  # the bound; saga converged to 1e-12
    np.testing.assert_array_equal(ours.coef_ == 0, np.abs(ref.coef_) < 1e-8)  # same support


def test_class_weight_balanced_equals_sample_weights():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((60, 3))
    y = (X[:, 0] > 0.8).astype(int)
    a = LogisticRegression(class_weight="balanced", tol=1e-10).fit(X, y)
    w = len(y) / (2 * np.bincount(y))
    b = LogisticRegression(tol=1e-10).fit(X, y, sample_weight=w[y])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-6)  # both to a 1e-10 gradient
    ref = _sklearn(class_weight="balanced", tol=1e-10).fit(X, y)
    assert _rel(a.coef_, ref.coef_) <= 1e-4


def test_no_penalty_and_string_labels():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((80, 2))
    y = np.where(X[:, 0] + rng.standard_normal(80) > 0, "yes", "no")
    ours = LogisticRegression(penalty=None, tol=1e-10).fit(X, y)
    ref = _sklearn(C=np.inf, tol=1e-10).fit(X, y)
    assert _rel(ours.coef_, ref.coef_) <= 1e-4
    assert set(ours.predict(X)) <= {"yes", "no"}
    proba = ours.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.log(proba), ours.predict_log_proba(X), atol=1e-12)


def test_convergence_warning_names_max_iter_and_tol():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((50, 4)) * 100
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(ConvergenceWarning, match=r"max_iter=2.*tol"):
        LogisticRegression(max_iter=2).fit(X, y)


@pytest.mark.parametrize("params, match", [
    ({"C": 0}, "C=0"), ({"C": -1.0}, "C=-1.0"), ({"penalty": "l3"}, "penalty"),
    ({"solver": "sag"}, "solver"), ({"penalty": "l1"}, "saga"),
    ({"penalty": "elasticnet", "solver": "newton-cd"}, "l1_ratio"),
])
def test_bad_hyperparameters(params, match):
    X = np.random.default_rng(0).standard_normal((10, 2))
    with pytest.raises(ValueError, match=match):
        LogisticRegression(**params).fit(X, (X[:, 0] > 0).astype(int))


def test_single_class_and_non_finite_inputs():
    X = np.random.default_rng(0).standard_normal((10, 2))
    with pytest.raises(ValueError, match="1 class"):
        LogisticRegression().fit(X, np.zeros(10))
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        LogisticRegression().fit(X, np.arange(10) % 2)


def test_warm_start_converges_immediately():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 3))
    y = (X[:, 0] > 0).astype(int)
    model = LogisticRegression(warm_start=True, tol=1e-6).fit(X, y)
    assert model.fit(X, y).n_iter_[0] == 0


# ----------------------------------------------------------------- L-BFGS itself


def rosenbrock(x):
    f = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    g = np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])
    return f, g


def test_lbfgs_minimises_rosenbrock():
    x, f, g, n_iter, converged = minimize_lbfgs(rosenbrock, [-1.2, 1.0], max_iter=500,
                                                gtol=1e-8, ftol=0)
    assert converged
    np.testing.assert_allclose(x, [1.0, 1.0], atol=1e-6)  # gtol 1e-8, Hessian cond ~2500


@given(st.floats(-2, 2), st.floats(-2, 2))
def test_line_search_step_satisfies_strong_wolfe(a, b):
    x = np.array([a, b])
    f0, g0 = rosenbrock(x)
    if np.abs(g0).max() < 1e-8:
        return
    d = -g0 / np.abs(g0).max()
    t, f, g, _ = strong_wolfe(rosenbrock, x, f0, g0, d)
    assert t is not None and t > 0
    assert f <= f0 + 1e-4 * t * (g0 @ d) + 1e-12  # sufficient decrease
    assert abs(g @ d) <= 0.9 * abs(g0 @ d) + 1e-12  # curvature


# ----------------------------------------------------------------- SAGA kernel backends


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**31 - 1), st.integers(1, 4), st.floats(0.0, 0.05),
       st.floats(0.0, 0.05), st.booleans())
def test_every_backend_gives_the_reference_saga_epoch(backend, seed, k, l1, l2, intercept):
    if backend == "cuda":
        pytest.skip("SAGA has no CUDA twin")
    rng = np.random.default_rng(seed)
    n, p = 30, 4
    X = rng.standard_normal((n, p))
    y = rng.integers(0, max(k, 2), n).astype(float)
    c = rng.uniform(0.5, 1.5, n)
    order = rng.permutation(n).astype(np.intp)
    fn, chosen = get_kernel("saga_epoch", backend)
    assert chosen == backend
    out = []
    for impl in (saga_epoch_numpy, fn):
        state = [np.zeros((k, p)), np.zeros(k), np.zeros((n, k)), np.zeros((k, p)), np.zeros(k)]
        for _ in range(3):
            impl(*state, X, y, c, order, k > 1, 0.05, l1, l2, intercept)
        out.append(state)
    for a, b in zip(*out):
        # Same arithmetic, different summation order in the dot products: 1e-12.
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12)
