"""NumPy reference of the tree kernel, part 1: criteria and the split search at one node.

How a split is chosen (CART, Breiman et al. 1984). A node holds the samples
``seg`` (always in increasing sample-id order). For a feature f, sort the node's
non-missing values; every boundary between two distinct consecutive values v_i < v_{i+1}
is a candidate threshold t = v_i/2 + v_{i+1}/2. A split sends x_f <= t left. The best
split maximises the weighted impurity decrease; since the parent's impurity is fixed,
it is enough to maximise a *proxy*, computed for every threshold at once from
cumulative sums over the sorted samples (c = weighted class counts, s = Σ w y, W = Σ w):

    gini              Σ_k c_Lk² / W_L + Σ_k c_Rk² / W_R
    entropy/log_loss  Σ_k c_Lk log(c_Lk / W_L) + Σ_k c_Rk log(c_Rk / W_R)
    squared_error     s_L² / W_L + s_R² / W_R
    friedman_mse      (W_R s_L − W_L s_R)² / (W_L W_R)
    absolute_error    −W_R (D_R / W_R) − W_L (D_L / W_L),  D = Σ w |y − med|  (``_absolute_numpy``)

Missing values (NaN) of f are tried on both sides of every threshold (missing right
first, then missing left), and alone on the right (threshold = +inf), as scikit-learn
>= 1.3 does. The first best candidate wins (ties keep the earliest), in the order
missing-right thresholds, missing-left thresholds, the +inf split, and features in the
order they were drawn.

Every sum here is *sequential* in a fixed order (sorted value, then sample id) --
``np.cumsum``, never the pairwise ``np.sum`` -- and logarithms come from the C
library (``math.log``), so the Cython twin, which does the same operations in the same
order, builds bit-for-bit the same tree.
"""

from __future__ import annotations

import math

import numpy as np

from . import _absolute_numpy as _ae

GINI, ENTROPY, SQUARED, FRIEDMAN, ABSOLUTE = 0, 1, 2, 3, 4
CRITERIA = {"gini": GINI, "entropy": ENTROPY, "log_loss": ENTROPY,
            "squared_error": SQUARED, "friedman_mse": FRIEDMAN, "absolute_error": ABSOLUTE}
EPSILON = float(np.finfo(np.float64).eps)
LN2 = 0.6931471805599453  # log(2): impurities of "entropy" are in bits, as scikit-learn's
_MASK = (1 << 64) - 1


class SplitMix64:
    """The tiny counter-based generator shared with the Cython kernel (Steele et al. 2014).

    Both backends must draw the same features and thresholds, so neither can use NumPy's
    Generator inside the build; the estimator seeds this one from its Generator.
    """

    def __init__(self, seed: int) -> None:
        self.state = seed & _MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def randint(self, n: int) -> int:
        return self.next() % n

    def uniform(self) -> float:
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)


def seqsum(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """Sum in index order (what a C loop does); ``np.sum`` adds pairwise, differently rounded."""
    if a.shape[axis] == 0:
        return np.zeros(np.delete(a.shape, axis))
    return np.take(np.cumsum(a, axis=axis), -1, axis=axis)


def _clog(a: np.ndarray) -> np.ndarray:
    # NumPy's SIMD log may differ from the C library's in the last bit; use libm's.
    flat = a.ravel()
    return np.fromiter(map(math.log, flat), dtype=np.float64, count=flat.size).reshape(a.shape)


def sample_stats(y, w, ids, n_classes):
    """Per-sample statistics to accumulate: one-hot weights (classes) or (w, w y, w y²)."""
    wi = w[ids]
    if n_classes > 0:
        out = np.zeros((len(ids), n_classes))
        out[np.arange(len(ids)), y[ids].astype(np.intp)] = wi
        return out, wi
    wy = wi * y[ids]
    return np.column_stack([wy, wy * y[ids]]), wi


def node_impurity(criterion: int, tot: np.ndarray, W: float, y=None, w=None, ids=None) -> float:
    """Impurity of a node from its totals (classes: counts; regression: Σ w y, Σ w y²)."""
    if criterion == GINI:
        return 1.0 - float(seqsum(tot * tot)) / (W * W)
    if criterion == ENTROPY:
        p = tot[tot > 0] / W
        return float(-seqsum(p * (_clog(p) / LN2))) if p.size else 0.0
    if criterion == ABSOLUTE:  # as scikit-learn: samples inserted from the last id down
        return _ae.set_deviation(y, w, _ae.node_ranks(y, ids), ids[::-1]) / W
    mean = tot[0] / W
    return tot[1] / W - mean * mean


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Smallest v with Σ_{x<=v} w >= W/2; the midpoint when the half falls exactly between."""
    order = np.argsort(values, kind="stable")
    v, cw = values[order], np.cumsum(weights[order])
    half = cw[-1] / 2.0
    k = int(np.searchsorted(cw, half, side="left"))
    if cw[k] == half and k + 1 < len(v):
        return float((v[k] + v[k + 1]) / 2.0)
    return float(v[k])


def proxy(criterion: int, left: np.ndarray, right: np.ndarray, wl, wr) -> np.ndarray:
    """Proxy of the impurity decrease for stacked candidates (rows) -- larger is better."""
    if criterion == GINI:
        return seqsum(left * left) / wl + seqsum(right * right) / wr
    if criterion == ENTROPY:
        def term(c, w):
            ratio = np.where(c > 0, c / w[:, None], 1.0)
            return seqsum(np.where(c > 0, c * _clog(ratio), 0.0))
        return term(left, wl) + term(right, wr)
    sl, sr = left[:, 0], right[:, 0]
    if criterion == SQUARED:
        return sl * sl / wl + sr * sr / wr
    diff = wr * sl - wl * sr
    return diff * diff / (wl * wr)


class Best:
    """The best split found so far at a node."""

    def __init__(self) -> None:
        self.proxy = -np.inf
        self.feature = -1

    def offer(self, value, **split) -> None:
        if value > self.proxy:  # strict: the first best candidate wins ties
            self.proxy = value
            self.__dict__.update(split)


def evaluate_feature(Xt, y, w, seg, f, tot, W, p, best: Best, rng: SplitMix64):
    """Try every split of feature f at the node ``seg``; return False when f is constant."""
    n_classes, criterion = p["n_classes"], p["criterion"]
    xs = Xt[f, seg].astype(np.float64)  # exact; compares with float64 thresholds
    miss = np.isnan(xs)
    nm_ids, miss_ids, xv = seg[~miss], seg[miss], xs[~miss]
    m, n, n_miss = len(xv), len(seg), len(miss_ids)
    if m == 0:
        return False
    lo, hi = xv.min(), xv.max()
    mstat, mw = sample_stats(y, w, miss_ids, n_classes)
    M, WM = seqsum(mstat, axis=0), float(seqsum(mw))
    msl, mwl = p["min_samples_leaf"], p["min_weight_leaf"]

    if p["random"]:
        if hi <= lo:
            return False
        thr = (float(hi) - float(lo)) * rng.uniform() + float(lo)
        if thr >= float(hi):
            thr = float(lo)
        go_left_missing = rng.randint(2) == 1 if n_miss > 0 else None
        sel = xv <= thr
        st, sw = sample_stats(y, w, nm_ids[sel], n_classes)
        left, wl, nl = seqsum(st, axis=0), float(seqsum(sw)), int(sel.sum())
        if go_left_missing is None:
            go_left_missing = nl > n - nl
        elif go_left_missing:
            left, wl, nl = left + M, wl + WM, nl + n_miss
        wr, nr = W - wl, n - nl
        if nl >= msl and nr >= msl and wl >= mwl and wr >= mwl:
            dev = {}
            if criterion == ABSOLUTE:
                go = (xs <= thr) | (miss & bool(go_left_missing))
                value, dl, dr = _ae.random_proxy(y, w, seg, go, wl, wr)
                dev = dict(dev_left=dl, dev_right=dr)
            else:
                value = proxy(criterion, left[None], (tot - left)[None],
                              np.array([wl]), np.array([wr]))[0]
            best.offer(value, feature=f, threshold=thr, missing_left=bool(go_left_missing),
                       n_left=nl, left=left, wl=wl, **dev)
        return True

    if hi <= lo and n_miss == 0:
        return False
    order = np.argsort(xv, kind="stable")  # ids are increasing: ties stay in id order
    xv, ids = xv[order], nm_ids[order]
    st, sw = sample_stats(y, w, ids, n_classes)
    CL, WL = np.cumsum(st, axis=0), np.cumsum(sw)
    pos = np.flatnonzero(xv[1:] > xv[:-1]) + 1  # left = the first `pos` sorted samples
    if criterion == ABSOLUTE:
        ae_proxies, ae_all, ae_miss = _ae.sorted_proxies(y, w, seg, ids, miss_ids)
    searches = [False, True] if n_miss > 0 else [False]
    for missing_left in searches:
        left, wl = CL[pos - 1], WL[pos - 1]
        nl = pos.copy()
        if missing_left:
            left, wl, nl = left + M, wl + WM, nl + n_miss
        right, wr, nr = tot - left, W - wl, n - nl
        ok = (nl >= msl) & (nr >= msl) & (wl >= mwl) & (wr >= mwl)
        if not ok.any():
            continue
        if criterion == ABSOLUTE:
            values, dls, drs = ae_proxies(pos[ok], missing_left, wl[ok], wr[ok])
        else:
            values = proxy(criterion, left[ok], right[ok], wl[ok], wr[ok])
        j = int(np.argmax(values))
        i = int(pos[ok][j])
        thr = float(xv[i - 1]) / 2.0 + float(xv[i]) / 2.0
        if thr == float(xv[i]) or np.isinf(thr):
            thr = float(xv[i - 1])
        go_left = missing_left if n_miss > 0 else bool(nl[ok][j] > nr[ok][j])
        dev = dict(dev_left=dls[j], dev_right=drs[j]) if criterion == ABSOLUTE else {}
        best.offer(values[j], feature=f, threshold=thr, missing_left=go_left,
                   n_left=int(nl[ok][j]), left=left[ok][j], wl=float(wl[ok][j]), **dev)
    if n_miss > 0:  # all non-missing left, all missing right
        left, wl = CL[-1], float(WL[-1])
        wr = W - wl
        if m >= msl and n_miss >= msl and wl >= mwl and wr >= mwl:
            dev = {}
            if criterion == ABSOLUTE:
                value = _ae.combine(ae_all, ae_miss, wl, wr)
                dev = dict(dev_left=ae_all, dev_right=ae_miss)
            else:
                value = proxy(criterion, left[None], (tot - left)[None],
                              np.array([wl]), np.array([wr]))[0]
            best.offer(value, feature=f, threshold=np.inf, missing_left=False,
                       n_left=m, left=left, wl=wl, **dev)
    return True


def find_split(Xt, y, w, seg, tot, W, p, features, rng):
    """Draw features (partial Fisher-Yates over ``features``, kept across nodes) and
    return the best split over up to ``max_features`` non-constant ones, or None."""
    n_features = len(features)
    best = Best()
    visited = j = 0
    while j < n_features and visited < p["max_features"]:
        r = j + rng.randint(n_features - j)
        features[j], features[r] = features[r], features[j]
        f = int(features[j])
        j += 1
        if evaluate_feature(Xt, y, w, seg, f, tot, W, p, best, rng):
            visited += 1
    return best if best.feature >= 0 else None
