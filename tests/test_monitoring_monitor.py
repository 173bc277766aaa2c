"""DriftMonitor (report, test choice, streaming, bad input, plot) and PerformanceMonitor."""

import json
import math
import warnings

import numpy as np
import pytest

from scratchml.exceptions import NotFittedError
from scratchml.monitoring import DDM, DriftMonitor, DriftReport, PageHinkley, PerformanceMonitor

pd = pytest.importorskip("pandas")


def _table(n, shift=0.0, seed=0, new_category=False):
    r = np.random.default_rng(seed)
    cats = r.choice(["a", "b", "c"], n).astype(object)
    if new_category:
        cats[:10] = "zzz"
    return pd.DataFrame({
        "x0": r.normal(shift, 1, n), "x1": r.normal(0, 1, n), "x2": r.exponential(1, n),
        "color": cats, "flag": r.random(n) < 0.3, "level": r.integers(0, 3, n),
    })


def test_report_finds_the_shifted_column_and_chooses_tests():
    mon = DriftMonitor(random_state=0).fit(_table(600))
    report = mon.check(_table(400, shift=1.0, seed=1))
    assert isinstance(report, DriftReport)
    assert report.drifted_features == ["x0"]
    tests = {row["feature"]: row["test"] for row in report.features}
    # small samples: p-value tests; 'level' has 3 values -> tested as categories
    assert tests == {"x0": "ks", "x1": "ks", "x2": "ks", "color": "chi2",
                     "flag": "proportion_z", "level": "chi2"}
    assert mon.kinds_ == {"x0": "numeric", "x1": "numeric", "x2": "numeric",
                          "color": "categorical", "flag": "categorical", "level": "numeric"}
    assert report.multivariate is not None and report.multivariate.test == "mmd"
    assert report["x0"]["p_value"] < 1e-6


def test_large_samples_switch_to_effect_sizes():
    mon = DriftMonitor(random_state=0, large_sample_threshold=100).fit(_table(3000))
    report = mon.check(_table(3000, shift=0.05, seed=1))  # tiny, harmless shift
    tests = {row["feature"]: row["test"] for row in report.features}
    assert tests["x0"] == "wasserstein" and tests["color"] == "js"
    assert "x0" not in report.drifted_features  # 0.05 sd < the 0.1 sd threshold


def test_to_dict_and_markdown():
    mon = DriftMonitor(random_state=0).fit(_table(300))
    report = mon.check(_table(300, shift=2.0, seed=2))
    d = report.to_dict()
    json.dumps(d)  # plain data
    assert d["drifted_features"] == report.drifted_features
    assert len(d["features"]) == 6 and d["n_reference"] == 300
    md = report.to_markdown()
    assert md.count("\n| x") == 3 and "**yes**" in md and "| feature |" in md
    assert str(report) == md and "DriftReport" in repr(report)


def test_unseen_category_is_drift_not_a_crash():
    mon = DriftMonitor(random_state=0).fit(_table(300))
    row = mon.check(_table(300, seed=1, new_category=True))["color"]
    assert row["drifted"] and "zzz" in row["note"]
    big = DriftMonitor(random_state=0, large_sample_threshold=10).fit(_table(300))
    row = big.check(_table(300, seed=1, new_category=True))["color"]
    assert row["test"] == "js" and row["drifted"] and "zzz" in row["note"]


def test_columns_missing_or_added_are_named():
    mon = DriftMonitor().fit(_table(100))
    bad = _table(50).drop(columns=["x1"]).assign(extra=1.0)
    with pytest.raises(ValueError, match=r"missing \['x1'\], added \['extra'\]"):
        mon.check(bad)
    # reordered columns are fine
    cur = _table(50)
    mon.check(cur[list(reversed(cur.columns))])
    arr = DriftMonitor().fit(np.zeros((10, 3)) + np.arange(10)[:, None])
    with pytest.raises(ValueError, match=r"missing \[2\]"):
        arr.check(np.zeros((5, 2)))


def test_all_nan_columns_and_tiny_references():
    ref = _table(100)
    ref["x1"] = np.nan
    with pytest.raises(ValueError, match="'x1' is all NaN in the reference"):
        DriftMonitor().fit(ref)
    with pytest.raises(ValueError, match="at least 2 rows"):
        DriftMonitor().fit(_table(1))
    mon = DriftMonitor(random_state=0).fit(_table(100))
    cur = _table(100, seed=1)
    cur["x2"] = np.nan
    with pytest.warns(UserWarning, match="'x2' is all NaN in the current batch"):
        row = mon.check(cur)["x2"]
    assert row["drifted"] and row["test"] == "missing"
    with pytest.raises(NotFittedError):
        DriftMonitor().check(cur)
    with pytest.raises(ValueError, match="different lengths"):
        DriftMonitor().fit({"a": np.arange(5.0), "b": np.arange(4.0)})
    with pytest.raises(ValueError, match="2-D"):
        DriftMonitor().fit(np.arange(5.0))


def test_streaming_window():
    rng = np.random.default_rng(0)
    # alpha = 0.001: a 5% false alarm on the unshifted column would make this flaky
    mon = DriftMonitor(window_size=200, alpha=0.001, random_state=0).fit(rng.normal(size=(400, 2)))
    first = mon.update(rng.normal(size=(150, 2)))
    assert first.n_current == 150 and not first.drifted_features
    for _ in range(3):
        report = mon.update(np.c_[rng.normal(size=100), rng.normal(1.5, size=100)])
    # the window now holds only shifted rows: 200, the window size
    assert report.n_current == 200 and report.drifted_features == [1]
    assert mon.last_report_ is report
    with pytest.raises(ValueError, match="window_size"):
        DriftMonitor().fit(rng.normal(size=(10, 2))).update(rng.normal(size=(5, 2)))


@pytest.mark.parametrize("kw", [dict(alpha=0), dict(numeric_test="t"), dict(multivariate="x"),
                                dict(window_size=1), dict(categorical_test="ks"),
                                dict(max_samples=1), dict(categorical_features=["nope"])])
def test_bad_parameters_raise_at_fit(kw):
    with pytest.raises(ValueError):
        DriftMonitor(**kw).fit(_table(20))


@pytest.mark.parametrize("test", ["cvm", "psi", "js", "hellinger"])
def test_forced_numeric_tests_and_other_multivariate(test):
    mon = DriftMonitor(numeric_test=test, multivariate="pca", random_state=0).fit(_table(300))
    report = mon.check(_table(300, shift=2.0, seed=1))
    assert report["x0"]["test"] == test and report["x0"]["drifted"]
    assert report.multivariate.test == "pca_reconstruction"


def test_declared_categorical_features_and_classifier_verdict():
    mon = DriftMonitor(categorical_features=["color", "flag", "level"],
                       multivariate="classifier", random_state=0).fit(_table(200))
    assert mon.kinds_["level"] == "categorical"
    report = mon.check(_table(200, shift=2.0, seed=1))
    assert report.multivariate.test == "classifier" and report.dataset_drift


def test_plot_draws_one_panel_per_feature(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mon = DriftMonitor(random_state=0).fit(_table(200))
    with pytest.raises(ValueError, match="nothing checked"):
        mon.plot()
    mon.check(_table(200, shift=2.0, seed=1))
    axes = mon.plot()
    assert len(axes) == 6
    titles = [ax.get_title() for ax in axes]
    assert titles[0].startswith("DRIFT") and not titles[1].startswith("DRIFT")
    plt.close("all")


# -- performance monitoring -------------------------------------------------------------

def _stream(n_before=1000, n_after=1000, before=0.05, after=0.4, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n_before + n_after)
    flip = rng.random(y.size) < np.r_[np.full(n_before, before), np.full(n_after, after)]
    pred = np.where(flip, 1 - y, y)
    return y, pred


@pytest.mark.parametrize("detector", ["page_hinkley", "ddm"])
def test_performance_monitor_alerts_after_the_change(detector):
    seen = []
    mon = PerformanceMonitor(detector, on_alert=seen.append, window_size=100)
    y, pred = _stream()
    for start in range(0, y.size, 250):  # batches of labelled predictions
        mon.update(y[start:start + 250], pred[start:start + 250])
    assert seen and seen == mon.alerts_
    assert 1000 < seen[0]["index"] < 1300  # detected, and within 300 predictions
    assert len(mon.history_) == 20
    assert mon.history_[0]["loss"] < 0.15 and mon.history_[-1]["loss"] > 0.25


def test_page_hinkley_quiet_on_a_stable_stream():
    # 5,000 predictions at a constant 10% error rate: the default threshold (50 excess
    # errors) is never reached. (DDM is not tested this way: its 3-sigma rule against the
    # lowest p + s seen is known to raise false alarms on long stable streams.)
    rng = np.random.default_rng(1)
    det = PageHinkley()
    assert not any(det.update(e) for e in (rng.random(5000) < 0.1))


def test_ddm_by_hand():
    # one error in every 10 predictions: p + s settles, its minimum is tracked; then
    # only errors: p + s climbs past p_min + 2 s_min (warning) before p_min + 3 s_min.
    ddm = DDM()
    for i in range(200):
        assert not ddm.update(i % 10 == 0)
    states = []
    for _ in range(100):
        drift = ddm.update(True)
        states.append("drift" if drift else "warning" if ddm.in_warning else "ok")
        if drift:
            break
    assert states[-1] == "drift" and "warning" in states
    assert states.index("warning") < len(states) - 1
    # the rule itself, at the detection
    p, n = 0.0, 0
    for e in [i % 10 == 0 for i in range(200)] + [True] * len(states):
        n += 1
        p += (e - p) / n
    s = math.sqrt(p * (1 - p) / n)
    assert p + s >= ddm._p_min + 3 * ddm._s_min


def test_page_hinkley_by_hand():
    # constant stream: m_t = -delta * t decreases, so m_t - min m = 0: never an alarm;
    # a jump of 1 after 30 zeros adds ~1 - delta per step: alarm once that exceeds 5
    ph = PageHinkley(delta=0.0, threshold=5.0, min_instances=1)
    assert not any(ph.update(0.0) for _ in range(30))
    alarms = [ph.update(1.0) for _ in range(20)]
    assert alarms.index(True) == 5  # cumulative (1 - mean) sums pass 5 at the 6th one


def test_performance_monitor_regression_loss_and_errors():
    mon = PerformanceMonitor(loss="absolute", window_size=2)
    mon.update([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.0, 4.0])
    assert [h["loss"] for h in mon.history_] == [0.25, 0.5]
    with pytest.raises(ValueError, match="zero_one"):
        PerformanceMonitor("ddm", loss="squared")
    with pytest.raises(ValueError, match="same|one prediction"):
        mon.update([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="detector"):
        PerformanceMonitor("cusum")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isfinite(mon.history_[0]["loss"])
