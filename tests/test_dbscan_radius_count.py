"""DBSCAN's neighbourhood-count kernel: every backend gives the reference's counts exactly.

The reference decides ‖x_i − x_j‖ ≤ ε by the exact-difference test
E = Σ_k (x_ik − x_jk)² ≤ ε² (float64, left to right; a GEMM filter settles the
pairs far from ε). ``_exact_counts`` below evaluates E for every pair directly, so
the tests check the decision itself, not only agreement between backends.
"""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml._backend import available_backends, get_kernel
from scratchml.cluster._dbscan import _radius_count_numpy as reference
from scratchml.cluster._dbscan import _radius_neighbors


def _max_rows(backend):
    # The CUDA simulator runs every GPU thread as a Python thread: tiny inputs.
    return 16 if backend == "cuda" and os.environ.get("NUMBA_ENABLE_CUDASIM") == "1" else 120


ITS_BACKENDS = pytest.mark.parametrize("backend", ["numpy", "cython", "cuda"], indirect=True)
# The CUDA twin (kernels/cuda/dbscan.py) still decides by the expanded formula
# x·y − ‖y‖²/2 ≥ (‖x‖² − ε²)/2 alone, which can differ from E within rounding of ε:
# it is checked where every test is exact (integer data) or far from ε.
EXACT_BACKENDS = pytest.mark.parametrize("backend", ["numpy", "cython"], indirect=True)


def _kernel(backend):
    with scratchml.config_context(backend=backend):
        fn, chosen = get_kernel("radius_count")
    assert chosen == backend
    return fn


def _exact_counts(X, eps):
    """|{j : E(i, j) ≤ fl(ε²)}| by brute force, the definition the kernels implement."""
    X = np.asarray(X, dtype=np.float64)
    acc = np.zeros((len(X), len(X)))
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(X.shape[1]):
            t = X[:, None, k] - X[None, :, k]
            acc += t * t
    return np.count_nonzero(acc <= eps * eps, axis=1)


def _near_eps(rng, m, p, eps, scale):
    """m random points and, for each, a point at distance eps (up to rounding) from it."""
    base = rng.uniform(-50, 50, (m, p)) * scale
    u = rng.standard_normal((m, p))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    return np.vstack([base, base + eps * u])


@ITS_BACKENDS
def test_counts_exact_on_integer_data(backend):
    fn = _kernel(backend)

    @given(st.integers(1, _max_rows(backend)), st.integers(1, 3), st.sampled_from([0.5, 1.0,
           1.5, 2.0, 3.0]), st.data())
    def check(n, p, eps, data):
        # Integer coordinates and eps with an exact square: every distance test is exact,
        # including points at exactly eps (d <= eps counts them).
        X = data.draw(hnp.arrays(np.int8, (n, p), elements=st.integers(-3, 3))).astype(float)
        got = fn(X, eps)
        assert got.dtype == np.intp
        np.testing.assert_array_equal(got, reference(X, eps))
        d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
        np.testing.assert_array_equal(got, (d2 <= eps * eps).sum(1))

    check()


@ITS_BACKENDS
def test_counts_on_continuous_data(backend):
    fn = _kernel(backend)
    rng = np.random.default_rng(3)
    n = _max_rows(backend)
    for p in (1, 4, 11):
        X = rng.standard_normal((n, p))
        eps = float(np.sqrt(p))
        np.testing.assert_array_equal(fn(X, eps), _exact_counts(X, eps))


@EXACT_BACKENDS
def test_counts_exact_at_the_boundary(backend):
    fn = _kernel(backend)

    @given(st.integers(0, 2**32 - 1), st.integers(1, 60), st.integers(1, 12),
           st.floats(0.05, 5.0), st.sampled_from([1e-3, 1.0, 1e3]))
    def check(seed, m, p, eps, scale):
        # Half the pairs (i, i + m) sit at distance eps up to rounding: the GEMM filter
        # leaves them in doubt and the exact test must decide them as brute force does.
        X = _near_eps(np.random.default_rng(seed), m, p, eps, scale)
        np.testing.assert_array_equal(fn(X, eps), _exact_counts(X, eps))

    check()


@EXACT_BACKENDS
@pytest.mark.parametrize("scale, eps", [(1e155, 3e155), (1e160, 1e160), (1e-160, 2e-160),
                                        (1.0, 1e200), (1e200, 1e-3)])
def test_counts_exact_at_extreme_magnitudes(backend, scale, eps):
    # Squares overflow (to inf: never within eps unless eps² does too) or underflow:
    # the filter hands every pair in doubt to the exact test.
    rng = np.random.default_rng(4)
    X = rng.integers(-2, 3, (40, 3)) * scale
    X = np.vstack([X, X[:6] + 0.5 * scale])
    np.testing.assert_array_equal(_kernel(backend)(X, eps), _exact_counts(X, eps))


def test_counts_are_the_sizes_of_dbscan_neighbourhoods():
    # Lists (pairs i < j, mirrored) and counts (every pair) make the same decisions,
    # even for pairs at distance eps up to rounding.
    X = _near_eps(np.random.default_rng(0), 150, 4, 1.3, 1.0)
    indptr, _ = _radius_neighbors(X, 1.3, "euclidean", chunk_bytes=8 * 300 * 7)
    np.testing.assert_array_equal(reference(X, 1.3), np.diff(indptr))


def _needs_cython():
    if not available_backends()["cython"]:
        pytest.skip("Cython backend not built here")  # a CI build without it fails test_backend


def test_cython_counts_do_not_depend_on_threads_or_row_splits():
    _needs_cython()
    from scratchml._cython import _radius
    from scratchml.cluster import _dbscan_native as native

    rng = np.random.default_rng(5)
    X = np.vstack([rng.standard_normal((4400, 3)), _near_eps(rng, 50, 3, 0.4, 1.0)])
    expected = reference(X, 0.4)
    for n_jobs in (1, 2, 3):  # row_ranges gives 1, 2, 2 ranges (>= 2048 rows each)
        np.testing.assert_array_equal(native.radius_count(X, 0.4, n_jobs=n_jobs), expected)
    # Half-pair counting over any cover of the rows by ranges (ragged, tiny, empty).
    args = native._prepare(X, 0.4)
    own = np.zeros(len(X), dtype=np.intp)
    total = np.ones(len(X), dtype=np.intp)
    for a, b in ((0, 1), (1, 1), (1, 19), (19, 2000), (2000, len(X))):
        other = np.zeros(len(X), dtype=np.intp)
        _radius.count_upper(*args, a, b, own, other)
        total += other
    np.testing.assert_array_equal(total + own, expected)


def test_cython_float32_is_decided_in_float64():
    _needs_cython()
    from scratchml.cluster import _dbscan_native as native

    X = _near_eps(np.random.default_rng(6), 70, 5, 0.8, 1.0).astype(np.float32)
    expected = _exact_counts(X, 0.8)  # float32 values, upcast exactly, E in float64
    np.testing.assert_array_equal(native.radius_count(X, 0.8), expected)
    np.testing.assert_array_equal(reference(X, 0.8), expected)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_cython_counts_and_lists_match_the_reference(n_jobs):
    _needs_cython()
    from scratchml.cluster import _dbscan_native as native

    rng = np.random.default_rng(9)
    # 4,400 rows: two ranges of half-pair work when n_jobs=2 (row_ranges' minimum).
    X = np.vstack([rng.standard_normal((4300, 2)), _near_eps(rng, 50, 2, 0.1, 0.01)])
    indptr, indices = _radius_neighbors(X, 0.1, "euclidean")
    counts, got_ptr, got = native.counts_and_lists(X, 0.1, lambda c: c >= 8, n_jobs=n_jobs)
    np.testing.assert_array_equal(counts, np.diff(indptr))
    picked = counts >= 8
    assert 100 < picked.sum() < len(X)
    np.testing.assert_array_equal(np.diff(got_ptr)[~picked], 0)
    for i in np.flatnonzero(picked):
        np.testing.assert_array_equal(got[got_ptr[i]:got_ptr[i + 1]],
                                      indices[indptr[i]:indptr[i + 1]])


def test_cython_list_pass_never_writes_past_its_cursors():
    _needs_cython()
    from scratchml._cython import _radius
    from scratchml.cluster import _dbscan_native as native

    X = np.random.default_rng(7).standard_normal((100, 2))
    args = native._prepare(X, 0.5)
    need = np.ones(100, dtype=np.uint8)
    start = np.arange(100, dtype=np.intp) * 100
    out = np.full(100 * 100, -1, dtype=np.intp)
    # Slots one entry short of the counts: the kernel must stop and say so.
    counts = native.radius_count(X, 0.5)
    end = start + np.maximum(counts - 2, 0)
    with pytest.raises(ValueError, match="do not match"):
        _radius.lists_upper(*args, 0, 100, need, start.copy(), end, start + 50, start + 50, out)
    written = out.reshape(100, 100)
    assert all(np.all(written[i, end[i] - start[i]:50] == -1) for i in range(100))
    with pytest.raises(ValueError, match="outside"):
        _radius.lists_upper(*args, 0, 100, need, start.copy(), end + 10**6, start, end, out)


def test_cuda_grid_stride_is_exact():
    if not available_backends()["cuda"]:
        pytest.skip("CUDA backend not available here")  # CI installs numba-cuda: runs there
    from scratchml._cuda import dbscan as gpu

    X = np.random.default_rng(1).integers(-2, 3, (11, 2)).astype(float)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gpu, "THREADS_PER_BLOCK", 2)
        mp.setattr(gpu, "MAX_BLOCKS", 2)  # 11 rows walked by 4 threads
        np.testing.assert_array_equal(gpu.radius_count(X, 1.5), reference(X, 1.5))
