"""The histogram kernels: the reference is right, and every backend agrees with it.

* ``hist_build``: checked against a per-sample loop; the Cython twin sums every
  bin in the same order as the reference, so it agrees *exactly* on any data;
  CUDA adds with atomics in arbitrary order, so it is exact on integer-valued
  gradients and within a float64 rounding bound otherwise (test_cuda_histogram.py).
* histogram subtraction: parent - (one child) equals the other child's histogram.
* ``hist_best_split``: the chosen split's gain is the best gain over every
  threshold and missing-value direction, computed by brute force from the samples.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml._backend import available_backends, get_kernel
from scratchml.ensemble._hist_kernels import (
    MISSING_BIN,
    N_BINS,
    _hist_best_split_numpy,
    _hist_build_numpy,
)


def _kernel(name, backend):
    with scratchml.config_context(backend=backend):
        fn, chosen = get_kernel(name)
    assert chosen == backend
    return fn


@st.composite
def node_problem(draw, max_rows=60, max_features=4, integer=False):
    """Bin codes (a few bins, NaN bin sometimes), gradients, hessians or None, a node."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(1, max_rows))
    p = draw(st.integers(1, max_features))
    n_bins = draw(st.sampled_from([2, 3, 7, 255]))
    codes = rng.integers(0, n_bins, (n, p))
    if draw(st.booleans()):
        codes[rng.random((n, p)) < 0.2] = MISSING_BIN
    Xb = np.asfortranarray(codes.astype(np.uint8))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    if integer:
        g = rng.integers(-8, 9, n).astype(dtype)
        h = rng.integers(0, 5, n).astype(dtype)
    else:
        g = rng.standard_normal(n).astype(dtype)
        h = rng.random(n).astype(dtype)
    h = h if draw(st.booleans()) else None
    idx = None
    if draw(st.booleans()):
        idx = np.sort(rng.choice(n, draw(st.integers(0, n)), replace=False)).astype(np.intp)
    return Xb, idx, g, h


@given(node_problem())
def test_reference_histogram_is_the_per_sample_sum(problem):
    Xb, idx, g, h = problem
    hist = _hist_build_numpy(Xb, idx, g, h)
    rows = np.arange(len(g)) if idx is None else idx
    expected = np.zeros_like(hist)
    for i in rows:
        for f in range(Xb.shape[1]):
            expected[f, Xb[i, f]] += (g[i], 1.0 if h is None else h[i], 1.0)
    # Sums in the same sample order in float64: identical.
    np.testing.assert_array_equal(hist, expected)


def test_hist_build_backends_agree(backend):
    if backend == "cuda":
        pytest.skip("CUDA: tests/test_cuda_histogram.py (tiny inputs on the simulator)")
    fn = _kernel("hist_build", backend)

    @given(node_problem(max_rows=200, max_features=6))
    def check(problem):
        Xb, idx, g, h = problem
        np.testing.assert_array_equal(fn(Xb, idx, g, h), _hist_build_numpy(Xb, idx, g, h))

    check()


def test_hist_build_result_independent_of_threads():
    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    fn = _kernel("hist_build", "cython")
    rng = np.random.default_rng(0)
    Xb = np.asfortranarray(rng.integers(0, 256, (40_000, 12)).astype(np.uint8))
    g = rng.standard_normal(40_000).astype(np.float32)
    idx = np.flatnonzero(rng.random(40_000) < 0.7)
    one = fn(Xb, idx, g, None, n_jobs=1)
    for n_jobs in (2, 3, -1):
        np.testing.assert_array_equal(fn(Xb, idx, g, None, n_jobs=n_jobs), one)


@given(node_problem(integer=True), st.integers(0, 2**32 - 1))
def test_histogram_subtraction_equals_direct_building(problem, seed):
    Xb, idx, g, h = problem
    rows = np.arange(len(g)) if idx is None else idx
    mask = np.random.default_rng(seed).random(len(rows)) < 0.5
    parent = _hist_build_numpy(Xb, rows, g, h)
    left = _hist_build_numpy(Xb, rows[mask], g, h)
    right = _hist_build_numpy(Xb, rows[~mask], g, h)
    # Integer-valued gradients: every sum is exact, so subtraction is too.
    np.testing.assert_array_equal(parent - left, right)


def test_histogram_subtraction_on_real_gradients():
    rng = np.random.default_rng(1)
    Xb = np.asfortranarray(rng.integers(0, 256, (5000, 3)).astype(np.uint8))
    g = rng.standard_normal(5000)
    rows = np.arange(5000)
    mask = rng.random(5000) < 0.3
    parent = _hist_build_numpy(Xb, rows, g, None)
    small = _hist_build_numpy(Xb, rows[mask], g, None)
    large = _hist_build_numpy(Xb, rows[~mask], g, None)
    # Float64 sums of ~20 values of size ~1 per bin: error a few ulps of the bin sum.
    np.testing.assert_allclose(parent - small, large, rtol=0, atol=1e-12)


def _brute_force_best_gain(Xb, rows, g, h, min_samples_leaf, min_hessian, l2):
    """Best gain over every feature, bin threshold and NaN direction, from the samples."""
    g = g[rows].astype(np.float64)
    h = np.ones(len(rows)) if h is None else h[rows].astype(np.float64)
    G, H = g.sum(), h.sum()
    best = -np.inf
    for f in range(Xb.shape[1]):
        col = Xb[rows, f].astype(int)
        for b in range(N_BINS - 1):
            for nan_left in (False, True):
                left = (col <= b) | ((col == MISSING_BIN) & nan_left)
                nl, nr = left.sum(), (~left).sum()
                hl, hr = h[left].sum(), h[~left].sum()
                if min(nl, nr) < min_samples_leaf or min(hl, hr) < min_hessian:
                    continue
                gl, gr = g[left].sum(), g[~left].sum()
                best = max(best, gl**2 / (hl + l2) + gr**2 / (hr + l2) - G**2 / (H + l2))
    return best


@given(node_problem(max_rows=40, max_features=3, integer=True), st.integers(1, 4),
       st.sampled_from([0.0, 1.0]))
def test_best_split_is_the_best_of_all_thresholds(problem, min_samples_leaf, l2):
    Xb, idx, g, h = problem
    rows = np.arange(len(g)) if idx is None else idx
    hist = _hist_build_numpy(Xb, rows, g, h)
    # Feature metadata as binning would give it: bins used, missing values seen.
    nbnm = np.array([max(int(Xb[:, f][Xb[:, f] != MISSING_BIN].max(initial=0)) + 1, 1)
                     for f in range(Xb.shape[1])])
    has_missing = (Xb == MISSING_BIN).any(axis=0)
    G = float(g[rows].sum(dtype=np.float64))
    H = float(len(rows) if h is None else h[rows].sum(dtype=np.float64))
    gain, f, b, nan_left, gl, hl, nl = _hist_best_split_numpy(
        hist, nbnm, has_missing, G, H, len(rows), min_samples_leaf, 1e-3, l2)
    brute = _brute_force_best_gain(Xb, rows, g, h, min_samples_leaf, 1e-3, l2)
    if brute <= 1e-9:
        # No split improves the node (a gain this small is rounding of exact 0).
        assert gain <= 1e-9 or f == -1
        return
    # Integer gradients: all sums exact, gains differ only by division rounding.
    assert gain == pytest.approx(brute, rel=1e-12, abs=1e-12)
    col = Xb[rows, f].astype(int)
    left = (col <= b) | ((col == MISSING_BIN) & nan_left)
    assert left.sum() == nl and g[rows][left].sum() == pytest.approx(gl, abs=1e-9)


def test_best_split_backends_agree(backend):
    if backend == "cuda":
        pytest.skip("hist_best_split has no CUDA twin (it reads a 256-bin histogram)")
    fn = _kernel("hist_best_split", backend)

    @given(node_problem(max_rows=120, max_features=5), st.integers(1, 5),
           st.sampled_from([0.0, 0.5]))
    def check(problem, min_samples_leaf, l2):
        Xb, idx, g, h = problem
        hist = _hist_build_numpy(Xb, idx, g, h)
        nbnm = np.full(Xb.shape[1], 255)
        has_missing = (Xb == MISSING_BIN).any(axis=0)
        G, H, n = hist[0].sum(axis=0)
        args = (hist, nbnm, has_missing, G, H, n, min_samples_leaf, 1e-3, l2)
        # Same running sums and the same order of operations: identical results.
        assert fn(*args) == _hist_best_split_numpy(*args)

    check()


def test_no_valid_split():
    hist = np.zeros((2, N_BINS, 3))
    hist[:, 0] = (1.0, 1.0, 1.0)
    out = _hist_best_split_numpy(hist, np.array([1, 1]), np.array([False, False]),
                                 1.0, 1.0, 1, 1, 1e-3, 0.0)
    assert out[0] == -1.0 and out[1] == -1


@st.composite
def binning_problem(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, p = draw(st.integers(1, 400)), draw(st.integers(1, 4))
    n_distinct = draw(st.sampled_from([1, 3, 50, 1000]))
    X = rng.integers(0, n_distinct, (n, p)).astype(np.float64) + rng.standard_normal(p)
    if draw(st.booleans()):
        X[rng.random((n, p)) < 0.15] = np.nan
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    return X.astype(dtype), draw(st.sampled_from([2, 7, 255]))


@given(binning_problem())
def test_thresholds_are_numpy_percentiles_or_midpoints(problem):
    from scratchml.ensemble._hgb_binning import find_thresholds

    X, max_bins = problem
    for f in range(X.shape[1]):
        col = X[:, f][~np.isnan(X[:, f])].astype(np.float64)
        t = find_thresholds(X[:, f], max_bins)
        distinct = np.unique(col)
        if len(distinct) <= max_bins:
            expected = (distinct[:-1] + distinct[1:]) / 2
        else:
            q = np.linspace(0, 100, max_bins + 1)[1:-1]
            expected = np.unique(np.percentile(col, q, method="averaged_inverted_cdf"))
        np.testing.assert_array_equal(t, expected)


def test_map_bins_backends_agree(backend):
    if backend == "cuda":
        pytest.skip("hist_map_bins has no CUDA twin")
    from scratchml.ensemble._hgb_binning import fit_bins

    fn = _kernel("hist_map_bins", backend)

    @given(binning_problem())
    def check(problem):
        X, max_bins = problem
        thresholds = fit_bins(X, max_bins, None, np.random.default_rng(0))
        codes = fn(X, thresholds)
        assert codes.dtype == np.uint8 and codes.flags.f_contiguous
        # Integer outputs: exact. And the reference's meaning: bin = #{t < x}, NaN -> 255.
        np.testing.assert_array_equal(codes, _kernel("hist_map_bins", "numpy")(X, thresholds))
        for f, t in enumerate(thresholds):
            x = X[:, f].astype(np.float64)
            expected = np.where(np.isnan(x), MISSING_BIN, (t[None, :] < x[:, None]).sum(1))
            np.testing.assert_array_equal(codes[:, f], expected)

    check()


def test_partition_backends_agree(backend):
    if backend == "cuda":
        pytest.skip("hist_partition has no CUDA twin")
    fn = _kernel("hist_partition", backend)

    @given(node_problem(max_rows=200, max_features=3), st.integers(0, 255), st.booleans(),
           st.integers(0, 2))
    def check(problem, b, missing_left, f):
        Xb, idx, _, _ = problem
        f = f % Xb.shape[1]
        rows = np.arange(Xb.shape[0], dtype=np.intp) if idx is None else idx
        left, right = fn(Xb, rows, f, b, missing_left)
        # Integer outputs: exact, in the order of rows; and the definition holds.
        ref_left, ref_right = _kernel("hist_partition", "numpy")(Xb, rows, f, b, missing_left)
        np.testing.assert_array_equal(left, ref_left)
        np.testing.assert_array_equal(right, ref_right)
        codes = Xb[rows, f]
        expected = (codes <= b) | ((codes == MISSING_BIN) & missing_left)
        np.testing.assert_array_equal(left, rows[expected])

    check()


@st.composite
def forest_problem(draw):
    """Random trees (concatenated node arrays, absolute child ids), roots, baseline, X."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, p = draw(st.integers(0, 50)), draw(st.integers(1, 4))
    n_iter, K = draw(st.integers(0, 4)), draw(st.integers(1, 3))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    X = rng.integers(-3, 4, size=(n, p)).astype(dtype)  # ties with thresholds happen
    X[rng.random(X.shape) < 0.2] = np.nan
    keys = ("feature", "threshold", "missing_left", "left", "right", "value", "is_leaf")
    nodes = {key: [] for key in keys}
    roots = np.empty((n_iter, K), dtype=np.intp)

    def add():
        nodes["feature"].append(0)
        nodes["threshold"].append(0.0)
        nodes["missing_left"].append(False)
        nodes["left"].append(-1)
        nodes["right"].append(-1)
        nodes["value"].append(float(rng.normal()))
        nodes["is_leaf"].append(True)
        return len(nodes["value"]) - 1

    for it in range(n_iter):
        for k in range(K):
            roots[it, k] = add()
            leaves = [roots[it, k]]
            for _ in range(int(rng.integers(0, 6))):  # split a random leaf
                node = leaves.pop(int(rng.integers(len(leaves))))
                nodes["feature"][node] = int(rng.integers(p))
                nodes["threshold"][node] = float(rng.choice([-1.5, 0.0, 1.0, 2.5, np.inf]))
                nodes["missing_left"][node] = bool(rng.integers(2))
                nodes["is_leaf"][node] = False
                nodes["left"][node], nodes["right"][node] = add(), add()
                leaves += [nodes["left"][node], nodes["right"][node]]
    dtypes = (np.intp, np.float64, bool, np.intp, np.intp, np.float64, bool)
    trees = {key: np.asarray(nodes[key], dtype=d) for key, d in zip(keys, dtypes)}
    return X, trees, roots, rng.normal(size=K)


def _walk(trees, root, x):
    """One row down one tree, by the definition."""
    node = root
    while not trees["is_leaf"][node]:
        v = x[trees["feature"][node]]
        go_left = trees["missing_left"][node] if np.isnan(v) else v <= trees["threshold"][node]
        node = trees["left"][node] if go_left else trees["right"][node]
    return trees["value"][node]


def test_hgb_predict_backends_agree(backend):
    if backend == "cuda":
        pytest.skip("hgb_predict has no CUDA twin")
    fn = _kernel("hgb_predict", backend)

    @given(forest_problem(), st.sampled_from([1, 2, 3]))
    def check(problem, n_jobs):
        X, trees, roots, baseline = problem
        raw = fn(X, trees, roots, baseline, n_jobs=n_jobs)
        assert raw.shape == (len(baseline), X.shape[0]) and raw.dtype == np.float64
        # Same comparisons and the same float64 sums in the same order: exact.
        ref = _kernel("hgb_predict", "numpy")(X, trees, roots, baseline)
        np.testing.assert_array_equal(raw, ref)
        for i in range(min(X.shape[0], 5)):  # the reference means the definition
            for k in range(len(baseline)):
                expected = baseline[k]
                for it in range(roots.shape[0]):
                    expected += _walk(trees, roots[it, k], X[i])
                assert raw[k, i] == expected

    check()


def test_hgb_predict_fitted_model_exact_and_thread_independent():
    from scratchml.ensemble import GradientBoostingClassifier
    from scratchml.ensemble._hist_kernels import _hgb_predict_numpy

    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 6))
    X[rng.random(X.shape) < 0.1] = np.nan
    y = np.digitize(np.nan_to_num(X[:, 0] + X[:, 1]), [-0.5, 0.5])  # three classes
    model = GradientBoostingClassifier(max_iter=8, random_state=0).fit(X, y)
    for Xp in (X, X.astype(np.float32)):
        ref = _hgb_predict_numpy(Xp, model.trees_, model.tree_roots_, model._baseline_prediction)
        for n_jobs in (1, 2):
            model.set_params(n_jobs=n_jobs)
            # Exact: the compiled walk sums the same float64 values in the same order.
            np.testing.assert_array_equal(model.decision_function(Xp), ref.T)
