"""Properties of scratchml.decomposition (PCA, TruncatedSVD, randomized SVD), cross-checked
against scikit-learn where it computes the same thing."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.decomposition import PCA, TruncatedSVD
from scratchml.decomposition._randomized import _lu_permuted_l, randomized_svd

sk_decomposition = pytest.importorskip("sklearn.decomposition")


def _data(seed, n, d, offset=3.0, decay=0.7):
    """X = Z diag(s) Q + offset with a geometric spectrum s (distinct variances) and a
    random rotation Q, so the principal axes are well defined."""
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.standard_normal((d, d)))[0]
    s = decay ** np.arange(d) * 5.0
    return rng.standard_normal((n, d)) * s @ Q + offset * rng.standard_normal(d)


def _separated(var, i, rel=1e-3):
    """True when eigenvalue i is at least ``rel`` (relative) away from its neighbours."""
    gaps = np.abs(var - var[i])
    gaps[i] = np.inf
    return gaps.min() > rel * var[0]


shapes = st.tuples(st.integers(0, 10_000), st.integers(2, 40), st.integers(1, 8))


def _principal_cosines(A, B):
    """Cosines of the principal angles between the row spaces of A and B."""
    qa, qb = np.linalg.qr(A.T)[0], np.linalg.qr(B.T)[0]
    return np.linalg.svd(qa.T @ qb, compute_uv=False)


# -- PCA against scikit-learn --------------------------------------------------------


@given(shapes, st.sampled_from(["full", "covariance_eigh"]), st.sampled_from([None, 1, 0.8]))
def test_pca_matches_sklearn(shape, solver, k):
    seed, n, d = shape
    X = _data(seed, n, d)
    ours = PCA(k, svd_solver=solver).fit(X)
    ref = sk_decomposition.PCA(k, svd_solver=solver).fit(X)
    assert ours.n_components_ == ref.n_components_
    scale = ref.explained_variance_.max() if ref.explained_variance_.size else 1.0
    # 1e-10 of the largest variance: both sides run the same formula through LAPACK;
    # only summation order differs (our mean is a GEMV in the covariance route).
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_,
                               rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_,
                               rtol=0, atol=1e-10 * scale)
    full_var = ref.explained_variance_
    for i in range(ours.n_components_):
        # An eigenvector is determined to ~eps/relative gap; compare only separated ones,
        # with the same sign rule (largest |entry| positive) on both sides.
        if _separated(np.append(full_var, ref.noise_variance_), i) and full_var[i] > 1e-8 * scale:
            np.testing.assert_allclose(ours.components_[i], ref.components_[i], atol=1e-8)


@given(st.integers(0, 10_000), st.integers(12, 40), st.integers(2, 6))
def test_pca_mle_and_probabilistic_model_match_sklearn(seed, n, d):
    X = _data(seed, n, d, decay=0.3)
    ours = PCA("mle").fit(X)
    ref = sk_decomposition.PCA("mle").fit(X)
    assert ours.n_components_ == ref.n_components_
    ours, ref = PCA(1).fit(X), sk_decomposition.PCA(1).fit(X)
    # Same closed forms (Woodbury, slogdet) on matching inputs: agreement to rounding,
    # scaled by the magnitude of the precision matrix (1/σ² can be large).
    prec = ref.get_precision()
    np.testing.assert_allclose(ours.get_covariance(), ref.get_covariance(), atol=1e-9)
    np.testing.assert_allclose(ours.get_precision(), prec, atol=1e-9 * np.abs(prec).max())
    np.testing.assert_allclose(ours.score_samples(X), ref.score_samples(X), rtol=1e-8)
    assert ours.score(X) == pytest.approx(ref.score(X), rel=1e-8)


@given(st.integers(0, 10_000), st.integers(3, 30), st.sampled_from(["full", "covariance_eigh"]))
def test_constant_columns(seed, n, solver):
    X = _data(seed, n, 4)
    X[:, 1] = 7.0  # a constant column: one direction of zero variance
    ours = PCA(svd_solver=solver, whiten=True).fit(X)
    ref = sk_decomposition.PCA(svd_solver=solver, whiten=True).fit(X)
    scale = ref.explained_variance_[0]
    # Same formulas as scikit-learn: agreement to rounding of the largest variance.
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_,
                               atol=1e-10 * scale)
    Z = ours.transform(X)
    assert np.all(np.isfinite(Z))  # the zero-variance direction is divided by eps, not 0
    # Axes with variance do not involve the constant column: its entries are rounding
    # (eps·|X|²) divided by the eigen-gap, far below 1e-6 for these spectra.
    live = ours.explained_variance_ > 1e-6 * scale
    np.testing.assert_allclose(ours.components_[live, 1], 0.0, atol=1e-6)
    # Every X constant: no variance at all; ratios are 0 rather than NaN.
    flat = PCA(svd_solver=solver).fit(np.ones((n, 4)))
    np.testing.assert_array_equal(flat.explained_variance_ratio_, 0.0)
    np.testing.assert_array_equal(flat.explained_variance_, 0.0)


def test_auto_solver_choice_matches_sklearn():
    rng = np.random.default_rng(0)
    for shape, k in [((200, 5), 2), ((30, 8), 2), ((600, 700), 10), ((600, 700), 600),
                     ((600, 700), 0.5), ((600, 700), "mle"), ((100, 2000), 5)]:
        X = rng.standard_normal(shape)
        if k == "mle" and shape[0] < shape[1]:
            continue
        ref = sk_decomposition.PCA(k, random_state=0).fit(X)
        ours = PCA(k, random_state=0).fit(X)
        assert ours._fit_svd_solver == ref._fit_svd_solver, (shape, k)


# -- PCA properties ------------------------------------------------------------------


@given(shapes, st.sampled_from(["full", "covariance_eigh", "randomized"]))
def test_components_are_orthonormal(shape, solver):
    seed, n, d = shape
    X = _data(seed, n, d)
    k = min(n, d)
    pca = PCA(k, svd_solver=solver, random_state=seed).fit(X)
    W = pca.components_
    # Orthonormal to rounding: eigh/SVD/QR return orthonormal vectors to ~d·eps.
    np.testing.assert_allclose(W @ W.T, np.eye(W.shape[0]), atol=1e-12)
    assert np.all(np.diff(pca.explained_variance_) <= 1e-12 * pca.explained_variance_[0] + 1e-300)


@given(shapes, st.sampled_from(["full", "covariance_eigh"]), st.booleans())
def test_full_rank_inverse_transform_reconstructs(shape, solver, whiten):
    seed, n, d = shape
    X = _data(seed, n, d, decay=0.9)
    pca = PCA(svd_solver=solver, whiten=whiten).fit(X)
    if solver == "covariance_eigh" and n <= d:
        return  # eigh's null-space vectors of a rank-deficient C need not span X_c's rows
    # With all min(n, d) components, V Vᵀ projects onto a space containing every centred
    # row, so (X − μ) V Vᵀ + μ = X up to rounding: ~1e-10 relative to |X| covers the
    # κ² loss of the covariance route on these mildly conditioned spectra.
    back = pca.inverse_transform(pca.transform(X))
    np.testing.assert_allclose(back, X, atol=1e-10 * np.abs(X).max())


@given(shapes)
def test_whitened_outputs_have_unit_variance(shape):
    seed, n, d = shape
    X = _data(seed, n, d)
    pca = PCA(whiten=True).fit(X)
    Z = pca.transform(X)
    keep = pca.explained_variance_ > 1e-8 * pca.explained_variance_[0]
    # var(z_i) = λ_i / λ_i = 1 up to rounding; directions with λ ≈ 0 are noise.
    np.testing.assert_allclose(Z[:, keep].var(axis=0, ddof=1), 1.0, rtol=1e-8)
    np.testing.assert_allclose(PCA(whiten=True).fit_transform(X)[:, keep], Z[:, keep],
                               atol=1e-8)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "randomized"])
def test_float32_stays_float32(solver):
    X = _data(0, 200, 6).astype(np.float32)
    ours = PCA(3, svd_solver=solver, random_state=0)
    ref = sk_decomposition.PCA(3, svd_solver=solver, random_state=0)
    Z, Zr = ours.fit_transform(X), ref.fit_transform(X)
    assert Z.dtype == Zr.dtype == np.float32
    for attr in ("components_", "explained_variance_", "mean_", "singular_values_"):
        assert getattr(ours, attr).dtype == getattr(ref, attr).dtype, attr
    assert ours.transform(X).dtype == ref.transform(X).dtype


@pytest.mark.parametrize("normalizer", ["auto", "LU", "QR", "none"])
def test_randomized_pca_finds_the_exact_subspace_with_a_gap(normalizer):
    rng = np.random.default_rng(1)
    # Rank-4 signal of scale 10 plus 1e-3 noise: a gap of 10^4 in singular values.
    X = rng.standard_normal((300, 4)) @ rng.standard_normal((4, 50)) * 10
    X += 1e-3 * rng.standard_normal(X.shape)
    exact = PCA(4, svd_solver="full").fit(X)
    approx = PCA(4, svd_solver="randomized", power_iteration_normalizer=normalizer,
                 random_state=0).fit(X)
    # cos of every principal angle ≈ 1: error ~ (σ₅/σ₄)^(2q+1), far below 1e-8 here.
    np.testing.assert_allclose(_principal_cosines(approx.components_, exact.components_), 1.0,
                               atol=1e-8)
    np.testing.assert_allclose(approx.components_, exact.components_, atol=1e-6)
    np.testing.assert_allclose(approx.explained_variance_, exact.explained_variance_, rtol=1e-8)
    # Noise variance from the total: same value as the exact solver's mean of the rest.
    assert approx.noise_variance_ == pytest.approx(exact.noise_variance_, rel=1e-6)


def test_feature_names_and_errors():
    X = _data(0, 20, 5)
    assert list(PCA(2).fit(X).get_feature_names_out()) == ["pca0", "pca1"]
    with pytest.raises(ValueError, match=r"n_components=6.*min\(n_samples, n_features\)=5"):
        PCA(6).fit(X)
    with pytest.raises(ValueError, match="between 1 and min"):
        PCA(0, svd_solver="randomized").fit(X)
    with pytest.raises(ValueError, match="randomized"):
        PCA(2, svd_solver="arpack").fit(X)
    for bad in [dict(svd_solver="lapack"), dict(n_components=1.5), dict(n_components=-1),
                dict(power_iteration_normalizer="qr"), dict(iterated_power=-1)]:
        with pytest.raises(ValueError, match=next(iter(bad))):
            PCA(**bad).fit(X)
    with pytest.raises(ValueError, match="mle"):
        PCA("mle").fit(X[:3])


# -- TruncatedSVD and the randomized kernel -------------------------------------------


@given(st.integers(0, 10_000), st.integers(8, 40), st.integers(4, 10), st.integers(1, 3))
def test_truncated_svd_exact_on_low_rank_data(seed, n, d, rank):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, rank)) @ rng.standard_normal((rank, d))
    ours = TruncatedSVD(rank, random_state=seed).fit(X)
    ref = sk_decomposition.TruncatedSVD(rank, random_state=seed).fit(X)
    # On rank-r data the range finder captures the range exactly (to rounding), so both
    # randomized SVDs equal the exact one: 1e-9 relative allows for conditioning of X.
    top = ref.singular_values_[0]
    np.testing.assert_allclose(ours.singular_values_, ref.singular_values_, atol=1e-9 * top)
    np.testing.assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_,
                               atol=1e-9)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X,
                               atol=1e-9 * np.abs(X).max())
    W = ours.components_
    np.testing.assert_allclose(W @ W.T, np.eye(rank), atol=1e-12)
    s = ref.singular_values_
    if np.all(np.diff(s) < -1e-3 * top):  # separated: the vectors are unique up to sign
        np.testing.assert_allclose(ours.components_, ref.components_, atol=1e-7)


def test_truncated_svd_errors_and_names():
    X = _data(0, 20, 4)
    with pytest.raises(ValueError, match="randomized"):
        TruncatedSVD(algorithm="arpack").fit(X)
    with pytest.raises(ValueError, match="n_features=4"):
        TruncatedSVD(5).fit(X)
    assert list(TruncatedSVD(2).fit(X).get_feature_names_out()) == ["truncatedsvd0",
                                                                  "truncatedsvd1"]


@given(st.integers(0, 10_000), st.integers(1, 30), st.integers(1, 8))
def test_lu_normalizer_matches_scipy(seed, m, k):
    linalg = pytest.importorskip("scipy.linalg")
    A = np.random.default_rng(seed).standard_normal((m, k))
    # Same partial pivoting (first max |.| wins), so the same P L to rounding.
    np.testing.assert_allclose(_lu_permuted_l(A), linalg.lu(A, permute_l=True)[0], atol=1e-10)


def test_randomized_svd_is_reproducible_and_wide_safe():
    X = _data(3, 15, 40)  # wide: the range finder runs on Xᵀ
    U1, s1, V1 = randomized_svd(X, 3, random_state=7)
    U2, s2, V2 = randomized_svd(X, 3, random_state=7)
    assert np.array_equal(V1, V2) and np.array_equal(s1, s2)
    assert U1.shape == (15, 3) and V1.shape == (3, 40)
    s_exact = np.linalg.svd(X, compute_uv=False)[:3]
    np.testing.assert_allclose(s1, s_exact, rtol=1e-6)  # 4+ power iterations on 15 values
