"""DBSCAN: exact agreement with scikit-learn, chunking invariance, parameter errors.

scikit-learn numbers clusters in the order of their first core point (its expansion
visits cores in index order) and gives a border point the first cluster that reaches
it; scratchml documents the same rule, so labels are compared for exact equality,
not only up to a relabelling (the partition check is kept as a clearer failure
message).

Ties: points exactly at distance eps would make the comparison depend on rounding
(scratchml decides euclidean pairs by Σ_k (x_ik − x_jk)² ≤ ε² in order, as
scikit-learn's trees do, but its brute search uses ‖x‖² − 2x·y + ‖y‖²). Integer grid
data with eps = k + 0.5 keeps every distance at least 0.25 away from the radius for
euclidean (squared distances are integers) and manhattan (distances are integers);
continuous random data has no ties almost surely. Between scratchml's own backends
there is no such caveat: they make the same decision for every pair.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
import scratchml.cluster._dbscan as dbscan_module
from scratchml.cluster import DBSCAN

sk_cluster = pytest.importorskip("sklearn.cluster")

METRICS = ("euclidean", "manhattan", "cosine")


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """True when a and b group the samples identically (noise −1 must match as noise)."""
    if not np.array_equal(a == -1, b == -1):
        return False
    pairs = np.unique(np.stack([a, b]), axis=1)
    return len(np.unique(pairs[0])) == pairs.shape[1] == len(np.unique(pairs[1]))


def _assert_matches_sklearn(X, sample_weight=None, **params):
    ours = DBSCAN(**params).fit(X, sample_weight=sample_weight)
    ref = sk_cluster.DBSCAN(**params).fit(X, sample_weight=sample_weight)
    assert _same_partition(ours.labels_, ref.labels_)
    assert np.array_equal(ours.labels_, ref.labels_)
    assert np.array_equal(ours.core_sample_indices_, ref.core_sample_indices_)
    assert np.array_equal(ours.components_, ref.components_)
    return ours


def _blobs(seed: int, n: int, d: int, k: int, spread: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, (k, d))
    return centres[rng.integers(0, k, n)] + spread * rng.standard_normal((n, d))


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 150),
    d=st.integers(1, 5),
    k=st.integers(1, 5),
    spread=st.floats(0.1, 3.0),
    eps=st.floats(0.05, 3.0),
    min_samples=st.integers(1, 10),
    metric=st.sampled_from(METRICS),
)
def test_blobs_match_sklearn_exactly(seed, n, d, k, spread, eps, min_samples, metric):
    X = _blobs(seed, n, d, k, spread)
    if metric == "cosine":
        eps = eps / 10  # cosine distances live in [0, 2]
    _assert_matches_sklearn(X, eps=eps, min_samples=min_samples, metric=metric)


@given(
    X=st.lists(st.lists(st.integers(-4, 4), min_size=2, max_size=2), min_size=1, max_size=60),
    half_eps=st.integers(0, 4),
    min_samples=st.integers(1, 6),
    metric=st.sampled_from(("euclidean", "manhattan")),
)
def test_integer_grid_with_duplicates_matches_sklearn(X, half_eps, min_samples, metric):
    X = np.asarray(X, dtype=float)
    _assert_matches_sklearn(X, eps=half_eps + 0.5, min_samples=min_samples, metric=metric)


@given(seed=st.integers(0, 2**32 - 1), metric=st.sampled_from(METRICS),
       min_samples=st.integers(1, 8))
def test_random_data_with_weights_matches_sklearn(seed, metric, min_samples):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((120, 3))
    # Negative weights are allowed (scikit-learn: they can turn a point into noise).
    w = rng.uniform(-0.5, 2.0, 120)
    eps = {"euclidean": 0.6, "manhattan": 1.0, "cosine": 0.08}[metric]
    _assert_matches_sklearn(X, sample_weight=w, eps=eps, min_samples=min_samples, metric=metric)
    _assert_matches_sklearn(X, eps=eps, min_samples=min_samples, metric=metric)


@pytest.mark.parametrize("metric", METRICS)
def test_chunk_size_does_not_change_results(metric, monkeypatch):
    X = _blobs(0, 400, 3, 4, 1.0)
    eps = 0.05 if metric == "cosine" else 0.8
    reference = DBSCAN(eps=eps, min_samples=4, metric=metric).fit(X)
    for chunk_bytes in (1, 8 * 400 * 7, 8 * 400 * 64, 2**30):  # 1 row, 7, 64, all
        monkeypatch.setattr(dbscan_module, "_CHUNK_BYTES", chunk_bytes)
        got = _fit("numpy", X, eps=eps, min_samples=4, metric=metric)  # the chunked path
        assert np.array_equal(got.labels_, reference.labels_)
        assert np.array_equal(got.core_sample_indices_, reference.core_sample_indices_)


def test_neighbourhoods_are_exact_and_sorted():
    X = _blobs(1, 200, 2, 3, 1.0)
    indptr, indices = dbscan_module._radius_neighbors(X, 0.7, "euclidean", chunk_bytes=8 * 200 * 9)
    dist = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    for i in range(len(X)):
        row = indices[indptr[i]:indptr[i + 1]]
        assert np.array_equal(row, np.flatnonzero(dist[i] <= 0.7))


def test_documented_example_and_fit_predict():
    X = np.array([[1, 2], [2, 2], [2, 3], [8, 7], [8, 8], [25, 80]])
    model = DBSCAN(eps=3, min_samples=2)
    labels = model.fit_predict(X)
    assert np.array_equal(labels, [0, 0, 0, 1, 1, -1])
    assert np.array_equal(labels, model.labels_)


def test_all_noise_has_empty_core_set():
    X = _blobs(2, 30, 3, 2, 1.0)
    model = DBSCAN(eps=0.1, min_samples=50).fit(X)
    assert np.all(model.labels_ == -1)
    assert model.core_sample_indices_.shape == (0,)
    assert model.components_.shape == (0, 3)


def test_min_samples_one_makes_every_point_core():
    X = _blobs(3, 50, 2, 3, 2.0)
    model = DBSCAN(eps=0.3, min_samples=1).fit(X)
    assert np.array_equal(model.core_sample_indices_, np.arange(50))
    assert np.all(model.labels_ >= 0)


@pytest.mark.parametrize("params, name", [
    ({"eps": 0.0}, "eps"), ({"eps": -1.0}, "eps"), ({"eps": float("nan")}, "eps"),
    ({"min_samples": 0}, "min_samples"), ({"min_samples": 2.5}, "min_samples"),
    ({"metric": "chebyshev"}, "metric"), ({"algorithm": "kd_tree"}, "algorithm"),
])
def test_bad_hyperparameters_raise(params, name):
    with pytest.raises(ValueError, match=name):
        DBSCAN(**params).fit(np.zeros((5, 2)))


def test_bad_sample_weight_raises():
    with pytest.raises(ValueError, match="sample_weight"):
        DBSCAN().fit(np.zeros((5, 2)), sample_weight=np.ones(4))


def _fit(backend, X, **params):
    sample_weight = params.pop("sample_weight", None)
    with scratchml.config_context(backend=backend):
        return DBSCAN(**params).fit(X, sample_weight=sample_weight)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 200), d=st.integers(1, 6),
       eps=st.floats(0.2, 3.0), min_samples=st.integers(1, 12), weighted=st.booleans())
def test_cython_fit_equals_numpy_fit(seed, n, d, eps, min_samples, weighted):
    # The Cython path counts first and lists only the core rows; the NumPy path lists
    # every row: same decisions, so the same labels, even with pairs at eps (half the
    # points below have a partner at distance eps up to rounding).
    if not scratchml._backend.available_backends()["cython"]:
        pytest.skip("Cython backend not built here")  # a CI build without it fails test_backend
    rng = np.random.default_rng(seed)
    X = _blobs(seed, n, d, 3, 1.0)
    u = rng.standard_normal((n, d))
    X = np.vstack([X, X + eps * u / np.linalg.norm(u, axis=1, keepdims=True)])
    w = rng.uniform(-0.5, 2.0, len(X)) if weighted else None
    ours = _fit("cython", X, eps=eps, min_samples=min_samples, sample_weight=w)
    ref = _fit("numpy", X, eps=eps, min_samples=min_samples, sample_weight=w)
    assert np.array_equal(ours.labels_, ref.labels_)
    assert np.array_equal(ours.core_sample_indices_, ref.core_sample_indices_)


def test_every_backend_fits_the_same_labels_as_sklearn(backend):
    # Integer data keeps every test exact (the CUDA simulator needs a tiny input).
    rng = np.random.default_rng(8)
    X = rng.integers(-3, 4, (14 if backend == "cuda" else 300, 2)).astype(float)
    for eps, min_samples in ((1.0, 3), (1.5, 5), (2.0, 9)):
        got = _fit(backend, X, eps=eps, min_samples=min_samples)
        ref = sk_cluster.DBSCAN(eps=eps, min_samples=min_samples).fit(X)
        assert np.array_equal(got.labels_, ref.labels_)
        assert np.array_equal(got.core_sample_indices_, ref.core_sample_indices_)


def test_blobs_benchmark_shape_matches_sklearn():
    # The benchmark's setting (eps=2.5, min_samples=10, 10 features), at 2,000 points.
    X = _blobs(0, 2000, 10, 5, 1.0)
    _assert_matches_sklearn(X, eps=2.5, min_samples=10)
