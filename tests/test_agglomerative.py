"""AgglomerativeClustering: scikit-learn's tree (children_, distances_) and its labels_."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.cluster import AgglomerativeClustering

sk_cluster = pytest.importorskip("sklearn.cluster")


def same_partition(a, b) -> bool:
    """Equal up to a renaming of the clusters: a one-to-one map between labels."""
    pairs = np.unique(np.c_[a, b], axis=0)
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


@given(st.integers(0, 2**32 - 1), st.integers(2, 40), st.integers(1, 4),
       st.sampled_from(["ward", "complete", "average", "single"]),
       st.sampled_from(["euclidean", "manhattan"]), st.booleans(), st.data())
def test_tree_and_labels_equal_sklearn(seed, n, p, linkage, metric, ties, data):
    if linkage == "ward":
        metric = "euclidean"
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if ties:
        X = np.round(X) + 0.5  # duplicate points and equal distances: tie rules matter
    k = data.draw(st.integers(1, n))
    ours = AgglomerativeClustering(k, linkage=linkage, metric=metric,
                                   compute_distances=True).fit(X)
    ref = sk_cluster.AgglomerativeClustering(k, linkage=linkage, metric=metric,
                                             compute_distances=True).fit(X)
    np.testing.assert_array_equal(ours.children_, ref.children_)
    # Same algorithm and the same per-feature summation order; the Lance–Williams
    # updates are evaluated in the same order too, so only libm's sqrt could differ.
    np.testing.assert_allclose(ours.distances_, ref.distances_, rtol=1e-12, atol=1e-12)
    # Same tree, and clusters numbered as scikit-learn's heap-based cut numbers them.
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    assert ours.n_clusters_ == ref.n_clusters_ == k
    assert ours.n_leaves_ == n


@given(st.integers(0, 2**32 - 1), st.integers(3, 30),
       st.sampled_from(["complete", "average", "single"]))
def test_cosine_matches_sklearn_on_continuous_data(seed, n, linkage):
    # Continuous data: no exact ties, so the cosine formula's last-bit rounding
    # (ours: unit rows and one GEMM; SciPy's pdist: per pair) cannot reorder merges.
    X = np.random.default_rng(seed).standard_normal((n, 3))
    ours = AgglomerativeClustering(3, linkage=linkage, metric="cosine",
                                   compute_distances=True).fit(X)
    ref = sk_cluster.AgglomerativeClustering(3, linkage=linkage, metric="cosine",
                                             compute_distances=True).fit(X)
    np.testing.assert_allclose(ours.distances_, ref.distances_, atol=1e-12)  # cosine <= 2
    assert same_partition(ours.labels_, ref.labels_)


@given(st.integers(0, 2**32 - 1), st.floats(0.1, 5.0),
       st.sampled_from(["ward", "complete", "average", "single"]))
def test_distance_threshold_equals_sklearn(seed, threshold, linkage):
    X = np.random.default_rng(seed).standard_normal((40, 2))
    ours = AgglomerativeClustering(None, distance_threshold=threshold, linkage=linkage).fit(X)
    ref = sk_cluster.AgglomerativeClustering(None, distance_threshold=threshold,
                                             linkage=linkage).fit(X)
    assert ours.n_clusters_ == ref.n_clusters_
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_allclose(ours.distances_, ref.distances_, rtol=1e-12)
    # Property: merges are monotone for these reducible linkages.
    assert np.all(np.diff(ours.distances_) >= 0)


def test_ward_distance_is_the_increase_of_the_sum_of_squares():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    ours = AgglomerativeClustering(1, compute_distances=True).fit(X)
    # First merge: two points 1 apart; ward height sqrt(2 * 1*1/(1+1)) * 1 = 1.
    assert ours.distances_[0] == pytest.approx(1.0)
    np.testing.assert_array_equal(ours.children_, [[0, 1], [2, 3]])
    assert not hasattr(AgglomerativeClustering(2).fit(X), "distances_")


def test_bad_input_raises_clear_errors():
    X = np.random.default_rng(0).standard_normal((5, 2))
    with pytest.raises(ValueError, match="larger than the number of samples"):
        AgglomerativeClustering(6).fit(X)
    with pytest.raises(ValueError, match="Exactly one of n_clusters"):
        AgglomerativeClustering(2, distance_threshold=1.0).fit(X)
    with pytest.raises(ValueError, match="ward works only"):
        AgglomerativeClustering(2, metric="manhattan").fit(X)
    with pytest.raises(ValueError, match="linkage="):
        AgglomerativeClustering(2, linkage="centroid").fit(X)
    with pytest.raises(ValueError, match="connectivity"):
        AgglomerativeClustering(2, connectivity=np.eye(5)).fit(X)
    with pytest.raises(ValueError, match="zero vectors"):
        AgglomerativeClustering(2, linkage="average", metric="cosine").fit(np.zeros((3, 2)))


def test_precomputed_equals_euclidean():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20, 3))
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    a = AgglomerativeClustering(4, linkage="average", metric="precomputed").fit(D)
    b = AgglomerativeClustering(4, linkage="average").fit(X)
    assert same_partition(a.labels_, b.labels_)
