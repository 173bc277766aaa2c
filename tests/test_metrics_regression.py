"""Regression metrics: agreement with scikit-learn, properties and input errors.

Compared to 1e-10 relative: the same float64 means, possibly summed in
another order (a few ulps on sums of at most 40 terms).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml import metrics as M

skm = pytest.importorskip("sklearn.metrics")

TOL = dict(rtol=1e-10, atol=1e-12)  # same means, possibly summed in another order
NAMES = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
         "median_absolute_error", "mean_absolute_percentage_error", "r2_score",
         "explained_variance_score"]


@st.composite
def targets(draw):
    n = draw(st.integers(1, 40))
    n_out = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    y = rng.normal(size=(n, n_out)) * draw(st.sampled_from([1e-3, 1.0, 1e3]))
    pred = y + rng.normal(size=(n, n_out)) * draw(st.sampled_from([0.0, 0.1, 1.0]))
    if draw(st.booleans()):  # constant and exactly-predicted columns: R² edge cases
        y[:, 0] = 2.0
        if draw(st.booleans()):
            pred[:, 0] = 2.0
    if draw(st.booleans()):  # rounding makes ties and zero targets (MAPE's eps)
        y, pred = np.round(y), np.round(pred)
    w = None
    if draw(st.booleans()):
        w = rng.integers(0, 4, n).astype(float)
        if not w.any():
            w[0] = 1.0
    if n_out == 1 and draw(st.booleans()):
        y, pred = y[:, 0], pred[:, 0]
    return y, pred, w


def outcome(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kwargs)
        except ValueError:
            return ValueError


def assert_same(ours, ref):
    if ref is ValueError or ours is ValueError:
        assert ours is ref
        return
    assert np.shape(ours) == np.shape(ref)
    np.testing.assert_allclose(np.asarray(ours, float), np.asarray(ref, float), **TOL)


@given(targets(), st.sampled_from(["raw_values", "uniform_average", "weights"]))
def test_all_metrics_match_sklearn(data, multioutput):
    y, pred, w = data
    if multioutput == "weights":
        # Output weights need several outputs (scikit-learn's RMSE alone skips that check).
        n_out = np.shape(y)[1] if np.ndim(y) == 2 else 1
        multioutput = np.arange(1, n_out + 1) if n_out > 1 else "raw_values"
    for name in NAMES:
        kw = dict(sample_weight=w, multioutput=multioutput)
        assert_same(outcome(getattr(M, name), y, pred, **kw),
                    outcome(getattr(skm, name), y, pred, **kw))


@given(targets(), st.booleans())
def test_r2_and_explained_variance_options_match_sklearn(data, force_finite):
    y, pred, w = data
    for name in ("r2_score", "explained_variance_score"):
        for multioutput in ("variance_weighted", "raw_values"):
            kw = dict(sample_weight=w, multioutput=multioutput, force_finite=force_finite)
            assert_same(outcome(getattr(M, name), y, pred, **kw),
                        outcome(getattr(skm, name), y, pred, **kw))


@given(targets())
def test_definitions(data):
    y, pred, w = data
    y2, p2 = np.atleast_2d(y.T).T, np.atleast_2d(pred.T).T
    wt = np.ones(y2.shape[0]) if w is None else w
    mse = M.mean_squared_error(y, pred, sample_weight=w, multioutput="raw_values")
    np.testing.assert_allclose(mse, (wt[:, None] * (y2 - p2) ** 2).sum(0) / wt.sum(), **TOL)
    np.testing.assert_allclose(
        M.root_mean_squared_error(y, pred, sample_weight=w, multioutput="raw_values"),
        np.sqrt(mse), **TOL)
    # R² of the predictions equal to the weighted mean is 0 where y varies.
    mean = np.average(y2, axis=0, weights=wt)
    varying = np.ptp(y2[wt > 0], axis=0) > 0
    if y2.shape[0] >= 2 and varying.all():
        r2 = M.r2_score(y2, np.broadcast_to(mean, y2.shape), sample_weight=w,
                        multioutput="raw_values")
        np.testing.assert_allclose(r2, 0, atol=1e-9)  # 1 − S/S, up to rounding of S
    if y2.shape[0] >= 2:  # perfect predictions score exactly 1, constant columns included
        assert M.r2_score(y2, y2, multioutput="raw_values").tolist() == [1.0] * y2.shape[1]


def test_weighted_median_averages_at_an_exact_half():
    assert M.median_absolute_error([0, 0, 0, 0], [1, 2, 3, 4]) == 2.5
    assert M.median_absolute_error([0, 0, 0, 0], [1, 2, 3, 4],
                                   sample_weight=[1, 1, 1, 1]) == 2.5
    assert M.median_absolute_error([0, 0, 0], [1, 2, 3], sample_weight=[0, 0, 1]) == 3.0


def test_constant_target_force_finite():
    assert M.r2_score([1, 1, 1], [1, 1, 1]) == 1.0
    assert M.r2_score([1, 1, 1], [1, 2, 1]) == 0.0
    assert np.isneginf(M.r2_score([1, 1, 1], [1, 2, 1], force_finite=False))
    with pytest.warns(M.UndefinedMetricWarning):
        assert np.isnan(M.r2_score([1.0], [2.0]))


def test_errors():
    with pytest.raises(ValueError,
                       match="y_true and y_pred have different numbers of samples: 3 and 4"):
        M.mean_squared_error([1, 2, 3], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="different number of output"):
        M.r2_score(np.ones((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="NaN"):
        M.mean_absolute_error([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="multioutput"):
        M.mean_squared_error([1, 2], [1, 2], multioutput="variance_weighted")
    with pytest.raises(ValueError, match="custom weights"):
        M.r2_score(np.ones((3, 2)), np.ones((3, 2)), multioutput=[1, 2, 3])
    with pytest.raises(ValueError, match="sample_weight has 2 values"):
        M.mean_squared_error([1, 2, 3], [1, 2, 3], sample_weight=[1, 2])
