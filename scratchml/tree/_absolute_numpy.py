"""NumPy reference of the tree kernel, part 3: the ``absolute_error`` split criterion.

A side's cost is D = Σ_i w_i |y_i − med|, its weighted absolute deviation around its
weighted median; the proxy of a split is scikit-learn's −W_R (D_R / W_R) − W_L (D_L / W_L),
and the children's impurities are D_L / W_L and D_R / W_R. Computing each D from
scratch costs O(n) per threshold, O(n²) per node and feature. Instead (as scikit-learn
1.9's ``MAE`` criterion does), the node's samples are ranked by y (then id), and as the split point
sweeps the samples sorted by x, each one is *inserted* into a Fenwick tree over the
ranks holding Σ w and Σ w y. The median is found by descending the tree to half the
total weight (scikit-learn's ``WeightedFenwickTree.search``: the midpoint of two
values when a prefix weighs exactly half), which also yields the weight A and the sum
B of the ranks below it:

    D = ((S − B) − m (W − A)) + (m A − B),   m = the median,  W = Σ w,  S = Σ w y

Four sweeps per feature -- left to right and right to left, each with and without
the node's missing values inserted first -- give every candidate's two sides:
O(n log n) per node and feature. The root's impurity inserts its samples from the
last id down (scikit-learn's order for the root).

Every operation is scalar and done in a fixed order, so the Cython twin
(``kernels/cython/_tree_absolute.pxi``) repeats it exactly and both backends build the
same tree. Leaf values stay :func:`~._splitter_numpy.weighted_median` of the node.
"""

from __future__ import annotations

import numpy as np


def node_ranks(y: np.ndarray, seg: np.ndarray):
    """Rank (by y, then sample id) of each sample of the node ``seg`` (increasing ids).

    Returns ``(rank_of, y_by_rank)``: a dict id -> rank and the node's sorted y values.
    """
    order = np.argsort(y[seg], kind="stable")
    ids = seg[order]
    return dict(zip(ids.tolist(), range(len(ids)))), y[ids].tolist()


class Fenwick:
    """Σ w and Σ w y over ranks 0..n-1, with the weighted-median descent."""

    def __init__(self, n: int, y_by_rank: list) -> None:
        self.n, self.yr = n, y_by_rank
        self.tw, self.ts = [0.0] * (n + 1), [0.0] * (n + 1)
        self.W = self.S = 0.0
        self.count = 0
        self.top = 1 << (n.bit_length() - 1) if n else 0

    def add(self, r: int, wv: float, yv: float) -> None:
        wy = wv * yv
        i, n, tw, ts = r + 1, self.n, self.tw, self.ts
        while i <= n:
            tw[i] += wv
            ts[i] += wy
            i += i & -i
        self.W += wv
        self.S += wy
        self.count += 1

    def search(self, target: float):
        """scikit-learn's ``WeightedFenwickTree.search``: (rank, A, B, prev) with rank the
        smallest rank whose prefix weight exceeds ``target``, A and B the weight and Σ w y
        below it, and prev the rank whose prefix weight equals ``target`` exactly (else
        prev = rank)."""
        n, tw, ts = self.n, self.tw, self.ts
        cur, cw, cwy, bit = 0, 0.0, 0.0, self.top
        eq_bit = 0
        while bit != 0:
            nxt = cur + bit
            if nxt <= n:
                nw = tw[nxt]
                if target == nw:
                    eq_bit, eq_target = bit, target
                    break
                elif target > nw:
                    target -= nw
                    cur = nxt
                    cw += nw
                    cwy += ts[nxt]
            bit >>= 1
        if eq_bit == 0:
            return cur, cw, cwy, cur
        prev = cur
        while bit != 0:
            nxt = prev + bit
            if nxt <= n:
                nw = tw[nxt]
                if target > nw:
                    target -= nw
                    prev = nxt
            bit >>= 1
        bit, target = eq_bit, eq_target
        while bit != 0:
            nxt = cur + bit
            if nxt <= n:
                nw = tw[nxt]
                if target >= nw:
                    target -= nw
                    cur = nxt
                    cw += nw
                    cwy += ts[nxt]
            bit >>= 1
        return cur, cw, cwy, prev

    def deviation(self) -> float:
        """Σ w |y − med| over the inserted samples (0 when there are none), computed as
        scikit-learn's ``precompute_absolute_errors`` does."""
        if self.count == 0:
            return 0.0
        rank, w_left, wy_left, prev = self.search(0.5 * self.W)
        rank, prev = min(rank, self.n - 1), min(prev, self.n - 1)  # rounding guard
        yr = self.yr
        median = (yr[prev] + yr[rank]) / 2 if rank != prev else yr[rank]
        w_right = self.W - w_left
        wy_right = self.S - wy_left
        return (wy_right - median * w_right) + (median * w_left - wy_left)


def combine(dev_left, dev_right, wl, wr):
    """scikit-learn's proxy −W_R I_R − W_L I_L with I = D / W (same roundings)."""
    return -wr * (dev_right / wr) - wl * (dev_left / wl)


def sweep(y, w, ranks, seeds, ids, backward: bool) -> np.ndarray:
    """out[j] = deviation of ``seeds`` (inserted first, in order) plus the first j of
    ``ids`` (the last j, inserted from the end, when ``backward``), j = 0..len(ids)."""
    rank_of, yr = ranks
    fw = Fenwick(len(yr), yr)
    yl, wl = y.tolist(), w.tolist()
    for s in seeds.tolist():
        fw.add(rank_of[s], wl[s], yl[s])
    seq = ids.tolist()
    if backward:
        seq.reverse()
    out = np.empty(len(seq) + 1)
    out[0] = fw.deviation()
    for j, s in enumerate(seq):
        fw.add(rank_of[s], wl[s], yl[s])
        out[j + 1] = fw.deviation()
    return out


def set_deviation(y, w, ranks, ids) -> float:
    """Deviation of the samples ``ids``, inserted in the given order."""
    return float(sweep(y, w, ranks, ids, ids[:0], False)[0])


def sorted_proxies(y, w, seg, ids, miss_ids):
    """The four sweeps of the sorted splitter at a node.

    ``ids``: the present samples sorted by x (then id); ``miss_ids``: the missing ones,
    in id order. Returns a function ``(pos, missing_left) -> proxy`` (pos: array of
    left sizes among the present samples; wl, wr: the sides' weights) and the two sides'
    deviations for the +inf split (all present samples left, the missing ones right).
    """
    ranks = node_ranks(y, seg)
    m = len(ids)
    FL = sweep(y, w, ranks, ids[:0], ids, False)
    BR = sweep(y, w, ranks, ids[:0], ids, True)
    if len(miss_ids):
        FLM = sweep(y, w, ranks, miss_ids, ids, False)
        BRM = sweep(y, w, ranks, miss_ids, ids, True)
    else:
        FLM, BRM = FL, BR

    def proxies(pos, missing_left, wl, wr):
        dl, dr = (FLM[pos], BR[m - pos]) if missing_left else (FL[pos], BRM[m - pos])
        return combine(dl, dr, wl, wr), dl, dr

    return proxies, FL[m], BRM[0]


def random_proxy(y, w, seg, go_left, wl, wr) -> float:
    """Proxy of one split of ``seg`` (``go_left`` a mask): each side inserted in id order."""
    ranks = node_ranks(y, seg)
    dl = set_deviation(y, w, ranks, seg[go_left])
    dr = set_deviation(y, w, ranks, seg[~go_left])
    return combine(dl, dr, wl, wr), dl, dr
