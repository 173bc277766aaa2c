"""GaussianMixture: EM agrees with scikit-learn, the likelihood never decreases, API checks.

With the same ``weights_init``/``means_init``/``precisions_init`` both libraries run
the same deterministic EM iterations (the k-means/random start only affects
``covariances_`` before the first M-step, which the E-step never reads), so every
fitted array is compared with scikit-learn's.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.cluster import GaussianMixture
from scratchml.exceptions import ConvergenceWarning

sk_mixture = pytest.importorskip("sklearn.mixture")

COV_TYPES = ("full", "tied", "diag", "spherical")
# 1e-8: the two libraries invert Cholesky factors with different LAPACK routines
# (solve vs solve_triangular) and sum log-sum-exp in different orders; ~1e-15
# differences per iteration are amplified by up to a few dozen EM iterations.
RTOL = ATOL = 1e-8


def _blobs(seed, n_per, d, k):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-6, 6, (k, d))
    X = np.vstack([c + rng.standard_normal((n_per, d)) for c in centres])
    return X[rng.permutation(len(X))], rng


def _inits(X, rng, k, cov_type):
    d = X.shape[1]
    weights = rng.dirichlet(np.full(k, 5.0))
    means = X[rng.choice(len(X), k, replace=False)]
    scale = rng.uniform(0.3, 2.0, k)
    precisions = {
        "full": scale[:, None, None] * np.eye(d),
        "tied": scale[0] * np.eye(d),
        "diag": np.outer(scale, np.ones(d)),
        "spherical": scale,
    }[cov_type]
    return dict(weights_init=weights, means_init=means, precisions_init=precisions)


def _fit_both(X, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a run that stops at max_iter warns on both sides
        ours = GaussianMixture(init_params="random", random_state=0, **params).fit(X)
        ref = sk_mixture.GaussianMixture(init_params="random", random_state=0, **params).fit(X)
    return ours, ref


@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 4), d=st.integers(1, 4),
       cov_type=st.sampled_from(COV_TYPES), max_iter=st.integers(1, 30))
def test_em_matches_sklearn_with_same_initial_parameters(seed, k, d, cov_type, max_iter):
    X, rng = _blobs(seed, 40, d, k)
    params = dict(n_components=k, covariance_type=cov_type, tol=1e-6, max_iter=max_iter,
                  **_inits(X, rng, k, cov_type))
    ours, ref = _fit_both(X, **params)
    assert ours.n_iter_ == ref.n_iter_
    assert ours.converged_ == ref.converged_
    for name in ("weights_", "means_", "covariances_", "precisions_", "precisions_cholesky_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.lower_bound_, ref.lower_bound_, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.score_samples(X), ref.score_samples(X), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=RTOL, atol=ATOL)
    # bic/aic are sums over n samples, so compare them relatively.
    np.testing.assert_allclose(ours.bic(X), ref.bic(X), rtol=RTOL)
    np.testing.assert_allclose(ours.aic(X), ref.aic(X), rtol=RTOL)
    assert ours._n_parameters() == ref._n_parameters()


@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 4),
       cov_type=st.sampled_from(COV_TYPES),
       init=st.sampled_from(("kmeans", "random", "random_from_data")))
def test_log_likelihood_never_decreases(seed, k, cov_type, init):
    X, _ = _blobs(seed, 30, 2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(k, covariance_type=cov_type, init_params=init, tol=0.0,
                             max_iter=25, random_state=seed).fit(X)
    bounds = np.asarray(gm.lower_bounds_)
    # EM is monotone in exact arithmetic; allow rounding of a mean of n log-densities.
    assert np.all(np.diff(bounds) >= -1e-10 * (1 + np.abs(bounds[1:])))
    assert gm.lower_bound_ == bounds[-1]


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_predict_proba_and_fit_predict_are_consistent(cov_type):
    X, _ = _blobs(1, 50, 3, 3)
    gm = GaussianMixture(3, covariance_type=cov_type, random_state=0)
    labels = gm.fit_predict(X)
    assert np.array_equal(labels, gm.predict(X))
    proba = gm.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)  # exp of normalized logs
    assert np.array_equal(proba.argmax(axis=1), labels)
    assert gm.score(X) == pytest.approx(np.mean(gm.score_samples(X)), rel=1e-12)
    assert np.isclose(gm.weights_.sum(), 1.0)


def test_kmeans_init_recovers_separated_blobs():
    X, _ = _blobs(2, 100, 2, 3)
    gm = GaussianMixture(3, random_state=0).fit(X)
    ref = sk_mixture.GaussianMixture(3, random_state=0).fit(X)
    # Well-separated blobs: the same optimum whatever the k-means start, up to order.
    order, ref_order = np.argsort(gm.means_[:, 0]), np.argsort(ref.means_[:, 0])
    np.testing.assert_allclose(gm.means_[order], ref.means_[ref_order], rtol=1e-6, atol=1e-6)
    assert gm.converged_


def test_more_inits_never_give_a_lower_bound():
    X, _ = _blobs(3, 40, 2, 4)
    one = GaussianMixture(4, init_params="random", n_init=1, random_state=5).fit(X)
    many = GaussianMixture(4, init_params="random", n_init=4, random_state=5).fit(X)
    assert many.lower_bound_ >= one.lower_bound_  # the first init is shared, the best kept


def test_warm_start_continues_from_previous_fit():
    X, _ = _blobs(4, 40, 2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(2, max_iter=2, warm_start=True, tol=0.0, random_state=0).fit(X)
        first = gm.lower_bound_
        gm.fit(X)
    assert gm.lower_bounds_[0] >= first - 1e-12  # continues EM, so no worse than before


def test_sample_shapes_labels_and_reproducibility():
    X, _ = _blobs(5, 50, 2, 2)
    gm = GaussianMixture(2, random_state=0).fit(X)
    Xs, ys = gm.sample(500)
    assert Xs.shape == (500, 2) and ys.shape == (500,)
    assert set(np.unique(ys)) <= {0, 1}
    Xs2, ys2 = gm.sample(500)
    assert np.array_equal(Xs, Xs2) and np.array_equal(ys, ys2)
    # Samples of a component are centred on its mean (4 standard errors).
    for k in range(2):
        part = Xs[ys == k]
        err = np.sqrt(np.diag(gm.covariances_[k]) / len(part))
        assert np.all(np.abs(part.mean(axis=0) - gm.means_[k]) < 4 * err)


def test_max_iter_zero_keeps_initial_parameters():
    X, rng = _blobs(6, 30, 2, 2)
    inits = _inits(X, rng, 2, "diag")
    gm = GaussianMixture(2, covariance_type="diag", max_iter=0, **inits).fit(X)
    np.testing.assert_array_equal(gm.means_, inits["means_init"])
    assert gm.n_iter_ == 0


@pytest.mark.parametrize("params, name", [
    ({"n_components": 0}, "n_components"), ({"covariance_type": "banded"}, "covariance_type"),
    ({"tol": -1.0}, "tol"), ({"reg_covar": -1e-3}, "reg_covar"), ({"max_iter": -1}, "max_iter"),
    ({"n_init": 0}, "n_init"), ({"init_params": "k-means"}, "init_params"),
    ({"weights_init": [0.5, 0.2]}, "weights_init"), ({"means_init": [[0.0]]}, "means_init"),
    ({"precisions_init": np.ones(3)}, "precisions_init"),
])
def test_bad_hyperparameters_raise(params, name):
    X, _ = _blobs(7, 10, 2, 2)
    base = {"n_components": 2}
    base.update(params)
    with pytest.raises(ValueError, match=name):
        GaussianMixture(**base).fit(X)


def test_more_components_than_samples_raises():
    with pytest.raises(ValueError, match="n_components"):
        GaussianMixture(5).fit(np.random.default_rng(0).standard_normal((3, 2)))
