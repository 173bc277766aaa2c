"""Elkan's k-means gives Lloyd's labels, centres and iteration count from the same init."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.cluster import KMeans
from scratchml.cluster._kmeans_elkan import _assign, _distance_bounds

sklearn_cluster = pytest.importorskip("sklearn.cluster")


@pytest.mark.filterwarnings("ignore:Number of distinct clusters")
@given(st.integers(0, 2**32 - 1), st.integers(10, 300), st.integers(1, 5), st.integers(1, 8),
       st.booleans(), st.booleans(), st.sampled_from([0.0, 1e-4]))
def test_elkan_equals_lloyd(seed, n, p, k, integer, weighted, tol):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * 3
    if integer:
        X = np.round(X)  # exact ties in the data (near-ties after KMeans centres X)
    init = X[rng.choice(n, k, replace=False)]
    w = rng.uniform(0.5, 2.0, n) if weighted else None
    lloyd = KMeans(k, init=init, tol=tol, algorithm="lloyd").fit(X, sample_weight=w)
    elkan = KMeans(k, init=init, tol=tol, algorithm="elkan").fit(X, sample_weight=w)
    np.testing.assert_array_equal(elkan.labels_, lloyd.labels_)
    assert elkan.n_iter_ == lloyd.n_iter_
    # Same partitions: the means differ only in summation order (float64).
    np.testing.assert_allclose(elkan.cluster_centers_, lloyd.cluster_centers_, rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(elkan.inertia_, lloyd.inertia_, rtol=1e-12)


@given(st.integers(0, 2**32 - 1))
def test_elkan_matches_sklearn_elkan(seed):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, (4, 3))
    X = centres[rng.integers(0, 4, 200)] + rng.standard_normal((200, 3))
    init = X[:4].copy()
    ours = KMeans(4, init=init, algorithm="elkan").fit(X)
    ref = sklearn_cluster.KMeans(4, init=init, n_init=1, algorithm="elkan").fit(X)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    # 1e-10: same algorithm in float64, summation order of the means differs.
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-10,
                               atol=1e-10)


def test_bounds_prune_well_separated_rows():
    # Far-apart blobs, centres at the blob means: after one step no row can change,
    # and the triangle-inequality tests must skip (almost) every row.
    rng = np.random.default_rng(0)
    C = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]])
    X = C[rng.integers(0, 3, 3000)] + rng.standard_normal((3000, 2))
    from scratchml._backend import get_kernel

    kernel, _ = get_kernel("sqeuclidean_argmin")
    labels = kernel(X, C)[0]
    lower, up = _distance_bounds(X, C)
    upper = up[np.arange(len(X)), labels]
    x_norm = np.sqrt((X**2).sum(1))
    examined = _assign(X, C, labels, upper, lower, kernel, x_norm, 64 * np.finfo(float).eps)
    assert examined == 0
    np.testing.assert_array_equal(labels, kernel(X, C)[0])


def test_distance_bounds_bracket_the_exact_distances():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((500, 4)) * 100 + 1000  # large norms: strong cancellation
    C = X[:7] + 1e-6 * rng.standard_normal((7, 4))  # centres almost on samples
    lower, upper = _distance_bounds(X, C)
    exact = np.sqrt(((X[:, None].astype(np.longdouble) - C[None]) ** 2).sum(-1))
    assert np.all(lower <= exact) and np.all(exact <= upper)
