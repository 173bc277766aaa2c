"""Scalers (StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler, Normalizer).

Cross-checked against scikit-learn on hypothesis-generated data with constant and
all-zero columns and negative values, plus the properties the scalers promise:
inverse_transform undoes transform, partial_fit over any batch split equals fit,
float32 stays float32, bad input gets the documented errors.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    RobustScaler,
    StandardScaler,
)

skp = pytest.importorskip("sklearn.preprocessing")

SCALERS = {
    "StandardScaler": StandardScaler,
    "MinMaxScaler": MinMaxScaler,
    "MaxAbsScaler": MaxAbsScaler,
    "RobustScaler": RobustScaler,
    "Normalizer": Normalizer,
}
# (name, params) pairs covering every option that changes the arithmetic.
CONFIGS = [
    ("StandardScaler", {}),
    ("StandardScaler", {"with_mean": False}),
    ("StandardScaler", {"with_std": False}),
    ("StandardScaler", {"with_mean": False, "with_std": False}),
    ("MinMaxScaler", {}),
    ("MinMaxScaler", {"feature_range": (-3, 2)}),
    ("MinMaxScaler", {"clip": True}),
    ("MaxAbsScaler", {}),
    ("MaxAbsScaler", {"clip": True}),
    ("RobustScaler", {}),
    ("RobustScaler", {"quantile_range": (10.0, 90.0), "unit_variance": True}),
    ("RobustScaler", {"with_centering": False}),
    ("RobustScaler", {"with_scaling": False}),
    ("Normalizer", {"norm": "l2"}),
    ("Normalizer", {"norm": "l1"}),
    ("Normalizer", {"norm": "max"}),
]
CONFIG_IDS = [f"{name}-{params}" for name, params in CONFIGS]
INVERTIBLE = [c for c in CONFIGS if c[0] != "Normalizer" and not c[1].get("clip")]


@st.composite
def matrices(draw, min_rows=1, max_rows=25, max_cols=5):
    """Float64 matrices whose columns may be constant, all zero or of mixed sign."""
    n = draw(st.integers(min_rows, max_rows))
    p = draw(st.integers(1, max_cols))
    X = draw(hnp.arrays(np.float64, (n, p), elements=st.floats(
        -1e3, 1e3, allow_nan=False, allow_subnormal=False)))
    for j in range(p):
        kind = draw(st.sampled_from(["data", "data", "constant", "zero"]))
        if kind == "constant":
            X[:, j] = draw(st.floats(-1e3, 1e3, allow_subnormal=False))
        elif kind == "zero":
            X[:, j] = 0.0
    return X


def assert_close(actual, expected, scale=1.0):
    # Both libraries compute in float64 with the same formulas, possibly summing in
    # another order: rounding is a few eps relative to the magnitude involved.
    actual, expected = np.asarray(actual), np.asarray(expected)
    atol = 1e-10 * max(1.0, scale, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=atol)


# ---------------------------------------------------------------- against scikit-learn


@pytest.mark.parametrize("name,params", CONFIGS, ids=CONFIG_IDS)
@given(X=matrices())
def test_matches_sklearn(name, params, X):
    ours = SCALERS[name](**params).fit(X)
    ref = getattr(skp, name)(**params).fit(X)
    assert_close(ours.transform(X), ref.transform(X))
    for attr in ("mean_", "var_", "scale_", "min_", "data_min_", "data_max_", "data_range_",
                 "max_abs_", "center_"):
        if hasattr(ref, attr):
            expected = getattr(ref, attr)
            if expected is None:
                assert getattr(ours, attr) is None, attr
            else:
                assert_close(getattr(ours, attr), expected, scale=np.max(np.abs(X)) ** 2)
    if name != "Normalizer" and not params.get("clip"):
        Z = ref.transform(X)
        assert_close(ours.inverse_transform(Z), ref.inverse_transform(Z), scale=np.max(np.abs(X)))


@pytest.mark.parametrize("name,params", CONFIGS, ids=CONFIG_IDS)
def test_float32_stays_float32_like_sklearn(name, params):
    X = np.random.default_rng(0).standard_normal((40, 3)).astype(np.float32) * 10
    X[:, 2] = 7.0
    got = SCALERS[name](**params).fit(X).transform(X)
    want = getattr(skp, name)(**params).fit(X).transform(X)
    assert got.dtype == want.dtype == np.float32
    # float32 arithmetic on values of order 10: a few float32 eps.
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["MinMaxScaler", "MaxAbsScaler"])
def test_clip_on_new_data_matches_sklearn(name):
    rng = np.random.default_rng(1)
    X, X_new = rng.standard_normal((30, 3)), 5 * rng.standard_normal((30, 3))
    got = SCALERS[name](clip=True).fit(X).transform(X_new)
    want = getattr(skp, name)(clip=True).fit(X).transform(X_new)
    np.testing.assert_array_equal(got, want)  # same operations, same order: bitwise
    lo, hi = (0, 1) if name == "MinMaxScaler" else (-1, 1)
    assert got.min() >= lo and got.max() <= hi


@given(X=matrices(), w=st.lists(st.integers(0, 4), min_size=25, max_size=25))
def test_standard_scaler_sample_weight(X, w):
    w = np.asarray(w[: len(X)], dtype=float)
    if w.sum() == 0:
        w[0] = 1.0
    ours = StandardScaler().fit(X, sample_weight=w)
    ref = skp.StandardScaler().fit(X, sample_weight=w)
    scale = np.max(np.abs(X)) ** 2
    assert_close(ours.mean_, ref.mean_, scale)
    assert_close(ours.var_, ref.var_, scale)
    assert ours.n_samples_seen_ == ref.n_samples_seen_ == w.sum()
    # Integer weights mean repeated rows.
    repeated = StandardScaler().fit(np.repeat(X, w.astype(int), axis=0))
    assert_close(ours.mean_, repeated.mean_, scale)
    assert_close(ours.var_, repeated.var_, scale)


def test_standard_scaler_zero_total_weight_is_an_error():
    with pytest.raises(ValueError, match="sample_weight sums to 0"):
        StandardScaler().fit(np.ones((3, 2)), sample_weight=np.zeros(3))


# ----------------------------------------------------------------------- properties


@pytest.mark.parametrize("name,params", INVERTIBLE, ids=[f"{n}-{p}" for n, p in INVERTIBLE])
@given(X=matrices())
def test_inverse_transform_undoes_transform(name, params, X):
    scaler = SCALERS[name](**params).fit(X)
    assert_close(scaler.inverse_transform(scaler.transform(X)), X, scale=np.max(np.abs(X)))


@pytest.mark.parametrize("name", ["StandardScaler", "MinMaxScaler", "MaxAbsScaler"])
@given(X=matrices(min_rows=2, max_rows=40), cuts=st.lists(st.integers(1, 39), max_size=4),
       data=st.data())
def test_partial_fit_over_batches_equals_fit(name, X, cuts, data):
    bounds = sorted({c for c in cuts if c < len(X)})
    batches = np.split(X, bounds)
    online = SCALERS[name]()
    for batch in batches:
        online.partial_fit(batch)
    full = SCALERS[name]().fit(X)
    assert online.n_samples_seen_ == full.n_samples_seen_ == len(X)
    if name == "StandardScaler":
        # Chan's merge and one two-pass computation round differently: a few eps of
        # the squared magnitude of the data.
        scale = np.max(np.abs(X)) ** 2
        assert_close(online.mean_, full.mean_, scale)
        assert_close(online.var_, full.var_, scale)
    else:  # running min / max are exact
        for attr in ("scale_", "data_min_", "data_max_", "max_abs_"):
            if hasattr(full, attr):
                np.testing.assert_array_equal(getattr(online, attr), getattr(full, attr))


# scikit-learn takes the square root of a rounding-negative variance (then replaces it).
@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")
@given(X=matrices(min_rows=2, max_rows=40), seed=st.integers(0, 2**16))
def test_weighted_partial_fit_matches_sklearn(X, seed):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 3.0, len(X))
    cut = len(X) // 2
    ours, ref = StandardScaler(), skp.StandardScaler()
    for rows in (slice(0, cut), slice(cut, None)):
        if len(X[rows]):
            ours.partial_fit(X[rows], sample_weight=w[rows])
            ref.partial_fit(X[rows], sample_weight=w[rows])
    scale = np.max(np.abs(X)) ** 2
    assert_close(ours.mean_, ref.mean_, scale)
    assert_close(ours.var_, ref.var_, scale)


@given(X=matrices(min_rows=2))
def test_standard_scaler_output_has_zero_mean_unit_variance(X):
    Z = StandardScaler().fit_transform(X)
    varying = np.ptp(X, axis=0) > 1e-6 * np.maximum(1.0, np.max(np.abs(X), axis=0))
    # Centred and scaled values are O(1); rounding is a few eps times the ratio of
    # the column's magnitude to its spread, which the filter above bounds.
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(Z[:, varying].std(axis=0), 1.0, rtol=1e-6)


@pytest.mark.parametrize("norm", ["l1", "l2", "max"])
@given(X=matrices())
def test_normalizer_rows_have_unit_norm_and_zero_rows_stay_zero(norm, X):
    X[0] = 0.0
    Z = Normalizer(norm=norm).fit(X).transform(X)
    ord_ = {"l1": 1, "l2": 2, "max": np.inf}[norm]
    # As scikit-learn: rows whose norm is below 10 eps (zero rows) are left as they are.
    tiny = np.linalg.norm(X, ord=ord_, axis=1) < 10 * np.finfo(float).eps
    norms = np.linalg.norm(Z, ord=ord_, axis=1)
    np.testing.assert_allclose(norms[~tiny], 1.0, rtol=1e-12)  # one division per entry
    np.testing.assert_array_equal(Z[tiny], X[tiny])
    assert np.all(Z[0] == 0)


def test_large_input_is_processed_in_chunks_identically():
    # More rows than one chunk: the chunked loops must agree with scikit-learn too.
    rng = np.random.default_rng(3)
    X = rng.standard_normal((20_000, 7)) * [1, 1e3, 1e-3, 5, 0, 2, 1] + 50
    for name, params in CONFIGS:
        got = SCALERS[name](**params).fit(X).transform(X)
        want = getattr(skp, name)(**params).fit(X).transform(X)
        assert_close(got, want)


def test_robust_scaler_unit_variance_gives_unit_variance_on_normal_data():
    X = np.random.default_rng(4).normal(3.0, 2.0, size=(200_000, 2))
    Z = RobustScaler(unit_variance=True).fit_transform(X)
    # Sample quantiles of 200,000 normal draws: about 1% error on the spread.
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=0.02)


def test_min_max_scaler_range_and_constant_columns():
    X = np.array([[1.0, 5.0], [3.0, 5.0], [2.0, 5.0]])
    Z = MinMaxScaler(feature_range=(-1, 1)).fit_transform(X)
    np.testing.assert_array_equal(Z[:, 0], [-1.0, 1.0, 0.0])
    np.testing.assert_array_equal(Z[:, 1], [-1.0, -1.0, -1.0])  # constant -> lower bound


# ------------------------------------------------------------- copies and in place


@pytest.mark.parametrize("name,params", CONFIGS, ids=CONFIG_IDS)
def test_copy_semantics(name, params):
    X = np.random.default_rng(5).standard_normal((10, 3))
    X0 = X.copy()
    scaler = SCALERS[name](**params).fit(X)
    out = scaler.transform(X)
    assert out is not X
    np.testing.assert_array_equal(X, X0)
    in_place = SCALERS[name](**params, copy=False).fit(X).transform(X)
    assert in_place is X  # already a valid float array: modified in place, no copy
    np.testing.assert_array_equal(in_place, out)


def test_list_and_int_input_are_converted_and_not_modified():
    X = [[1, 2], [3, 4], [5, 7]]
    Xi = np.array(X)
    for cls in SCALERS.values():
        for data in (X, Xi):
            out = cls().fit(data).transform(data)
            assert out.dtype == np.float64
        np.testing.assert_array_equal(Xi, np.array(X))


# ------------------------------------------------------------------- errors, names


@pytest.mark.parametrize("cls", SCALERS.values(), ids=SCALERS.keys())
def test_bad_input_errors(cls):
    X = np.random.default_rng(6).standard_normal((6, 3))
    Xs = X.astype(object)
    Xs[1, 2] = "blue"
    with pytest.raises(ValueError, match=r"'2'.*'blue'.*Encoder"):
        cls().fit(Xs)
    Xn = X.copy()
    Xn[0, 1] = np.nan
    # scikit-learn's scalers skip NaN; scratchml's reject it (documented contract).
    with pytest.raises(ValueError, match=r"NaN.*'1'.*SimpleImputer"):
        cls().fit(Xn)
    fitted = cls().fit(X)
    with pytest.raises(ValueError, match="NaN"):
        fitted.transform(Xn)
    with pytest.raises(ValueError, match=r"X has 2 features, but .* 3"):
        fitted.transform(X[:, :2])
    if hasattr(fitted, "partial_fit"):
        with pytest.raises(ValueError, match=r"X has 2 features"):
            fitted.partial_fit(X[:, :2])


@pytest.mark.parametrize("est,param", [
    (MinMaxScaler(feature_range=(1, 0)), "feature_range"),
    (MinMaxScaler(feature_range=(0, 1, 2)), "feature_range"),
    (RobustScaler(quantile_range=(80.0, 20.0)), "quantile_range"),
    (RobustScaler(quantile_range=(-1.0, 50.0)), "quantile_range"),
    (RobustScaler(quantile_range=(0.0, 100.0), unit_variance=True), "quantile_range"),
    (Normalizer(norm="l3"), "norm"),
])
def test_bad_hyperparameters_raise_at_fit(est, param):
    with pytest.raises(ValueError, match=param):
        est.fit(np.ones((4, 2)))


@pytest.mark.parametrize("cls", SCALERS.values(), ids=SCALERS.keys())
def test_feature_names_out(cls):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"age": [1.0, 2.0, 4.0], "height": [3.0, 1.0, 0.0]})
    scaler = cls().fit(df)
    assert scaler.get_feature_names_out().tolist() == ["age", "height"]
    ref = getattr(skp, cls.__name__)().fit(df)
    assert scaler.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    with pytest.raises(ValueError, match="not equal"):
        scaler.get_feature_names_out(["a", "b"])
    plain = cls().fit(df.to_numpy())
    assert plain.get_feature_names_out().tolist() == ["x0", "x1"]
    assert plain.get_feature_names_out(["a", "b"]).tolist() == ["a", "b"]
    with pytest.raises(ValueError, match="2 features"):
        plain.get_feature_names_out(["a"])


@pytest.mark.parametrize("name,params", CONFIGS, ids=CONFIG_IDS)
def test_save_load_round_trip(name, params, tmp_path):
    X = np.random.default_rng(7).standard_normal((12, 3))
    scaler = SCALERS[name](**params).fit(X)
    scratchml.save(scaler, tmp_path / "m.zip")
    loaded = scratchml.load(tmp_path / "m.zip")
    np.testing.assert_array_equal(loaded.transform(X), scaler.transform(X))


@pytest.mark.parametrize("name,params", CONFIGS, ids=CONFIG_IDS)
def test_chunk_size_does_not_change_results(name, params, monkeypatch):
    # Tiny chunks force many chunks, folded reductions and leftover rows.
    import scratchml.preprocessing._scalers_base as scalers

    rng = np.random.default_rng(15)
    for n, p in [(1, 3), (63, 2), (64, 1), (200, 5), (517, 3)]:
        X = rng.standard_normal((n, p)) * 3 + 1
        expected = SCALERS[name](**params).fit(X).transform(X)
        monkeypatch.setattr(scalers, "_CHUNK_ELEMENTS", 64)
        got = SCALERS[name](**params).fit(X).transform(X)
        monkeypatch.undo()
        # Reductions are regrouped (sums in another order): rounding only.
        assert_close(got, expected)
