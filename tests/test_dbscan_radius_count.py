"""DBSCAN's neighbourhood-count kernel: every backend gives the reference's counts exactly."""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml._backend import get_kernel
from scratchml.cluster._dbscan import _radius_count_numpy as reference
from scratchml.cluster._dbscan import _radius_neighbors


def _max_rows(backend):
    # The CUDA simulator runs every GPU thread as a Python thread: tiny inputs.
    return 16 if backend == "cuda" and os.environ.get("NUMBA_ENABLE_CUDASIM") == "1" else 120


# radius_count has NumPy and CUDA implementations (no Cython twin: DBSCAN.fit needs
# the neighbour lists, not counts), so only those two backends are parametrised.
ITS_BACKENDS = pytest.mark.parametrize("backend", ["numpy", "cuda"], indirect=True)


def _kernel(backend):
    with scratchml.config_context(backend=backend):
        fn, chosen = get_kernel("radius_count")
    assert chosen == backend
    return fn


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
        ref = reference(X, eps)
        assert got.dtype == np.intp
        np.testing.assert_array_equal(got, ref)
        d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
        np.testing.assert_array_equal(ref, (d2 <= eps * eps).sum(1))

    check()


def test_counts_are_the_sizes_of_dbscan_neighbourhoods():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 4))
    indptr, _ = _radius_neighbors(X, 1.3, "euclidean")
    # Same test x·y − ‖y‖²/2 ≥ (‖x‖² − ε²)/2; lists compute pairs i < j and mirror
    # them, counts compute every pair: a pair within rounding of eps could differ.
    d = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    near_eps = (np.abs(d - 1.3) < 1e-9).any(axis=1)
    np.testing.assert_array_equal(reference(X, 1.3)[~near_eps], np.diff(indptr)[~near_eps])


def test_cuda_grid_stride_is_exact():
    from scratchml._backend import available_backends

    if not available_backends()["cuda"]:
        pytest.skip("CUDA backend not available here")
    from scratchml._cuda import dbscan as gpu

    X = np.random.default_rng(1).integers(-2, 3, (11, 2)).astype(float)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gpu, "THREADS_PER_BLOCK", 2)
        mp.setattr(gpu, "MAX_BLOCKS", 2)  # 11 rows walked by 4 threads
        np.testing.assert_array_equal(gpu.radius_count(X, 1.5), reference(X, 1.5))
