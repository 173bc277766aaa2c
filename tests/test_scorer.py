"""Scorers: names, signs, response methods and pickling, against scikit-learn's."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest

from scratchml import metrics as M

skm = pytest.importorskip("sklearn.metrics")
sk_linear = pytest.importorskip("sklearn.linear_model")

# The same metric on the same predictions: only summation order may differ.
TOL = dict(rtol=1e-10, atol=1e-12)


@pytest.fixture(scope="module")
def binary_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = np.where(X[:, 0] + 0.5 * rng.normal(size=80) > 0, "yes", "no")
    return X, y, sk_linear.LogisticRegression().fit(X, y)


@pytest.fixture(scope="module")
def multiclass_problem():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(90, 3))
    y = np.digitize(X[:, 0] + 0.3 * rng.normal(size=90), [-0.5, 0.5])
    return X, y, sk_linear.LogisticRegression().fit(X, y)


@pytest.fixture(scope="module")
def regression_problem():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 2))
    y = X @ [1.0, -2.0] + 3 + rng.normal(size=50)
    return X, y, sk_linear.LinearRegression().fit(X, y)


CLASSIFICATION = ["accuracy", "balanced_accuracy", "f1", "f1_macro", "f1_micro", "f1_weighted",
                  "precision", "precision_macro", "precision_micro", "precision_weighted",
                  "recall", "recall_macro", "recall_micro", "recall_weighted", "roc_auc",
                  "average_precision", "neg_log_loss", "neg_brier_score",
                  "matthews_corrcoef", "adjusted_rand_score", "normalized_mutual_info_score"]
MULTICLASS = ["accuracy", "balanced_accuracy", "f1_macro", "f1_micro", "f1_weighted",
              "precision_macro", "recall_weighted", "roc_auc_ovr", "roc_auc_ovo",
              "roc_auc_ovr_weighted", "roc_auc_ovo_weighted", "neg_log_loss",
              "matthews_corrcoef"]
REGRESSION = ["r2", "explained_variance", "neg_mean_squared_error",
              "neg_root_mean_squared_error", "neg_mean_absolute_error",
              "neg_median_absolute_error", "neg_mean_absolute_percentage_error"]


def _both(name, estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ref = skm.get_scorer(name)(estimator, X, y)
        except ValueError:
            ref = ValueError
        try:
            ours = M.get_scorer(name)(estimator, X, y)
        except ValueError:
            ours = ValueError
    return ours, ref


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_binary_scorers_match_sklearn(name, binary_problem):
    X, y, clf = binary_problem
    # String classes: pos_label defaults (1) are invalid for "f1" etc., in both libraries.
    ours, ref = _both(name, clf, X, y)
    if ref is ValueError:
        assert ours is ValueError
    else:
        np.testing.assert_allclose(ours, ref, **TOL)
    y01 = (y == "yes").astype(int)
    clf01 = sk_linear.LogisticRegression().fit(X, y01)
    ours, ref = _both(name, clf01, X, y01)
    np.testing.assert_allclose(ours, ref, **TOL)


@pytest.mark.parametrize("name", MULTICLASS)
def test_multiclass_scorers_match_sklearn(name, multiclass_problem):
    X, y, clf = multiclass_problem
    ours, ref = _both(name, clf, X, y)
    np.testing.assert_allclose(ours, ref, **TOL)


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_scorers_match_sklearn(name, regression_problem):
    X, y, reg = regression_problem
    ours, ref = _both(name, reg, X, y)
    np.testing.assert_allclose(ours, ref, **TOL)
    if name.startswith("neg_"):
        assert ours <= 0  # losses are negated so that greater is better


def test_names_are_sklearn_names():
    ours = M.get_scorer_names()
    assert ours == sorted(ours)
    assert set(ours) <= set(skm.get_scorer_names())
    assert set(CLASSIFICATION + MULTICLASS + REGRESSION) <= set(ours)


def test_unknown_name_suggests_close_matches():
    with pytest.raises(ValueError, match="'neg_mean_squared_error'"):
        M.get_scorer("neg_mean_square_error")
    with pytest.raises(ValueError, match="not a valid scoring value"):
        M.get_scorer("zzz")
    with pytest.raises(ValueError, match="check_scoring"):
        M.get_scorer(None)


def test_get_scorer_returns_copies_and_callables_unchanged():
    assert M.get_scorer("accuracy") is not M.get_scorer("accuracy")

    def custom(estimator, X, y):
        return 0.5

    assert M.get_scorer(custom) is custom


def test_scorers_pickle(binary_problem):
    X, y, clf = binary_problem
    scorer = M.make_scorer(M.fbeta_score, beta=2, pos_label="yes")
    clone = pickle.loads(pickle.dumps(scorer))
    assert clone(clf, X, y) == scorer(clf, X, y)
    for name in M.get_scorer_names():
        pickle.loads(pickle.dumps(M.get_scorer(name)))


def test_make_scorer_sign_response_method_and_repr(binary_problem):
    X, y, clf = binary_problem
    loss = M.make_scorer(M.log_loss, greater_is_better=False, response_method="predict_proba")
    assert loss(clf, X, y) == pytest.approx(-skm.log_loss(y, clf.predict_proba(X)), rel=1e-12)
    # decision_function of the first class is the negated score of the second.
    auc_no = M.make_scorer(M.roc_auc_score, response_method=["decision_function"])
    auc_proba_no = M.make_scorer(M.average_precision_score, pos_label="no",
                                 response_method="predict_proba")
    assert auc_no(clf, X, y) == pytest.approx(skm.roc_auc_score(y, clf.decision_function(X)))
    assert auc_proba_no(clf, X, y) == pytest.approx(
        skm.average_precision_score(y, clf.predict_proba(X)[:, 0], pos_label="no"))
    assert repr(loss) == ("make_scorer(log_loss, greater_is_better=False, "
                          "response_method='predict_proba')")
    with pytest.raises(ValueError, match="response_method"):
        M.make_scorer(M.accuracy_score, response_method="transform")
    with pytest.raises(ValueError, match="pos_label='maybe' is not a valid label"):
        M.make_scorer(M.f1_score, pos_label="maybe", response_method="predict_proba")(
            clf, X, y)


def test_sample_weight_is_forwarded(regression_problem):
    X, y, reg = regression_problem
    w = np.arange(len(y), dtype=float)
    scorer = M.get_scorer("neg_mean_absolute_error")
    assert scorer(reg, X, y, sample_weight=w) == pytest.approx(
        -skm.mean_absolute_error(y, reg.predict(X), sample_weight=w))


def test_check_scoring(regression_problem):
    X, y, reg = regression_problem
    passthrough = M.check_scoring(reg)
    assert passthrough(reg, X, y) == reg.score(X, y)
    assert repr(passthrough) == "LinearRegression.score"
    assert M.check_scoring(reg, "r2")(reg, X, y) == pytest.approx(reg.score(X, y))
    with pytest.raises(TypeError, match="should have a 'score' method"):
        M.check_scoring(object())
    assert M.check_scoring(object(), allow_none=True) is None


def test_scratchml_estimator_with_scorers():
    from scratchml.neighbors import NearestCentroid

    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    clf = NearestCentroid().fit(X, y)
    assert M.get_scorer("accuracy")(clf, X, y) == pytest.approx(clf.score(X, y))
    assert M.check_scoring(clf)(clf, X, y) == clf.score(X, y)
