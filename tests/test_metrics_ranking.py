"""Ranking metrics: curves and areas against scikit-learn, and their defining properties.

Scores are drawn from a coarse grid so that ties (the delicate case for
curves) are common. Values are compared to 1e-10: the same cumulative sums,
in possibly different summation orders.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml import metrics as M

skm = pytest.importorskip("sklearn.metrics")

TOL = dict(rtol=1e-10, atol=1e-10)  # same cumulative sums, maybe summed in another order


@st.composite
def binary_scores(draw, labels=(0, 1)):
    n = draw(st.integers(1, 40))
    y = np.array(draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n)))
    grid = draw(st.sampled_from([4, 10, 1000]))  # 4: many ties; 1000: almost none
    s = np.array(draw(st.lists(st.integers(0, grid), min_size=n, max_size=n))) / grid
    w = None
    if draw(st.booleans()):
        w = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0]),
                                   min_size=n, max_size=n)))
        if not w.any():
            w[-1] = 1.0
    return y, s, w


def outcome(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kwargs)
        except (ValueError, NotImplementedError) as exc:
            return type(exc)


def assert_same(ours, ref):
    if isinstance(ref, type) or isinstance(ours, type):
        assert ours is ref
        return
    if isinstance(ref, tuple):
        for a, b in zip(ours, ref, strict=True):
            assert_same(a, b)
        return
    assert np.shape(ours) == np.shape(ref)
    np.testing.assert_allclose(np.asarray(ours, float), np.asarray(ref, float), **TOL)


@given(binary_scores(), st.booleans())
def test_curves_match_sklearn(data, drop):
    y, s, w = data
    for name in ("roc_curve", "precision_recall_curve"):
        ours = outcome(getattr(M, name), y, s, sample_weight=w, drop_intermediate=drop)
        ref = outcome(getattr(skm, name), y, s, sample_weight=w, drop_intermediate=drop)
        assert_same(ours, ref)


@given(binary_scores(), st.sampled_from([None, 0.3, 1.0]))
def test_auc_and_average_precision_match_sklearn(data, max_fpr):
    y, s, w = data
    assert_same(outcome(M.roc_auc_score, y, s, sample_weight=w, max_fpr=max_fpr),
                outcome(skm.roc_auc_score, y, s, sample_weight=w, max_fpr=max_fpr))
    assert_same(outcome(M.average_precision_score, y, s, sample_weight=w),
                outcome(skm.average_precision_score, y, s, sample_weight=w))


@given(binary_scores(labels=("neg", "pos")))
def test_string_labels_with_pos_label(data):
    y, s, w = data
    for name in ("roc_curve", "precision_recall_curve"):
        for pos in ("pos", "neg"):
            assert_same(outcome(getattr(M, name), y, s, pos_label=pos, sample_weight=w),
                        outcome(getattr(skm, name), y, s, pos_label=pos, sample_weight=w))
    assert_same(outcome(M.average_precision_score, y, s, pos_label="pos"),
                outcome(skm.average_precision_score, y, s, pos_label="pos"))
    assert_same(outcome(M.roc_auc_score, y, s), outcome(skm.roc_auc_score, y, s))


@st.composite
def multiclass_scores(draw):
    k = draw(st.integers(3, 5))
    n = draw(st.integers(k, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    y = np.r_[np.arange(k), rng.integers(0, k, n - k)]  # every class present
    P = rng.dirichlet(np.ones(k), n)
    if draw(st.booleans()):
        P = np.round(P, 1)  # ties within columns
        P /= P.sum(axis=1, keepdims=True)
    return y, P


@given(multiclass_scores())
def test_multiclass_auc_and_ap_match_sklearn(data):
    y, P = data
    for multi_class in ("ovr", "ovo"):
        for average in ("macro", "weighted", "micro", None):
            kw = dict(multi_class=multi_class, average=average)
            assert_same(outcome(M.roc_auc_score, y, P, **kw),
                        outcome(skm.roc_auc_score, y, P, **kw))
    for average in ("macro", "weighted", "micro", None):
        assert_same(outcome(M.average_precision_score, y, P, average=average),
                    outcome(skm.average_precision_score, y, P, average=average))


def test_multiclass_labels_argument_with_absent_class():
    y = np.array([0, 1, 1, 0, 2, 2])
    P = np.full((6, 4), 0.25)
    P[np.arange(6), y] = 0.4
    P /= P.sum(axis=1, keepdims=True)
    for kw in (dict(multi_class="ovr", average="weighted"), dict(multi_class="ovo"),
               dict(multi_class="ovr", average="macro")):
        assert_same(outcome(M.roc_auc_score, y, P, labels=[0, 1, 2, 3], **kw),
                    outcome(skm.roc_auc_score, y, P, labels=[0, 1, 2, 3], **kw))


@given(binary_scores())
def test_auc_is_the_mann_whitney_probability(data):
    y, s, _ = data
    pos, neg = s[y == 1], s[y == 0]
    if not (pos.size and neg.size):
        return
    diff = pos[:, None] - neg[None, :]
    brute = ((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size
    assert M.roc_auc_score(y, s) == pytest.approx(brute, abs=1e-12)
    fpr, tpr, _ = M.roc_curve(y, s, drop_intermediate=False)
    assert M.auc(fpr, tpr) == pytest.approx(brute, abs=1e-12)


@given(binary_scores())
def test_curve_invariants(data):
    y, s, w = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fpr, tpr, thr = M.roc_curve(y, s, sample_weight=w)
        precision, recall, pr_thr = M.precision_recall_curve(y, s, sample_weight=w)
    assert thr[0] == np.inf and np.all(np.diff(thr) < 0)
    for rate in (fpr, tpr):
        if not np.isnan(rate).any():
            assert rate[0] == 0 and rate[-1] == 1 and np.all(np.diff(rate) >= 0)
    assert np.all(np.diff(pr_thr) > 0)
    assert precision[-1] == 1 and recall[-1] == 0 and np.all(np.diff(recall) <= 0)


def test_errors_and_single_class():
    with pytest.warns(M.UndefinedMetricWarning, match="Only one class"):
        assert np.isnan(M.roc_auc_score([1, 1, 1], [0.1, 0.5, 0.9]))
    with pytest.raises(ValueError, match="multi_class"):
        M.roc_auc_score([0, 1, 2], np.eye(3))
    with pytest.raises(ValueError, match="pos_label"):
        M.roc_curve(["a", "b"], [0.1, 0.2])
    with pytest.raises(ValueError, match="y_score\\[:, 1\\]"):
        M.roc_auc_score([0, 1, 0], np.full((3, 2), 0.5))
    with pytest.raises(ValueError, match="different numbers of samples: 2 and 3"):
        M.roc_curve([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="NaN"):
        M.roc_auc_score([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="max_fpr"):
        M.roc_auc_score([0, 1], [0.1, 0.2], max_fpr=1.5)


def test_drop_intermediate_keeps_the_area():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    s = np.round(rng.random(500), 2)
    full = M.auc(*M.roc_curve(y, s, drop_intermediate=False)[:2])
    dropped = M.roc_curve(y, s, drop_intermediate=True)
    assert dropped[0].shape[0] < 102
    assert M.auc(*dropped[:2]) == pytest.approx(full, abs=1e-12)
