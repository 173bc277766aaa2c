"""Mutual information between each feature and a discrete target.

Continuous features use the k-nearest-neighbour estimator of Ross (2014), "Mutual
Information between Discrete and Continuous Data Sets", PLoS ONE 9(2) — the
continuous/discrete variant of Kraskov, Stögbauer & Grassberger (2004). For sample i
of class c_i, let d_i be the distance to its k-th nearest neighbour *within its class*
(k = min(n_neighbors, n_{c_i} − 1)) and m_i the number of samples of *any* class
within distance d_i of it (itself included). Then

    I(X; Y) ≈ ψ(N) + ⟨ψ(k)⟩ − ⟨ψ(N_{c_i})⟩ − ⟨ψ(m_i)⟩,

with ψ the digamma function, N the number of samples in classes of size > 1 and ⟨·⟩
the mean over those samples. Discrete features use the plug-in estimate
Σ p(x, y) ln[p(x, y) / (p(x) p(y))]. Results are in nats and clipped at 0.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..utils._special import digamma
from ..utils.validation import (
    check_array,
    check_classification_targets,
    check_random_state,
    check_X_y,
)


def _mi_discrete(x: np.ndarray, y_idx: np.ndarray) -> float:
    """Plug-in mutual information of two discrete samples (scikit-learn's mutual_info_score)."""
    x_idx = np.unique(x, return_inverse=True)[1].ravel()
    n_x, n_y = int(x_idx.max()) + 1, int(y_idx.max()) + 1
    if n_x == 1 or n_y == 1:
        return 0.0
    counts = np.bincount(x_idx * n_y + y_idx, minlength=n_x * n_y).reshape(n_x, n_y)
    nzx, nzy = np.nonzero(counts)
    nz = counts[nzx, nzy].astype(np.float64)
    n = float(len(x))
    pi, pj = counts.sum(axis=1), counts.sum(axis=0)
    p = nz / n
    log_outer = -np.log(pi[nzx].astype(np.float64) * pj[nzy]) + 2 * np.log(n)
    mi = p * (np.log(nz) - np.log(n)) + p * log_outer
    mi = np.where(np.abs(mi) < np.finfo(np.float64).eps, 0.0, mi)
    return float(max(mi.sum(), 0.0))


def _count_within(sorted_vals: np.ndarray, centers: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """For each centre c, the number of sorted values v with fl(|v − c|) ≤ r.

    ``searchsorted`` on c ± r finds the range up to one rounding of c ± r; each bound
    is then moved, one distinct value at a time (equal values move together), until
    it agrees with the exact test on the computed distance. That test is monotone in
    v, so the counted set is the one a tree search comparing distances would count.
    """
    n = sorted_vals.size
    lo = np.searchsorted(sorted_vals, centers - radius, side="left")
    hi = np.searchsorted(sorted_vals, centers + radius, side="right")

    def inside(idx):
        return np.abs(sorted_vals[np.clip(idx, 0, n - 1)] - centers) <= radius

    while True:  # a few rounds at most: only values within ~1 ulp of c ± r can move
        grow_lo = (lo > 0) & inside(lo - 1)
        shrink_lo = ~grow_lo & (lo < hi) & ~inside(lo)
        grow_hi = (hi < n) & inside(hi)
        shrink_hi = ~grow_hi & (hi > lo) & ~inside(hi - 1)
        if not (grow_lo.any() or shrink_lo.any() or grow_hi.any() or shrink_hi.any()):
            return hi - lo
        v_lo, v_hi = sorted_vals[np.clip(lo - 1, 0, n - 1)], sorted_vals[np.clip(lo, 0, n - 1)]
        lo = np.where(grow_lo, np.searchsorted(sorted_vals, v_lo, side="left"), lo)
        lo = np.where(shrink_lo, np.searchsorted(sorted_vals, v_hi, side="right"), lo)
        u_hi, u_lo = sorted_vals[np.clip(hi, 0, n - 1)], sorted_vals[np.clip(hi - 1, 0, n - 1)]
        hi = np.where(grow_hi, np.searchsorted(sorted_vals, u_hi, side="right"), hi)
        hi = np.where(shrink_hi, np.searchsorted(sorted_vals, u_lo, side="left"), hi)


def _mi_continuous_discrete(c: np.ndarray, y_idx: np.ndarray, n_neighbors: int) -> float:
    """Ross's k-NN estimate of I(c; y) for a continuous c and class labels y (1-D, exact)."""
    counts = np.bincount(y_idx)
    keep = counts[y_idx] > 1  # a class of one sample has no neighbour: left out
    c, y_idx = c[keep], y_idx[keep]
    n = c.size
    if n == 0:
        return 0.0
    label_counts = counts[y_idx]
    k_all = np.minimum(n_neighbors, label_counts - 1)
    # Sort by (class, value): a sample's neighbours in its class are then adjacent to it,
    # and the k-th nearest is among the k on either side.
    order = np.lexsort((c, y_idx))
    v, lab = c[order], y_idx[order]
    K = int(k_all.max())
    cand = np.full((n, 2 * K), np.inf)
    for j in range(1, K + 1):
        same = lab[j:] == lab[:-j]
        cand[j:, j - 1] = np.where(same, v[j:] - v[:-j], np.inf)  # j-th to the left
        cand[:-j, K + j - 1] = np.where(same, v[j:] - v[:-j], np.inf)  # j-th to the right
    cand.sort(axis=1)
    kth = cand[np.arange(n), k_all[order] - 1]
    radius = np.empty(n)
    radius[order] = np.nextafter(kth, 0)  # strictly closer than the k-th neighbour
    m_all = _count_within(np.sort(c), c, radius)
    mi = (digamma(n) + np.mean(digamma(k_all)) - np.mean(digamma(label_counts))
          - np.mean(digamma(m_all)))
    return float(max(0.0, mi))


def mutual_info_classif(X, y, *, discrete_features="auto", n_neighbors: int = 3,
                        copy: bool = True, random_state=None,
                        n_jobs=None) -> np.ndarray:
    """Estimate the mutual information between each feature and class labels.

    See the module docstring for the estimators. As in scikit-learn, continuous
    features are first scaled to unit variance and jittered with noise of size
    1e-10 · max(1, mean |x|) drawn from ``random_state``, which breaks ties between
    equal values; results therefore depend (very slightly) on ``random_state``, and
    match scikit-learn's only up to that noise (exactly for discrete features).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels.
    discrete_features : "auto", bool or array-like, default="auto"
        Which features are discrete: all (True), none (False or "auto", for dense
        X), or a boolean mask / array of indices.
    n_neighbors : int, default=3
        k of the k-NN estimator; larger lowers the variance and raises the bias.
    copy : bool, default=True
        Kept for compatibility: X is never modified.
    random_state : None, int or numpy.random.Generator
        Seeds the tie-breaking noise.
    n_jobs : None
        Accepted for compatibility; the computation is vectorized and single-threaded.

    Returns
    -------
    ndarray of shape (n_features,)
        Estimated mutual information of each feature with y, in nats (≥ 0).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.feature_selection import mutual_info_classif
    >>> X = np.array([[0, 1], [0, 0], [1, 1], [1, 0]])
    >>> mutual_info_classif(X, [0, 0, 1, 1], discrete_features=True).round(4)
    array([0.6931, 0.    ])
    """
    X, y = check_X_y(X, y, estimator="mutual_info_classif")
    _, y_idx = check_classification_targets(y, estimator="mutual_info_classif", min_classes=1)
    if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, numbers.Integral) \
            or n_neighbors < 1:
        raise ValueError(f"n_neighbors={n_neighbors!r} must be a positive integer.")
    n_samples, n_features = X.shape
    if isinstance(discrete_features, (str, bool)):
        if isinstance(discrete_features, str) and discrete_features != "auto":
            raise ValueError(
                f"discrete_features={discrete_features!r} is not supported; use 'auto', a bool, "
                "a boolean mask or an array of indices."
            )
        discrete = np.full(n_features, discrete_features is True)
    else:
        spec = check_array(discrete_features, ensure_2d=False, dtype=None,
                           input_name="discrete_features")
        if spec.dtype == bool:
            discrete = spec.astype(bool)
        else:
            discrete = np.zeros(n_features, dtype=bool)
            discrete[spec.astype(np.intp)] = True
    rng = check_random_state(random_state)
    continuous = ~discrete
    X = X.astype(np.float64, copy=True)
    if continuous.any():
        Xc = X[:, continuous]
        std = Xc.std(axis=0)
        std[std < 10 * np.finfo(np.float64).eps] = 1.0  # constant columns stay as they are
        Xc /= std
        scale = np.maximum(1.0, np.mean(np.abs(Xc), axis=0))
        Xc += 1e-10 * scale * rng.standard_normal(size=(n_samples, int(continuous.sum())))
        X[:, continuous] = Xc
    return np.array([
        _mi_discrete(X[:, j], y_idx) if discrete[j]
        else _mi_continuous_discrete(X[:, j], y_idx, n_neighbors)
        for j in range(n_features)
    ])
