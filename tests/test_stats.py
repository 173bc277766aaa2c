"""scratchml.stats: McNemar, 5x2cv and corrected resampled t-tests, bootstrap, permutation.

Reference values are computed by hand in the tests (the formulas written out);
SciPy serves only as a second check of the t and binomial tails.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.datasets import load_wine
from scratchml.metrics import accuracy_score
from scratchml.naive_bayes import GaussianNB
from scratchml.neighbors import KNeighborsClassifier
from scratchml.stats import (
    ConfidenceInterval,
    TestResult,
    bootstrap_ci,
    corrected_resampled_ttest,
    mcnemar,
    paired_ttest_5x2cv,
    permutation_test,
    t_5x2cv,
)

stats = pytest.importorskip("scipy.stats")


def _predictions(b, c, both_right=20, both_wrong=5):
    """y, pred_a, pred_b with b samples only A gets right and c only B gets right."""
    n = both_right + both_wrong + b + c
    y = np.zeros(n, int)
    a = np.zeros(n, int)
    p = np.zeros(n, int)
    a[both_right:both_right + both_wrong] = p[both_right:both_right + both_wrong] = 1
    p[both_right + both_wrong:both_right + both_wrong + b] = 1  # B wrong, A right
    a[both_right + both_wrong + b:] = 1                       # A wrong, B right
    return y, a, p


def test_mcnemar_exact_by_hand():
    # b = 1, c = 7: p = 2 * P(X <= 1), X ~ Bin(8, 1/2) = 2 * (1 + 8) / 256
    y, a, p = _predictions(1, 7)
    res = mcnemar(y, a, p)
    assert res.method == "exact binomial"
    assert res.p_value == pytest.approx(2 * 9 / 256, rel=1e-13)
    assert res.details["b"] == 1 and res.details["c"] == 7
    assert res.details["table"] == [[20, 1], [7, 5]]


def test_mcnemar_chi2_by_hand():
    # b = 30, c = 12: chi2 = (|30 - 12| - 1)^2 / 42 = 289 / 42; df = 1
    y, a, p = _predictions(30, 12)
    res = mcnemar(y, a, p)
    assert res.method == "chi-square"
    assert res.statistic == pytest.approx(289 / 42, rel=1e-14)
    # chi2 with 1 dof: P(chi2 > q) = erfc(sqrt(q / 2))
    assert res.p_value == pytest.approx(math.erfc(math.sqrt(289 / 84)), rel=1e-12)
    plain = mcnemar(y, a, p, correction=False)
    assert plain.statistic == pytest.approx(18**2 / 42, rel=1e-14)


@given(st.integers(0, 40), st.integers(0, 40))
def test_mcnemar_exact_matches_binomtest(b, c):
    y, a, p = _predictions(b, c)
    res = mcnemar(y, a, p, exact=True)
    ref = 1.0 if b + c == 0 else stats.binomtest(min(b, c), b + c, 0.5).pvalue
    # 1e-12: our tail is a regularized incomplete beta, SciPy's a binomial sum
    assert res.p_value == pytest.approx(ref, rel=1e-12, abs=1e-15)


def test_t_5x2cv_by_hand():
    d = np.array([[0.02, 0.04], [0.01, 0.03], [0.0, 0.02], [0.05, 0.03], [0.02, 0.02]])
    # s_i^2 = 2 * (half the within-pair gap)^2: gaps 0.02, 0.02, 0.02, 0.02, 0
    s2 = 4 * 2 * 0.01**2
    t = 0.02 / math.sqrt(s2 / 5)
    got_t, got_p = t_5x2cv(d)
    assert got_t == pytest.approx(t, rel=1e-12)
    assert got_p == pytest.approx(2 * stats.t.sf(t, 5), rel=1e-10)
    assert t_5x2cv(np.zeros((5, 2))) == (0.0, 1.0)
    with pytest.raises(ValueError, match="shape"):
        t_5x2cv(np.zeros((4, 2)))


def test_corrected_resampled_ttest_by_hand():
    a = np.array([0.90, 0.92, 0.91, 0.95, 0.89])
    b = np.array([0.88, 0.90, 0.87, 0.91, 0.90])
    d = a - b  # 0.02, 0.02, 0.04, 0.04, -0.01: mean 0.022
    var = np.sum((d - 0.022) ** 2) / 4
    t = 0.022 / math.sqrt((1 / 5 + 25 / 100) * var)
    res = corrected_resampled_ttest(a, b, n_train=100, n_test=25)
    assert res.statistic == pytest.approx(t, rel=1e-12)
    assert res.p_value == pytest.approx(2 * stats.t.sf(t, 4), rel=1e-10)
    # the correction only makes it more conservative than the plain paired t-test
    assert res.p_value > stats.ttest_rel(a, b).pvalue
    with pytest.raises(ValueError, match="same length"):
        corrected_resampled_ttest([1.0], [1.0], n_train=5, n_test=1)


def test_paired_ttest_5x2cv_reproduces_its_differences():
    X, y = load_wine(return_X_y=True)
    res = paired_ttest_5x2cv(GaussianNB(), KNeighborsClassifier(), X, y, random_state=0)
    assert isinstance(res, TestResult) and res.details["df"] == 5
    d = np.array(res.details["differences"])
    assert (res.statistic, res.p_value) == t_5x2cv(d)
    assert np.all(d > 0)  # naive Bayes beats unscaled 5-NN on every split of wine
    again = paired_ttest_5x2cv(GaussianNB(), KNeighborsClassifier(), X, y, random_state=0)
    assert again.to_dict() == res.to_dict()
    same = paired_ttest_5x2cv(GaussianNB(), GaussianNB(), X, y, random_state=0)
    assert same.statistic == 0.0 and same.p_value == 1.0


def test_bootstrap_ci_of_a_mean_by_hand():
    rng = np.random.default_rng(0)
    x = rng.normal(size=400)
    ci = bootstrap_ci(np.mean, x, n_resamples=2000, random_state=0)
    assert isinstance(ci, ConfidenceInterval)
    assert ci.estimate == pytest.approx(x.mean(), rel=1e-14)
    # the bootstrap standard error of a mean is ~ sd / sqrt(n) (10% for B = 2,000)
    assert ci.standard_error == pytest.approx(x.std() / 20, rel=0.1)
    assert ci.low < x.mean() < ci.high
    assert ci.high - ci.low == pytest.approx(2 * 1.96 * x.std() / 20, rel=0.15)
    basic = bootstrap_ci(np.mean, x, n_resamples=2000, method="basic", random_state=0)
    # basic = the percentile interval reflected about the estimate
    assert basic.low == pytest.approx(2 * ci.estimate - ci.high, rel=1e-12)


def test_bootstrap_ci_resamples_rows_jointly():
    y = np.array([0, 1] * 50)
    ci = bootstrap_ci(accuracy_score, y, y, n_resamples=200, random_state=0)
    assert ci.low == ci.high == ci.estimate == 1.0  # pairs stay together
    with pytest.raises(ValueError, match="same non-zero"):
        bootstrap_ci(accuracy_score, y, y[:5])
    with pytest.raises(ValueError, match="confidence_level"):
        bootstrap_ci(accuracy_score, y, y, confidence_level=95)


def test_permutation_test_calibrated_and_powerful():
    # equal models: p-values ~uniform (300 seeded trials, 99 permutations each)
    rng = np.random.default_rng(0)
    ps = []
    for seed in range(300):
        r = np.random.default_rng(seed)
        y = r.integers(0, 2, 60)
        a = np.where(r.random(60) < 0.3, 1 - y, y)
        b = np.where(r.random(60) < 0.3, 1 - y, y)
        ps.append(permutation_test(accuracy_score, y, a, b, n_permutations=99,
                                   random_state=r).p_value)
    # binomial sd of the rate over 300 trials: 0.013; the test is exact but discrete
    assert 0.01 <= np.mean(np.array(ps) < 0.05) <= 0.09
    y = rng.integers(0, 2, 300)
    better = np.where(rng.random(300) < 0.1, 1 - y, y)
    worse = np.where(rng.random(300) < 0.3, 1 - y, y)
    res = permutation_test(accuracy_score, y, better, worse, random_state=0)
    assert res.statistic > 0 and res.p_value < 0.01
    one = permutation_test(accuracy_score, y, better, worse, alternative="less",
                           random_state=0)
    assert one.p_value > 0.9
    with pytest.raises(ValueError, match="alternative"):
        permutation_test(accuracy_score, y, better, worse, alternative="bigger")
