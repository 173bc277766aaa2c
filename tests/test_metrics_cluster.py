"""Clustering metrics and pairwise distances: scikit-learn agreement and properties."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml import metrics as M
from scratchml.metrics import _pairwise

skm = pytest.importorskip("sklearn.metrics")

# Label scores are ratios of integer counts: only summation order differs.
TOL = dict(rtol=1e-10, atol=1e-12)
# Distance-based scores on well-separated random points: both sides use the same
# GEMM expansion ||x||² − 2x·y + ||y||²; rounding differs at the ulp level only.
DIST_TOL = dict(rtol=1e-10, atol=1e-10)


@st.composite
def labelings(draw):
    n = draw(st.integers(1, 40))
    k1, k2 = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    a = np.array(draw(st.lists(st.integers(0, k1 - 1), min_size=n, max_size=n)))
    b = np.array(draw(st.lists(st.integers(0, k2 - 1), min_size=n, max_size=n)))
    if draw(st.booleans()):
        a = np.array([f"class {v}" for v in a])
    return a, b


@given(labelings(), st.sampled_from(["arithmetic", "min", "max", "geometric"]))
def test_ari_nmi_match_sklearn(labels, average_method):
    a, b = labels
    np.testing.assert_allclose(M.adjusted_rand_score(a, b), skm.adjusted_rand_score(a, b),
                               **TOL)
    np.testing.assert_allclose(
        M.normalized_mutual_info_score(a, b, average_method=average_method),
        skm.normalized_mutual_info_score(a, b, average_method=average_method), **TOL)


@given(labelings())
def test_label_scores_ignore_label_names_and_are_symmetric(labels):
    a, b = labels
    _, renamed = np.unique(b, return_inverse=True)
    renamed = (renamed * 7 + 3)[::1]
    for f in (M.adjusted_rand_score, M.normalized_mutual_info_score):
        assert f(a, b) == pytest.approx(f(a, renamed), abs=1e-12)
        assert f(a, b) == pytest.approx(f(b, a), abs=1e-12)
        assert f(a, a) == pytest.approx(1.0)


@pytest.mark.parametrize("n", [1, 7, 20_000])
def test_degenerate_labelings(n):
    one = np.zeros(n, dtype=int)
    singletons = np.arange(n)  # n=20,000: too many cells for a dense table
    for a, b in ((one, one), (singletons, singletons), (one, singletons),
                 (singletons, one)):
        assert M.adjusted_rand_score(a, b) == skm.adjusted_rand_score(a, b)
        assert M.normalized_mutual_info_score(a, b) == pytest.approx(
            skm.normalized_mutual_info_score(a, b), abs=1e-12)


@st.composite
def clustered_points(draw):
    n = draw(st.integers(3, 40))
    d = draw(st.integers(1, 4))
    k = draw(st.integers(2, min(n - 1, 6)))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    X = rng.normal(size=(n, d)) + draw(st.sampled_from([0.0, 5.0]))
    labels = np.r_[np.arange(k), rng.integers(0, k, n - k)]  # k clusters, maybe singletons
    return X, rng.permutation(labels)


@given(clustered_points(), st.sampled_from(["euclidean", "manhattan", "cosine"]))
def test_silhouette_matches_sklearn(data, metric):
    X, labels = data
    np.testing.assert_allclose(M.silhouette_samples(X, labels, metric=metric),
                               skm.silhouette_samples(X, labels, metric=metric), **DIST_TOL)
    D = skm.pairwise_distances(X, metric=metric)
    np.testing.assert_allclose(M.silhouette_score(D, labels, metric="precomputed"),
                               skm.silhouette_score(D, labels, metric="precomputed"),
                               **DIST_TOL)


@given(clustered_points())
def test_davies_bouldin_matches_definition_and_sklearn(data):
    X, labels = data
    ks = np.unique(labels)
    C = np.array([X[labels == c].mean(axis=0) for c in ks])
    s = np.array([np.linalg.norm(X[labels == c] - C[i], axis=1).mean()
                  for i, c in enumerate(ks)])
    dist = np.linalg.norm(C[:, None] - C[None], axis=2)
    ratio = np.where(np.eye(len(ks), dtype=bool), -np.inf,
                     (s[:, None] + s[None]) / np.where(dist == 0, np.inf, dist))
    assert M.davies_bouldin_score(X, labels) == pytest.approx(ratio.max(axis=1).mean(),
                                                               rel=1e-12)
    # scikit-learn gets each point-to-centroid distance from the GEMM expansion, whose
    # error near zero is ~sqrt(eps)·|x| (e.g. a singleton cluster's own distance ~1e-8).
    assert M.davies_bouldin_score(X, labels) == pytest.approx(
        skm.davies_bouldin_score(X, labels), rel=1e-6)


def test_silhouette_chunking_sampling_and_callables(monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    labels = rng.integers(0, 4, 60)
    full = M.silhouette_samples(X, labels)
    monkeypatch.setattr(_pairwise, "_CHUNK_VALUES", 70)  # one row per chunk
    np.testing.assert_allclose(M.silhouette_samples(X, labels), full, rtol=0, atol=1e-14)
    # A random subset of all n samples is a permutation: the same mean.
    assert M.silhouette_score(X, labels, sample_size=60, random_state=3) == pytest.approx(
        full.mean(), abs=1e-12)
    sub = M.silhouette_score(X, labels, sample_size=30, random_state=np.random.default_rng(1))
    assert -1 <= sub <= 1

    def l1(a, b, scale=1.0):
        return scale * np.abs(a - b).sum()

    np.testing.assert_allclose(M.silhouette_samples(X, labels, metric=l1, scale=2.0),
                               M.silhouette_samples(X, labels, metric="manhattan"), atol=1e-12)


def test_silhouette_degenerate_cases():
    X = np.arange(8, dtype=float).reshape(4, 2)
    with pytest.raises(ValueError, match="Number of labels is 1"):
        M.silhouette_score(X, [0, 0, 0, 0])
    with pytest.raises(ValueError, match="Number of labels is 4"):
        M.silhouette_score(X, [0, 1, 2, 3])
    with pytest.raises(ValueError, match="Number of labels is 4"):
        M.davies_bouldin_score(X, [0, 1, 2, 3])
    # A sample alone in its cluster scores 0.
    assert M.silhouette_samples(X, [0, 1, 1, 1])[0] == 0.0
    with pytest.raises(ValueError, match="diagonal"):
        M.silhouette_score(np.ones((3, 3)), [0, 0, 1], metric="precomputed")


@given(clustered_points(), st.sampled_from(["euclidean", "sqeuclidean", "manhattan",
                                            "cosine", "l1", "l2", "cityblock"]),
       st.booleans())
def test_pairwise_distances_match_sklearn(data, metric, with_y):
    X, _ = data
    Y = X[::2] + 0.5 if with_y else None
    np.testing.assert_allclose(M.pairwise_distances(X, Y, metric=metric),
                               skm.pairwise_distances(X, Y, metric=metric), **DIST_TOL)


def test_pairwise_distances_callable_and_chunks(monkeypatch):
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(9, 3)), rng.normal(size=(5, 3))

    def cheb(a, b):
        return np.abs(a - b).max()

    np.testing.assert_allclose(M.pairwise_distances(X, Y, metric=cheb),
                               skm.pairwise_distances(X, Y, metric=cheb), rtol=0, atol=0)
    np.testing.assert_allclose(M.pairwise_distances(X, metric=cheb),
                               skm.pairwise_distances(X, metric=cheb), rtol=0, atol=0)
    full = M.pairwise_distances(X, Y, metric="manhattan")
    monkeypatch.setattr(_pairwise, "_CHUNK_VALUES", 4)
    assert np.array_equal(M.pairwise_distances(X, Y, metric="manhattan"), full)
    with pytest.raises(ValueError, match="metric='minkowski' is not supported"):
        M.pairwise_distances(X, metric="minkowski")
    with pytest.raises(ValueError, match="features"):
        M.pairwise_distances(X, Y[:, :2])


def test_continuous_labels_warn():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        M.adjusted_rand_score([0.5, 1.5, 0.5], [0, 1, 0])
    assert any("continuous" in str(c.message) for c in caught)
