"""A KD-tree for exact k-nearest-neighbour search in low dimension (Euclidean metric).

Build (Bentley, 1975): split the points at the median of their widest coordinate,
recursively, until a node holds at most ``leaf_size`` points. The tree is a
permutation of the training rows in which every node is a contiguous range, and
each node's bounding box [lo, hi].

Query (the NumPy reference is vectorised over all queries at once, no per-query
Python loop): for a query q the squared distance to any point of a node is at least

    lb(q, node)² = Σ_f max(lo_f − q_f, 0, q_f − hi_f)²,

so once q has k candidates, a node with lb greater than the k-th best distance
can be skipped with its whole subtree. Candidates start from the query's home
leaf; distances are exact ‖q − x‖² (differences, no expansion) and merged by
(distance, index). A node at exactly the k-th distance is still visited (one of
its points could tie and win on index), so the result is exactly the k nearest
with ties broken by the lower index, as brute force gives.

Both steps are kernels with a compiled twin (``kernels/cython/_kdtree.pyx``):
``"kdtree_build"`` (X, leaf_size) -> tree and ``"kdtree_query"`` (Q, X, tree, k)
-> (squared distances, indices). The NumPy versions here are the references; the
compiled build makes the same tree (the split order is the total order (x_d, row
index) and rows inside a leaf are in index order, so the tree is unique), and the
compiled query searches each query depth first with a heap of its k best.

Cost: O(n log n) to build; per query about O(log n) nodes and a few leaves in
low dimension (far fewer than brute force's n). Memory: O(n) for the tree; the
NumPy build also keeps each used coordinate's sort order and ranks (two integers
per value, twice the size of X at most), and the NumPy query the surviving
(query, node) pairs of one level at a time. The compiled kernels need O(n) only.
"""

from __future__ import annotations

import numpy as np

from .._backend import get_kernel, register

LEAF_SIZE = 40


def build_kd_tree(X: np.ndarray, leaf_size: int = LEAF_SIZE) -> dict:
    """A median-split KD-tree of X, as a dict of plain arrays (so it can be saved).

    Runs kernel ``"kdtree_build"`` (compiled when built); see :func:`_kdtree_build_numpy`.

    Examples
    --------
    >>> import numpy as np
    >>> tree = build_kd_tree(np.arange(10.0)[:, None], leaf_size=5)
    >>> tree["left"].tolist(), tree["start"].tolist(), tree["stop"].tolist()
    ([1, -1, -1], [0, 0, 5], [10, 5, 10])
    """
    if not (isinstance(leaf_size, (int, np.integer)) and leaf_size >= 1):
        raise ValueError(f"leaf_size={leaf_size!r} must be a positive integer (e.g. 40).")
    build, _ = get_kernel("kdtree_build")
    return build(np.ascontiguousarray(X, dtype=np.float64), int(leaf_size))


def _kdtree_build_numpy(X: np.ndarray, leaf_size: int = LEAF_SIZE) -> dict:
    """NumPy reference of kernel ``"kdtree_build"``: the tree as a dict of plain arrays.

    Node v covers the rows ``perm[start[v]:stop[v]]`` (every node is a contiguous
    range of the permutation), has bounding box ``lo[v]``, ``hi[v]`` and, when it is
    not a leaf, children ``left[v]``, ``right[v]`` (−1 for leaves) split on feature
    ``dim[v]`` at ``split[v]`` (left values <= split <= right values). Node 0 is the
    root; nodes are numbered level by level. A node splits on its widest coordinate
    d (the first on ties) at position size // 2 of the order (x_d, row index), and
    the rows of each leaf are listed in index order, so the tree is unique.
    """
    n, p = X.shape
    perm = np.arange(n)
    # order[f] lists the rows by (x_f, row index), a total order, and rank[f] is its
    # inverse: sorting a segment by (x_f, index) is sorting the integers rank[f][rows].
    order = np.empty((p, n), dtype=np.intp)
    rank = np.empty((p, n), dtype=np.intp)
    ranked = np.zeros(p, dtype=bool)
    row_ids = np.arange(n)
    start, stop = [np.array([0])], [np.array([n])]
    left, right, dim, split = [], [], [], []
    level_start, level_stop, first_id = np.array([0]), np.array([n]), 0
    # Level by level, all nodes of a level at once (no per-node Python work).
    while level_start.size:
        sizes = level_stop - level_start
        big = sizes > leaf_size
        m = len(sizes)
        lft = np.full(m, -1)
        rgt = np.full(m, -1)
        d = np.zeros(m, dtype=np.intp)
        sv = np.zeros(m)
        if big.any():
            bs, be = level_start[big], level_stop[big]
            lo, hi = _segment_boxes(X, perm, bs, be)
            d[big] = np.argmax(hi - lo, axis=1)  # widest coordinate
            # Sort each splitting segment by its coordinate; the median splits it.
            lengths = be - bs
            seg = np.repeat(np.arange(bs.size), lengths)
            pos = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            pos += np.repeat(bs, lengths)  # every row of the splitting segments
            for f in np.unique(d[big][~ranked[d[big]]]):  # at most p times in all
                order[f] = np.lexsort((row_ids, X[:, f]))
                rank[f, order[f]] = row_ids
                ranked[f] = True
            dseg = np.repeat(d[big], lengths)
            keys = seg * n + rank[dseg, perm[pos]]  # segment first, then (x_d, index)
            keys.sort()
            perm[pos] = order[dseg, keys - seg * n]
            mid = bs + (be - bs) // 2
            sv[big] = X[perm[mid], d[big]]
            ids = first_id + m + 2 * np.arange(bs.size)
            lft[big], rgt[big] = ids, ids + 1
            next_start = np.column_stack([bs, mid]).ravel()
            next_stop = np.column_stack([mid, be]).ravel()
        else:
            next_start = next_stop = np.array([], dtype=np.intp)
        left.append(lft)
        right.append(rgt)
        dim.append(d)
        split.append(sv)
        first_id += m
        level_start, level_stop = next_start, next_stop
        if level_start.size:
            start.append(level_start)
            stop.append(level_stop)
    start, stop = np.concatenate(start), np.concatenate(stop)
    left, right = np.concatenate(left), np.concatenate(right)
    dim, split = np.concatenate(dim), np.concatenate(split)
    lo, hi = _segment_boxes(X, perm, start, stop)
    # Rows of each leaf in index order (the leaves' ranges tile 0..n-1).
    leaves = np.flatnonzero(left < 0)
    leaves = leaves[np.argsort(start[leaves])]
    owner = np.repeat(np.arange(leaves.size), stop[leaves] - start[leaves])
    keys = owner * n + perm
    keys.sort()
    perm = keys - owner * n
    return {"perm": perm, "start": start.astype(np.intp), "stop": stop.astype(np.intp),
            "left": left.astype(np.intp), "right": right.astype(np.intp),
            "dim": dim.astype(np.intp), "split": split.astype(np.float64), "lo": lo, "hi": hi}


def _segment_boxes(X, perm, start, stop):
    """Bounding boxes of the rows perm[start[v]:stop[v]] for every v, by two reduceats."""
    # reduceat over the index pairs (start, stop) reduces each contiguous range; a
    # padding row lets stop = n be an index.
    pts = np.vstack([X[perm], np.zeros((1, X.shape[1]))])
    bounds = np.column_stack([start, stop]).ravel()
    return (np.minimum.reduceat(pts, bounds, axis=0)[::2],
            np.maximum.reduceat(pts, bounds, axis=0)[::2])


def _members(tree) -> np.ndarray:
    """(n_nodes, max leaf size) training indices of each leaf, −1 padded (and for inner nodes)."""
    leaves = np.flatnonzero(tree["left"] < 0)
    sizes = tree["stop"][leaves] - tree["start"][leaves]
    out = np.full((len(tree["left"]), int(sizes.max())), -1, dtype=np.intp)
    rows = np.repeat(leaves, sizes)
    col = np.arange(len(rows)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    out[rows, col] = tree["perm"][np.repeat(tree["start"][leaves], sizes) + col]
    return out


def _box_lb(Q, lo, hi):
    """Squared distance from each query to its paired box (0 inside)."""
    gap = np.maximum(lo - Q, Q - hi)
    np.maximum(gap, 0.0, out=gap)
    return np.einsum("ij,ij->i", gap, gap)


def kneighbors_kd_tree(Q, X, tree, k: int, exclude_self: bool = False, n_jobs=None):
    """The k nearest rows of X for each row of Q by a KD-tree: ``(distances, indices)``.

    Same result as brute force: sorted by (distance, index), exact distances.
    With ``exclude_self`` (Q is X) row i never returns i. The search is kernel
    ``"kdtree_query"``; the winners' distances are then computed exactly as brute
    force computes them (‖q − x‖ from the differences, the same expression), so
    both searches return the same bits.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0], [4.0]])
    >>> d, i = kneighbors_kd_tree(np.array([[2.0]]), X, build_kd_tree(X, 1), 2)
    >>> d.tolist(), i.tolist()
    ([[1.0, 1.0]], [[1, 2]])
    """
    Q = np.ascontiguousarray(Q, dtype=np.float64)
    X = np.ascontiguousarray(X, dtype=np.float64)
    search, _ = get_kernel("kdtree_query")
    _, ind = search(Q, X, tree, k, exclude_self=exclude_self, n_jobs=n_jobs)
    dist = np.empty((len(Q), k))
    # Chunks of ~2^20 gathered values keep the (rows, k, p) temporary small.
    step = max(1, (1 << 20) // max(k * Q.shape[1], 1))
    for s in range(0, len(Q), step):
        diff = Q[s:s + step, None, :] - X[ind[s:s + step]]
        dist[s:s + step] = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    # Sort by (distance, index) after the square root, as brute force does: two
    # squared distances a rounding apart can share one root.
    order = np.lexsort((ind, dist), axis=1)
    return np.take_along_axis(dist, order, axis=1), np.take_along_axis(ind, order, axis=1)


def _kdtree_query_numpy(Q, X, tree, k: int, exclude_self: bool = False, n_jobs=None):
    """NumPy reference of kernel ``"kdtree_query"``: ``(squared distances, indices)``.

    Both (n_q, k), sorted by (squared distance, index). ``n_jobs`` is ignored (the
    array operations are the parallel part). Steps, each vectorised
    over all queries: (1) descend to each query's home leaf and take its points
    as the first k best; (2) walk the tree level by level keeping only the
    (query, node) pairs whose box is within the current k-th distance; (3) visit
    the surviving leaves of each query nearest box first, skipping any whose box
    lies beyond the (shrinking) k-th distance.
    """
    n_q = len(Q)
    members = _members(tree)
    left, right = tree["left"], tree["right"]
    self_idx = np.arange(n_q) if exclude_self else None
    best_d = np.full((n_q, k), np.inf)
    best_i = np.full((n_q, k), _NONE, dtype=np.intp)
    if n_q == 0:
        return best_d, best_i
    # (1) home leaves
    home = np.zeros(n_q, dtype=np.intp)
    inner = np.flatnonzero(left[home] >= 0)
    while inner.size:
        v = home[inner]
        go_right = Q[inner, tree["dim"][v]] >= tree["split"][v]
        home[inner] = np.where(go_right, right[v], left[v])
        inner = inner[left[home[inner]] >= 0]
    _merge(Q, X, members, best_d, best_i, np.arange(n_q), home, self_idx)
    # (2) level-by-level pruning of (query, node) pairs
    pq, pn = np.arange(n_q), np.zeros(n_q, dtype=np.intp)
    found_q, found_n, found_lb = [], [], []
    while pq.size:
        lb = _box_lb(Q[pq], tree["lo"][pn], tree["hi"][pn])
        keep = lb <= best_d[pq, -1]  # a point at exactly the k-th distance may win on index
        pq, pn, lb = pq[keep], pn[keep], lb[keep]
        leaf = left[pn] < 0
        take = leaf & (pn != home[pq])
        found_q.append(pq[take])
        found_n.append(pn[take])
        found_lb.append(lb[take])
        pq = np.repeat(pq[~leaf], 2)
        pn = np.column_stack([left[pn[~leaf]], right[pn[~leaf]]]).ravel()
    fq, fn, flb = np.concatenate(found_q), np.concatenate(found_n), np.concatenate(found_lb)
    # (3) leaves nearest-box first; round r visits each query's r-th leaf
    order = np.lexsort((flb, fq))
    fq, fn, flb = fq[order], fn[order], flb[order]
    first = np.searchsorted(fq, fq)  # start of each query's run (fq is sorted)
    rank = np.arange(len(fq)) - first
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        sel = np.flatnonzero(rank == r)
        sel = sel[flb[sel] <= best_d[fq[sel], -1]]
        if sel.size:
            _merge(Q, X, members, best_d, best_i, fq[sel], fn[sel], self_idx)
    return best_d, best_i


_NONE = np.iinfo(np.intp).max  # index of an empty slot: loses every tie


def _merge(Q, X, members, best_d, best_i, qs, leaves, self_idx):
    """Merge the points of leaf ``leaves[j]`` into the k best of query ``qs[j]`` (unique qs)."""
    k = best_d.shape[1]
    cand = members[leaves]
    diff = Q[qs, None, :] - X[cand]
    d = np.einsum("ijk,ijk->ij", diff, diff)  # exact squared distances, from differences
    bad = cand < 0
    if self_idx is not None:
        bad |= cand == self_idx[qs, None]
    d[bad] = np.inf
    cand = np.where(bad, _NONE, cand)
    # Only queries with a candidate at or below their k-th best can change.
    change = np.flatnonzero(np.any(d <= best_d[qs, -1:], axis=1))
    if change.size < len(qs):
        qs, d, cand = qs[change], d[change], cand[change]
    all_d = np.hstack([best_d[qs], d])
    all_i = np.hstack([best_i[qs], cand])
    top = np.lexsort((all_i, all_d), axis=1)[:, :k]  # by distance, then index
    best_d[qs] = np.take_along_axis(all_d, top, axis=1)
    best_i[qs] = np.take_along_axis(all_i, top, axis=1)


register("kdtree_build", "numpy", _kdtree_build_numpy)
register("kdtree_build", "cython", "scratchml.neighbors._kd_tree_native:kdtree_build")
register("kdtree_query", "numpy", _kdtree_query_numpy)
register("kdtree_query", "cython", "scratchml.neighbors._kd_tree_native:kdtree_query")
