"""scratchml.monitoring multivariate tests: MMD, classifier two-sample test, PCA drift."""

import numpy as np
import pytest

from scratchml.monitoring import classifier_test, mmd_test, pca_drift
from scratchml.monitoring._multivariate import _median_off_diagonal, _sq_distances


def _rate(draw, trials):
    p = np.array([draw(np.random.default_rng(seed)) for seed in range(trials)])
    assert np.all((p > 0) & (p <= 1))
    return float(np.mean(p < 0.05))


def test_mmd_false_alarm_rate():
    # 1,000 seeded trials of 20 vs 20 rows with 99 permutations each (few, to stay fast:
    # with 99 the permutation p-value's grid has 0.05 on it, so the level is exact).
    rate = _rate(lambda r: mmd_test(r.normal(size=(20, 3)), r.normal(size=(20, 3)),
                                    n_permutations=99, random_state=r).p_value, 1000)
    assert 0.03 <= rate <= 0.07


def _mmd_power(trials):
    # 500 vs 500 rows, 39 permutations (the smallest count whose p-value can fall below
    # 0.05): each trial costs a 1000 x 1000 kernel matrix.
    return _rate(lambda r: mmd_test(r.normal(size=(500, 1)), r.normal(0.5, size=(500, 1)),
                                    n_permutations=39, random_state=r).p_value, trials)


def test_mmd_detects_half_sd_shift():
    # 20 trials keep this fast; the power is ~1, and >= 95% of 20 means all 20 detect.
    assert _mmd_power(20) >= 0.95


@pytest.mark.slow
def test_mmd_detects_half_sd_shift_100_trials():
    assert _mmd_power(100) >= 0.95


def test_mmd_statistic_by_hand():
    # MMD² (biased) = mean K_xx + mean K_yy − 2 mean K_xy, with the median-heuristic width
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(7, 2)), rng.normal(1.0, size=(6, 2))
    Z = np.vstack([X, Y])
    d2 = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1)
    sigma2 = np.median(d2[np.triu_indices(13, 1)])
    K = np.exp(-d2 / (2 * sigma2))
    expected = K[:7, :7].mean() + K[7:, 7:].mean() - 2 * K[:7, 7:].mean()
    res = mmd_test(X, Y, random_state=0)
    # 1e-12: the GEMM distance identity rounds differently from the direct difference
    assert res.statistic == pytest.approx(expected, rel=1e-12, abs=1e-14)
    assert res.details["bandwidth"] == pytest.approx(np.sqrt(sigma2), rel=1e-12)


def test_mmd_is_seeded_and_subsamples():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(300, 2)), rng.normal(size=(250, 2))
    a = mmd_test(X, Y, max_samples=100, random_state=3)
    b = mmd_test(X, Y, max_samples=100, random_state=3)
    assert a.to_dict() == b.to_dict()
    assert a.details["n_reference"] == 100 and a.details["n_current"] == 100


def test_median_off_diagonal_matches_triangle():
    rng = np.random.default_rng(0)
    for n in (2, 3, 8, 9):
        d2 = _sq_distances(rng.normal(size=(n, 3)))
        assert _median_off_diagonal(d2) == pytest.approx(
            np.median(d2[np.triu_indices(n, 1)]), rel=1e-15)


def test_classifier_test_calibration_and_power():
    # 1,000 null trials of 30 vs 30 rows (GaussianNB fits in microseconds) and a clear
    # shift. The one-sided permutation p-value is exact, so the rate is ~0.05.
    rate = _rate(lambda r: classifier_test(r.normal(size=(30, 3)), r.normal(size=(30, 3)),
                                           n_permutations=99, random_state=r).p_value, 1000)
    assert 0.03 <= rate <= 0.07
    rng = np.random.default_rng(0)
    res = classifier_test(rng.normal(size=(300, 2)), rng.normal(0.8, size=(300, 2)),
                          random_state=0)
    assert res.drifted and res.statistic > 0.65 and res.effect_size == pytest.approx(
        2 * res.statistic - 1)


def test_pca_drift_false_alarm_rate():
    # Given the fitted PCA, held-out reference errors and current errors are iid under
    # the null, so the (exact) KS p-value is calibrated: 1,000 seeded trials, small data.
    rate = _rate(lambda r: pca_drift(r.normal(size=(60, 4)), r.normal(size=(30, 4)),
                                     n_components=2, random_state=r).p_value, 1000)
    assert 0.03 <= rate <= 0.07


def test_pca_drift_sees_broken_correlation_that_marginals_miss():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(600, 1))
    X = np.hstack([z, z + 0.1 * rng.normal(size=(600, 1))])
    # same marginals (N(0,1) and ~N(0,1.01)), correlation gone
    Y = np.hstack([rng.normal(size=(300, 1)), rng.normal(0, 1.005, size=(300, 1))])
    assert pca_drift(X, Y, n_components=1, random_state=0).drifted
    same = pca_drift(X[:300], X[300:], n_components=1, random_state=0)
    assert not same.drifted and abs(same.effect_size) < 0.3


def test_multivariate_bad_input():
    X = np.zeros((10, 3))
    with pytest.raises(ValueError, match="features"):
        mmd_test(X, np.zeros((10, 2)))
    with pytest.raises(ValueError, match="n_permutations"):
        mmd_test(X, X, n_permutations=0)
    with pytest.raises(ValueError, match="at least 4"):
        classifier_test(X[:3], X)
    with pytest.raises(ValueError, match="NaN"):
        mmd_test(np.full((4, 2), np.nan), X[:, :2])
