"""Binning of features for histogram gradient boosting.

Each feature's non-missing values are cut into at most ``max_bins`` (<= 255)
bins at *thresholds* t_0 < t_1 < ... (scikit-learn's ``_BinMapper``):

* at most ``max_bins`` distinct values: the midpoints between consecutive ones,
  so every distinct value has its own bin;
* more: the ``max_bins - 1`` quantiles at 100 k / max_bins %, k = 1..max_bins-1
  (NumPy's "averaged_inverted_cdf" percentile), fitted on a random subsample
  of 200,000 rows drawn with replacement (as scikit-learn does), deduplicated.

With sample weights (scikit-learn >= 1.8), zero-weight values are left out, the
quantiles are weighted ones (the cumulative weight, not the count, reaches
100 k / max_bins % of the total), and the subsample is drawn with probabilities
proportional to the weights. Integer weights give the thresholds of the
repeated rows.

A value x falls in bin #{j : t_j < x}, so "bin(x) <= b" is the same test as
"x <= t_b": a split learnt on bins predicts with the raw threshold t_b. NaN goes
to the dedicated bin 255 whatever the feature's number of bins.
"""

from __future__ import annotations

import numpy as np

from .._backend import get_kernel
from .._config import get_config
from ..utils._parallel import row_ranges, run_ranges

# Thresholds are capped below +inf: +inf is reserved for the "split on NaN".
_ALMOST_INF = 1e300


def _percentiles_of_sorted(s: np.ndarray, max_bins: int) -> np.ndarray:
    """``np.percentile(s, 100 k / max_bins, method="averaged_inverted_cdf")``, k = 1..max_bins-1,
    of an already sorted array: at v = n q - 1, the next value, or the mean of the two
    neighbours when v is a whole number (NumPy's arithmetic, so the results are equal)."""
    n = len(s)
    v = n * (np.linspace(0, 100, num=max_bins + 1)[1:-1] / 100) - 1
    prev = np.floor(v)
    gamma = v - prev
    prev = prev.astype(np.intp)
    a = s[np.clip(prev, 0, n - 1)]
    b = s[np.clip(prev + 1, 0, n - 1)]
    return np.where(gamma == 0, b - (b - a) * 0.5, b)


def _weighted_percentiles_of_sorted(s: np.ndarray, w: np.ndarray, max_bins: int) -> np.ndarray:
    """``_percentiles_of_sorted`` with positive weights ``w``: rank r = W q (W the total
    weight), the first value whose cumulative weight reaches r, or the mean with the
    next one when it reaches r exactly. At w = 1 these are the same indices and the
    same arithmetic as the unweighted percentiles."""
    cdf = np.cumsum(w)
    rank = cdf[-1] * (np.linspace(0, 100, num=max_bins + 1)[1:-1] / 100)
    i = np.minimum(np.searchsorted(cdf, rank, side="left"), len(s) - 1)
    a, b = s[i], s[np.minimum(i + 1, len(s) - 1)]
    return np.where(cdf[i] == rank, b - (b - a) * 0.5, a)


def find_thresholds(column: np.ndarray, max_bins: int, weights=None) -> np.ndarray:
    """Bin thresholds (float64, increasing) of one feature's values (NaN and, with
    ``weights``, zero-weight values ignored)."""
    if weights is None:
        col = np.sort(column[~np.isnan(column)].astype(np.float64, copy=False))
        w = None
    else:
        keep = ~np.isnan(column) & (weights != 0)
        col = column[keep].astype(np.float64, copy=False)
        # Equal values may come in any (deterministic) order: a rank that falls inside a
        # run of equal values picks that value whatever the order. Introsort is ~5x
        # faster than a stable sort here.
        order = np.argsort(col)
        col, w = col[order], weights[keep][order]
    distinct = col[np.concatenate([[True], col[1:] != col[:-1]])] if len(col) else col
    if len(distinct) <= max_bins:
        mid = (distinct[:-1] + distinct[1:]) * 0.5
    elif w is None:
        mid = np.unique(_percentiles_of_sorted(col, max_bins))
    else:
        mid = np.unique(_weighted_percentiles_of_sorted(col, w, max_bins))
    return np.minimum(mid, _ALMOST_INF)


def _by_feature(func, n_features: int, n_jobs) -> None:
    """``func(f)`` for every feature, features split between threads (NumPy's sorts and
    searches release the GIL); each feature's result is the same whatever the split."""
    def work(start, stop):
        for f in range(start, stop):
            func(f)

    run_ranges(work, row_ranges(n_features, n_jobs, min_rows=1))


def fit_bins(X: np.ndarray, max_bins: int, subsample: int | None, rng,
             n_jobs=None, sample_weight=None) -> list[np.ndarray]:
    """Thresholds of every feature, from at most ``subsample`` rows of X chosen by ``rng``
    (with probabilities proportional to ``sample_weight``, which the drawn rows then
    no longer carry: the draw already weighs them, as in scikit-learn)."""
    if subsample is not None and X.shape[0] > subsample:
        p = None if sample_weight is None else sample_weight / np.sum(sample_weight)
        X = X[rng.choice(X.shape[0], subsample, replace=True, p=p)]
        sample_weight = None
    out: list = [None] * X.shape[1]

    def one(f):
        out[f] = find_thresholds(X[:, f], max_bins, sample_weight)

    _by_feature(one, X.shape[1], n_jobs)
    return out


def apply_bins(X: np.ndarray, thresholds: list[np.ndarray], n_jobs=None) -> np.ndarray:
    """uint8 bin codes of X, shape (n_samples, n_features), Fortran order (columns contiguous).

    Kernel ``"hist_map_bins"`` (a binary search per value); it has no CUDA twin, so
    under ``backend="cuda"`` the CPU one runs.
    """
    cuda = str(get_config()["backend"]).lower() == "cuda"
    kernel, _ = get_kernel("hist_map_bins", backend="auto" if cuda else None)
    return kernel(X, thresholds, n_jobs=n_jobs)
