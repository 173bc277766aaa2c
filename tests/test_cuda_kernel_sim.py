"""The CUDA twin of ``sqeuclidean_argmin`` gives the NumPy reference's answers.

Runs on Numba's CUDA simulator, which executes every GPU thread as a Python
thread: inputs are tiny and hypothesis draws few examples. The kernel's launch
constants (threads per block, centres per shared-memory tile, grid cap, shared
memory budget) are module attributes, so the tests shrink them to make the
simulator walk the code paths a real GPU takes on large inputs: several tiles,
a partial last tile, a grid-stride loop, the untiled fallback.
"""

import contextlib
import os

# The simulator must be chosen before Numba is first imported, since Numba reads
# the variable once. On a machine with a GPU, run with NUMBA_ENABLE_CUDASIM=0 set
# explicitly outside to test the real kernels instead.
os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import numpy as np
import pytest

pytest.importorskip("numba")

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import scratchml
from scratchml import _backend
from scratchml.metrics import pairwise_distances_argmin_min
from scratchml.metrics._pairwise import _sqeuclidean_argmin_numpy as reference

if not _backend.cuda_available():
    pytest.skip(_backend.cuda_unavailable_reason(), allow_module_level=True)

from scratchml._cuda import distances as gpu

pytestmark = pytest.mark.cuda

SIMULATED = os.environ["NUMBA_ENABLE_CUDASIM"] == "1"
FEW = settings(max_examples=25, deadline=None)  # each launch takes ~0.1 s simulated
DTYPES = [np.float32, np.float64]


@pytest.fixture(autouse=True, scope="module")
def _simulator_sized_blocks():
    # 256 simulated threads cost ~1 s per launch to start; 32 (one warp) suffice
    # to cover the same code. A real GPU keeps the production block size.
    with pytest.MonkeyPatch.context() as mp:
        if SIMULATED:
            mp.setattr(gpu, "THREADS_PER_BLOCK", 32)
        yield


@contextlib.contextmanager
def launch_with(**constants):
    """Context in which the kernel module's launch constants take other values."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in constants.items():
            assert hasattr(gpu, name), name
            mp.setattr(gpu, name, value)
        yield


def brute_force(X, C):
    """Exact-enough squared distances in float64, (n, k), for margins and tolerances."""
    X64, C64 = X.astype(np.float64), C.astype(np.float64)
    return ((X64[:, None, :] - C64[None, :, :]) ** 2).sum(axis=2)


@st.composite
def integer_problems(draw, max_rows=64, max_centres=8, max_features=5):
    """Small integer-valued X and C, where every dot product is exact in float32 too.

    C's entries come from {-2..2}, so duplicate centres, and thus exact ties, are common.
    """
    dtype = draw(st.sampled_from(DTYPES))
    n = draw(st.integers(1, max_rows))
    k = draw(st.integers(1, max_centres))
    p = draw(st.integers(1, max_features))
    X = draw(arrays(np.int8, (n, p), elements=st.integers(-8, 8))).astype(dtype)
    C = draw(arrays(np.int8, (k, p), elements=st.integers(-2, 2))).astype(dtype)
    return X, C


# ---------------------------------------------------------------- exact agreement


@FEW
@given(problem=integer_problems(), tile=st.sampled_from([1, 2, 3, 64]))
def test_integer_data_gives_reference_labels_and_distances_exactly(problem, tile):
    # With small integers every product and sum is exact in either dtype, so the
    # order of summation cannot matter: labels (ties included) and distances must
    # be bit-identical to the reference's, whatever the tiling.
    X, C = problem
    with launch_with(TILE_CENTRES=tile):
        labels, dist = gpu.sqeuclidean_argmin(X, C)
    ref_labels, ref_dist = reference(X, C)
    assert labels.dtype == np.intp and labels.shape == (X.shape[0],)
    assert dist.dtype == X.dtype
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_array_equal(dist, ref_dist)


@pytest.mark.parametrize("tile", [2, 3, 64])
def test_duplicate_centres_tie_to_lowest_index_across_tiles(tile):
    # Centres 1, 4 and 6 are the same point; with tiles of 2 or 3 they sit in
    # different tiles, so the tie must survive the tile-to-tile merge.
    C = np.array([[5, 5], [1, 2], [9, 9], [-4, 0], [1, 2], [7, -7], [1, 2]], dtype=np.float64)
    X = np.array([[1, 2], [1, 2.25], [-4, 0], [6, 6]], dtype=np.float64)
    with launch_with(TILE_CENTRES=tile):
        labels, dist = gpu.sqeuclidean_argmin(X, C)
    np.testing.assert_array_equal(labels, [1, 1, 3, 0])
    np.testing.assert_array_equal(dist, [0, 0.0625, 0, 2])


# ---------------------------------------------------------- floating-point agreement


@st.composite
def separated_problems(draw):
    """Random points scattered around random centres, optionally far from the origin."""
    dtype = draw(st.sampled_from(DTYPES))
    n = draw(st.integers(1, 64))
    k = draw(st.integers(1, 8))
    p = draw(st.integers(1, 5))
    shift = draw(st.sampled_from([0.0, 100.0]))  # large norms: cancellation in the expansion
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    C = rng.normal(scale=10.0, size=(k, p)) + shift
    X = C[rng.integers(k, size=n)] + rng.normal(size=(n, p))
    return X.astype(dtype), C.astype(dtype)


def rounding_tolerance(X, C, labels):
    """Per row, how far two correct float implementations may disagree on a distance.

    Both compute ||x||^2 + ||c||^2 - 2 x.c in X's dtype, summing the p products in
    different orders (the GPU feature by feature, BLAS in blocks, perhaps with FMA).
    Each sum's rounding error is at most about p * eps times the size of its terms,
    and the terms are bounded by s = ||x||^2 + ||c||^2, so the distances may differ
    by a small multiple of (p + 2) * eps * s: ~1e-14 * s in float64, ~1e-6 * s in
    float32. The factor 4 leaves room for the three sums and the final additions.
    """
    eps = np.finfo(X.dtype).eps
    x_sq = (X.astype(np.float64) ** 2).sum(axis=1)
    c_sq = (C.astype(np.float64) ** 2).sum(axis=1)
    return 4 * (X.shape[1] + 2) * eps * (x_sq + c_sq[labels])


@FEW
@given(problem=separated_problems(), tile=st.sampled_from([2, 64]))
def test_random_data_matches_reference_within_rounding(problem, tile):
    X, C = problem
    with launch_with(TILE_CENTRES=tile):
        labels, dist = gpu.sqeuclidean_argmin(X, C)
    ref_labels, ref_dist = reference(X, C)
    assert dist.dtype == X.dtype
    tol = rounding_tolerance(X, C, ref_labels)
    # Labels must agree wherever the nearest centre beats the runner-up by more
    # than both implementations' rounding; nearer races may legitimately flip.
    exact = brute_force(X, C)
    runner_up = np.sort(exact, axis=1)[:, 1] if C.shape[0] > 1 else np.full(len(X), np.inf)
    clear = runner_up - exact.min(axis=1) > 2 * tol
    np.testing.assert_array_equal(labels[clear], ref_labels[clear])
    assert np.all(np.abs(dist.astype(np.float64) - ref_dist) <= tol)
    assert np.all(dist >= 0)


# ------------------------------------------------------------------ launch shapes


@pytest.mark.parametrize("dtype", DTYPES)
def test_one_centre(dtype):
    rng = np.random.default_rng(0)
    X = rng.integers(-5, 6, size=(37, 3)).astype(dtype)
    C = np.array([[1, -2, 3]], dtype=dtype)
    labels, dist = gpu.sqeuclidean_argmin(X, C)
    np.testing.assert_array_equal(labels, np.zeros(37, dtype=np.intp))
    np.testing.assert_array_equal(dist, ((X - C) ** 2).sum(axis=1))  # integers: exact
    assert dist.dtype == dtype


def test_row_count_not_a_multiple_of_the_production_block():
    # The real block size (256 threads) with 300 rows: the second block is mostly
    # masked-off threads, which must still reach every syncthreads.
    rng = np.random.default_rng(1)
    X = rng.integers(-8, 9, size=(300, 2)).astype(np.float64)
    C = rng.integers(-2, 3, size=(5, 2)).astype(np.float64)
    with launch_with(THREADS_PER_BLOCK=256, TILE_CENTRES=2):
        labels, dist = gpu.sqeuclidean_argmin(X, C)
    ref_labels, ref_dist = reference(X, C)
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_array_equal(dist, ref_dist)


@pytest.mark.parametrize("max_blocks", [1, 2])
def test_grid_stride_loop_covers_rows_beyond_the_grid(max_blocks):
    # 16 threads x 1 or 2 blocks for 61 rows: each block loops over several row
    # chunks, the last one partial.
    rng = np.random.default_rng(2)
    X = rng.integers(-8, 9, size=(61, 4)).astype(np.float32)
    C = rng.integers(-2, 3, size=(7, 4)).astype(np.float32)
    with launch_with(THREADS_PER_BLOCK=16, MAX_BLOCKS=max_blocks, TILE_CENTRES=3):
        assert gpu._grid(len(X)) == max_blocks
        labels, dist = gpu.sqeuclidean_argmin(X, C)
    ref_labels, ref_dist = reference(X, C)
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_array_equal(dist, ref_dist)


@FEW
@given(problem=integer_problems(max_rows=40))
def test_untiled_fallback_for_centres_too_wide_for_shared_memory(problem):
    # A shared-memory budget smaller than one centre selects the global-memory
    # kernel; one block of 16 threads makes its grid-stride loop go round.
    X, C = problem
    with launch_with(SHARED_MEMORY_BYTES=4, THREADS_PER_BLOCK=16, MAX_BLOCKS=1):
        assert gpu._tile_centres(C.shape[0], C.shape[1], X.itemsize) == 0
        labels, dist = gpu.sqeuclidean_argmin(X, C)
    ref_labels, ref_dist = reference(X, C)
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_array_equal(dist, ref_dist)


def test_tile_size_respects_shared_memory_budget():
    # A tile holds T centres of p features plus T norms: T * (p + 1) values <= 48 KiB.
    assert gpu._tile_centres(1000, 2, 8) == gpu.TILE_CENTRES
    assert gpu._tile_centres(5, 2, 8) == 5  # never more centres than there are
    assert gpu._tile_centres(1000, 6143, 8) == 1  # 6144 doubles = 48 KiB exactly
    assert gpu._tile_centres(1000, 6144, 8) == 0  # one centre no longer fits
    assert gpu._tile_centres(1000, 12287, 4) == 1
    for p in (1, 50, 100, 1000):
        for itemsize in (4, 8):
            t = gpu._tile_centres(10**6, p, itemsize)
            assert t * (p + 1) * itemsize <= gpu.SHARED_MEMORY_BYTES


# --------------------------------------------------------------- inputs and outputs


@pytest.mark.parametrize("order", ["C", "F"])
def test_device_arrays_are_used_in_place_and_results_come_back_to_the_host(order):
    from numba import cuda

    rng = np.random.default_rng(3)
    X = rng.integers(-8, 9, size=(45, 3)).astype(np.float32)
    C = rng.integers(-2, 3, size=(6, 3)).astype(np.float32)
    X_dev = cuda.to_device(np.asarray(X, order=order))  # "F" needs no reordering on the GPU
    # One block of 16 threads: the GPU row-norm kernel's grid-stride loop goes round too.
    with launch_with(THREADS_PER_BLOCK=16, MAX_BLOCKS=1):
        labels, dist = gpu.sqeuclidean_argmin(X_dev, cuda.to_device(C))
    assert isinstance(labels, np.ndarray) and isinstance(dist, np.ndarray)
    ref_labels, ref_dist = reference(X, C)
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_array_equal(dist, ref_dist)  # integers: ||x||^2 on the GPU is exact too


def test_reordering_on_the_gpu_gives_a_column_major_copy():
    from numba import cuda

    X = np.arange(60, dtype=np.float64).reshape(12, 5)
    with launch_with(THREADS_PER_BLOCK=8, MAX_BLOCKS=2):  # grid-stride over the 60 values
        out = gpu._column_major(cuda.to_device(X), gpu._kernels(X.dtype)[3])
    assert out.flags["F_CONTIGUOUS"]
    np.testing.assert_array_equal(out.copy_to_host(), X)


def test_empty_x_and_bad_inputs():
    C = np.ones((2, 3))
    labels, dist = gpu.sqeuclidean_argmin(np.empty((0, 3)), C)
    assert labels.shape == dist.shape == (0,) and labels.dtype == np.intp
    with pytest.raises(ValueError, match="at least one centre"):
        gpu.sqeuclidean_argmin(np.ones((4, 3)), np.empty((0, 3)))
    with pytest.raises(ValueError, match="dtype"):
        gpu.sqeuclidean_argmin(np.ones((4, 3)), np.ones((2, 3), dtype=np.float32))


# ------------------------------------------------------------ through the registry


@pytest.mark.parametrize("dtype", DTYPES)
def test_public_function_with_cuda_backend_matches_numpy_backend(dtype):
    rng = np.random.default_rng(4)
    X = rng.integers(-8, 9, size=(33, 4)).astype(dtype)
    Y = rng.integers(-2, 3, size=(8, 4)).astype(dtype)
    with scratchml.config_context(backend="cuda"):
        kernel, name = _backend.get_kernel("sqeuclidean_argmin")
        assert name == "cuda" and kernel is gpu.sqeuclidean_argmin
        labels, dist = pairwise_distances_argmin_min(X, Y, metric="sqeuclidean")
    with scratchml.config_context(backend="numpy"):
        ref_labels, ref_dist = pairwise_distances_argmin_min(X, Y, metric="sqeuclidean")
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_array_equal(dist, ref_dist)  # integers: exact
    assert dist.dtype == dtype
