"""PolynomialFeatures, FunctionTransformer and OutlierClipper.

KBinsDiscretizer is tested in tests/test_preprocessing_kbins.py.
"""

import warnings

import numpy as np
import pytest
from _preprocessing_helpers import matrices
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.preprocessing import (
    FunctionTransformer,
    OutlierClipper,
    PolynomialFeatures,
)

skp = pytest.importorskip("sklearn.preprocessing")


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
