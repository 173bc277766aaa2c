"""The fused Lloyd step: every backend gives the NumPy reference's labels, sums, counts, inertia.

* integer-valued data and integer weights: every product and every partial sum
  is an integer far below 2**24, exact in float32 and float64, so all backends
  must agree *exactly* whatever their summation order, ties included (lowest index);
* continuous data: labels must agree wherever the reference's margin between the
  two nearest centres exceeds a dtype-aware rounding bound, sums to float64 rounding;
* the Cython twin's results do not depend on the number of threads (bitwise),
  and neither do KMeans's;
* the CUDA twin (on the simulator) is exact on integer data for several blocks,
  grid-stride tiles and partial tiles.
"""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml._backend import available_backends, get_kernel
from scratchml.cluster import KMeans
from scratchml.cluster._lloyd import _lloyd_step_numpy as reference

DTYPES = (np.float64, np.float32)


def _simulated() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"


def _limits(backend):
    # The CUDA simulator runs every GPU thread as a Python thread: tiny inputs.
    if backend == "cuda" and _simulated():
        return dict(max_rows=20, max_centres=5, max_features=3)
    return dict(max_rows=80, max_centres=40, max_features=9)


def _run(backend, X, C, w, **kw):
    with scratchml.config_context(backend=backend):
        fn, chosen = get_kernel("lloyd_step")
    assert chosen == backend
    return fn(X, C, w, **kw)


@pytest.fixture(autouse=True)
def _small_cuda_blocks(request):
    # 32 simulated threads (one warp) cover the same code as 256 at 1/8 the cost.
    if "backend" in request.fixturenames and _simulated() and available_backends()["cuda"]:
        from scratchml._cuda import lloyd as gpu

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(gpu, "THREADS_PER_BLOCK", 32)
            yield
    else:
        yield


@st.composite
def integer_problem(draw, max_rows, max_centres, max_features):
    dtype = draw(st.sampled_from(DTYPES))
    n = draw(st.integers(1, max_rows))
    k = draw(st.integers(1, max_centres))
    p = draw(st.integers(1, max_features))
    X = draw(hnp.arrays(np.int8, (n, p), elements=st.integers(-8, 8))).astype(dtype)
    C = draw(hnp.arrays(np.int8, (k, p), elements=st.integers(-8, 8))).astype(dtype)
    if draw(st.booleans()) and k > 1:
        C[-1] = C[0]  # a duplicate centre: an exact tie for every row
    w = draw(hnp.arrays(np.int8, n, elements=st.integers(1, 4))).astype(dtype)
    return X, C, w


def _brute(X, C, w):
    """Labels, sums, counts and inertia straight from the definition, in float64."""
    d = ((X[:, None, :].astype(np.float64) - C[None].astype(np.float64)) ** 2).sum(-1)
    labels = d.argmin(axis=1)
    k = C.shape[0]
    onehot = np.eye(k)[labels] * w[:, None].astype(np.float64)
    return labels, onehot.T @ X.astype(np.float64), onehot.sum(0), float(d.min(1) @ w)


def test_backends_agree_exactly_on_integer_data(backend):
    @given(integer_problem(**_limits(backend)))
    def check(problem):
        X, C, w = problem
        ref = reference(X, C, w)
        got = _run(backend, X, C, w)
        assert got[0].dtype == np.intp and got[1].dtype == np.float64
        np.testing.assert_array_equal(got[0], ref[0])
        np.testing.assert_array_equal(got[1], ref[1])
        np.testing.assert_array_equal(got[2], ref[2])
        assert got[3] == ref[3]
        # And the reference is the definition (first minimum on ties).
        brute = _brute(X, C, w)
        np.testing.assert_array_equal(ref[0], brute[0])
        np.testing.assert_array_equal(ref[1], brute[1])
        np.testing.assert_array_equal(ref[2], brute[2])
        assert ref[3] == brute[3]

    check()


def test_backends_agree_on_continuous_data(backend):
    lim = _limits(backend)

    @given(st.sampled_from(DTYPES), st.integers(1, lim["max_rows"]),
           st.integers(1, lim["max_centres"]), st.integers(1, lim["max_features"]),
           st.integers(0, 2**32 - 1))
    def check(dtype, n, k, p, seed):
        rng = np.random.default_rng(seed)
        X = (rng.standard_normal((n, p)) * 3).astype(dtype)
        C = (rng.standard_normal((k, p)) * 3).astype(dtype)
        w = rng.uniform(0.5, 2.0, n).astype(dtype)
        ref = reference(X, C, w)
        got = _run(backend, X, C, w)
        exact = ((X[:, None, :].astype(np.float64) - C[None]) ** 2).sum(-1)
        # Rounding of ||c||² − 2x·c is about eps (||x||² + ||c||²) times a few p.
        scale = (X.astype(np.float64) ** 2).sum(1)[:, None] + (C.astype(np.float64) ** 2).sum(1)
        bound = 64 * np.finfo(dtype).eps * scale.max(axis=1)
        srt = np.sort(exact, axis=1)
        clear = (srt[:, 1] - srt[:, 0] > 2 * bound) if k > 1 else np.ones(n, bool)
        np.testing.assert_array_equal(got[0][clear], ref[0][clear])
        if np.array_equal(got[0], ref[0]):
            # Same partition: the float64 sums differ only in summation order
            # of at most n terms of size |w x| <= ~40 (eps64 * n * 40 < 1e-11).
            np.testing.assert_allclose(got[1], ref[1], rtol=0, atol=1e-10)
            np.testing.assert_allclose(got[2], ref[2], rtol=1e-12)
            # Inertia: the sum of n distances, each within its rounding bound.
            assert abs(got[3] - ref[3]) <= 2 * float(bound @ w) + 1e-9

    check()


@pytest.mark.parametrize("dtype", DTYPES)
def test_cython_result_does_not_depend_on_thread_count(dtype):
    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20_011, 7)).astype(dtype)  # 10 chunks, a partial last tile
    C = rng.standard_normal((37, 7)).astype(dtype)
    w = rng.uniform(0.1, 2, len(X)).astype(dtype)
    base = _run("cython", X, C, w, n_jobs=1)
    for n_jobs in (2, 3, 7):
        got = _run("cython", X, C, w, n_jobs=n_jobs)
        np.testing.assert_array_equal(got[0], base[0])
        np.testing.assert_array_equal(got[1], base[1])  # bitwise: fixed chunks, fixed order
        np.testing.assert_array_equal(got[2], base[2])
        assert got[3] == base[3]
    ref = reference(X, C, w)
    np.testing.assert_array_equal(base[0], ref[0])
    # Same partition: float64 sums in another order; terms of size ~|x| ~ 4 (w <= 2).
    np.testing.assert_allclose(base[1], ref[1], rtol=0, atol=1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cython_every_tile_layout_is_exact(dtype):
    """Each packed layout (one vector, two vectors and several blocks, and float32's
    paired layout for few centres) gives the reference's exact results on integer
    data, for odd and even feature counts, and the Lloyd step and the
    nearest-centre kernel (same micro-kernel) give the same labels."""
    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    from scratchml._cython import _lloyd
    from scratchml.metrics._pairwise import _sqeuclidean_argmin_numpy

    lanes = _lloyd.tile_layout(dtype, 1)[1]
    ks = sorted({1, 2, max(1, lanes // 2), lanes // 2 + 1, lanes, lanes + 1, 3 * lanes + 1})
    seen = set()
    rng = np.random.default_rng(4)
    for k in ks:
        seen.add(_lloyd.tile_layout(dtype, k)[0])
        for p in (1, 2, 7, 50):
            # 203 rows: many tiles (prefetching ahead) and a partial last one.
            X = rng.integers(-6, 7, (203, p)).astype(dtype)
            C = rng.integers(-6, 7, (k, p)).astype(dtype)
            w = rng.integers(1, 4, 203).astype(dtype)
            got, ref = _run("cython", X, C, w), reference(X, C, w)
            np.testing.assert_array_equal(got[0], ref[0])
            np.testing.assert_array_equal(got[1], ref[1])  # integers: exact in any order
            np.testing.assert_array_equal(got[2], ref[2])
            assert got[3] == ref[3]
            with scratchml.config_context(backend="cython"):
                argmin, _ = get_kernel("sqeuclidean_argmin")
            labels, dist = argmin(X, C)
            ref_labels, ref_dist = _sqeuclidean_argmin_numpy(X, C)
            np.testing.assert_array_equal(labels, ref_labels)
            np.testing.assert_array_equal(dist, ref_dist)
            # Continuous data: both kernels run the same micro-kernel, same labels.
            Xc = rng.standard_normal((203, p)).astype(dtype)
            np.testing.assert_array_equal(_run("cython", Xc, C, w)[0], argmin(Xc, C)[0])
    assert {0, 1} <= seen  # one- and two-vector blocks (2 also where it is built)


def test_kmeans_n_jobs_does_not_change_results():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((9000, 5))
    init = X[:6].copy()
    fits = []
    for n_jobs in (1, 2, 3):
        with scratchml.config_context(n_jobs=n_jobs):
            fits.append(KMeans(6, init=init, max_iter=20).fit(X))
    for km in fits[1:]:
        np.testing.assert_array_equal(km.labels_, fits[0].labels_)
        np.testing.assert_array_equal(km.cluster_centers_, fits[0].cluster_centers_)
        assert km.inertia_ == fits[0].inertia_ and km.n_iter_ == fits[0].n_iter_


def test_step_inertia_is_inertia_of_the_assignment():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((500, 4))
    C = X[:7].copy()
    w = rng.uniform(0.5, 1.5, 500)
    labels, sums, counts, inertia = reference(X, C, w)
    direct = float(((X - C[labels]) ** 2).sum(1) @ w)
    np.testing.assert_allclose(inertia, direct, rtol=1e-12)  # expansion vs differences
    np.testing.assert_allclose(counts, np.bincount(labels, w, minlength=7), rtol=1e-14)


def test_cuda_several_blocks_and_grid_stride_are_exact():
    if not available_backends()["cuda"]:
        pytest.skip("CUDA backend not available here")  # CI installs numba-cuda: runs there
    from scratchml._cuda import lloyd as gpu

    rng = np.random.default_rng(4)
    for dtype in DTYPES:
        X = rng.integers(-6, 7, (23, 3)).astype(dtype)
        C = rng.integers(-2, 3, (4, 3)).astype(dtype)
        C[3] = C[1]  # tie across the whole data set
        w = rng.integers(1, 4, 23).astype(dtype)
        # 4 threads, 2 blocks: 6 tiles walked by a grid-stride loop, the last one partial.
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(gpu, "THREADS_PER_BLOCK", 4)
            mp.setattr(gpu, "MAX_BLOCKS", 2)
            got = gpu.lloyd_step(X, C, w)
        ref = reference(X, C, w)
        np.testing.assert_array_equal(got[0], ref[0])
        np.testing.assert_array_equal(got[1], ref[1])
        np.testing.assert_array_equal(got[2], ref[2])
        assert got[3] == ref[3]
