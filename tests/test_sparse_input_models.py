"""Models fitted on sparse input (CSRMatrix or SciPy's) agree with the dense fit.

Each test fits the same estimator on a CSRMatrix, on its ``.toarray()`` and (where
SciPy is installed) on the SciPy CSR matrix, and compares coefficients / labels.
Where the sparse path runs the same arithmetic as the dense one in another order,
the tolerance is a few hundred ulps; where it runs another solver (Ridge's conjugate
gradient vs Cholesky) it is the solver's tolerance. Two new kernels,
``sgd_epoch_sparse`` and ``linear_svc_cd_sparse``, are checked backend by backend
against their NumPy references.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml._backend import get_kernel
from scratchml.cluster import KMeans, MiniBatchKMeans
from scratchml.linear_model import (
    LogisticRegression,
    Ridge,
    SGDClassifier,
    SGDRegressor,
)
from scratchml.linear_model._kernels import LOSSES, PENALTY_CODES
from scratchml.neighbors import NearestNeighbors
from scratchml.sparse import CSRMatrix
from scratchml.svm import LinearSVC


def _sparse_data(seed, n=60, p=15, density=0.3, integer=False):
    rng = np.random.default_rng(seed)
    D = rng.integers(1, 6, (n, p)).astype(float) if integer else rng.normal(size=(n, p))
    D[rng.random((n, p)) > density] = 0.0
    return D, CSRMatrix.from_dense(D)


def _inputs(D, X):
    """The sparse forms to test: CSRMatrix, and SciPy's CSR when SciPy is present."""
    forms = [X]
    try:
        import scipy.sparse as sp
    except ImportError:  # SciPy is an optional test extra
        return forms
    return forms + [sp.csr_matrix(D)]


def _kernel(name, backend):
    try:
        return get_kernel(name, backend=backend)[0]
    except RuntimeError:
        pytest.skip(f"{name!r} has no {backend!r} implementation")


# -- LogisticRegression (lbfgs) ---------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_logistic_lbfgs_sparse_equals_dense(n_classes, fit_intercept):
    D, X = _sparse_data(0)
    y = np.argsort(np.argsort(D[:, 0] + D[:, 1]))  * n_classes // len(D)
    sw = np.random.default_rng(1).uniform(0.5, 2.0, len(D))
    kw = dict(tol=1e-10, max_iter=500, fit_intercept=fit_intercept)
    dense = LogisticRegression(**kw).fit(D, y, sample_weight=sw)
    for Xs in _inputs(D, X):
        sparse = LogisticRegression(**kw).fit(Xs, y, sample_weight=sw)
        # Same L-BFGS iterates; only the summation order of X w / Xᵀ g differs, and the
        # optimum is well conditioned (L2 penalty, C = 1): agreement to ~1e-8.
        np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-7)
        np.testing.assert_allclose(sparse.intercept_, dense.intercept_, atol=1e-7)
        np.testing.assert_allclose(sparse.predict_proba(Xs), dense.predict_proba(D), atol=1e-8)
        assert np.array_equal(sparse.predict(Xs), dense.predict(D))


def test_logistic_sparse_matches_sklearn():
    sk = pytest.importorskip("sklearn.linear_model")
    sp = pytest.importorskip("scipy.sparse")
    D, X = _sparse_data(2, n=80, p=20)
    y = (D[:, :3].sum(axis=1) > 0).astype(int)
    ours = LogisticRegression(tol=1e-10, max_iter=1000).fit(X, y)
    ref = sk.LogisticRegression(tol=1e-10, max_iter=1000).fit(sp.csr_matrix(D), y)
    # Both minimise the same strictly convex objective to gtol 1e-10.
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)


@pytest.mark.parametrize("solver", ["saga", "newton-cd"])
def test_logistic_other_solvers_reject_sparse(solver):
    D, X = _sparse_data(3)
    with pytest.raises(ValueError, match="lbfgs"):
        LogisticRegression(solver=solver).fit(X, (D[:, 0] > 0).astype(int))


# -- Ridge (sparse_cg) ------------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("multi", [False, True])
def test_ridge_sparse_cg_equals_dense(fit_intercept, weighted, multi):
    D, X = _sparse_data(4)
    rng = np.random.default_rng(5)
    y = D @ rng.normal(size=(D.shape[1], 2 if multi else 1)) + 3.0 + rng.normal(size=(len(D), 1))
    y = y if multi else y[:, 0]
    sw = rng.uniform(0.5, 2.0, len(D)) if weighted else None
    dense = Ridge(alpha=0.7, fit_intercept=fit_intercept, solver="cholesky").fit(
        D, y, sample_weight=sw)
    for Xs in _inputs(D, X):
        sparse = Ridge(alpha=0.7, fit_intercept=fit_intercept, tol=1e-12).fit(
            Xs, y, sample_weight=sw)
        assert sparse.n_iter_ is not None  # "auto" chose sparse_cg
        # CG stops at relative residual 1e-12; the system is well conditioned (α = 0.7).
        np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-9)
        np.testing.assert_allclose(sparse.intercept_, dense.intercept_, atol=1e-9)
        np.testing.assert_allclose(sparse.predict(Xs), dense.predict(D), atol=1e-8)


def test_ridge_direct_solvers_reject_sparse():
    D, X = _sparse_data(6)
    with pytest.raises(ValueError, match="sparse_cg"):
        Ridge(solver="cholesky").fit(X, D[:, 0])


# -- SGD -------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [
    dict(),
    dict(loss="log_loss", penalty="elasticnet"),
    dict(loss="modified_huber", average=True),
    dict(penalty="l1", learning_rate="invscaling", eta0=0.05),
])
def test_sgd_classifier_sparse_equals_dense(params):
    D, X = _sparse_data(7)
    y = np.digitize(D[:, 0] - D[:, 1], [-0.5, 0.5])  # three classes
    dense = SGDClassifier(random_state=0, max_iter=15, tol=None, **params).fit(D, y)
    for Xs in _inputs(D, X):
        sparse = SGDClassifier(random_state=0, max_iter=15, tol=None, **params).fit(Xs, y)
        # Same samples in the same order; only x·w's summation order differs.
        np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(sparse.intercept_, dense.intercept_, rtol=1e-9, atol=1e-10)
        assert np.array_equal(sparse.predict(Xs), dense.predict(D))


def test_sgd_regressor_sparse_equals_dense():
    D, X = _sparse_data(8)
    y = D @ np.linspace(-1, 1, D.shape[1]) + 0.5
    sw = np.random.default_rng(9).uniform(0.5, 2.0, len(D))
    dense = SGDRegressor(random_state=0, max_iter=20, tol=None).fit(D, y, sample_weight=sw)
    sparse = SGDRegressor(random_state=0, max_iter=20, tol=None).fit(X, y, sample_weight=sw)
    # Same updates in the same order (see the classifier test).
    np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(sparse.intercept_, dense.intercept_, rtol=1e-9, atol=1e-10)
    partial = SGDRegressor(random_state=0).partial_fit(X, y).partial_fit(X, y)
    ref = SGDRegressor(random_state=0).partial_fit(D, y).partial_fit(D, y)
    np.testing.assert_allclose(partial.coef_, ref.coef_, rtol=1e-9, atol=1e-10)


def test_sgd_epoch_sparse_backends_agree(backend):
    fn = _kernel("sgd_epoch_sparse", backend)
    ref = _kernel("sgd_epoch_sparse", "numpy")

    @given(seed=st.integers(0, 2**16), loss=st.sampled_from(sorted(LOSSES)),
           penalty=st.sampled_from([None, "l2", "l1", "elasticnet"]),
           dtype=st.sampled_from([np.float64, np.float32]), average=st.sampled_from([0, 1, 5]))
    def check(seed, loss, penalty, dtype, average):
        rng = np.random.default_rng(seed)
        _, X = _sparse_data(seed, n=25, p=8)
        X = X.astype(dtype)
        y = np.where(rng.random(25) > 0.5, 1.0, -1.0)
        sw = rng.uniform(0.5, 1.5, 25)
        order = rng.permutation(25).astype(np.intp)
        out = []
        for f in (fn, ref):
            w, avg_w, q = (np.zeros(8, dtype=dtype) for _ in range(3))
            res = f(w, avg_w, q, X.data, X.indices.astype(np.intp), X.indptr.astype(np.intp),
                    y, sw, order, LOSSES[loss], 0.1, 1e-3, 0.15, PENALTY_CODES[penalty], 1,
                    0.01, 0.5, 10.0, 1.0, True, average, 0.0, 0.0, 0.0)
            out.append((w, avg_w, np.array(res[:4])))
        # Cython keeps w = scale·v and sums in another order: dtype-aware relative bound.
        tol = 1e-4 if dtype == np.float32 else 1e-9
        for a, b in zip(out[0], out[1]):
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol)

    check()


# -- LinearSVC -------------------------------------------------------------------------


@pytest.mark.parametrize("params", [
    dict(loss="hinge"), dict(dual=True), dict(dual=False), dict(fit_intercept=False),
])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_linear_svc_sparse_equals_dense(params, n_classes):
    D, X = _sparse_data(10, n=70)
    y = np.argsort(np.argsort(D[:, :4].sum(axis=1))) * n_classes // len(D)
    kw = dict(random_state=0, tol=1e-8, max_iter=5000, **params)
    dense = LinearSVC(**kw).fit(D, y)
    for Xs in _inputs(D, X):
        sparse = LinearSVC(**kw).fit(Xs, y)
        # Dual CD: same coordinate order, only the sums' order differs; primal: CG to
        # 1e-12 instead of a Cholesky solve. Both converge to the same optimum.
        np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-7)
        np.testing.assert_allclose(sparse.intercept_, dense.intercept_, atol=1e-7)
        assert np.array_equal(sparse.predict(Xs), dense.predict(D))


def test_linear_svc_cd_sparse_backends_agree(backend):
    fn = _kernel("linear_svc_cd_sparse", backend)
    ref = _kernel("linear_svc_cd_sparse", "numpy")
    dense_ref = _kernel("linear_svc_cd", "numpy")

    @given(seed=st.integers(0, 2**16), squared=st.booleans())
    def check(seed, squared):
        rng = np.random.default_rng(seed)
        D, X = _sparse_data(seed, n=30, p=6)
        y = np.where(D[:, 0] + 0.3 * rng.normal(size=30) > 0, 1.0, -1.0)
        C = rng.uniform(0.5, 2.0, 30)
        args = (X.data, X.indices.astype(np.intp), X.indptr.astype(np.intp), 6, y, C,
                squared, 1e-6, 200, 12345)
        w1, a1, _ = fn(*args)
        w2, a2, _ = ref(*args)
        # Same coordinate order and rules; sums in a different order move w by ulps.
        np.testing.assert_allclose(w1, w2, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(a1, a2, rtol=1e-8, atol=1e-10)
        # The dense kernel on the densified rows follows the same path.
        w3, _, _ = dense_ref(D, y, C, squared, 1e-6, 200, 12345)
        np.testing.assert_allclose(w2, w3, rtol=1e-8, atol=1e-10)

    check()


# -- k-means ---------------------------------------------------------------------------


def _blobs(seed):
    """Integer-valued, well-separated blobs: sums are exact and no point is near a tie."""
    rng = np.random.default_rng(seed)
    centres = rng.integers(0, 2, (4, 12)) * rng.integers(20, 40, (4, 12))
    D = (centres[rng.integers(0, 4, 150)] + rng.integers(-3, 4, (150, 12))).astype(float)
    D[D < 0] = 0
    return D, CSRMatrix.from_dense(D)


@pytest.mark.parametrize("params", [dict(), dict(init="random"), dict(algorithm="elkan")])
def test_kmeans_sparse_equals_dense(params):
    D, X = _blobs(11)
    sw = np.random.default_rng(12).integers(1, 4, len(D)).astype(float)
    dense = KMeans(4, random_state=0, n_init=3, **params).fit(D, sample_weight=sw)
    for Xs in _inputs(D, X):
        sparse = KMeans(4, random_state=0, n_init=3, **params).fit(Xs, sample_weight=sw)
        assert np.array_equal(sparse.labels_, dense.labels_)
        assert sparse.n_iter_ == dense.n_iter_
        # Centres are weighted means of integers (exact sums); the dense path centres X
        # first, which rounds: a few ulps of the coordinates (≤ 40).
        np.testing.assert_allclose(sparse.cluster_centers_, dense.cluster_centers_, atol=1e-12)
        np.testing.assert_allclose(sparse.inertia_, dense.inertia_, rtol=1e-12)
        assert np.array_equal(sparse.predict(Xs), dense.predict(D))
        np.testing.assert_allclose(sparse.transform(Xs), dense.transform(D), atol=1e-10)
        np.testing.assert_allclose(sparse.score(Xs), dense.score(D), rtol=1e-12)


def test_minibatch_kmeans_sparse_equals_dense():
    D, X = _blobs(13)
    sw = np.random.default_rng(14).integers(1, 4, len(D)).astype(float)
    kw = dict(random_state=0, batch_size=20)
    dense = MiniBatchKMeans(4, **kw).fit(D, sample_weight=sw)
    sparse = MiniBatchKMeans(4, **kw).fit(X, sample_weight=sw)
    assert np.array_equal(sparse.labels_, dense.labels_)
    # Same batches and updates; the centre sums come from another product order.
    np.testing.assert_allclose(sparse.cluster_centers_, dense.cluster_centers_, atol=1e-10)
    p_sparse = MiniBatchKMeans(4, random_state=0).partial_fit(X).partial_fit(X)
    p_dense = MiniBatchKMeans(4, random_state=0).partial_fit(D).partial_fit(D)
    np.testing.assert_allclose(p_sparse.cluster_centers_, p_dense.cluster_centers_, atol=1e-10)


# -- NearestNeighbors (cosine) -----------------------------------------------------------


@pytest.mark.parametrize("query", ["sparse", "dense", "self"])
def test_nearest_neighbors_cosine_sparse_equals_dense(query):
    D, X = _sparse_data(15, n=50, p=20)
    D[3] = 0.0  # a zero row: cosine distance 1 to everything, as scikit-learn
    X = CSRMatrix.from_dense(D)
    Qd, Q = _sparse_data(16, n=13, p=20)
    dense = NearestNeighbors(n_neighbors=4, metric="cosine").fit(D)
    for Xs in _inputs(D, X):
        sparse = NearestNeighbors(n_neighbors=4, metric="cosine").fit(Xs)
        q_sparse, q_dense = {"sparse": (Q, Qd), "dense": (Qd, Qd), "self": (None, None)}[query]
        d1, i1 = sparse.kneighbors(q_sparse)
        d2, i2 = dense.kneighbors(q_dense)
        assert np.array_equal(i1, i2)
        np.testing.assert_allclose(d1, d2, atol=1e-12)  # one dot product of unit rows
        r1 = sparse.radius_neighbors(q_sparse, radius=0.7, sort_results=True)
        r2 = dense.radius_neighbors(q_dense, radius=0.7, sort_results=True)
        assert all(np.array_equal(a, b) for a, b in zip(r1[1], r2[1]))
    # A dense fit answers sparse queries too.
    assert np.array_equal(dense.kneighbors(Q)[1], dense.kneighbors(Qd)[1])


def test_nearest_neighbors_cosine_matches_sklearn():
    sk = pytest.importorskip("sklearn.neighbors")
    sp = pytest.importorskip("scipy.sparse")
    D, X = _sparse_data(17, n=40, p=12)
    ours = NearestNeighbors(n_neighbors=3, metric="cosine").fit(X).kneighbors(X)
    ref = sk.NearestNeighbors(n_neighbors=3, metric="cosine").fit(sp.csr_matrix(D))
    ref = ref.kneighbors(sp.csr_matrix(D))
    np.testing.assert_allclose(ours[0], ref[0], atol=1e-12)  # same formula 1 − x̂·ŷ
    assert np.array_equal(ours[1], ref[1])


def test_nearest_neighbors_sparse_needs_cosine_and_saves(tmp_path):
    D, X = _sparse_data(18)
    with pytest.raises(TypeError, match="cosine"):
        NearestNeighbors().fit(X)
    nn = NearestNeighbors(n_neighbors=2, metric="cosine").fit(X)
    scratchml.save(nn, tmp_path / "nn.zip")
    loaded = scratchml.load(tmp_path / "nn.zip")
    assert np.array_equal(loaded.kneighbors(X)[1], nn.kneighbors(X)[1])


# -- edge cases: empty rows and columns, float32, hypothesis-generated sparsity ------------


@given(seed=st.integers(0, 2**16), density=st.sampled_from([0.05, 0.2, 0.6]),
       n_classes=st.sampled_from([2, 3]))
def test_logistic_and_sgd_sparse_equal_dense_property(seed, density, n_classes):
    D, X = _sparse_data(seed, n=30, p=7, density=density)
    D[0] = 0.0  # an empty row
    D[:, 2] = 0.0  # an empty column
    X = CSRMatrix.from_dense(D)
    y = np.arange(30) % n_classes
    a = LogisticRegression(tol=1e-10, max_iter=500).fit(X, y)
    b = LogisticRegression(tol=1e-10, max_iter=500).fit(D, y)
    # Same L-BFGS iterates up to summation order (see the test above).
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-7)
    assert np.all(a.coef_[:, 2] == 0.0)  # an empty column gets no gradient: stays 0
    a = SGDClassifier(random_state=seed, max_iter=5, tol=None).fit(X, y)
    b = SGDClassifier(random_state=seed, max_iter=5, tol=None).fit(D, y)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-9, atol=1e-10)


def test_float32_sparse_input_matches_float32_dense():
    D, X = _sparse_data(19, n=60, p=10)
    D = D.astype(np.float32)
    X = X.astype(np.float32)
    y = (D[:, 0] + D[:, 1] > 0).astype(int)
    for make in (lambda: SGDClassifier(random_state=0, max_iter=10, tol=None),
                 lambda: LinearSVC(random_state=0, loss="hinge", max_iter=20_000)):
        a, b = make().fit(X, y), make().fit(D, y)
        # float32 weights updated in another summation order: float32-sized tolerance.
        np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-4, atol=1e-5)
    a = Ridge(alpha=1.0, tol=1e-6).fit(X, D[:, 0])
    b = Ridge(alpha=1.0).fit(D, D[:, 0])
    assert a.coef_.dtype == np.float32
    # CG in float32 to relative residual 1e-6 vs a float32 Cholesky solve.
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-3, atol=1e-4)
