"""Classification metrics: agreement with scikit-learn, properties, and input errors.

Values are compared to 1e-10 (float64 ratios of the same integer or float
counts; only the summation order can differ, far below that).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml import metrics as M

skm = pytest.importorskip("sklearn.metrics")
SkUndefined = pytest.importorskip("sklearn.exceptions").UndefinedMetricWarning

TOL = dict(rtol=1e-10, atol=1e-10)  # same counts, possibly summed in another order

# Both libraries warn on a 1x1 confusion matrix; that is expected for one-class draws.
pytestmark = pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")


# ------------------------------------------------------------------ strategies


@st.composite
def label_pairs(draw, min_classes=1, max_classes=5, weights=True):
    """y_true, y_pred (ints, strings or integral floats) and optional sample weights."""
    n = draw(st.integers(1, 30))
    k = draw(st.integers(min_classes, max_classes))
    kind = draw(st.sampled_from(["int", "str", "float"]))
    # y_pred may use a class absent from y_true, and miss some of y_true's.
    t = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    p = np.array(draw(st.lists(st.integers(0, k), min_size=n, max_size=n)))
    if kind == "str":
        t, p = (np.array([f"c{v}" for v in a]) for a in (t, p))
    elif kind == "float":
        t, p = t.astype(float) - 1, p.astype(float) - 1
    w = None
    if weights and draw(st.booleans()):
        w = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]),
                                   min_size=n, max_size=n)))
        if not w.any():
            w[0] = 1.0
    return t, p, w


def call(fn, *args, **kwargs):
    """Result (or the exception type) and whether an UndefinedMetricWarning was raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = fn(*args, **kwargs)
        except ValueError:
            out = ValueError
    undefined = any(issubclass(c.category, (SkUndefined, M.UndefinedMetricWarning))
                    for c in caught)
    return out, undefined


def assert_same(ours, ref):
    if ref is ValueError or ours is ValueError:
        assert ours is ref
        return
    if isinstance(ref, tuple):
        assert len(ours) == len(ref)
        for a, b in zip(ours, ref):
            assert_same(a, b)
        return
    if ref is None:
        assert ours is None
        return
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(ref, dtype=float),
                               **TOL)
    assert np.shape(ours) == np.shape(ref)


def pos_label_for(t):
    return "c1" if t.dtype.kind == "U" else (0.0 if t.dtype.kind == "f" else 1)


# ------------------------------------------------------------------ against scikit-learn


@given(label_pairs())
def test_simple_scores_match_sklearn(data):
    t, p, w = data
    for name in ("accuracy_score", "balanced_accuracy_score", "matthews_corrcoef",
                 "cohen_kappa_score"):
        ours, _ = call(getattr(M, name), t, p, sample_weight=w)
        ref, _ = call(getattr(skm, name), t, p, sample_weight=w)
        assert_same(ours, ref)
    for weights in ("linear", "quadratic"):
        assert_same(call(M.cohen_kappa_score, t, p, weights=weights)[0],
                    call(skm.cohen_kappa_score, t, p, weights=weights)[0])
    assert_same(M.accuracy_score(t, p, normalize=False, sample_weight=w),
                skm.accuracy_score(t, p, normalize=False, sample_weight=w))


@given(label_pairs(), st.sampled_from([None, "true", "pred", "all"]))
def test_confusion_matrix_matches_sklearn(data, normalize):
    t, p, w = data
    ours = M.confusion_matrix(t, p, sample_weight=w, normalize=normalize)
    ref = skm.confusion_matrix(t, p, sample_weight=w, normalize=normalize)
    assert ours.dtype == ref.dtype
    assert_same(ours, ref)
    labels = list(np.unique(t))[::-1] + list(np.unique(p))[:1]
    assert_same(call(M.confusion_matrix, t, p, labels=labels)[0],
                call(skm.confusion_matrix, t, p, labels=labels)[0])


@given(label_pairs(), st.sampled_from([None, "micro", "macro", "weighted", "binary"]),
       st.sampled_from(["warn", 0, 1, np.nan]), st.sampled_from([0.5, 1.0, 2.0]))
def test_prf_matches_sklearn_with_warnings(data, average, zero_division, beta):
    t, p, w = data
    kw = dict(average=average, zero_division=zero_division, sample_weight=w, beta=beta)
    if average == "binary":
        kw["pos_label"] = pos_label_for(t)
    ours, ours_warned = call(M.precision_recall_fscore_support, t, p, **kw)
    ref, ref_warned = call(skm.precision_recall_fscore_support, t, p, **kw)
    assert_same(ours, ref)
    assert ours_warned == ref_warned  # UndefinedMetricWarning exactly when sklearn warns


@given(label_pairs(weights=False))
def test_single_metrics_and_labels_match_sklearn(data):
    t, p, _ = data
    present = np.unique(np.concatenate([t, p]))
    labels = list(present[::-1][:2])
    for name in ("precision_score", "recall_score", "f1_score"):
        for kw in (dict(average="macro", labels=labels), dict(average=None, labels=labels),
                   dict(average="micro", labels=labels[:1]),
                   dict(average="binary", pos_label=pos_label_for(t))):
            assert_same(call(getattr(M, name), t, p, **kw)[0],
                        call(getattr(skm, name), t, p, **kw)[0])
    assert_same(call(M.fbeta_score, t, p, beta=0.5, average="weighted")[0],
                call(skm.fbeta_score, t, p, beta=0.5, average="weighted")[0])


@given(label_pairs(), st.sampled_from([2, 4]), st.sampled_from(["warn", 0, 1]))
def test_classification_report_text_and_dict_equal_sklearn(data, digits, zero_division):
    t, p, w = data
    kw = dict(sample_weight=w, digits=digits, zero_division=zero_division)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert M.classification_report(t, p, **kw) == skm.classification_report(t, p, **kw)
        assert (M.classification_report(t, p, output_dict=True, **kw)
                == skm.classification_report(t, p, output_dict=True, **kw))
        labels = list(np.unique(t))[:2]
        names = [f"name {i}" for i in range(len(labels))]
        kw2 = dict(labels=labels, target_names=names, digits=digits)
        assert M.classification_report(t, p, **kw2) == skm.classification_report(t, p, **kw2)


@pytest.mark.parametrize("t, p", [([0, 1, 2, 2], [1, 2, 0, 0]),  # nothing right
                                  (["a", "b"], ["b", "a"]), ([0, 1, 2, 2], [0, 2, 1, 2])])
def test_classification_report_support_type_follows_sklearn(t, p):
    # scikit-learn prints supports as floats when no prediction is right: keep that.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert M.classification_report(t, p) == skm.classification_report(t, p)


@st.composite
def proba_pairs(draw):
    n = draw(st.integers(2, 25))
    k = draw(st.integers(2, 5))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    t = rng.integers(0, k, n)
    P = rng.dirichlet(np.ones(k), n)
    if draw(st.booleans()):  # extreme probabilities exercise the eps clipping
        P = np.round(P)
        P[P.sum(axis=1) == 0, 0] = 1
        P /= P.sum(axis=1, keepdims=True)
    w = rng.integers(0, 3, n).astype(float) if draw(st.booleans()) else None
    if w is not None and not w.any():
        w[0] = 1
    return t, P, w, k


@given(proba_pairs())
def test_log_loss_and_brier_match_sklearn(data):
    t, P, w, k = data
    labels = list(range(k))
    for kw in (dict(labels=labels), dict(labels=labels, normalize=False), {}):
        kw_w = dict(kw, sample_weight=w)
        assert_same(call(M.log_loss, t, P, **kw_w)[0], call(skm.log_loss, t, P, **kw_w)[0])
    assert_same(call(M.brier_score_loss, t, P, labels=labels, sample_weight=w)[0],
                call(skm.brier_score_loss, t, P, labels=labels, sample_weight=w)[0])
    yb, pb = (t == 0).astype(int), P[:, 0]
    for kw in (dict(), dict(pos_label=0), dict(scale_by_half=False)):
        assert_same(call(M.brier_score_loss, yb, pb, sample_weight=w, **kw)[0],
                    call(skm.brier_score_loss, yb, pb, sample_weight=w, **kw)[0])
        assert_same(call(M.log_loss, yb, pb)[0], call(skm.log_loss, yb, pb)[0])


# ------------------------------------------------------------------ properties


@given(label_pairs(min_classes=2))
def test_counting_identities(data):
    t, p, w = data
    cm = M.confusion_matrix(t, p, sample_weight=w)
    total = cm.sum()
    assert M.accuracy_score(t, p, sample_weight=w) == pytest.approx(np.trace(cm) / total)
    prec, rec, f1, support = M.precision_recall_fscore_support(
        t, p, sample_weight=w, zero_division=0)
    np.testing.assert_allclose(support, cm.sum(axis=1), **TOL)
    both = (prec + rec) > 0
    np.testing.assert_allclose(f1[both], 2 * prec[both] * rec[both] / (prec + rec)[both],
                               **TOL)
    # Micro-averaged F1 over all present labels is accuracy for single-label targets.
    assert M.f1_score(t, p, average="micro", sample_weight=w) == pytest.approx(
        np.trace(cm) / total)


def test_perfect_and_inverted_predictions():
    y = np.array([0, 1, 2, 2, 1, 0])
    assert M.matthews_corrcoef(y, y) == 1.0
    assert M.cohen_kappa_score(y, y) == 1.0
    assert M.balanced_accuracy_score(y, y, adjusted=True) == 1.0
    assert M.matthews_corrcoef([0, 1, 0, 1], [1, 0, 1, 0]) == -1.0


def test_single_class_and_single_label_cases():
    with pytest.warns(UserWarning, match="single label"):
        assert M.confusion_matrix([1, 1], [1, 1]).tolist() == [[2]]
    assert M.matthews_corrcoef([1, 1, 1], [1, 1, 1]) == 0.0
    with pytest.warns(M.UndefinedMetricWarning):
        assert M.precision_score([0, 0], [0, 0]) == 0.0
    assert M.recall_score([0, 0], [0, 0], zero_division=1) == 1.0
    assert np.isnan(M.f1_score([0, 0], [0, 0], zero_division=np.nan))


def test_string_pos_label():
    t = ["spam", "ham", "spam", "spam"]
    p = ["spam", "spam", "ham", "spam"]
    assert M.precision_score(t, p, pos_label="spam") == pytest.approx(2 / 3)
    assert M.recall_score(t, p, pos_label="ham") == 0.0
    with pytest.raises(ValueError, match="pos_label=1 is not a valid label"):
        M.f1_score(t, p)


# ------------------------------------------------------------------ errors


def test_length_mismatch_message():
    with pytest.raises(ValueError,
                       match="y_true and y_pred have different numbers of samples: 3 and 4"):
        M.accuracy_score([0, 1, 1], [0, 1, 1, 0])


def test_mixed_label_types_rejected():
    with pytest.raises(ValueError, match="Mix of label input types"):
        M.confusion_matrix(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="mixes strings and numbers"):
        M.accuracy_score(np.array(["a", 1], dtype=object), ["a", "b"])


def test_binary_average_on_multiclass_suggests_macro():
    with pytest.raises(ValueError, match="average='macro'"):
        M.f1_score([0, 1, 2], [0, 2, 1])


@pytest.mark.parametrize("bad", [[0.0, np.nan, 1.0], [0, None, 1]])
def test_missing_labels_rejected(bad):
    with pytest.raises(ValueError, match="NaN|missing"):
        M.accuracy_score(bad, [0, 1, 1])


def test_continuous_targets_and_bad_options_rejected():
    with pytest.raises(ValueError, match="continuous"):
        M.accuracy_score([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match="zero_division"):
        M.precision_score([0, 1], [0, 1], zero_division="nope")
    with pytest.raises(ValueError, match="average"):
        M.recall_score([0, 1], [0, 1], average="samples")
    with pytest.raises(ValueError, match="normalize"):
        M.confusion_matrix([0, 1], [0, 1], normalize="rows")
    with pytest.raises(ValueError, match="labels"):
        M.confusion_matrix([0, 1], [0, 1], labels=[])
    with pytest.raises(ValueError, match="different number of classes"):
        M.log_loss([0, 1, 2], [[0.5, 0.5]] * 3)
    with pytest.raises(ValueError, match="greater than 1"):
        M.log_loss([0, 1], [1.5, 0.2])


def test_large_label_range_falls_back_to_sorting():
    t = np.array([0, 10**12, 5, 10**12])
    p = np.array([0, 5, 5, 10**12])
    assert_same(M.confusion_matrix(t, p), skm.confusion_matrix(t, p))
    assert_same(M.f1_score(t, p, average="macro"), skm.f1_score(t, p, average="macro"))
