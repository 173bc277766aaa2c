"""scratchml.feature_selection's score functions (F, chi², mutual information) vs scikit-learn.

Score functions: scikit-learn computes sums of squares with one-pass formulas
(Σx² − (Σx)²/n), scratchml with centred ones, so on ill-conditioned columns (large
mean, tiny spread) scikit-learn loses digits that scratchml keeps. The comparisons
below therefore use a tolerance scaled by each column's condition number, computed
from the data; on ordinary data it is ~1e-12.

The selectors are tested in tests/test_feature_selection_selectors.py.
"""

import warnings

import numpy as np
import pytest
from _feature_selection_helpers import classification_data
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratchml.feature_selection import (
    SelectKBest,
    chi2,
    f_classif,
    f_regression,
    mutual_info_classif,
    r_regression,
)
from scratchml.utils._special import f_sf

skf = pytest.importorskip("sklearn.feature_selection")
EPS = np.finfo(np.float64).eps


def _f_tolerance(X, y, ours_f):
    """Relative tolerance on F: eps × the condition number of scikit-learn's formulas.

    Its SST and SSB come from differences of sums of squares, each with an absolute
    error ~ n·eps·Σx²; SSW = SST − SSB and F inherit them relative to SSW and SSB.
    """
    classes = np.unique(y)
    means = np.array([X[y == c].mean(axis=0) for c in classes])
    counts = np.array([(y == c).sum() for c in classes])[:, None]
    ssb = (counts * (means - X.mean(axis=0)) ** 2).sum(axis=0)
    ssw = ((X - means[np.searchsorted(classes, y)]) ** 2).sum(axis=0)
    scale = (X**2).sum(axis=0) * len(X) * EPS
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = scale / ssw + scale / ssb
    return 1e-12 + 10 * np.nan_to_num(cond, nan=np.inf, posinf=np.inf)


def _p_tolerance(f, rtol_f, dfn, dfd):
    """Tolerance on p = sf(F): the relative change of p when F moves by rtol_f."""
    with np.errstate(all="ignore"):
        up = f_sf(f * (1 + np.minimum(rtol_f, 0.5)), dfn, dfd)
        p = f_sf(f, dfn, dfd)
        return 1e-11 + np.nan_to_num(np.abs(up - p) / p, nan=np.inf)


@given(classification_data())
def test_f_classif_matches_sklearn(data):
    X, y = data
    f, p = f_classif(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f_ref, p_ref = skf.f_classif(X, y)
    rtol = _f_tolerance(X, y, f)
    ok = np.isfinite(rtol) & np.isfinite(f_ref) & (f_ref > 0)  # degenerate columns: below
    for j in np.flatnonzero(ok):
        assert f[j] == pytest.approx(f_ref[j], rel=rtol[j])
        tol = _p_tolerance(f_ref[j], rtol[j], len(np.unique(y)) - 1, len(y) - len(np.unique(y)))
        assert p[j] == pytest.approx(p_ref[j], rel=tol, abs=1e-300)
    # Identical columns score identically (ties survive for SelectKBest).
    if X.shape[1] > 1 and np.array_equal(X[:, 0], X[:, -1]):
        assert np.array_equal(f[0], f[-1], equal_nan=True)


def test_f_classif_degenerate_columns():
    X = np.c_[np.full(7, 0.1), [1, 2, 3, 4, 5, 6, 7.0], [1, 1, 1, 2, 2, 2, 2.0]]
    y = [0, 0, 0, 1, 1, 1, 1]
    f, p = f_classif(X, y)
    # Constant overall: 0/0 (scikit-learn gets 0/0 too, or rounding noise such as -0).
    assert np.isnan(f[0]) and np.isnan(p[0])
    assert f[1] == pytest.approx(15.0) and p[1] == pytest.approx(0.011724811003954639, rel=1e-12)
    assert f[2] == np.inf and p[2] == 0.0  # constant within classes, means differ
    # NaN scores rank last in the selectors.
    assert SelectKBest(k=2).fit(X, y).get_support().tolist() == [False, True, True]


@given(classification_data(nonneg=True))
def test_chi2_matches_sklearn(data):
    X, y = data
    stat, p = chi2(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stat_ref, p_ref = skf.chi2(X, y)
    # Same sums in both (no cancellation): rounding-level agreement.
    np.testing.assert_allclose(stat, stat_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(p, p_ref, rtol=1e-10, atol=1e-300)


def test_chi2_rejects_negative_values():
    with pytest.raises(ValueError, match=r"non-negative.*columns \[1\]"):
        chi2([[1.0, -1.0], [2.0, 3.0]], [0, 1])


@st.composite
def regression_data(draw):
    n = draw(st.integers(4, 40))
    p = draw(st.integers(1, 5))
    X = draw(hnp.arrays(np.float64, (n, p), elements=st.floats(-100, 100)))
    y = draw(hnp.arrays(np.float64, n, elements=st.floats(-100, 100)))
    return X, y


@given(regression_data(), st.booleans())
def test_f_regression_matches_sklearn(data, center):
    X, y = data
    f, p = f_regression(X, y, center=center)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f_ref, p_ref = skf.f_regression(X, y, center=center)
    Xc = X - X.mean(axis=0) if center else X
    yc = y - y.mean() if center else y
    with np.errstate(all="ignore"):
        # scikit-learn's norms come from Σx² − n·x̄² (error ~ n·eps·Σx² relative to
        # Σ(x − x̄)²); F = r²/(1 − r²)·dof amplifies r's error by 2/(1 − r²).
        r = (yc @ Xc) / np.linalg.norm(Xc, axis=0) / np.linalg.norm(yc)
        cond = len(X) * EPS * ((X**2).sum(axis=0) / (Xc**2).sum(axis=0)
                               + np.abs(y) @ np.abs(X) / np.abs(yc @ Xc) + 1)
        rtol = 1e-12 + 10 * cond * 2 / np.maximum(1 - r**2, 0)  # |r| ≈ 1: unbounded
    ok = np.isfinite(rtol) & (rtol < 1e-3) & (f_ref > 0) & (f_ref < np.finfo(float).max)
    for j in np.flatnonzero(ok):
        assert f[j] == pytest.approx(f_ref[j], rel=rtol[j])
        dof = len(y) - (2 if center else 1)
        assert p[j] == pytest.approx(p_ref[j], rel=_p_tolerance(f_ref[j], rtol[j], 1, dof),
                                     abs=1e-300)


def test_f_regression_force_finite():
    X = np.c_[[1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0], [1.0, 0.0, 1.0, 3.0]]
    y = 2 * X[:, 0] + 1
    f, p = f_regression(X, y)
    assert f[0] == np.finfo(float).max and p[0] == 0.0  # perfect correlation
    assert f[1] == 0.0 and p[1] == 1.0  # constant feature
    f_raw, p_raw = f_regression(X, y, force_finite=False)
    assert np.isinf(f_raw[0]) and np.isnan(f_raw[1]) and np.isnan(p_raw[1])
    np.testing.assert_allclose(r_regression(X, y), skf.r_regression(X, y), rtol=1e-12)


# -- mutual information -----------------------------------------------------------


@given(classification_data(nonneg=True))
def test_mutual_info_discrete_features_equal_sklearn(data):
    X, y = data
    Xd = np.floor(X / 20)  # a handful of categories per feature
    ours = mutual_info_classif(Xd, y, discrete_features=True)
    ref = skf.mutual_info_classif(Xd, y, discrete_features=True)
    # The plug-in estimate involves no randomness: equal up to summation order.
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mutual_info_continuous_matches_sklearn_on_tie_free_data(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, 200)
    X = rng.standard_normal((200, 4)) + np.c_[y, 0.3 * y, np.zeros(200), y**2]
    X[:, 2] = rng.exponential(size=200)
    ours = mutual_info_classif(X, y, random_state=0)
    ref = skf.mutual_info_classif(X, y, random_state=0)
    # Both add noise of relative size 1e-10 (from different generators) to break ties.
    # Continuous data has no ties nor near-ties at that scale, so both count the same
    # neighbours and the estimates agree to rounding; 1e-9 leaves room for the noise
    # moving a distance across a radius, which these seeds never do.
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)


@given(hnp.arrays(np.float64, st.integers(2, 40), elements=st.integers(-5, 5).map(float)),
       st.data())
def test_radius_counts_equal_brute_force(values, data):
    # The k-NN estimator's m_i: points within distance r_i of point i (itself included),
    # by binary search + exact fix-up; ties on the boundary are the delicate part.
    from scratchml.feature_selection._mutual_info import _count_within

    radius = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0,
                                                          np.nextafter(1.0, 0)]),
                                         min_size=values.size, max_size=values.size)))
    brute = (np.abs(values[None, :] - values[:, None]) <= radius[:, None]).sum(axis=1)
    np.testing.assert_array_equal(_count_within(np.sort(values), values, radius), brute)


def test_mutual_info_properties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    informative = y + 0.01 * rng.standard_normal(400)  # determines y
    noise = rng.standard_normal(400)
    mi = mutual_info_classif(np.c_[informative, noise, 7 * noise + 3], y, random_state=0)
    h_y = -sum(p * np.log(p) for p in np.bincount(y) / 400)  # entropy of y
    assert mi[0] == pytest.approx(h_y, abs=0.05)
    assert mi[1] < 0.05
    assert mi[2] == pytest.approx(mi[1], abs=1e-9)  # invariant to affine rescaling
    assert np.all(mi >= 0)
    # Mixed discrete/continuous mask, as indices or booleans, and determinism.
    a = mutual_info_classif(np.c_[y, noise], y, discrete_features=[0], random_state=1)
    b = mutual_info_classif(np.c_[y, noise], y, discrete_features=np.array([True, False]),
                            random_state=1)
    np.testing.assert_array_equal(a, b)
    assert a[0] == pytest.approx(h_y, rel=1e-12)
    with pytest.raises(ValueError, match="discrete_features='yes'"):
        mutual_info_classif(np.c_[y, noise], y, discrete_features="yes")
