"""scratchml.monitoring univariate drift tests: SciPy agreement, calibration, power, edges.

SciPy (installed with scikit-learn) is the reference; the library never imports it.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.monitoring import (
    DriftResult,
    chi2_test,
    cvm_test,
    hellinger_distance,
    js_distance,
    ks_test,
    proportion_ztest,
    psi,
    wasserstein_distance,
)

stats = pytest.importorskip("scipy.stats")
distance = pytest.importorskip("scipy.spatial.distance")

# The task's bar: statistics and p-values equal to SciPy's to 1e-8 (they use the same
# formulas; the measured differences are ~1e-15 absolute, 1e-11 relative in far tails).
TOL = 1e-8

samples = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=60)
# Values from a small grid: ties between and within samples, the hard case for ranks.
tied = st.lists(st.integers(-5, 5).map(float), min_size=2, max_size=40)


def _close(ours, ref):
    assert ours == pytest.approx(ref, rel=TOL, abs=TOL)


@given(st.one_of(samples, tied), st.one_of(samples, tied))
def test_ks_matches_scipy(a, b):
    res, ref = ks_test(a, b), stats.ks_2samp(a, b)
    _close(res.statistic, ref.statistic)
    _close(res.p_value, ref.pvalue)
    assert res.drifted == (ref.pvalue < 0.05)


def test_ks_exact_for_larger_unequal_samples_matches_scipy():
    # n1 + n2 > 200 takes the anti-diagonal recursion; 1 x 1000 the degenerate band
    rng = np.random.default_rng(3)
    for n1, n2, shift in [(300, 250, 0.1), (1000, 7, 0.5), (640, 480, 0.0)]:
        a, b = rng.normal(size=n1), rng.normal(shift, size=n2)
        res, ref = ks_test(a, b), stats.ks_2samp(a, b)
        assert res.details["method"] == "exact"
        _close(res.statistic, ref.statistic)
        _close(res.p_value, ref.pvalue)


def test_ks_asymptotic_branch_matches_scipy():
    rng = np.random.default_rng(0)
    for n1, n2, shift in [(12000, 11000, 0.0), (10001, 300, 0.1), (20000, 20000, 0.03)]:
        a, b = rng.normal(size=n1), rng.normal(shift, size=n2)
        res, ref = ks_test(a, b), stats.ks_2samp(a, b)
        assert res.details["method"] == "asymp"
        _close(res.statistic, ref.statistic)
        _close(res.p_value, ref.pvalue)
        # forcing a method gives SciPy's forced result too
        res, ref = ks_test(a[:300], b[:200], method="asymp"), \
            stats.ks_2samp(a[:300], b[:200], method="asymp")
        _close(res.p_value, ref.pvalue)


@given(st.one_of(samples, tied).filter(lambda v: len(v) >= 2),
       st.one_of(samples, tied).filter(lambda v: len(v) >= 2))
def test_cvm_matches_scipy(a, b):
    res, ref = cvm_test(a, b), stats.cramervonmises_2samp(a, b)
    _close(res.statistic, ref.statistic)
    _close(res.p_value, ref.pvalue)


@given(samples, samples)
def test_wasserstein_matches_scipy(a, b):
    res = wasserstein_distance(a, b)
    assert res.statistic == pytest.approx(stats.wasserstein_distance(a, b), rel=TOL, abs=TOL)
    assert res.p_value is None and res.effect_size >= 0


@given(st.lists(st.sampled_from("abcde"), min_size=1, max_size=80),
       st.lists(st.sampled_from("abcde"), min_size=1, max_size=80))
def test_chi2_matches_scipy(a, b):
    cats = sorted(set(a) | set(b))
    rc = np.array([a.count(c) for c in cats], float)
    cc = np.array([b.count(c) for c in cats], float)
    res = chi2_test(a, b)
    if set(b) - set(a):  # a new category is drift by definition
        assert res.drifted and res.statistic == math.inf and res.p_value == 0.0
        assert sorted(res.details["unseen_categories"]) == sorted(set(b) - set(a))
        return
    keep = rc > 0
    if keep.sum() > 1:
        ref = stats.chi2_contingency(np.vstack([rc[keep], cc[keep]]), correction=False)
        _close(res.statistic, ref.statistic)
        _close(res.p_value, ref.pvalue)
        gof = chi2_test(a, b, method="goodness_of_fit")
        ref = stats.chisquare(cc[keep], rc[keep] / rc.sum() * cc.sum())
        _close(gof.statistic, ref.statistic)
        _close(gof.p_value, ref.pvalue)


def test_proportion_ztest_by_hand():
    # 30/100 vs 60/100: pooled 0.45, se = sqrt(0.45*0.55*(2/100)), z = 0.3 / se
    res = proportion_ztest([1] * 30 + [0] * 70, [1] * 60 + [0] * 40)
    z = 0.3 / math.sqrt(0.45 * 0.55 * 0.02)
    assert res.statistic == pytest.approx(z, rel=1e-12)
    assert res.p_value == pytest.approx(2 * stats.norm.sf(z), rel=1e-10)
    assert res.effect_size == pytest.approx(2 * math.asin(math.sqrt(0.6))
                                            - 2 * math.asin(math.sqrt(0.3)), rel=1e-12)
    same = proportion_ztest([True] * 10, [True] * 5)  # one shared label: nothing to test
    assert same.p_value == 1.0 and not same.drifted


# -- calibration under the null and power ------------------------------------------------

def _false_alarm_rate(draw, trials=1000):
    p = np.array([draw(np.random.default_rng(seed)) for seed in range(trials)])
    assert np.all((p >= 0) & (p <= 1))
    return float(np.mean(p < 0.05))


NULL_CASES = {
    # Small samples keep 1,000 trials fast. KS is discrete: its exact test can only
    # reach levels below 0.05 (here 0.039), still inside the band.
    "ks": lambda r: ks_test(r.normal(size=50), r.normal(size=60)).p_value,
    "cvm": lambda r: cvm_test(r.normal(size=30), r.normal(size=40)).p_value,
    "chi2": lambda r: chi2_test(r.choice(4, 200, p=[.4, .3, .2, .1]),
                                r.choice(4, 100, p=[.4, .3, .2, .1])).p_value,
    "proportion_z": lambda r: proportion_ztest(r.random(200) < 0.3,
                                               r.random(150) < 0.3).p_value,
}


@pytest.mark.parametrize("name", sorted(NULL_CASES))
def test_false_alarm_rate_under_the_null(name):
    # 1,000 seeded trials: the binomial sd of the rate is 0.007, the band [0.03, 0.07].
    assert 0.03 <= _false_alarm_rate(NULL_CASES[name]) <= 0.07


def test_ks_detects_half_sd_shift():
    # 100 trials (the power is ~1, so 100 suffice to show >= 95%).
    hits = [ks_test(r.normal(size=500), r.normal(0.5, size=500)).drifted
            for r in map(np.random.default_rng, range(100))]
    assert np.mean(hits) >= 0.95


# -- binned distances ----------------------------------------------------------------------

def test_psi_finite_with_empty_bins():
    rng = np.random.default_rng(0)
    ref = rng.normal(size=1000)
    res = psi(ref, ref + 100.0)  # every current value in the top reference bin
    assert math.isfinite(res.statistic) and res.drifted
    # bound: each of 10 bins contributes at most |1 - eps| ln(1/eps)
    assert res.statistic <= 10 * math.log(1e4)
    cat = psi(["a"] * 50, ["b"] * 50, categorical=True)
    assert math.isfinite(cat.statistic) and cat.drifted
    assert psi(ref, ref).statistic == 0.0


def test_psi_by_hand():
    # reference deciles of 0..99 put 10 values per bin; the current puts 20 in the first 5
    ref = np.arange(100.0)
    cur = np.repeat(np.arange(0.0, 50.0, 10.0), 20) + 0.5
    res = psi(ref, cur)
    expected = 5 * (0.2 - 0.1) * math.log(2.0) + 5 * (1e-4 - 0.1) * math.log(1e-4 / 0.1)
    assert res.statistic == pytest.approx(expected, rel=1e-12)


@given(st.lists(st.sampled_from("abcd"), min_size=1, max_size=50),
       st.lists(st.sampled_from("abcd"), min_size=1, max_size=50))
def test_js_and_hellinger_match_definitions(a, b):
    cats = sorted(set(a) | set(b))
    p = np.array([a.count(c) for c in cats], float) / len(a)
    q = np.array([b.count(c) for c in cats], float) / len(b)
    js = js_distance(a, b, categorical=True).statistic
    assert js == pytest.approx(distance.jensenshannon(p, q), rel=1e-9, abs=1e-12)
    h = hellinger_distance(a, b, categorical=True).statistic
    assert h == pytest.approx(math.sqrt(max(0.0, 1 - np.sum(np.sqrt(p * q)))), abs=1e-7)
    assert 0 <= h <= 1 and 0 <= js <= math.sqrt(math.log(2)) + 1e-12


# -- inputs -----------------------------------------------------------------------------

def test_nans_are_dropped_and_all_nan_is_an_error():
    a = [1.0, np.nan, 2.0, 3.0]
    assert ks_test(a, [1.0, 2.0]).statistic == ks_test([1.0, 2.0, 3.0], [1.0, 2.0]).statistic
    with pytest.raises(ValueError, match="all NaN"):
        ks_test([np.nan, np.nan], [1.0])
    with pytest.raises(ValueError, match="non-numeric"):
        wasserstein_distance(["a", "b"], [1.0])
    with pytest.raises(ValueError, match="at least 2"):
        cvm_test([1.0], [1.0, 2.0])


@pytest.mark.parametrize("call", [
    lambda: ks_test([1.0], [2.0], alpha=1.5),
    lambda: ks_test([1.0], [2.0], method="nope"),
    lambda: psi([1.0, 2.0], [1.0], bins=1),
    lambda: psi([1.0, 2.0], [1.0], eps=0),
    lambda: chi2_test(["a"], ["a"], method="g"),
    lambda: proportion_ztest([0, 1, 2], [1]),
])
def test_bad_parameters_raise(call):
    with pytest.raises(ValueError):
        call()


def test_result_object():
    res = ks_test([0.0, 1.0, 2.0], [5.0, 6.0, 7.0])
    assert isinstance(res, DriftResult)
    d = res.to_dict()
    assert set(d) >= {"statistic", "p_value", "effect_size", "drifted", "threshold"}
    assert d["threshold"] == 0.05 and "ks" in repr(res)
