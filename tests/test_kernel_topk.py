"""The top-k kernel of brute-force neighbours: every backend gives the reference's indices.

* integer-valued data: ‖x‖² − 2 q·x is an exact integer in float64 whatever the
  summation order, so every backend must return *identical* indices, ties
  (duplicate training rows) broken by the lower index;
* continuous data: a row must match exactly wherever the gap between its k-th
  and (k+1)-th ranking values exceeds a float64 rounding bound;
* the Cython twin's result does not depend on the thread count.
"""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml._backend import available_backends, get_kernel
from scratchml.neighbors import NearestNeighbors
from scratchml.neighbors._topk import _knn_topk_numpy as reference


def _simulated() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"


def _limits(backend):
    if backend == "cuda" and _simulated():  # every GPU thread is a Python thread
        return dict(max_q=12, max_x=16, max_p=3)
    return dict(max_q=70, max_x=90, max_p=9)


def _run(backend, *args, **kw):
    with scratchml.config_context(backend=backend):
        fn, chosen = get_kernel("knn_topk")
    assert chosen == backend
    return fn(*args, **kw)


@pytest.fixture(autouse=True)
def _small_cuda_blocks(request):
    if "backend" in request.fixturenames and _simulated() and available_backends()["cuda"]:
        from scratchml._cuda import topk as gpu

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(gpu, "THREADS_PER_BLOCK", 32)
            yield
    else:
        yield


def _brute_order(Q, X, exclude_self):
    """Indices sorted by (exact squared distance, index), from the definition."""
    d = ((Q[:, None, :] - X[None]) ** 2).sum(-1)
    if exclude_self:
        np.fill_diagonal(d, np.inf)
    return np.lexsort((np.broadcast_to(np.arange(len(X)), d.shape), d), axis=1)


def test_backends_agree_exactly_on_integer_data(backend):
    lim = _limits(backend)

    @given(st.integers(1, lim["max_x"]), st.integers(1, lim["max_p"]), st.data())
    def check(n_x, p, data):
        X = data.draw(hnp.arrays(np.int8, (n_x, p), elements=st.integers(-3, 3))).astype(float)
        self_query = data.draw(st.booleans()) and n_x > 1
        if self_query:
            Q = X
        else:
            n_q = data.draw(st.integers(1, lim["max_q"]))
            Q = data.draw(hnp.arrays(np.int8, (n_q, p), elements=st.integers(-3, 3)))
            Q = Q.astype(float)
        k = data.draw(st.integers(1, n_x - int(self_query)))
        ref = reference(Q, X, k, exclude_self=self_query)
        got = _run(backend, Q, X, k, exclude_self=self_query)
        assert got.dtype == np.intp and got.shape == (len(Q), k)
        np.testing.assert_array_equal(got, ref)
        # The reference is the definition: (distance, index) order; exact on integers.
        np.testing.assert_array_equal(ref, _brute_order(Q, X, self_query)[:, :k])

    check()


def test_backends_agree_on_continuous_data(backend):
    lim = _limits(backend)

    @given(st.integers(2, lim["max_x"]), st.integers(1, lim["max_q"]),
           st.integers(1, lim["max_p"]), st.integers(0, 2**32 - 1), st.data())
    def check(n_x, n_q, p, seed, data):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((n_x, p)) * 3
        Q = rng.standard_normal((n_q, p)) * 3
        k = data.draw(st.integers(1, n_x - 1))
        ref = reference(Q, X, k)
        got = _run(backend, Q, X, k)
        v = (X**2).sum(1)[None] - 2 * Q @ X.T
        srt = np.sort(v, axis=1)
        # Rounding of ‖x‖² − 2q·x: a few eps64 times (‖q‖² + ‖x‖²), per value.
        bound = 64 * np.finfo(float).eps * ((Q**2).sum(1)[:, None] + (X**2).sum(1)).max(1)
        gaps = np.diff(srt, axis=1)
        clear = np.all(gaps[:, :k] > 2 * bound[:, None], axis=1)  # no near-tie up to k+1
        np.testing.assert_array_equal(got[clear], ref[clear])

    check()


def test_cython_result_does_not_depend_on_thread_count():
    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    rng = np.random.default_rng(0)
    X = rng.integers(-4, 5, (700, 6)).astype(float)  # many exact ties
    Q = rng.standard_normal((1031, 6))
    base = _run("cython", Q, X, 7, n_jobs=1)
    for n_jobs in (2, 3, 5):
        np.testing.assert_array_equal(_run("cython", Q, X, 7, n_jobs=n_jobs), base)
    np.testing.assert_array_equal(base, reference(Q, X, 7))


def test_cuda_grid_stride_is_exact():
    if not available_backends()["cuda"]:
        pytest.skip("CUDA backend not available here")
    from scratchml._cuda import topk as gpu

    rng = np.random.default_rng(1)
    X = rng.integers(-2, 3, (15, 2)).astype(float)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gpu, "THREADS_PER_BLOCK", 4)
        mp.setattr(gpu, "MAX_BLOCKS", 2)  # 15 queries walked by 8 threads
        got = gpu.knn_topk(X, X, 3, exclude_self=True)
    np.testing.assert_array_equal(got, reference(X, X, 3, exclude_self=True))


def test_neighbors_identical_on_every_backend(backend):
    rng = np.random.default_rng(2)
    X = rng.integers(-3, 4, (25, 2)).astype(float)
    with scratchml.config_context(backend="numpy"):
        ref = NearestNeighbors(n_neighbors=4).fit(X).kneighbors()
    with scratchml.config_context(backend=backend):
        got = NearestNeighbors(n_neighbors=4).fit(X).kneighbors()
    np.testing.assert_array_equal(got[1], ref[1])
    np.testing.assert_array_equal(got[0], ref[0])
