"""scratchml.naive_bayes against scikit-learn, plus the properties naive Bayes must have."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml.naive_bayes as snb

sknb = pytest.importorskip("sklearn.naive_bayes")

DISCRETE = ["MultinomialNB", "ComplementNB", "BernoulliNB", "CategoricalNB"]
ALL = ["GaussianNB", *DISCRETE]
METHODS = ("predict_proba", "predict_log_proba", "predict_joint_log_proba")


@st.composite
def problems(draw, counts: bool):
    """X (float or small counts), y with 2-4 classes (each present), optional weights."""
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(4, 40))
    d = draw(st.integers(1, 6))
    k = draw(st.integers(2, 4))
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    y[:2] = [0, 1]  # at least two classes; some of 2..k-1 may be absent
    if counts:
        X = rng.poisson(rng.uniform(0.2, 4.0, d), (n, d)).astype(float)
    else:
        scale = draw(st.sampled_from([1e-3, 1.0, 1e3]))
        X = (rng.standard_normal((n, d)) + y[:, None] * rng.standard_normal(d)) * scale
        if d > 1 and draw(st.booleans()):  # (all-constant X has σ² = 0: NaN in sklearn too)
            X[:, 0] = 7.0  # a constant column: only var_smoothing keeps σ² > 0
    w = rng.uniform(0.1, 3.0, n) if draw(st.booleans()) else None
    return X, y, w, rng


def _pair(name, **params):
    return getattr(snb, name)(**params), getattr(sknb, name)(**params)


def _assert_close(ours, ref, X, rtol, atol):
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    ref_proba = ref.predict_proba(X)
    if np.isnan(ref_proba).any():
        # scikit-learn returns NaN for GaussianNB when a variance is exactly 0 (every
        # column constant in a batch) and for ComplementNB(norm=True) on one feature
        # (0 / 0); scratchml stays finite there, and must still give probabilities.
        assert np.all(np.isfinite(ours.predict_proba(X)))
        np.testing.assert_allclose(ours.predict_proba(X).sum(axis=1), 1.0, rtol=1e-12)
        return
    for method in METHODS:
        np.testing.assert_allclose(getattr(ours, method)(X), getattr(ref, method)(X),
                                   rtol=rtol, atol=atol, err_msg=method)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


# GaussianNB: our moments come from BLAS products (W.T @ X) rather than per-class
# np.var, so σ² differs in the last bits; 1e-8 on probabilities is the bound.
@given(problems(counts=False))
def test_gaussian_matches_sklearn(problem):
    X, y, w, _ = problem
    ours, ref = _pair("GaussianNB")
    ours.fit(X, y, sample_weight=w)
    ref.fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.theta_, ref.theta_, rtol=1e-9, atol=1e-12 * np.abs(X).max())
    np.testing.assert_allclose(ours.var_, ref.var_, rtol=1e-7)
    np.testing.assert_allclose(ours.class_prior_, ref.class_prior_, rtol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("params", [{}, {"alpha": 0.3, "fit_prior": False},
                                    {"class_prior": [0.2, 0.3, 0.1, 0.4]}, {"norm": True},
                                    {"binarize": 1.5}, {"min_categories": 9}])
@pytest.mark.parametrize("name", DISCRETE)
@given(problem=problems(counts=True))
def test_discrete_matches_sklearn(name, params, problem):
    X, y, w, _ = problem
    y = np.where(y > 3, 3, y)
    if ("norm" in params and name != "ComplementNB") or (
        "binarize" in params and name != "BernoulliNB"
    ) or ("min_categories" in params and name != "CategoricalNB"):
        return
    if "class_prior" in params:
        y[:4] = [0, 1, 2, 3]
    ours, ref = _pair(name, **params)
    ours.fit(X, y, sample_weight=w)
    ref.fit(X, y, sample_weight=w)
    # Same formulas in the same order: only summation order (BLAS) differs, ~1e-15.
    _assert_close(ours, ref, X, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", ALL)
@given(problem=problems(counts=True))
def test_partial_fit_over_batches_matches_sklearn_and_fit(name, problem):
    X, y, w, rng = problem
    classes = np.arange(4)
    cuts = np.sort(rng.choice(np.arange(1, len(X)), size=min(3, len(X) - 1), replace=False))
    ours, ref = _pair(name)
    for part in np.split(np.arange(len(X)), cuts):
        sw = None if w is None else w[part]
        ours.partial_fit(X[part], y[part], classes=classes, sample_weight=sw)
        ref.partial_fit(X[part], y[part], classes=classes, sample_weight=sw)
    # Gaussian: Chan's merge reorders the arithmetic -> 1e-8 (issue's bound); discrete: sums.
    tol = 1e-8 if name == "GaussianNB" else 1e-10
    _assert_close(ours, ref, X, rtol=tol, atol=tol)
    whole = getattr(snb, name)().partial_fit(X, y, classes=classes, sample_weight=w)
    if name == "GaussianNB":
        # epsilon_ is recomputed per batch (as in scikit-learn), so compare raw moments:
        # without smoothing, merged batches give the moments of the whole.
        raw = snb.GaussianNB(var_smoothing=0.0)
        for part in np.split(np.arange(len(X)), cuts):
            raw.partial_fit(X[part], y[part], classes=classes,
                            sample_weight=None if w is None else w[part])
        whole = snb.GaussianNB(var_smoothing=0.0).partial_fit(X, y, classes, sample_weight=w)
        # Chan's merge vs one pass: rounding only, relative to the data's scale.
        np.testing.assert_allclose(raw.theta_, whole.theta_, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(raw.var_, whole.var_, rtol=1e-7,
                                   atol=1e-12 * max(1.0, np.abs(X).max()) ** 2)
    else:
        np.testing.assert_allclose(ours.predict_proba(X), whole.predict_proba(X), atol=1e-10)


@pytest.mark.parametrize("name", ALL)
def test_integer_weights_equal_repeated_rows(name):
    rng = np.random.default_rng(0)
    X = rng.poisson(2.0, (30, 3)).astype(float)
    y = rng.integers(0, 3, 30)
    w = rng.integers(1, 4, 30)
    weighted = getattr(snb, name)().fit(X, y, sample_weight=w.astype(float))
    repeated = getattr(snb, name)().fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    # Same statistics, different summation order; Gaussian's epsilon_ uses unweighted X.
    tol = 1e-6 if name == "GaussianNB" else 1e-12
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=tol)


@pytest.mark.parametrize("name", ALL)
def test_class_with_one_sample_and_proba_rows_sum_to_one(name):
    X = np.array([[0.0, 1, 2], [1, 1, 0], [2, 0, 1], [3, 2, 2], [0, 3, 1]])
    y = np.array([0, 0, 0, 0, 1])  # class 1 has a single sample (σ² = epsilon_ only)
    ours, ref = _pair(name)
    ours.fit(X, y)
    ref.fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X).sum(axis=1), 1.0, atol=1e-12)
    _assert_close(ours, ref, X, rtol=1e-8, atol=1e-8)  # as in the hypothesis tests


def test_string_labels_and_priors():
    X = np.array([[0.0], [0.2], [3.0], [3.3]])
    y = np.array(["no", "no", "yes", "yes"])
    m = snb.GaussianNB(priors=[0.9, 0.1]).fit(X, y)
    np.testing.assert_array_equal(m.classes_, ["no", "yes"])
    np.testing.assert_allclose(m.class_prior_, [0.9, 0.1])
    assert m.score(X, y) == 1.0


@pytest.mark.parametrize("name", ["MultinomialNB", "ComplementNB", "CategoricalNB"])
def test_negative_counts_error_names_the_column(name):
    X = np.array([[1.0, 2, 0, 1], [0, 1, 1, -1.0]])
    with pytest.raises(ValueError, match=r"negative values \(e\.g\. -1\.0 in column 3\).*"
                                         + name + ".*MinMaxScaler"):
        getattr(snb, name)().fit(X, [0, 1])


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: snb.GaussianNB(priors=[0.5, 0.2]), "sum to 1"),
        (lambda: snb.GaussianNB(priors=[1.0]), "one prior per class"),
        (lambda: snb.GaussianNB(var_smoothing=-1), "var_smoothing"),
        (lambda: snb.MultinomialNB(alpha=-1.0), "alpha"),
        (lambda: snb.MultinomialNB(alpha=[1.0, 2.0]), "one alpha per feature"),
        (lambda: snb.MultinomialNB(class_prior=[1.0]), "one prior per class"),
        (lambda: snb.BernoulliNB(binarize="x"), "binarize"),
        (lambda: snb.CategoricalNB(min_categories=[2, 2]), "min_categories"),
        (lambda: snb.CategoricalNB(min_categories=2.5), "min_categories"),
    ],
)
def test_bad_hyperparameters_raise_at_fit(make, match):
    X = np.array([[0.0, 1, 2], [1, 0, 1], [2, 1, 0], [1, 1, 1]])
    with pytest.raises(ValueError, match=match):
        make().fit(X, [0, 0, 1, 1])


@pytest.mark.parametrize("name", ALL)
def test_partial_fit_class_errors(name):
    X = np.array([[0.0, 1], [1, 0], [2, 1]])
    est = getattr(snb, name)()
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        est.partial_fit(X, [0, 1, 1])
    est.partial_fit(X, [0, 1, 1], classes=[0, 1])
    with pytest.raises(ValueError, match="not the same as on the first call"):
        est.partial_fit(X, [0, 1, 1], classes=[0, 1, 2])
    with pytest.raises(ValueError, match="do not exist in the classes"):
        est.partial_fit(X, [0, 1, 5])


def test_categorical_rejects_fractions_and_unseen_categories():
    X = np.array([[0.0, 1], [1, 0], [2, 1]])
    with pytest.raises(ValueError, match="non-integer value.*OrdinalEncoder"):
        snb.CategoricalNB().fit(X + 0.5, [0, 1, 1])
    m = snb.CategoricalNB().fit(X, [0, 1, 1])
    with pytest.raises(ValueError, match="category 5 in column 1.*min_categories"):
        m.predict([[0, 5]])
    m = snb.CategoricalNB(min_categories=6).fit(X, [0, 1, 1])
    assert m.predict_proba([[0, 5]]).shape == (1, 2)


def test_force_alpha_false_warns_and_clips():
    X = np.array([[0.0, 1], [1, 0], [2, 1]])
    with pytest.warns(UserWarning, match="alpha too small"):
        m = snb.MultinomialNB(alpha=0.0, force_alpha=False).fit(X, [0, 1, 1])
    assert np.all(np.isfinite(m.feature_log_prob_))


def test_gaussian_zero_variance_gives_finite_probabilities():
    """Constant columns (epsilon_ = 0) and declared-but-unseen classes: scikit-learn
    returns NaN here; scratchml floors the variance and returns valid probabilities."""
    from scratchml.naive_bayes import GaussianNB

    X = np.ones((4, 1))
    proba = GaussianNB().fit(X, [0, 0, 1, 1]).predict_proba([[1.0], [2.0]])
    # Both classes have the same spike at 1, so neither is preferred anywhere.
    np.testing.assert_array_equal(proba, 0.5)

    model = GaussianNB().partial_fit(np.full((3, 2), 2.0), [0, 0, 0], classes=[0, 1, 2])
    proba = model.predict_proba([[2.0, 2.0], [5.0, 2.0]])
    # Classes 1 and 2 have prior 0 (no samples yet): all the mass goes to class 0.
    np.testing.assert_array_equal(proba, [[1, 0, 0], [1, 0, 0]])
