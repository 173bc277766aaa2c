"""Lasso / ElasticNet: KKT conditions, duality gap, scikit-learn's objective, backends, CV."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scratchml
from scratchml._backend import get_kernel
from scratchml.exceptions import ConvergenceWarning
from scratchml.linear_model import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path
from scratchml.linear_model._kernels import (
    enet_coordinate_descent_gram_numpy,
    enet_coordinate_descent_numpy,
)

sk = pytest.importorskip("sklearn.linear_model")


@st.composite
def sparse_problem(draw, max_rows=40, max_features=8):
    n = draw(st.integers(5, max_rows))
    p = draw(st.integers(1, max_features))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    X = rng.standard_normal((n, p)) * draw(st.sampled_from([0.5, 1.0, 3.0]))
    X += draw(st.sampled_from([0.0, 2.0]))
    w = rng.standard_normal(p) * (rng.random(p) < 0.5)
    y = X @ w + 0.3 * rng.standard_normal(n)
    sw = rng.uniform(0.2, 2.0, n) if draw(st.booleans()) else None
    return X, y, sw


def objective(model, X, y, alpha, l1_ratio, sw=None):
    """scikit-learn's elastic-net objective (weights normalised to sum to n)."""
    s = np.ones(len(y)) if sw is None else sw * len(y) / sw.sum()
    r = y - X @ model.coef_ - model.intercept_
    return (s @ r**2) / (2 * len(y)) + alpha * l1_ratio * np.abs(model.coef_).sum() + (
        alpha * (1 - l1_ratio) / 2 * model.coef_ @ model.coef_)


@given(sparse_problem(), st.floats(1e-3, 1.0), st.sampled_from([1.0, 0.7, 0.2]),
       st.sampled_from(["auto", True, False]))
def test_solution_satisfies_kkt_and_reports_small_gap(problem, alpha, l1_ratio, precompute):
    X, y, sw = problem
    tol = 1e-8
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, precompute=precompute, tol=tol,
                           max_iter=10_000).fit(X, y, sample_weight=sw)
    n = len(y)
    s = np.ones(n) if sw is None else sw * n / sw.sum()
    mx, my = np.average(X, axis=0, weights=s), np.average(y, weights=s)
    Xc, yc = X - mx, y - my
    if caught:  # slow cases (tiny alpha, p > n): the warning must then be truthful
        assert model.dual_gap_ * n > tol * (s @ yc**2)
        return
    # Subgradient conditions of (1/2n)||r||² + αρ||w||₁ + α(1−ρ)/2||w||², r = y − Xw:
    #   x_jᵀ S r / n − α(1−ρ) w_j = αρ sign(w_j) for w_j ≠ 0, |.| ≤ αρ for w_j = 0.
    g = Xc.T @ (s * (yc - Xc @ model.coef_)) / n - alpha * (1 - l1_ratio) * model.coef_
    nz = model.coef_ != 0
    # The duality gap bounds the objective's suboptimality by tol·||y||²/n; the KKT
    # residual of such a point is O(sqrt(gap)) times the data scale.
    slack = 1e-3 * (1 + np.abs(g).max())
    np.testing.assert_allclose(g[nz], alpha * l1_ratio * np.sign(model.coef_[nz]), atol=slack)
    assert np.all(np.abs(g[~nz]) <= alpha * l1_ratio + slack)
    # A converged gap can round to a tiny negative number (it is a difference).
    assert -1e-12 <= model.dual_gap_ * n <= tol * (s @ yc**2) * (1 + 1e-9) + 1e-12
    np.testing.assert_allclose(model.intercept_, my - mx @ model.coef_, atol=1e-9 * (1 + abs(my)))


@given(sparse_problem(), st.floats(1e-3, 1.0), st.sampled_from([1.0, 0.5]))
def test_objective_matches_sklearn(problem, alpha, l1_ratio):
    X, y, sw = problem
    ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-10, max_iter=100_000).fit(
        X, y, sample_weight=sw)
    ref = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-10, max_iter=100_000).fit(
        X, y, sample_weight=sw)
    a, b = objective(ours, X, y, alpha, l1_ratio, sw), objective(ref, X, y, alpha, l1_ratio, sw)
    # Both certify a duality gap ≤ 1e-10·||y||²/n, so the objectives agree to ~1e-10.
    assert abs(a - b) <= 1e-8 * max(abs(b), 1e-12)


def test_lasso_is_elastic_net_with_l1_ratio_one_and_matches_sklearn():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 6))
    y = X @ [2.0, 0, 0, -1.0, 0, 0] + 0.1 * rng.standard_normal(50)
    ours = Lasso(alpha=0.05, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ElasticNet(alpha=0.05, l1_ratio=1.0, tol=1e-12)
                               .fit(X, y).coef_, rtol=1e-12)
    ref = sk.Lasso(alpha=0.05, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-7, atol=1e-10)  # tol-limited
    assert np.sum(ours.coef_ != 0) == np.sum(ref.coef_ != 0)
    assert ours.n_iter_ >= 1


def test_multi_target_fits_each_target():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 4))
    Y = np.column_stack([X[:, 0], X[:, 1] - X[:, 2]])
    both = ElasticNet(alpha=0.1, tol=1e-10).fit(X, Y)
    assert both.coef_.shape == (2, 4) and both.dual_gap_.shape == (2,)
    for t in range(2):
        one = ElasticNet(alpha=0.1, tol=1e-10).fit(X, Y[:, t])
        np.testing.assert_allclose(both.coef_[t], one.coef_, rtol=1e-12, atol=1e-14)


def test_warm_start_starts_from_previous_solution():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((60, 5))
    y = X @ [1.0, -2.0, 0, 0, 0.5]
    model = Lasso(alpha=0.1, warm_start=True, tol=1e-8).fit(X, y)
    assert model.fit(X, y).n_iter_ == 0  # already optimal: the gap check stops at once


def test_convergence_warning_names_max_iter():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((30, 10))
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        Lasso(alpha=1e-4, max_iter=1, tol=1e-12).fit(X, X @ np.arange(10.0))


@pytest.mark.parametrize("params, match", [
    ({"alpha": -1.0}, "alpha"), ({"l1_ratio": 1.5}, "l1_ratio"),
    ({"max_iter": 0}, "max_iter"), ({"precompute": "yes"}, "precompute"),
])
def test_bad_hyperparameters(params, match):
    with pytest.raises(ValueError, match=match):
        ElasticNet(**params).fit(np.eye(3), [1.0, 2.0, 3.0])


# ----------------------------------------------------------------- kernel backends


def _kernel(name, backend):
    fn, chosen = get_kernel(name, backend)
    assert chosen == backend
    return fn


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sparse_problem(max_rows=30, max_features=10), st.floats(0.0, 2.0),
       st.floats(0.0, 2.0), st.sampled_from([np.float64, np.float32]))
def test_every_backend_gives_the_reference_solution(backend, problem, l1, l2, dtype):
    if backend == "cuda":
        pytest.skip("coordinate descent has no CUDA twin")
    X, y, _ = problem
    X, y = (X - X.mean(0)).astype(dtype), (y - y.mean()).astype(dtype)
    n = len(y)
    if n <= X.shape[1]:
        l2 = max(l2, 0.1)  # without an L2 part the wide problem has many solutions
    XT = np.ascontiguousarray(X.T)
    Q, q = np.ascontiguousarray(X.T @ X), X.T @ y
    # float32 sums round at ~1e-7 relative; the descent amplifies that by the
    # conditioning of the coordinate problems, hence 1e-3 (float64: 1e-9).
    rtol = 1e-3 if dtype == np.float32 else 1e-9
    for name, ref_fn, args in [
        ("enet_coordinate_descent", enet_coordinate_descent_numpy, (XT, y)),
        ("enet_coordinate_descent_gram", enet_coordinate_descent_gram_numpy,
         (Q, q, float(y @ y))),
    ]:
        w_ref = np.zeros(X.shape[1], dtype=dtype)
        gap_ref, _, _ = ref_fn(w_ref, l1 * n, l2 * n, *args, 2000, 1e-10)
        w = np.zeros(X.shape[1], dtype=dtype)
        gap, _, n_iter = _kernel(name, backend)(w, l1 * n, l2 * n, *args, 2000, 1e-10)
        assert w.dtype == dtype
        scale = max(np.abs(w_ref).max(), 1.0)
        np.testing.assert_allclose(w, w_ref, rtol=rtol, atol=rtol * scale)


def test_estimator_same_coefficients_on_every_backend(backend):
    if backend == "cuda":
        pytest.skip("coordinate descent has no CUDA twin")
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 60))  # wide: the residual kernel
    y = X[:, :3] @ [1.0, -1.0, 2.0]
    with scratchml.config_context(backend="numpy"):
        ref = ElasticNet(alpha=0.05, tol=1e-10).fit(X, y)
    with scratchml.config_context(backend=backend):
        ours = ElasticNet(alpha=0.05, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-12)  # rounding


# ----------------------------------------------------------------- paths and CV


def test_enet_path_matches_sklearn():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((40, 5))
    y = X @ [1.0, 0, -1.0, 0, 0.3] + 0.1 * rng.standard_normal(40)
    X, y = X - X.mean(0), y - y.mean()
    alphas, coefs, gaps = enet_path(X, y, l1_ratio=0.8, n_alphas=8, tol=1e-10)
    ref_alphas, ref_coefs, _ = sk.enet_path(X, y, l1_ratio=0.8, alphas=8, tol=1e-10)
    np.testing.assert_allclose(alphas, ref_alphas, rtol=1e-12)  # same closed-form grid
    np.testing.assert_allclose(coefs, ref_coefs, rtol=1e-6, atol=1e-9)  # tol-limited
    assert np.all(coefs[:, 0] == 0)  # α_max: every coefficient is 0


@pytest.mark.parametrize("cls, ref_cls, params", [
    (LassoCV, "LassoCV", {}),
    (ElasticNetCV, "ElasticNetCV", {"l1_ratio": [0.3, 0.9]}),
])
def test_cv_estimators_match_sklearn(cls, ref_cls, params):
    rng = np.random.default_rng(6)
    X = rng.standard_normal((60, 6)) + 1.0
    y = X @ [1.0, 0, -1.0, 0, 0.3, 0] + 0.5 * rng.standard_normal(60)
    ours = cls(alphas=20, tol=1e-8, **params).fit(X, y)
    ref = getattr(sk, ref_cls)(alphas=20, tol=1e-8, **params).fit(X, y)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-12)
    # Per-fold test errors of solutions converged to a 1e-8 duality gap.
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-5, atol=1e-8)


def test_float32_input_keeps_float32_coefficients():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((50, 4)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Lasso(alpha=0.01).fit(X, X[:, 0])
    assert model.coef_.dtype == np.float32
