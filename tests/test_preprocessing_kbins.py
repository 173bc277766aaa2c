"""KBinsDiscretizer against scikit-learn, plus its own properties."""

import warnings

import numpy as np
import pytest
from _preprocessing_helpers import matrices
from hypothesis import assume, given
from hypothesis import strategies as st

import scratchml
from scratchml.preprocessing import KBinsDiscretizer

skp = pytest.importorskip("sklearn.preprocessing")


def _messages(record):
    return sorted(str(w.message) for w in record if not issubclass(w.category, DeprecationWarning))


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
