"""SVC, SVR, OneClassSVM and LinearSVC against scikit-learn (libsvm / liblinear)."""

import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scratchml.datasets import load_breast_cancer, load_digits, load_wine
from scratchml.svm import SVC, SVR, LinearSVC, OneClassSVM

sk_svm = pytest.importorskip("sklearn.svm")


def _sk(cls, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # probability=True is deprecated in 1.9
        return getattr(sk_svm, cls)(**params)


@st.composite
def classification(draw, max_classes=4):
    k = draw(st.integers(2, max_classes))
    n = draw(st.integers(8 * k, 60))
    d = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    y = np.arange(n) % k
    X = rng.standard_normal((n, d)) + 1.5 * y[:, None] * rng.standard_normal(d)
    return X, rng.permutation(y) if draw(st.booleans()) else y


KERNELS = st.sampled_from([
    dict(kernel="rbf"), dict(kernel="linear"), dict(kernel="poly", degree=2, coef0=1.0),
    dict(kernel="sigmoid", gamma=0.1, coef0=0.0), dict(kernel="rbf", gamma=0.3, C=10.0),
])


def _pairs_with_free_sv(est, C):
    """For each pairwise problem: does it have a free support vector (0 < a < C)?"""
    k = len(est.classes_)
    bounds = np.concatenate([[0], np.cumsum(est.n_support_)])
    out = []
    for i in range(k):
        for j in range(i + 1, k):
            a = np.abs(np.concatenate([est.dual_coef_[j - 1, bounds[i]:bounds[i + 1]],
                                       est.dual_coef_[i, bounds[j]:bounds[j + 1]]]))
            out.append(np.any((a > 1e-6 * C) & (a < C * (1 - 1e-6))))
    return np.array(out)


@given(classification(), KERNELS)
def test_svc_decision_function_matches_sklearn(data, params):
    X, y = data
    # tol=1e-6 on both sides: two SMO runs that stop at a looser tol may stop at
    # different points of the same optimum's tol-neighbourhood.
    ours = SVC(tol=1e-6, decision_function_shape="ovo", **params).fit(X, y)
    ref = _sk("SVC", tol=1e-6, decision_function_shape="ovo", **params).fit(X, y)
    n, k = len(y), len(ours.classes_)
    d_ours = ours.decision_function(X).reshape(n, -1)
    d_ref = ref.decision_function(X).reshape(n, -1)
    # The kernel expansion sum_s coef_s K(x_s, x) is determined by the (unique) dual
    # optimum; the intercept only when some support vector is free -- otherwise any b
    # in an interval is optimal and libsvm takes a midpoint that depends on the path.
    np.testing.assert_allclose(d_ours - ours.intercept_, d_ref - ref.intercept_, atol=1e-3)
    C = params.get("C", 1.0)
    both_free = _pairs_with_free_sv(ours, C) & _pairs_with_free_sv(ref, C)
    np.testing.assert_allclose(d_ours[:, both_free], d_ref[:, both_free], atol=1e-3)
    clear = np.all(np.abs(d_ref) > 1e-3, axis=1) | ~both_free.all()  # no pair near a tie
    if both_free.all():
        np.testing.assert_array_equal(ours.predict(X)[clear], ref.predict(X)[clear])
    if k > 2:
        # "ovr" is scikit-learn's transform of the pairwise values (votes + confidence)
        from sklearn.utils.multiclass import _ovr_decision_function

        ovr = ours.set_params(decision_function_shape="ovr").decision_function(X)
        np.testing.assert_allclose(ovr, _ovr_decision_function(d_ours < 0, -d_ours, k),
                                   rtol=1e-12)


def test_svc_attributes_follow_libsvm_layout():
    X, y = load_wine(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    ours = SVC(kernel="linear", C=0.5, tol=1e-8).fit(X, y)
    ref = _sk("SVC", kernel="linear", C=0.5, tol=1e-8).fit(X, y)
    np.testing.assert_array_equal(ours.support_, ref.support_)
    np.testing.assert_array_equal(ours.n_support_, ref.n_support_)
    np.testing.assert_array_equal(ours.support_vectors_, ref.support_vectors_)
    # tol=1e-8: both solvers are at the (unique) optimum to ~1e-6 relative.
    np.testing.assert_allclose(ours.dual_coef_, ref.dual_coef_, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    assert ours.fit_status_ == 0
    # dual feasibility per pair: |y a| <= C and sum y a = 0 within each problem
    assert np.all(np.abs(ours.dual_coef_) <= 0.5 + 1e-12)
    bounds = np.concatenate([[0], np.cumsum(ours.n_support_)])
    for i in range(3):
        for j in range(i + 1, 3):
            total = (ours.dual_coef_[j - 1, bounds[i]:bounds[i + 1]].sum()
                     + ours.dual_coef_[i, bounds[j]:bounds[j + 1]].sum())
            assert abs(total) < 1e-10


def test_binary_sign_convention_and_class_weight():
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    for cw in (None, "balanced", {0: 3.0}):
        ours = SVC(class_weight=cw, tol=1e-6).fit(X, y)
        ref = _sk("SVC", class_weight=cw, tol=1e-6).fit(X, y)
        np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X),
                                   atol=1e-3)  # two SMO runs at tol 1e-6
        np.testing.assert_allclose(ours.class_weight_, ref.class_weight_)
        assert ours.dual_coef_.shape == ref.dual_coef_.shape


def test_probability_is_valid_and_close_to_libsvm():
    X, y = load_wine(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    ours = SVC(probability=True, random_state=0).fit(X, y)
    ref = _sk("SVC", probability=True, random_state=0).fit(X, y)
    p = ours.predict_proba(X)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    # Platt's (A, B) come from a random 5-fold CV whose folds differ from libsvm's
    # (different generators), so equality is not expected; on this easy data the
    # probabilities agree within 0.05.
    assert np.max(np.abs(p - ref.predict_proba(X))) < 0.05
    np.testing.assert_allclose(np.exp(ours.predict_log_proba(X)), p)
    # reproducible with a seed, and binary probabilities too
    again = SVC(probability=True, random_state=0).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(again, p)
    Xb, yb = X[y < 2], y[y < 2]
    pb = SVC(probability=True, random_state=0).fit(Xb, yb).predict_proba(Xb)
    rb = _sk("SVC", probability=True, random_state=0).fit(Xb, yb).predict_proba(Xb)
    assert pb.shape == (len(yb), 2) and np.max(np.abs(pb - rb)) < 0.05
    assert not hasattr(SVC(), "predict_proba")


@pytest.mark.parametrize("loader, params", [
    (load_breast_cancer, dict(C=1.0)),
    (load_wine, dict(C=1.0)),
    (load_digits, dict(C=1.0, gamma=0.001)),
])
def test_held_out_accuracy_within_one_point_of_sklearn(loader, params):
    X, y = loader(return_X_y=True)
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(y))
    tr, te = perm[: 2 * len(y) // 3], perm[2 * len(y) // 3:]
    mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-12
    Xs = (X - mu) / sd if loader is not load_digits else X
    for est, ref in ((SVC(**params), _sk("SVC", **params)),
                     (LinearSVC(random_state=0, max_iter=5000),
                      _sk("LinearSVC", random_state=0, max_iter=5000))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # digits' LinearSVC may stop at max_iter
            a = est.fit(Xs[tr], y[tr]).score(Xs[te], y[te])
            b = ref.fit(Xs[tr], y[tr]).score(Xs[te], y[te])
        assert abs(a - b) <= 0.01


def test_sample_weight_scales_c_like_sklearn():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 3))
    y = (X[:, 0] + 0.3 * rng.standard_normal(80) > 0).astype(int)
    w = rng.uniform(0.5, 2.0, 80)
    w[:5] = 0.0  # zero weight: the sample is dropped, as libsvm does
    # tol=1e-6 on both sides: same optimum, reached along different paths
    for ours, ref, out in (
        (SVC(tol=1e-6), _sk("SVC", tol=1e-6), "decision_function"),
        (SVR(tol=1e-6), _sk("SVR", tol=1e-6), "predict"),
        (OneClassSVM(nu=0.3, tol=1e-6), _sk("OneClassSVM", nu=0.3, tol=1e-6),
         "decision_function"),
    ):
        target = X[:, 1] if out == "predict" else y
        ours.fit(X, target, sample_weight=w)
        ref.fit(X, target, sample_weight=w)
        np.testing.assert_allclose(getattr(ours, out)(X), getattr(ref, out)(X), atol=1e-3)
        # (scikit-learn's support_ indexes the rows left after dropping zero weights;
        # scratchml's indexes X, so compare the vectors themselves)
        np.testing.assert_array_equal(ours.support_vectors_, ref.support_vectors_)


def test_callable_and_precomputed_kernels_match_builtin():
    X, y = load_wine(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    builtin = SVC(kernel="linear").fit(X, y)
    func = SVC(kernel=lambda A, B: A @ B.T).fit(X, y)
    pre = SVC(kernel="precomputed").fit(X @ X.T, y)
    # The Gram matrix of the callable is X X^T by BLAS; the built-in kernel's columns
    # use the same products rounded to float32, so solutions agree to ~1e-6.
    np.testing.assert_allclose(func.decision_function(X), builtin.decision_function(X),
                               atol=1e-4)
    np.testing.assert_allclose(pre.decision_function(X @ X.T), func.decision_function(X),
                               atol=1e-9)
    np.testing.assert_array_equal(pre.support_, func.support_)


def test_svr_and_one_class_match_sklearn():
    X, _ = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    t = X[:, 0] + 0.5 * X[:, 1]
    for params in (dict(C=3.0), dict(kernel="linear", epsilon=0.05), dict(kernel="poly")):
        ours = SVR(tol=1e-6, **params).fit(X[:, 2:], t)
        ref = _sk("SVR", tol=1e-6, **params).fit(X[:, 2:], t)
        np.testing.assert_allclose(ours.predict(X[:, 2:]), ref.predict(X[:, 2:]), atol=1e-3)
        np.testing.assert_array_equal(ours.n_support_, ref.n_support_)
        assert np.all(np.abs(ours.dual_coef_) <= ours.C + 1e-12)
        assert abs(ours.dual_coef_.sum()) < 1e-8  # sum (a - a*) = 0
    for nu in (0.1, 0.5):
        ours = OneClassSVM(nu=nu, tol=1e-6).fit(X)
        ref = _sk("OneClassSVM", nu=nu, tol=1e-6).fit(X)
        np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X),
                                   atol=1e-3)
        np.testing.assert_allclose(ours.score_samples(X), ref.score_samples(X), atol=1e-3)
        assert abs(ours.dual_coef_.sum() - nu * len(X)) < 1e-8  # sum a = nu n
        assert np.mean(ours.predict(X) == -1) <= nu + 0.02  # nu bounds the outlier share


@given(classification(max_classes=3),
       st.sampled_from([("squared_hinge", True), ("hinge", True), ("squared_hinge", False)]),
       st.sampled_from([0.1, 1.0]))
def test_linear_svc_matches_sklearn(data, loss_dual, C):
    X, y = data
    loss, dual = loss_dual
    # Both run the same solver family to tol=1e-8 (dual: different random orders;
    # primal: Newton vs trust-region Newton), so they reach the same optimum within ~1e-4.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = LinearSVC(loss=loss, C=C, dual=dual, tol=1e-8, max_iter=100_000,
                         random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a ConvergenceWarning is handled just below
        ref = _sk("LinearSVC", loss=loss, C=C, dual=dual, tol=1e-8, max_iter=100_000,
                  random_state=0).fit(X, y)
    # Only converged solutions are comparable (hinge loss can converge very slowly).
    assume(ref.n_iter_ < 100_000 and ours.n_iter_ < 100_000)
    scale = 1 + np.abs(ref.coef_).max()
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-3 * scale)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-3 * scale)
    dec = ref.decision_function(X)
    if dec.ndim == 1:
        clear = np.abs(dec) > 1e-2
    else:  # the winning class leads the runner-up clearly
        top = np.sort(dec, axis=1)
        clear = top[:, -1] - top[:, -2] > 1e-2
    np.testing.assert_array_equal(ours.predict(X)[clear], ref.predict(X)[clear])


def test_bad_input_gives_clear_errors():
    X = np.random.default_rng(0).standard_normal((20, 3))
    y = np.arange(20) % 2
    with pytest.raises(ValueError, match="1 class"):
        SVC().fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="1 class"):
        LinearSVC().fit(X, np.zeros(20))
    for C in (0, -1.0):
        for est in (SVC(C=C), SVR(C=C), LinearSVC(C=C)):
            with pytest.raises(ValueError, match="C=.*must be > 0"):
                est.fit(X, y)
    with pytest.raises(ValueError, match="kernel='cubic' is not supported.*rbf"):
        SVC(kernel="cubic").fit(X, y)
    for bad in (np.nan, np.inf):
        Xb = X.copy()
        Xb[4, 2] = bad
        with pytest.raises(ValueError, match="column"):
            SVC().fit(Xb, y)
    wrong_shape = r"callable kernel returned .*\(20, 19\).*needs \(20, 20\)"
    with pytest.raises(ValueError, match=wrong_shape):
        SVC(kernel=lambda A, B: A @ B[1:].T).fit(X, y)
    fitted = SVC(kernel=lambda A, B: A @ B.T).fit(X, y)
    fitted.kernel = lambda A, B: (A @ B.T)[:, :1]
    with pytest.raises(ValueError, match="callable kernel returned"):
        fitted.predict(X)
    with pytest.raises(ValueError, match="hinge.*dual=False"):
        LinearSVC(loss="hinge", dual=False).fit(X, y)
    with pytest.raises(ValueError, match="gamma"):
        SVC(gamma="big").fit(X, y)
    with pytest.raises(ValueError, match="square"):
        SVC(kernel="precomputed").fit(X, y)
    with pytest.raises(ValueError, match="nu"):
        OneClassSVM(nu=1.5).fit(X)
    with pytest.raises(ValueError, match="intercept is not finite"):
        OneClassSVM(nu=1.0).fit(X)  # every a_i at its bound (scikit-learn errors too)
    with pytest.raises(ValueError, match="zero"):
        SVC().fit(X, y, sample_weight=np.where(y == 0, 0.0, 1.0))


def test_estimators_give_the_same_model_on_every_backend(backend):
    if backend == "cuda":
        pytest.skip("the SVM kernels have no CUDA twin")
    import scratchml

    X, y = load_wine(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    with scratchml.config_context(backend="numpy"):
        ref = [SVC().fit(X, y), LinearSVC(dual=True, random_state=0).fit(X, y)]
    with scratchml.config_context(backend=backend):
        got = [SVC().fit(X, y), LinearSVC(dual=True, random_state=0).fit(X, y)]
    np.testing.assert_array_equal(got[0].support_, ref[0].support_)
    # same solver path; only dot-product rounding differs between backends
    np.testing.assert_allclose(got[0].dual_coef_, ref[0].dual_coef_, atol=1e-9)
    np.testing.assert_allclose(got[1].coef_, ref[1].coef_, rtol=1e-4, atol=1e-6)


def test_primal_newton_reaches_a_stationary_point():
    from scratchml.svm._primal import linear_svc_primal_newton

    rng = np.random.default_rng(1)
    X = np.column_stack([rng.standard_normal((200, 5)), np.ones(200)])
    y = np.where(X[:, 0] + 0.5 * rng.standard_normal(200) > 0, 1.0, -1.0)
    C = rng.uniform(0.1, 3.0, 200)
    w, n_iter = linear_svc_primal_newton(X, y, C, tol=1e-10, max_iter=100)
    assert n_iter < 100  # finite Newton: converges in a handful of steps
    m = 1 - y * (X @ w)
    grad = w - 2 * X.T @ (C * np.maximum(m, 0) * y)
    # the stopping rule bounds ||grad|| relative to ||grad f(0)|| = ||2 X^T (C y)||
    assert np.linalg.norm(grad) <= 1e-10 * np.linalg.norm(2 * X.T @ (C * y))


def test_verbose_reports_each_problem(capsys):
    X, y = load_wine(return_X_y=True)
    SVC(verbose=1).fit(X, y)
    LinearSVC(verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert out.count("[SVC] SMO:") == 3  # one line per pair of classes
    assert out.count("[LinearSVC] class") == 3  # one line per one-vs-rest problem


def test_max_iter_reports_fit_status_and_warns():
    X, y = load_breast_cancer(return_X_y=True)
    from scratchml.exceptions import ConvergenceWarning

    with pytest.warns(ConvergenceWarning, match="max_iter"):
        est = SVC(max_iter=3).fit(X, y)
    assert est.fit_status_ == 1
