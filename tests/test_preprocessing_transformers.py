"""PolynomialFeatures, KBinsDiscretizer, FunctionTransformer and OutlierClipper."""

import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml.preprocessing import (
    FunctionTransformer,
    KBinsDiscretizer,
    OutlierClipper,
    PolynomialFeatures,
)

skp = pytest.importorskip("sklearn.preprocessing")


@st.composite
def matrices(draw, min_rows=1, max_rows=25, max_cols=4, bound=1e3):
    """Float64 matrices; columns may be constant, zero or hold repeated values."""
    n = draw(st.integers(min_rows, max_rows))
    p = draw(st.integers(1, max_cols))
    X = draw(hnp.arrays(np.float64, (n, p), elements=st.floats(
        -bound, bound, allow_nan=False, allow_subnormal=False)))
    for j in range(p):
        kind = draw(st.sampled_from(["data", "data", "data", "constant", "zero"]))
        if kind == "constant":
            X[:, j] = draw(st.floats(-bound, bound, allow_subnormal=False))
        elif kind == "zero":
            X[:, j] = 0.0
    return X


def _messages(record):
    return sorted(str(w.message) for w in record if not issubclass(w.category, DeprecationWarning))


# ---------------------------------------------------------------- PolynomialFeatures

degrees = st.one_of(st.integers(0, 3), st.tuples(st.integers(0, 3), st.integers(0, 3)).map(
    lambda t: (min(t), max(t))))


@given(X=matrices(bound=10.0), degree=degrees, interaction_only=st.booleans(),
       include_bias=st.booleans(), order=st.sampled_from("CF"))
def test_polynomial_features_match_sklearn(X, degree, interaction_only, include_bias, order):
    params = dict(degree=degree, interaction_only=interaction_only, include_bias=include_bias,
                  order=order)
    max_degree = degree if isinstance(degree, int) else degree[1]
    if max_degree == 0 and not include_bias:
        with pytest.raises(ValueError, match="include_bias"):
            PolynomialFeatures(**params).fit(X)
        return
    ours = PolynomialFeatures(**params).fit(X)
    ref = skp.PolynomialFeatures(**params).fit(X)
    got, want = ours.transform(X), ref.transform(X)
    # The same products in the same order as scikit-learn: equal up to (no) rounding.
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert got.flags.f_contiguous == want.flags.f_contiguous
    assert ours.n_output_features_ == ref.n_output_features_ == got.shape[1]
    if got.shape[1] == 0:  # e.g. interactions of degree 2 of one feature: none exist
        return  # (scikit-learn's powers_ fails on an empty output)
    np.testing.assert_array_equal(ours.powers_, ref.powers_)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    # Every output column is the monomial its powers_ row describes.
    monomials = np.prod(X[:, None, :] ** ours.powers_[None, :, :], axis=2)
    # Products of at most 3 factors of magnitude <= 10: a few eps relative to 10^3.
    np.testing.assert_allclose(got, monomials, rtol=1e-12, atol=1e-12)


def test_polynomial_feature_names_and_order():
    pf = PolynomialFeatures(3, interaction_only=True, include_bias=False).fit(np.ones((2, 3)))
    assert pf.get_feature_names_out(["a", "b", "c"]).tolist() == [
        "a", "b", "c", "a b", "a c", "b c", "a b c"]
    pf = PolynomialFeatures((2, 3)).fit(np.ones((2, 2)))
    assert pf.get_feature_names_out().tolist() == [
        "1", "x0^2", "x0 x1", "x1^2", "x0^3", "x0^2 x1", "x0 x1^2", "x1^3"]


@pytest.mark.parametrize("params,match", [
    ({"degree": -1}, "degree"),
    ({"degree": (3, 2)}, "degree"),
    ({"degree": 2.5}, "degree"),
    ({"degree": 0, "include_bias": False}, "include_bias"),
    ({"order": "X"}, "order"),
])
def test_polynomial_bad_params(params, match):
    with pytest.raises(ValueError, match=match):
        PolynomialFeatures(**params).fit(np.ones((3, 2)))


def test_polynomial_float32_and_persistence(tmp_path):
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    pf = PolynomialFeatures((2, 3)).fit(X)
    assert pf.transform(X).dtype == np.float32
    scratchml.save(pf, tmp_path / "pf.zip")
    loaded = scratchml.load(tmp_path / "pf.zip")
    np.testing.assert_array_equal(loaded.transform(X), pf.transform(X))


# ------------------------------------------------------------------- KBinsDiscretizer


def _fit_both(X, **params):
    """Fit scratchml's and scikit-learn's discretizers; return both and their warnings."""
    params.setdefault("subsample", None)
    with warnings.catch_warnings(record=True) as ours_w:
        warnings.simplefilter("always")
        ours = KBinsDiscretizer(**params).fit(X)
    with warnings.catch_warnings(record=True) as ref_w:
        warnings.simplefilter("always")
        ref = skp.KBinsDiscretizer(**params).fit(X)
    return ours, ref, _messages(ours_w), _messages(ref_w)


def _assert_same_edges(ours, ref, rtol=1e-10):
    np.testing.assert_array_equal(ours.n_bins_, ref.n_bins_)
    for got, want in zip(ours.bin_edges_, ref.bin_edges_):
        assert got.dtype == want.dtype
        # Same formulas (linspace, numpy.percentile) on the same column: rounding only.
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


# scikit-learn's inverse_transform computes -inf + inf for constant features.
@pytest.mark.filterwarnings("ignore:invalid value encountered in add:RuntimeWarning")
@pytest.mark.parametrize("strategy,method", [
    ("uniform", "averaged_inverted_cdf"), ("quantile", "averaged_inverted_cdf"),
    ("quantile", "linear"), ("quantile", "inverted_cdf"), ("quantile", "hazen")])
@given(X=matrices(min_rows=2), n_bins=st.integers(2, 6))
def test_kbins_match_sklearn(strategy, method, X, n_bins):
    ours, ref, ours_w, ref_w = _fit_both(X, n_bins=n_bins, strategy=strategy,
                                         quantile_method=method, encode="ordinal")
    # A range <= 1e-8 leaves scikit-learn with 0 bins (it then fails to transform);
    # scratchml keeps one bin there.
    assume(np.all(ref.n_bins_ > 0))
    _assert_same_edges(ours, ref)
    assert ours_w == ref_w  # constant-feature and removed-bin warnings
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
    codes = ref.transform(X)
    varying = ref.n_bins_ > 1  # scikit-learn gives NaN for a constant feature; we its value
    np.testing.assert_allclose(ours.inverse_transform(codes)[:, varying],
                               ref.inverse_transform(codes)[:, varying], rtol=1e-10, atol=1e-10)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(8, 400), n_bins=st.integers(2, 8),
       shape=st.sampled_from(["normal", "lognormal", "bimodal"]))
def test_kbins_kmeans_matches_sklearn(seed, n, n_bins, shape):
    # Continuous data: no point lies exactly halfway between two centres, where
    # scikit-learn's choice would depend on rounding noise.
    rng = np.random.default_rng(seed)
    X = {"normal": lambda: rng.normal(0, 5, (n, 2)),
         "lognormal": lambda: rng.lognormal(0, 1.5, (n, 2)),
         "bimodal": lambda: np.concatenate([rng.normal(-5, 1, (n // 2, 2)),
                                            rng.normal(9, 0.1, (n - n // 2, 2))])}[shape]()
    ours, ref, _, _ = _fit_both(X, n_bins=n_bins, strategy="kmeans", encode="ordinal")
    _assert_same_edges(ours, ref)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))


def test_kbins_kmeans_float32_close_to_sklearn():
    X = np.random.default_rng(8).lognormal(0, 1, (500, 3)).astype(np.float32)
    ours, ref, _, _ = _fit_both(X, n_bins=5, strategy="kmeans", encode="ordinal")
    # float32: scikit-learn sums in float32, scratchml in float64 -> float32 rounding.
    _assert_same_edges(ours, ref, rtol=1e-5)


@pytest.mark.parametrize("encode", ["onehot", "onehot-dense", "ordinal"])
def test_kbins_encodings_and_names_match_sklearn(encode):
    X = np.random.default_rng(9).standard_normal((50, 3))
    ours, ref, _, _ = _fit_both(X, n_bins=[2, 3, 4], encode=encode)
    got, want = ours.transform(X), ref.transform(X)
    want = want.toarray() if hasattr(want, "toarray") else want
    assert isinstance(got, np.ndarray)  # no sparse matrices in scratchml: always dense
    np.testing.assert_array_equal(got, want)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    np.testing.assert_allclose(ours.inverse_transform(got), ref.inverse_transform(want),
                               rtol=1e-12)  # the same bin centres, (a + b) * 0.5


@given(X=matrices(min_rows=2), n_bins=st.integers(2, 6),
       strategy=st.sampled_from(["uniform", "quantile"]))
def test_kbins_properties(X, n_bins, strategy):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kb = KBinsDiscretizer(n_bins, encode="ordinal", strategy=strategy, subsample=None).fit(X)
    codes = kb.transform(X)
    assert np.all((codes >= 0) & (codes < kb.n_bins_) & (codes == np.round(codes)))
    for j, edges in enumerate(kb.bin_edges_):
        assert np.all(np.diff(edges) > 0)  # strictly increasing edges
        if kb.n_bins_[j] > 1:
            assert edges[0] == X[:, j].min() and edges[-1] == X[:, j].max()
            order = np.argsort(X[:, j], kind="stable")
            assert np.all(np.diff(codes[order, j]) >= 0)  # binning is monotone
    onehot = KBinsDiscretizer(n_bins, strategy=strategy, subsample=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Z = onehot.fit_transform(X)
    assert Z.shape[1] == onehot.n_bins_.sum() and np.all(Z.sum(axis=1) == X.shape[1])
    np.testing.assert_array_equal(onehot.inverse_transform(Z), kb.inverse_transform(codes))


def test_kbins_constant_feature_and_inverse():
    X = np.column_stack([np.arange(10.0), np.full(10, 3.5)])
    with pytest.warns(UserWarning, match="Feature 1 is constant"):
        kb = KBinsDiscretizer(2, encode="ordinal", strategy="uniform").fit(X)
    assert kb.n_bins_.tolist() == [2, 1]
    assert np.all(kb.transform(X)[:, 1] == 0)
    # scikit-learn returns NaN here (the centre of (-inf, inf)); scratchml the value.
    np.testing.assert_array_equal(kb.inverse_transform(kb.transform(X))[:, 1], 3.5)


def test_kbins_subsample_and_dtype():
    X = np.random.default_rng(10).standard_normal((1000, 2))
    a = KBinsDiscretizer(4, subsample=100, random_state=0).fit(X)
    b = KBinsDiscretizer(4, subsample=100, random_state=0).fit(X)
    for ea, eb in zip(a.bin_edges_, b.bin_edges_):
        np.testing.assert_array_equal(ea, eb)
    for j, edges in enumerate(a.bin_edges_):
        assert X[:, j].min() <= edges[0] and edges[-1] <= X[:, j].max()
    assert KBinsDiscretizer(3, dtype=np.float32).fit(X).transform(X).dtype == np.float32
    assert KBinsDiscretizer(3, dtype="float32").fit(X).transform(X).dtype == np.float32
    assert KBinsDiscretizer(3).fit(X).transform(X.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("strategy", ["uniform", "quantile", "kmeans"])
def test_kbins_save_load_round_trip(strategy, tmp_path):
    X = np.random.default_rng(11).lognormal(size=(80, 3))
    X[:, 2] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kb = KBinsDiscretizer([2, 5, 3], strategy=strategy, dtype="float64").fit(X)
    scratchml.save(kb, tmp_path / "kb.zip")
    loaded = scratchml.load(tmp_path / "kb.zip")
    for got, want in zip(loaded.bin_edges_, kb.bin_edges_):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(loaded.transform(X), kb.transform(X))
    Z = kb.transform(X)
    np.testing.assert_array_equal(loaded.inverse_transform(Z), kb.inverse_transform(Z))


@pytest.mark.parametrize("params,match", [
    ({"n_bins": 1}, "n_bins"),
    ({"n_bins": [2, 1.5]}, "n_bins"),
    ({"n_bins": [2, 3, 4]}, "n_bins"),
    ({"encode": "sparse"}, "encode"),
    ({"strategy": "median"}, "strategy"),
    ({"quantile_method": "nearest_rank"}, "quantile_method"),
    ({"subsample": 0}, "subsample"),
    ({"dtype": np.int32}, "dtype"),
    ({"n_bins": 10, "strategy": "kmeans"}, "n_bins"),
])
def test_kbins_bad_params(params, match):
    X = np.random.default_rng(12).standard_normal((5, 2))
    with pytest.raises(ValueError, match=match):
        KBinsDiscretizer(**params).fit(X)


def test_kbins_inverse_transform_rejects_non_codes():
    X = np.random.default_rng(13).standard_normal((20, 2))
    kb = KBinsDiscretizer(3, encode="ordinal").fit(X)
    with pytest.raises(ValueError, match=r"not bin indices in columns \[1\]"):
        kb.inverse_transform([[0, 3]])
    oh = KBinsDiscretizer(3, encode="onehot-dense").fit(X)
    with pytest.raises(ValueError, match="one-hot"):
        oh.inverse_transform(np.zeros((1, 6)))
    with pytest.raises(ValueError, match="6"):
        oh.inverse_transform(np.zeros((1, 5)))


# ---------------------------------------------------------------- FunctionTransformer


def test_function_transformer_identity_and_passthrough():
    X = np.arange(6.0).reshape(3, 2)
    ft = FunctionTransformer().fit(X)
    assert ft.transform(X) is X and ft.inverse_transform(X) is X  # as scikit-learn
    assert ft.n_features_in_ == 2
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    ft = FunctionTransformer().fit(df)  # validate=False: anything func can take
    assert ft.transform(df) is df
    assert ft.feature_names_in_.tolist() == ["a", "b"]


@given(X=matrices(bound=50.0))
def test_function_transformer_matches_sklearn(X):
    X = np.abs(X)
    kw = dict(func=np.log1p, inverse_func=np.expm1, validate=True)
    ours, ref = FunctionTransformer(**kw).fit(X), skp.FunctionTransformer(**kw).fit(X)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))  # same ufunc
    Z = ours.transform(X)
    np.testing.assert_array_equal(ours.inverse_transform(Z), ref.inverse_transform(Z))


def test_function_transformer_kw_args_and_check_inverse():
    X = np.arange(1.0, 7.0).reshape(3, 2)
    ft = FunctionTransformer(lambda X, p: X**p, kw_args={"p": 2}, inverse_func=np.sqrt).fit(X)
    np.testing.assert_array_equal(ft.transform(X), X**2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a true inverse: no warning
        FunctionTransformer(np.exp, np.log).fit(X)
    with pytest.warns(UserWarning, match="not strictly inverse"):
        FunctionTransformer(np.exp, np.sqrt).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FunctionTransformer(np.exp, np.sqrt, check_inverse=False).fit(X)


def test_function_transformer_feature_names_out():
    X = np.ones((2, 3))
    assert not hasattr(FunctionTransformer().fit(X), "get_feature_names_out")
    ft = FunctionTransformer(feature_names_out="one-to-one").fit(X)
    assert ft.get_feature_names_out().tolist() == ["x0", "x1", "x2"]
    ft = FunctionTransformer(feature_names_out=lambda t, names: [f"log({n})" for n in names])
    assert ft.fit(X).get_feature_names_out(["a", "b", "c"]).tolist() == [
        "log(a)", "log(b)", "log(c)"]


def test_function_transformer_validation_and_errors():
    X = np.ones((4, 3))
    ft = FunctionTransformer(validate=True).fit(X)
    with pytest.raises(ValueError, match="X has 2 features"):
        ft.transform(X[:, :2])
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(ValueError, match="SimpleImputer"):
        FunctionTransformer(validate=True).fit(Xn)
    for params, match in [({"func": 3}, "func"), ({"kw_args": [1]}, "kw_args"),
                          ({"feature_names_out": "many"}, "feature_names_out")]:
        with pytest.raises(ValueError, match=match):
            FunctionTransformer(**params).fit(X)


def test_function_transformer_persistence(tmp_path):
    X = np.arange(6.0).reshape(3, 2)
    ft = FunctionTransformer(validate=True, kw_args=None).fit(X)
    scratchml.save(ft, tmp_path / "ft.zip")
    loaded = scratchml.load(tmp_path / "ft.zip")
    np.testing.assert_array_equal(loaded.transform(X), X)
    # A function is code: the data-only format refuses it, naming the parameter.
    with pytest.raises(TypeError, match="func"):
        scratchml.save(FunctionTransformer(np.log1p).fit(X), tmp_path / "f.zip")


# --------------------------------------------------------------------- OutlierClipper


@pytest.mark.parametrize("method", ["iqr", "zscore"])
@given(X=matrices(min_rows=2), X_new=matrices(min_rows=1, max_cols=4),
       factor=st.one_of(st.none(), st.floats(0.0, 5.0)))
def test_outlier_clipper_properties(method, X, X_new, factor):
    clipper = OutlierClipper(method, factor=factor).fit(X)
    k = {"iqr": 1.5, "zscore": 3.0}[method] if factor is None else factor
    if method == "iqr":
        q1, q3 = np.percentile(X, [25, 75], axis=0)
        lower, upper = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
    else:
        lower, upper = X.mean(axis=0) - k * X.std(axis=0), X.mean(axis=0) + k * X.std(axis=0)
    scale = np.maximum(1.0, np.max(np.abs(X)))
    # Same percentiles as NumPy's; mean/std summed in another order: rounding only.
    np.testing.assert_allclose(clipper.lower_, lower, rtol=1e-10, atol=1e-10 * scale)
    np.testing.assert_allclose(clipper.upper_, upper, rtol=1e-10, atol=1e-10 * scale)
    assert np.all(clipper.lower_ <= clipper.upper_)
    X_new = np.resize(X_new, (len(X_new), X.shape[1]))
    Z = clipper.transform(X_new)
    assert np.all((Z >= clipper.lower_) & (Z <= clipper.upper_))
    inside = (X_new >= clipper.lower_) & (X_new <= clipper.upper_)
    np.testing.assert_array_equal(Z[inside], X_new[inside])  # untouched inside the fence
    np.testing.assert_array_equal(clipper.transform(Z), Z)  # idempotent


def test_outlier_clipper_example_float32_names_and_errors():
    X = np.array([[1.0], [2.0], [3.0], [4.0], [100.0]])
    np.testing.assert_array_equal(OutlierClipper().fit_transform(X).ravel(), [1, 2, 3, 4, 7])
    X32 = np.random.default_rng(14).standard_normal((50, 2)).astype(np.float32)
    assert OutlierClipper("zscore").fit(X32).transform(X32).dtype == np.float32
    assert OutlierClipper().fit(X32).get_feature_names_out().tolist() == ["x0", "x1"]
    for params, match in [({"method": "mad"}, "method"), ({"factor": -1.0}, "factor"),
                          ({"factor": "big"}, "factor")]:
        with pytest.raises(ValueError, match=match):
            OutlierClipper(**params).fit(X)


def test_kbins_tiny_range_keeps_one_bin():
    X = np.array([[0.0], [1e-12], [2e-12]])
    with pytest.warns(UserWarning, match="too small"):
        kb = KBinsDiscretizer(2, encode="ordinal", subsample=None).fit(X)
    assert kb.n_bins_.tolist() == [1]
    np.testing.assert_array_equal(kb.transform(X), 0.0)
    np.testing.assert_allclose(kb.inverse_transform(kb.transform(X)), 1e-12, rtol=1e-12)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_kbins_float32_edges_match_sklearn(strategy):
    X = np.random.default_rng(16).lognormal(size=(300, 3)).astype(np.float32)
    ours, ref, _, _ = _fit_both(X, n_bins=6, strategy=strategy, encode="ordinal")
    _assert_same_edges(ours, ref)  # the same float32 linspace / percentile calls
    got, want = ours.transform(X), ref.transform(X)
    assert got.dtype == want.dtype == np.float32
    np.testing.assert_array_equal(got, want)
