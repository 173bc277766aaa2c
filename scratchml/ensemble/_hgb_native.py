"""Cython twins of the ``hist_build`` and ``hist_best_split`` kernels: gathering and threads.

The compiled part (``kernels/cython/_hist.pyx``) fills a range of features; this
adapter gathers the node's gradients into node order once and splits the
features between threads. Importing it fails if the extension was not built,
which is how the backend registry learns that the Cython backend is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._cython import _hist
from ..utils._parallel import row_ranges, run_ranges
from ._hist_kernels import N_BINS

# Below this many (sample, feature) updates a node's histogram is built in the
# calling thread: waking a pool costs more than it saves.
_MIN_WORK_PER_THREAD = 1 << 17


def hist_build(X_binned, sample_indices, gradients, hessians, n_jobs=None):
    n_features = X_binned.shape[1]
    hist = np.zeros((n_features, N_BINS, 3), dtype=np.float64)
    if not X_binned.flags.f_contiguous:
        X_binned = np.asfortranarray(X_binned)
    all_rows = sample_indices is None
    if all_rows:
        idx = np.empty(0, dtype=np.intp)
        g, h = gradients, hessians
        n = X_binned.shape[0]
    else:
        idx = np.ascontiguousarray(sample_indices, dtype=np.intp)
        g = gradients[idx]
        h = None if hessians is None else hessians[idx]
        n = len(idx)
    g = np.ascontiguousarray(g)
    h = np.empty(0, dtype=g.dtype) if h is None else np.ascontiguousarray(h, dtype=g.dtype)
    constant = hessians is None
    min_features = max(1, _MIN_WORK_PER_THREAD // max(n, 1))

    def work(start, stop):
        _hist.build_features(X_binned, idx, all_rows, g, h, constant, hist, start, stop)

    if n_features <= min_features:  # too little work to share: no pool, no core count
        work(0, n_features)
    else:
        run_ranges(work, row_ranges(n_features, n_jobs, min_rows=min_features))
    return hist


def hist_map_bins(X, thresholds, n_jobs=None):
    X = np.asarray(X)
    X = np.ascontiguousarray(X, dtype=X.dtype if X.dtype == np.float32 else np.float64)
    out = np.empty(X.shape, dtype=np.uint8, order="F")
    flat = (np.concatenate(thresholds) if thresholds else np.empty(0)).astype(np.float64)
    offsets = np.concatenate([[0], np.cumsum([len(t) for t in thresholds])]).astype(np.intp)

    def work(start, stop):
        _hist.map_bins(X, flat, offsets, out, start, stop)

    run_ranges(work, row_ranges(X.shape[1], n_jobs, min_rows=1))
    return out


def hist_partition(X_binned, rows, feature, bin_threshold, missing_left):
    rows = np.ascontiguousarray(rows, dtype=np.intp)
    if not X_binned.flags.f_contiguous:
        X_binned = np.asfortranarray(X_binned)
    buf = np.empty(2 * len(rows), dtype=np.intp)
    left, right = buf[: len(rows)], buf[len(rows):]
    n_left = _hist.partition(X_binned, rows, int(feature), int(bin_threshold),
                             bool(missing_left), left, right)
    return left[:n_left], right[: len(rows) - n_left]


def hist_best_split(hist, n_bins_non_missing, has_missing, sum_g, sum_h, n,
                    min_samples_leaf, min_hessian, l2):
    return _hist.best_split(
        np.ascontiguousarray(hist, dtype=np.float64),
        np.ascontiguousarray(n_bins_non_missing, dtype=np.intp),
        np.ascontiguousarray(has_missing, dtype=np.uint8),
        float(sum_g), float(sum_h), float(n), float(min_samples_leaf), float(min_hessian),
        float(l2),
    )


def hgb_predict(X, trees, roots, baseline, n_jobs=None):
    X = np.asarray(X)
    X = np.ascontiguousarray(X, dtype=X.dtype if X.dtype == np.float32 else np.float64)
    roots = np.asarray(roots)
    roots = np.ascontiguousarray(roots[:, None] if roots.ndim == 1 else roots, dtype=np.intp)
    baseline = np.ascontiguousarray(baseline, dtype=np.float64)
    n_nodes = len(trees["value"])
    feature = np.ascontiguousarray(trees["feature"], dtype=np.intp)
    is_leaf = np.ascontiguousarray(trees["is_leaf"], dtype=np.uint8)
    left = np.ascontiguousarray(trees["left"], dtype=np.intp)
    right = np.ascontiguousarray(trees["right"], dtype=np.intp)
    inner = is_leaf == 0
    # The compiled walk trusts node ids and features: check them once here.
    if roots.size and (roots.min() < 0 or roots.max() >= n_nodes):
        raise ValueError("tree roots out of range of the node arrays")
    if inner.any() and (
        min(left[inner].min(), right[inner].min(), feature[inner].min()) < 0
        or max(left[inner].max(), right[inner].max()) >= n_nodes
        or feature[inner].max() >= X.shape[1]
    ):
        raise ValueError("tree children or features out of range")
    out = np.empty((roots.shape[1], X.shape[0]), dtype=np.float64)
    args = (feature, np.ascontiguousarray(trees["threshold"], dtype=np.float64),
            np.ascontiguousarray(trees["missing_left"], dtype=np.uint8), left, right,
            np.ascontiguousarray(trees["value"], dtype=np.float64), is_leaf, roots, baseline)

    def work(start, stop):
        _hist.predict_rows(X, *args, out, start, stop)

    run_ranges(work, row_ranges(X.shape[0], n_jobs, min_rows=1024))
    return out
