"""The top-k kernel of brute-force neighbours: every backend gives the reference's indices.

* integer-valued data: ‖x‖² − 2 q·x is an exact integer in float64 whatever the
  summation order, so every backend must return *identical* indices, ties
  (duplicate training rows) broken by the lower index;
* continuous data: a row must match exactly wherever the gap between its k-th
  and (k+1)-th ranking values exceeds a float64 rounding bound;
* the Cython twin's result does not depend on the thread count;
* float32 input (ranked in float32 by every backend): the float64 reference's
  indices exactly on small integers (exact in float32 too), and on continuous
  data wherever the k-th/(k+1)-th gap exceeds a float32 rounding bound.
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
from scratchml.neighbors._topk import kneighbors_brute

EPS32 = float(np.finfo(np.float32).eps)


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
        pytest.skip("CUDA backend not available here")  # CI installs numba-cuda: runs there
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


def _bound32(Q, X):
    """Per query row: how far float32 rounding can move v = ‖x‖² − 2q·x.

    A p-term dot product in float32 is off by at most p·u·Σ|q_f x_f| (u = ε₃₂/2,
    any summation order or FMA), ‖x‖² by p·u·‖x‖², and the subtraction by
    u·|v|; with 2‖q‖‖x‖ <= ‖q‖² + ‖x‖² that is at most (p + 2)·ε₃₂·S, S = ‖q‖²
    + max‖x‖². Doubled for slack (BLAS sgemm may split sums differently).
    """
    p = Q.shape[1]
    Q, X = Q.astype(np.float64), X.astype(np.float64)
    S = (Q**2).sum(1) + (X**2).sum(1).max()
    return 2 * (p + 2) * EPS32 * S


def _clear_rows(Q, X, k, exclude_self=False):
    """Rows whose k+1 smallest v are pairwise further apart than two float32 bounds."""
    Q64, X64 = Q.astype(np.float64), X.astype(np.float64)
    v = (X64**2).sum(1)[None] - 2 * Q64 @ X64.T
    if exclude_self:
        np.fill_diagonal(v, np.inf)
    gaps = np.diff(np.sort(v, axis=1), axis=1)[:, :k]
    return np.all(gaps > 2 * _bound32(Q, X)[:, None], axis=1)


def test_float32_gives_float64_indices_on_integer_data(backend):
    lim = _limits(backend)

    @given(st.integers(2, lim["max_x"]), st.integers(1, lim["max_p"]), st.data())
    def check(n_x, p, data):
        X = data.draw(hnp.arrays(np.int8, (n_x, p), elements=st.integers(-3, 3)))
        self_query = data.draw(st.booleans())
        if self_query:
            Q = X
        else:
            n_q = data.draw(st.integers(1, lim["max_q"]))
            Q = data.draw(hnp.arrays(np.int8, (n_q, p), elements=st.integers(-3, 3)))
        k = data.draw(st.integers(1, n_x - int(self_query)))
        # |v| <= 9p + 18p < 2^24: every value is an exact integer in float32 as well.
        ref = reference(Q.astype(np.float64), X.astype(np.float64), k, exclude_self=self_query)
        got = _run(backend, Q.astype(np.float32), X.astype(np.float32), k,
                   exclude_self=self_query)
        assert got.dtype == np.intp and got.shape == (len(Q), k)
        np.testing.assert_array_equal(got, ref)

    check()


def test_float32_agrees_on_continuous_data_up_to_float32_rounding(backend):
    lim = _limits(backend)

    @given(st.integers(2, lim["max_x"]), st.integers(1, lim["max_q"]),
           st.integers(1, lim["max_p"]), st.integers(0, 2**32 - 1), st.data())
    def check(n_x, n_q, p, seed, data):
        rng = np.random.default_rng(seed)
        X = (rng.standard_normal((n_x, p)) * 3).astype(np.float32)
        Q = (rng.standard_normal((n_q, p)) * 3).astype(np.float32)
        k = data.draw(st.integers(1, n_x - 1))
        # The float64 reference on the same (float32) values is the definition.
        ref = reference(Q.astype(np.float64), X.astype(np.float64), k)
        got = _run(backend, Q, X, k)
        clear = _clear_rows(Q, X, k)
        np.testing.assert_array_equal(got[clear], ref[clear])

    check()


def test_float32_blocks_panels_and_chunks_cython():
    """Sizes that cross Cython's float32 blocks (2 vectors), L2 panels and query chunks."""
    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    from scratchml._cython import _topk

    # p = 300 makes a panel 131072 / (nr * 300) blocks: 1,001 rows span several
    # panels, 300 queries span two chunks of 256 and a partial row tile.
    rng = np.random.default_rng(3)
    X = rng.integers(-3, 4, (1001, 300))
    Q = rng.integers(-3, 4, (300, 300))
    assert 1001 > 131072 // 300  # more than one panel for either dtype
    for dtype in (np.float32, np.float64):
        got = _run("cython", Q.astype(dtype), X.astype(dtype), 6)
        np.testing.assert_array_equal(got, reference(Q.astype(float), X.astype(float), 6))
        self_got = _run("cython", X.astype(dtype), X.astype(dtype), 4, exclude_self=True)
        np.testing.assert_array_equal(
            self_got, reference(X.astype(float), X.astype(float), 4, exclude_self=True))
    assert _topk.block_width(True) == 2 * _topk.block_width(False)
    # Continuous data: exact wherever no near-tie within the float32 bound, and that
    # is most rows (otherwise this test could not fail).
    Xc = rng.standard_normal((1001, 300)).astype(np.float32)
    Qc = rng.standard_normal((300, 300)).astype(np.float32)
    clear = _clear_rows(Qc, Xc, 5)
    assert clear.mean() > 0.5
    got = _run("cython", Qc, Xc, 5)
    ref = reference(Qc.astype(float), Xc.astype(float), 5)
    np.testing.assert_array_equal(got[clear], ref[clear])


def test_cython_float32_does_not_depend_on_thread_count():
    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    rng = np.random.default_rng(4)
    X = rng.integers(-4, 5, (700, 6)).astype(np.float32)  # many exact ties
    Q = rng.standard_normal((1031, 6)).astype(np.float32)
    base = _run("cython", Q, X, 7, n_jobs=1)
    for n_jobs in (2, 3):
        np.testing.assert_array_equal(_run("cython", Q, X, 7, n_jobs=n_jobs), base)


def test_cython_topk_rows_float32_matches_float64():
    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    from scratchml._cython import _topk

    rng = np.random.default_rng(5)
    D = rng.integers(0, 6, (40, 33)).astype(np.float64)  # many ties: lower column first
    out = {}
    for dtype in (np.float32, np.float64):
        out[dtype] = np.empty((40, 4), dtype=np.intp)
        _topk.topk_rows(D.astype(dtype), 4, out[dtype], 0, True, 0, 40)
    np.testing.assert_array_equal(out[np.float32], out[np.float64])
    Dx = D.copy()
    np.fill_diagonal(Dx, np.inf)
    expect = np.lexsort((np.broadcast_to(np.arange(33), Dx.shape), Dx), axis=1)[:, :4]
    np.testing.assert_array_equal(out[np.float64], expect)


def test_kneighbors_brute_float32_returns_float64_distances(backend):
    rng = np.random.default_rng(6)
    X = rng.integers(-3, 4, (30, 3))
    Q = rng.integers(-3, 4, (9, 3))
    d64, i64 = kneighbors_brute(Q.astype(float), X.astype(float), 4)
    with scratchml.config_context(backend=backend):
        d32, i32 = kneighbors_brute(Q.astype(np.float32), X.astype(np.float32), 4)
        s32, j32 = kneighbors_brute(X.astype(np.float32), X.astype(np.float32), 4,
                                    exclude_self=True)
    # Exact integers: same neighbours, and the distances recomputed in float64 from
    # the float32 values are bit-identical to the float64 path's.
    assert d32.dtype == np.float64
    np.testing.assert_array_equal(i32, i64)
    np.testing.assert_array_equal(d32, d64)
    s64, j64 = kneighbors_brute(X.astype(float), X.astype(float), 4, exclude_self=True)
    np.testing.assert_array_equal(j32, j64)
    np.testing.assert_array_equal(s32, s64)
    # Continuous: where the neighbours agree, so do the distances, to the last bit.
    Xc = rng.standard_normal((40, 5)).astype(np.float32)
    Qc = rng.standard_normal((11, 5)).astype(np.float32)
    with scratchml.config_context(backend=backend):
        dc, ic = kneighbors_brute(Qc, Xc, 3)
    dr, ir = kneighbors_brute(Qc.astype(float), Xc.astype(float), 3)
    same = np.all(ic == ir, axis=1)
    assert same.mean() > 0.5  # near-ties within the float32 bound are rare
    np.testing.assert_array_equal(dc[same], dr[same])
