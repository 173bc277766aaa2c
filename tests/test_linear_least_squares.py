"""LinearRegression, Ridge, RidgeCV: the normal equations, and scikit-learn's solutions."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.linear_model import LinearRegression, Ridge, RidgeCV

sk = pytest.importorskip("sklearn.linear_model")


@st.composite
def regression_problem(draw, min_rows=2, max_rows=30, max_features=6, wide=False):
    n = draw(st.integers(min_rows, max_rows))
    p = draw(st.integers(1, max_features if not wide else max_features + n))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([1e-2, 1.0, 1e3]))
    offset = draw(st.sampled_from([0.0, 5.0]))
    X = rng.standard_normal((n, p)) * scale + offset
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    sw = rng.uniform(0.1, 2.0, n) if draw(st.booleans()) else None
    return X, y, sw


@given(regression_problem(min_rows=8), st.booleans())
def test_linear_regression_matches_sklearn(problem, fit_intercept):
    X, y, sw = problem
    ours = LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    ref = sk.LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    # Both solve the same least-squares problem by orthogonal factorisations; the
    # difference is rounding, amplified by the condition number (<= ~1e3 here).
    scale = max(np.abs(ref.coef_).max(), 1e-12)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-8 * scale)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-8,
                               atol=1e-8 * np.abs(y).max())


def test_linear_regression_rank_deficient_gives_minimum_norm_solution():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    X = np.column_stack([X, X[:, 0]])  # duplicated column: rank 3
    y = X @ [1.0, 2.0, 3.0, 1.0]
    ours = LinearRegression().fit(X, y)
    assert ours.rank_ == 3
    # Minimum norm splits the duplicated column's weight equally (exact up to rounding).
    np.testing.assert_allclose(ours.coef_, [1.0, 2.0, 3.0, 1.0], atol=1e-10)
    np.testing.assert_allclose(ours.coef_, sk.LinearRegression().fit(X, y).coef_, atol=1e-10)


def test_linear_regression_multi_target_and_wide():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, 12))
    Y = rng.standard_normal((5, 2))
    ours, ref = LinearRegression().fit(X, Y), sk.LinearRegression().fit(X, Y)
    assert ours.coef_.shape == (2, 12) and ours.intercept_.shape == (2,)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-10)  # rounding only
    np.testing.assert_allclose(ours.predict(X), Y, atol=1e-10)  # wide: interpolates


@given(regression_problem(max_rows=25, wide=True),
       st.floats(1e-3, 1e3), st.sampled_from(["cholesky", "svd", "sparse_cg"]), st.booleans())
def test_ridge_solves_regularized_normal_equations(problem, alpha, solver, fit_intercept):
    X, y, sw = problem
    model = Ridge(alpha=alpha, solver=solver, fit_intercept=fit_intercept, tol=1e-12).fit(
        X, y, sample_weight=sw)
    s = np.ones(len(y)) if sw is None else sw
    if fit_intercept:
        mx, my = np.average(X, axis=0, weights=s), np.average(y, weights=s)
    else:
        mx, my = np.zeros(X.shape[1]), 0.0
    Xc, yc = X - mx, y - my
    lhs = (Xc.T * s) @ Xc @ model.coef_ + alpha * model.coef_
    rhs = (Xc.T * s) @ yc
    # Residual of the normal equations relative to their scale; CG stops at 1e-12
    # relative residual, the direct solvers are exact up to cond * eps.
    scale = np.abs(rhs).max() + np.abs((Xc.T * s) @ Xc).max() * np.abs(model.coef_).max()
    assert np.abs(lhs - rhs).max() <= 1e-7 * scale + 1e-12
    np.testing.assert_allclose(model.intercept_, my - mx @ model.coef_, atol=1e-9 * (1 + abs(my)))


def test_ridge_alpha_per_target_and_sklearn():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((30, 4))
    Y = rng.standard_normal((30, 2))
    alpha = np.array([0.5, 20.0])
    for solver in ("cholesky", "svd"):
        ours = Ridge(alpha=alpha, solver=solver).fit(X, Y)
        ref = sk.Ridge(alpha=alpha, solver=solver).fit(X, Y)
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)  # same closed form
        np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10, atol=1e-12)
    single = Ridge(alpha=20.0).fit(X, Y[:, 1])
    np.testing.assert_allclose(Ridge(alpha=alpha).fit(X, Y).coef_[1], single.coef_, rtol=1e-12)


def test_ridge_float32_stays_float32():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 3)).astype(np.float32)
    model = Ridge().fit(X, X @ np.ones(3, dtype=np.float32))
    assert model.coef_.dtype == np.float32
    assert model.predict(X).dtype == np.float32


@given(regression_problem(min_rows=3, max_rows=25, wide=True), st.booleans(), st.booleans())
def test_ridgecv_matches_sklearn_leave_one_out(problem, fit_intercept, per_target):
    X, y, sw = problem
    Y = np.column_stack([y, y**2]) if per_target else y
    # Alphas relative to the data's scale (||Xc||² ≥ σ_max²): σ²/α stays ≤ 1e3.
    Xc = X - X.mean(axis=0) if fit_intercept else X
    alphas = np.logspace(-3, 3, 7) * max(np.sum(Xc**2), 1e-300)
    ours = RidgeCV(alphas=alphas, fit_intercept=fit_intercept, alpha_per_target=per_target,
                   store_cv_results=True).fit(X, Y, sample_weight=sw)
    ref = sk.RidgeCV(alphas=alphas, fit_intercept=fit_intercept, alpha_per_target=per_target,
                     store_cv_results=True).fit(X, Y, sample_weight=sw)
    # Same closed form, different factorisations: where the fit nearly interpolates
    # (n close to p), 1 − H_ii ≈ α/σ² and rounding is amplified by σ²/α (≤ ~1e3 with
    # the alphas above, so ~1e-12), hence 1e-7. Errors are compared rather than alpha_,
    # since two alphas within rounding of each other may legitimately swap.
    np.testing.assert_allclose(ours.cv_results_, ref.cv_results_, rtol=1e-7,
                               atol=1e-12 * np.abs(ref.cv_results_).max())
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-7)


def test_ridgecv_kfold_matches_sklearn():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((40, 4))
    y = X @ [1.0, -2.0, 0.0, 0.5] + rng.standard_normal(40)
    alphas = [0.01, 1.0, 10.0, 100.0]
    ours = RidgeCV(alphas=alphas, cv=5).fit(X, y)
    ref = sk.RidgeCV(alphas=alphas, cv=5).fit(X, y)
    assert ours.alpha_ == ref.alpha_
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-9)  # same folds, R²
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9)


def test_ridgecv_loo_is_brute_force_loo():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((15, 3))
    y = X @ [1.0, -1.0, 0.5] + 0.3 * rng.standard_normal(15)
    model = RidgeCV(alphas=[0.3], store_cv_results=True).fit(X, y)
    loo = []
    for i in range(15):
        keep = np.arange(15) != i
        m = Ridge(alpha=0.3).fit(X[keep], y[keep])
        loo.append((y[i] - m.predict(X[i:i + 1])[0]) ** 2)
    np.testing.assert_allclose(model.cv_results_[:, 0], loo, rtol=1e-9)  # exact identity


@pytest.mark.parametrize("est, match", [
    (Ridge(alpha=-1.0), "alpha"),
    (Ridge(solver="lu"), "solver"),
    (Ridge(alpha=[1.0, 2.0, 3.0]), "alpha"),
    (RidgeCV(alphas=[0.0, 1.0]), "alphas"),
])
def test_bad_hyperparameters_raise(est, match):
    X = np.random.default_rng(0).standard_normal((10, 2))
    with pytest.raises(ValueError, match=match):
        est.fit(X, X[:, 0])


def test_non_finite_input_raises():
    X = np.ones((5, 2))
    X[1, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        LinearRegression().fit(X, np.arange(5.0))
    with pytest.raises(ValueError, match="NaN"):
        Ridge().fit(np.eye(3), [1.0, np.nan, 2.0])
