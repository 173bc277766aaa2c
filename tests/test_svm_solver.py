"""The SVM solvers: optimality properties and backend agreement.

``svm_smo`` (libsvm's SMO) is checked on hypothesis-generated small problems for
feasibility (0 <= a <= C, y.a = 0), the KKT conditions within ``tol`` and equality of
every backend's result with the NumPy reference; ``linear_svc_cd`` (liblinear's dual
coordinate descent) for backend agreement and the optimality of its solution.
"""

import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scratchml
from scratchml._backend import get_kernel
from scratchml.svm._kernel_fn import KERNEL_CODES, kernel_block

# ``backend`` is a plain string, so sharing it across generated examples is safe.
FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])


def _kernel(backend, name):
    if backend == "cuda":
        pytest.skip("the SVM kernels have no CUDA twin")
    with scratchml.config_context(backend=backend):
        fn, used = get_kernel(name)
    assert used == backend
    return fn


@st.composite
def svc_problem(draw):
    n = draw(st.integers(4, 40))
    d = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**31))
    kernel = draw(st.sampled_from(["linear", "poly", "rbf", "sigmoid"]))
    C = draw(st.sampled_from([0.1, 1.0, 10.0]))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.where(X[:, 0] + 0.7 * rng.standard_normal(n) > 0, 1.0, -1.0)
    y[0], y[1] = 1.0, -1.0  # both classes present
    Cvec = C * rng.choice([1.0, 0.5, 2.0], size=n)  # per-sample bounds (class/sample weights)
    return X, y, kernel, Cvec


def _solve(fn, X, y, kernel, C, tol=1e-3, cache_size=200.0, shrinking=True, gamma=0.5):
    n = len(y)
    return fn(np.ascontiguousarray(X), KERNEL_CODES[kernel], gamma, 0.5, 3, np.arange(n),
              y, -np.ones(n), C, np.zeros(n), tol, cache_size, shrinking, -1)


def _kkt_gap(X, y, kernel, C, alpha, gamma=0.5):
    """m(a) - M(a) recomputed in float64 from scratch."""
    K = kernel_block(KERNEL_CODES[kernel], X, X, gamma, 0.5, 3)
    G = (y[:, None] * y[None, :] * K) @ alpha - 1.0
    up = np.where(y > 0, alpha < C, alpha > 0)
    low = np.where(y > 0, alpha > 0, alpha < C)
    return np.max(-y[up] * G[up]) - np.min(-y[low] * G[low]), np.abs(K).max()


@FIXTURE_OK
@given(svc_problem())
def test_smo_solution_is_feasible_and_meets_kkt(backend, problem):
    X, y, kernel, C = problem
    fn = _kernel(backend, "svm_smo")
    tol = 1e-3
    alpha, rho, n_iter, status = _solve(fn, X, y, kernel, C, tol=tol)
    assert status == 0
    assert np.all(alpha >= 0) and np.all(alpha <= C)
    # Each SMO step keeps y.a unchanged exactly up to rounding of the two updated values.
    assert abs(alpha @ y) <= 1e-12 * max(1.0, np.sum(alpha)) * len(y)
    gap, kmax = _kkt_gap(X, y, kernel, C, alpha)
    # The solver's gradient is built from float32 kernel columns (libsvm's Qfloat), so
    # the float64 gap may exceed tol by the rounding of sum |a| |K| in float32.
    assert gap <= tol + 2 * 6e-8 * kmax * (np.sum(alpha) + 1)


@FIXTURE_OK
@given(svc_problem())
def test_every_backend_gives_the_reference_solution(backend, problem):
    X, y, kernel, C = problem
    ref = _solve(_kernel("numpy", "svm_smo"), X, y, kernel, C)
    got = _solve(_kernel(backend, "svm_smo"), X, y, kernel, C)
    # Same algorithm, same visiting order: the backends differ only in the rounding of
    # dot products (BLAS vs a C loop) and of fused multiply-adds, which moves a by a
    # few ulps of C per iteration -- unless that rounding breaks a near-tie of the
    # working-set rule differently (see the else branch).
    if got[2] == ref[2] and np.allclose(got[0], ref[0], rtol=0, atol=1e-9 * C.max()):
        # The same support set, up to values at rounding level: a clipped update such as
        # a_j = (a_i + a_j) - C can leave 1e-16 instead of 0 on one backend.
        eps = 1e-12 * C.max()
        np.testing.assert_array_equal(got[0] > eps, ref[0] > eps)
        assert abs(got[1] - ref[1]) <= 1e-9 * (1 + abs(ref[1]))
    else:
        # Rounding decided a stopping test (m - M within ulps of tol) or a tie of the
        # working-set rule differently, e.g. with near-duplicate samples. Both results
        # still meet the KKT conditions, so their decision values on the training set
        # differ by O(tol) (the bound below is 20 tol, times the scale of f).
        K = kernel_block(KERNEL_CODES[kernel], X, X, 0.5, 0.5, 3)
        f_ref = K @ (y * ref[0]) - ref[1]
        f_got = K @ (y * got[0]) - got[1]
        assert np.max(np.abs(f_got - f_ref)) <= 20 * 1e-3 * (1 + np.abs(f_ref).max())


def _shrinking_problem():
    # 500 variables, C = 20: about 3,500 iterations, so shrinking runs every 500 of them
    # and the unshrink at m - M <= 10 tol happens too.
    rng = np.random.default_rng(3)
    X = rng.standard_normal((500, 3))
    y = np.where(X[:, 0] * X[:, 1] + 0.3 * rng.standard_normal(500) > 0, 1.0, -1.0)
    return X, y, np.full(500, 20.0)


@functools.lru_cache(maxsize=1)
def _reference_shrinking_solution():
    X, y, C = _shrinking_problem()
    return _solve(_kernel("numpy", "svm_smo"), X, y, "rbf", C, tol=1e-4)


@pytest.mark.parametrize("cache_size", [0.001, 0.05])
def test_cache_size_and_shrinking_do_not_change_the_solution(backend, cache_size):
    # Columns are recomputed deterministically, so a tiny cache (2 or 26 columns: many
    # evictions, partial columns of shrunk problems) gives bit-identical results.
    X, y, C = _shrinking_problem()
    fn = _kernel(backend, "svm_smo")
    big = _solve(fn, X, y, "rbf", C, tol=1e-4)
    small = _solve(fn, X, y, "rbf", C, tol=1e-4, cache_size=cache_size)
    np.testing.assert_array_equal(small[0], big[0])
    assert small[1] == big[1]
    K = kernel_block(2, X, X, 0.5, 0.0, 3)
    # After each SMO step the two updated variables have equal -y G up to rounding,
    # so on long runs the backends' rounding can break such a near-tie differently and
    # the paths part. Both still stop within tol of the optimum: decision values agree
    # to a few tol.
    ref = _reference_shrinking_solution()
    f_ref, f_big = K @ (y * ref[0]) - ref[1], K @ (y * big[0]) - big[1]
    assert np.max(np.abs(f_ref - f_big)) <= 20 * 1e-4 * (1 + np.abs(f_ref).max())
    # Without shrinking the path differs too, and the dual objectives agree to ~tol.
    flat = _solve(fn, X, y, "rbf", C, tol=1e-4, shrinking=False)
    Q = y[:, None] * y[None, :] * K

    def obj(a):
        return 0.5 * a @ Q @ a - a.sum()

    assert abs(obj(flat[0]) - obj(big[0])) <= 1e-4 * max(1.0, abs(obj(big[0])))


def test_smo_reproduces_libsvm():
    # Same algorithm as libsvm, same variable order: on this problem scikit-learn's
    # libsvm takes the same number of iterations and finds the same bias.
    svm = pytest.importorskip("sklearn.svm")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 5))
    labels = (X[:, 0] + 0.3 * rng.standard_normal(300) > 0).astype(int)
    order = np.argsort(labels, kind="stable")  # libsvm groups the samples by class
    y = np.where(labels[order] == 0, 1.0, -1.0)
    alpha, rho, n_iter, _ = _solve(_kernel("numpy", "svm_smo"), X[order], y, "rbf",
                                   np.ones(300), gamma=0.2)
    ref = svm.SVC(gamma=0.2).fit(X, labels)
    assert n_iter == ref.n_iter_[0]
    assert abs(-rho - ref._intercept_[0]) < 1e-9  # float64 rounding only


@st.composite
def linear_problem(draw):
    n = draw(st.integers(3, 40))
    d = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    X = np.column_stack([rng.standard_normal((n, d)), np.ones(n)])
    y = np.where(X[:, 0] + 0.5 * rng.standard_normal(n) > 0, 1.0, -1.0)
    C = draw(st.sampled_from([0.1, 1.0, 10.0])) * rng.choice([1.0, 3.0], size=n)
    return X, y, C, draw(st.booleans())


@FIXTURE_OK
@given(linear_problem())
def test_linear_svc_cd_backends_agree_and_solution_is_optimal(backend, problem):
    X, y, C, squared = problem
    ref = _kernel("numpy", "linear_svc_cd")(X, y, C, squared, 1e-6, 5000, 7)
    got = _kernel(backend, "linear_svc_cd")(X, y, C, squared, 1e-6, 5000, 7)
    # Same coordinate order (shared xorshift seed); only dot-product rounding differs,
    # which can move the last pass (the stopping test at tol = 1e-6) by one.
    np.testing.assert_allclose(got[0], ref[0], rtol=1e-4, atol=1e-5)
    w, alpha, n_iter = got
    # Primal-dual link w = sum a_i y_i x_i and box feasibility of a.
    np.testing.assert_allclose(w, (alpha * y) @ X, rtol=1e-9, atol=1e-9)
    assert np.all(alpha >= 0)
    if not squared:
        assert np.all(alpha <= C * (1 + 1e-12))
    # Duality gap P(w) - D(a) >= 0 closes at the optimum. (The stopping rule bounds the
    # projected gradients seen *during* the last pass; their effect on the gap is
    # bounded by about n tol max(a), far below the 1e-3 relative bound used here.)
    margin = 1 - y * (X @ w)
    loss = np.maximum(margin, 0) ** 2 if squared else np.maximum(margin, 0)
    primal = 0.5 * w @ w + np.sum(C * loss)
    D = 0.5 / C if squared else np.zeros_like(C)
    dual = alpha.sum() - 0.5 * w @ w - 0.5 * np.sum(D * alpha**2)
    assert primal - dual >= -1e-9 * (1 + abs(primal))  # weak duality, up to rounding
    if n_iter < 5000:  # converged (hinge loss with a large C can need more passes)
        assert primal - dual <= 1e-3 * (1 + abs(primal))
