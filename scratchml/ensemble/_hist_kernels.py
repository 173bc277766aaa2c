"""Histogram kernels of gradient boosting: binning, node histograms, best split, partition.

Every feature is binned to at most 255 bins (``_hgb_binning``); bin ``MISSING_BIN``
(255) holds the missing values. A node's *histogram* sums, per feature and bin,
the gradients g_i, the hessians h_i and the count of the node's samples:

    hist[f, b] = (sum_{i in node, bin(x_if) = b} g_i,   sum ... h_i,   #{...}).

Kernel ``"hist_build"``::

    hist_build(X_binned, sample_indices, gradients, hessians, n_jobs=None)
        -> hist: float64[n_features, N_BINS, 3]

``X_binned`` is uint8 of shape (n_samples, n_features) in Fortran order (a
feature's bins are contiguous: the kernel reads one column at a time).
``sample_indices`` lists the node's samples (``None``: every sample) in the
order their values are summed; ``gradients`` / ``hessians`` are float32 or
float64 arrays over *all* samples. ``hessians=None`` means a constant hessian of
1 (squared and absolute error): channel 1 then holds the count. Every bin sums
its values in sample order in float64, so all CPU backends agree exactly.

Kernel ``"hist_map_bins"``::

    hist_map_bins(X, thresholds, n_jobs=None) -> uint8[n_samples, n_features], Fortran order

bin(x) = #{j : thresholds[f][j] < x} (at most 254 thresholds per feature), and
``MISSING_BIN`` for NaN; X is float32 or float64, compared in float64.

Kernel ``"hist_partition"``::

    hist_partition(X_binned, rows, feature, bin_threshold, missing_left)
        -> (left_rows, right_rows)

A node's rows (intp) split by "bin <= bin_threshold", the missing-value bin going
left when ``missing_left``; both sides keep the order of ``rows``.

Kernel ``"hist_best_split"``::

    hist_best_split(hist, n_bins_non_missing, has_missing, sum_g, sum_h, n,
                    min_samples_leaf, min_hessian, l2)
        -> (gain, feature, bin, missing_go_to_left, g_left, h_left, n_left)

The split "x_f in bins <= b goes left" has the gain of the second-order
(Newton) approximation of the loss (XGBoost, Chen & Guestrin 2016, eq. 7):

    gain = G_L^2 / (H_L + l2) + G_R^2 / (H_R + l2) - G^2 / (H + l2),

computed in scikit-learn's order of operations (see ``gains`` below).

Candidates, in the order in which ties are broken (the first best wins), as
scikit-learn's splitter scans them: for each feature in order, first
"left to right" (bins 0..b left, missing values right) for b = 0 .. end - 1
with end = n_bins_non_missing - 1 + has_missing (the last one, with missing
values, is the "split on NaN"), then, for features that have missing values,
"right to left" (missing values go left) for b = n_bins_non_missing - 2 down
to 0. A split is valid if both sides have at least ``min_samples_leaf`` samples
and ``min_hessian`` hessian, and its gain is > 0. No valid split: gain -1,
feature -1.
"""

from __future__ import annotations

import numpy as np

from .._backend import register
from ._hgb_grower import predict_tree

N_BINS = 256
MISSING_BIN = 255


def _hist_build_numpy(X_binned, sample_indices, gradients, hessians, n_jobs=None):
    """NumPy reference: three ``np.bincount`` per feature (sums in sample order)."""
    n_features = X_binned.shape[1]
    hist = np.zeros((n_features, N_BINS, 3), dtype=np.float64)
    if sample_indices is None:
        g, h = gradients, hessians
    else:
        g = gradients[sample_indices]
        h = None if hessians is None else hessians[sample_indices]
    g = g.astype(np.float64, copy=False)
    h = None if h is None else h.astype(np.float64, copy=False)
    for f in range(n_features):
        col = X_binned[:, f] if sample_indices is None else X_binned[sample_indices, f]
        hist[f, :, 0] = np.bincount(col, weights=g, minlength=N_BINS)
        count = np.bincount(col, minlength=N_BINS)
        hist[f, :, 2] = count
        hist[f, :, 1] = count if h is None else np.bincount(col, weights=h, minlength=N_BINS)
    return hist


def _hist_map_bins_numpy(X, thresholds, n_jobs=None):
    """NumPy reference: a binary search (``np.searchsorted``) per feature."""
    out = np.empty(X.shape, dtype=np.uint8, order="F")
    for f, t in enumerate(thresholds):
        col = np.ascontiguousarray(X[:, f], dtype=np.float64)
        codes = np.searchsorted(t, col, side="left")
        codes[np.isnan(col)] = MISSING_BIN
        out[:, f] = codes
    return out


def _hist_partition_numpy(X_binned, rows, feature, bin_threshold, missing_left):
    """NumPy reference: a boolean mask, then one gather per side."""
    col = X_binned[rows, feature]
    go_left = col <= bin_threshold
    if missing_left:
        go_left |= col == MISSING_BIN
    return rows[go_left], rows[~go_left]


def _hist_best_split_numpy(hist, n_bins_non_missing, has_missing, sum_g, sum_h, n,
                           min_samples_leaf, min_hessian, l2):
    """NumPy reference: every candidate's gain at once from cumulative sums over bins."""
    n_features = hist.shape[0]
    bins = np.arange(N_BINS - 1)
    nbnm = np.asarray(n_bins_non_missing, dtype=np.intp)[:, None]
    miss = np.asarray(has_missing, dtype=bool)[:, None]
    # cum[f, b] = sums over the non-missing bins 0..b, a running sum from bin 0
    # (as the Cython twin and scikit-learn add them).
    cum = np.cumsum(hist[:, : N_BINS - 1, :], axis=1)
    total = np.array([sum_g, sum_h, n], dtype=np.float64)
    # Left to right: missing values go right; right = total - left.
    l2r_left = cum
    l2r_ok = bins[None, :] < nbnm - 1 + miss
    # Right to left (features with missing values): missing values go left. The right
    # side is a running sum from bin 254 down (empty bins above the last add exact
    # zeros), rev[f, b] = sums over bins b+1..254; left = total - right.
    rev = np.zeros_like(cum)
    rev[:, :-1] = np.cumsum(hist[:, N_BINS - 2:0:-1, :], axis=1)[:, ::-1]
    r2l_left = total - rev
    r2l_ok = (bins[None, :] <= nbnm - 2) & miss
    value = -sum_g / (sum_h + l2)

    def gains(left, ok):
        right = total - left
        g_l, h_l, n_l = left[..., 0], left[..., 1], left[..., 2]
        g_r, h_r, n_r = right[..., 0], right[..., 1], right[..., 2]
        ok = ok & (n_l >= min_samples_leaf) & (n_r >= min_samples_leaf)
        ok &= (h_l >= min_hessian) & (h_r >= min_hessian)
        # Written as scikit-learn's "loss(node) - loss(left) - loss(right)" with
        # loss = G * value and value = -G / (H + l2), so that rounding (and so ties) match.
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = sum_g * value - g_l * (-g_l / (h_l + l2)) - g_r * (-g_r / (h_r + l2))
        ok &= gain > 0
        return np.where(ok, gain, -np.inf)

    # Candidates in tie-breaking order: l2r ascending, then r2l descending.
    order = np.concatenate([gains(l2r_left, l2r_ok), gains(r2l_left, r2l_ok)[:, ::-1]], axis=1)
    best = int(np.argmax(order))
    if n_features == 0 or not np.isfinite(order.flat[best]):
        return -1.0, -1, -1, False, 0.0, 0.0, 0
    f, k = divmod(best, order.shape[1])
    go_left = k >= N_BINS - 1
    b = (2 * (N_BINS - 1) - 1 - k) if go_left else k
    left = r2l_left[f, b] if go_left else l2r_left[f, b]
    return (float(order[f, k]), f, b, bool(go_left), float(left[0]), float(left[1]),
            int(round(left[2])))


def _hgb_predict_numpy(X, trees, roots, baseline, n_jobs=None):
    roots = np.asarray(roots)
    roots = roots[:, None] if roots.ndim == 1 else roots
    raw = np.repeat(np.asarray(baseline, dtype=np.float64)[:, None], X.shape[0], axis=1)
    for its_roots in roots:
        for k, root in enumerate(its_roots):
            raw[k] += predict_tree(trees, int(root), X)
    return raw


register("hist_build", "numpy", _hist_build_numpy)
register("hist_build", "cython", "scratchml.ensemble._hgb_native:hist_build")
register("hist_build", "cuda", "scratchml._cuda.histogram:hist_build")
register("hist_map_bins", "numpy", _hist_map_bins_numpy)
register("hist_map_bins", "cython", "scratchml.ensemble._hgb_native:hist_map_bins")
register("hist_partition", "numpy", _hist_partition_numpy)
register("hist_partition", "cython", "scratchml.ensemble._hgb_native:hist_partition")
register("hist_best_split", "numpy", _hist_best_split_numpy)
register("hist_best_split", "cython", "scratchml.ensemble._hgb_native:hist_best_split")
register("hgb_predict", "numpy", _hgb_predict_numpy)
register("hgb_predict", "cython", "scratchml.ensemble._hgb_native:hgb_predict")
