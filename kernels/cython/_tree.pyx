# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# distutils: extra_compile_args = -ffp-contract=off
"""Decision-tree building and traversal, entirely without the GIL.

NumPy reference: ``scratchml.tree._splitter_numpy`` (split search at one node) and
``scratchml.tree._builder_numpy`` (depth-first and best-first growth). This file does
the same operations in the same order, so both build the identical tree:

* a node owns the slice ``seg[start:end]`` of sample ids, kept in increasing id
  order (partitions are stable), so every sum over a node runs in the same order;
* for one feature, the node's non-missing values are gathered into ``Xf`` with their
  ids in ``idx``, NaNs are summed aside (``M``), and (Xf, idx) is sorted by value
  (introsort), then by id inside runs of equal values -- skipped when the sums are
  exact whatever their order (integer class weights), as it cannot change a bit;
* every floating-point operation rounds like NumPy's: no fused multiply-add
  (``-ffp-contract=off``), logarithms from the C library on both sides;
* one pass over the sorted values updates the left statistics incrementally and
  scores every boundary between distinct values: O(n K) after the sort, where
  scikit-learn's splitter does the same;
* absolute_error: the node's samples are ranked by y once per node, and four sweeps
  per feature insert them into a Fenwick tree over the ranks, reading each side's
  weighted median and Σ w |y - median| in O(log n) (``_tree_absolute.pxi``), so a
  node costs O(n log n) per feature as for the other criteria;
* the whole growth loop (stack or priority queue, node arrays that grow by
  doubling) runs here, so no Python code runs per node, and a forest's trees
  build in parallel threads.

Invariants: ``seg[start:end]`` is sorted by id on entry to every node;
``tot`` (class weights, or Σ w y and Σ w y²) and ``W`` of a child are the
parent's split statistics, never re-summed.

The module is one translation unit made of textual includes, so the compiler still
inlines across them: ``_tree_sort.pxi`` (sorting a feature's values at a node),
``_tree_split.pxi`` (criteria, the sorted and the random splitter, the partition),
``_tree_absolute.pxi`` (the absolute_error criterion and its splitter) and
``_tree_grow.pxi`` (node storage, depth-first and best-first growth); this file
declares what they share and holds the entry points.
"""

import numpy as np

from libc.math cimport INFINITY, isinf, log
from libc.stdint cimport uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy, memset

cdef extern from "_tree.h" nogil:
    uint64_t sm_tree_next(uint64_t* state)
    double sm_tree_uniform(uint64_t* state)

ctypedef fused floating:
    float
    double

ctypedef Py_ssize_t intp

cdef enum:
    GINI = 0
    ENTROPY = 1
    SQUARED = 2
    FRIEDMAN = 3
    ABSOLUTE = 4

cdef double EPS = 2.220446049250313e-16
cdef double LN2 = 0.6931471805599453


cdef struct Params:
    intp n_classes, K, criterion, max_features, max_depth
    intp min_samples_split, min_samples_leaf, n_features, max_leaf_nodes
    int random_split, exact_sums
    double min_weight_leaf, min_impurity_decrease


cdef struct Split:
    intp feature, n_left
    double threshold, proxy, wl
    double dl, dr  # absolute_error: the sides' Σ w |y - median|
    int missing_left


cdef struct Nodes:
    intp count, capacity, K
    intp* left
    intp* right
    intp* feature
    intp* n_samples
    double* threshold
    double* impurity
    double* wn
    unsigned char* miss_left
    double* value


cdef struct Work:
    intp* seg
    intp* tmp
    intp* idx
    intp* features
    double* ys  # y[seg[i]] and w[seg[i]]: contiguous copies for the random splitter
    double* ws
    double* ytmp
    double* wtmp
    double* CL
    double* M
    double* L1
    double* best_left
    double* loc_left
    double* ntot
    unsigned char* tie_heavy  # per feature: sorts found many repeated values
    intp n_root
    uint64_t rng
    # absolute_error only (NULL otherwise): the node's y-ranks, a Fenwick tree, sweeps
    intp* lrank  # rank of each sample id at the current node
    intp rank_start, rank_end  # the slice seg[rank_start:rank_end] that was ranked
    intp* sids  # ids by rank
    intp* miss  # the missing ids of a feature, in id order
    double* yloc  # y by rank
    double* ftw
    double* fts
    double* FL  # deviations of the left side (FLM: with the missing values) ...
    double* FLM
    double* BR  # ... and of the right side, by size
    double* BRM


include "_tree_sort.pxi"
include "_tree_split.pxi"
include "_tree_absolute.pxi"
include "_tree_grow.pxi"


# -- entry points ------------------------------------------------------------------------

cdef int _build(const Params* p, Nodes* t, const floating* Xt, intp n_total, const double* y,
                const double* w, const intp* samples, intp n, uint64_t seed) noexcept nogil:
    cdef Work wk
    cdef intp K = p.K, i
    cdef floating* Xf = <floating*>malloc((2 * n + 1) * sizeof(floating))  # values, buffer
    cdef double* root = <double*>malloc(K * sizeof(double))
    cdef double W = 0.0, imp
    cdef int status = -1
    cdef bint ae = p.criterion == ABSOLUTE, ae_ok = 1
    memset(&wk, 0, sizeof(Work))
    if ae:
        wk.lrank = <intp*>malloc((2 * (n + 1) + n_total) * sizeof(intp))
        wk.yloc = <double*>malloc(7 * (n + 1) * sizeof(double))
        ae_ok = wk.lrank != NULL and wk.yloc != NULL
        wk.rank_start = -1
        wk.rank_end = -1
        if ae_ok:
            wk.sids = wk.lrank + n_total
            wk.miss = wk.sids + (n + 1)
            wk.ftw = wk.yloc + (n + 1)
            wk.fts = wk.yloc + 2 * (n + 1)
            wk.FL = wk.yloc + 3 * (n + 1)
            wk.FLM = wk.yloc + 4 * (n + 1)
            wk.BR = wk.yloc + 5 * (n + 1)
            wk.BRM = wk.yloc + 6 * (n + 1)
    wk.rng = seed
    wk.seg = <intp*>malloc((n + 1) * sizeof(intp))
    wk.tmp = <intp*>malloc((n + 1) * sizeof(intp))
    wk.idx = <intp*>malloc((n + 1) * sizeof(intp))
    wk.features = <intp*>malloc((p.n_features + 1) * sizeof(intp))
    wk.tie_heavy = <unsigned char*>malloc((p.n_features + 1) * sizeof(unsigned char))
    wk.n_root = n
    wk.CL = <double*>malloc(6 * K * sizeof(double))
    wk.ys = <double*>malloc(4 * (n + 1) * sizeof(double))
    if (wk.ys != NULL and Xf != NULL and root != NULL and wk.seg != NULL and wk.tmp != NULL
            and wk.idx != NULL and wk.features != NULL and wk.CL != NULL
            and wk.tie_heavy != NULL and ae_ok):
        memset(wk.tie_heavy, 0, p.n_features * sizeof(unsigned char))
        wk.M = wk.CL + K
        wk.L1 = wk.CL + 2 * K
        wk.best_left = wk.CL + 3 * K
        wk.loc_left = wk.CL + 4 * K
        wk.ntot = wk.CL + 5 * K
        for i in range(p.n_features):
            wk.features[i] = i
        memcpy(wk.seg, samples, n * sizeof(intp))
        wk.ws = wk.ys + (n + 1)
        wk.ytmp = wk.ys + 2 * (n + 1)
        wk.wtmp = wk.ys + 3 * (n + 1)
        for i in range(n):
            wk.ys[i] = y[samples[i]]
            wk.ws[i] = w[samples[i]]
        memset(root, 0, K * sizeof(double))
        for i in range(n):
            _add(p.n_classes > 0, y[samples[i]], w[samples[i]], root, &W)
        if ae:
            imp = _ae_root_impurity(&wk, y, w, n, W)
        else:
            imp = _impurity(p, root, W)
        if p.max_leaf_nodes < 0:
            status = _depth_first(p, &wk, t, Xf, Xt, n_total, y, w, n, root, W, imp)
        else:
            status = _best_first(p, &wk, t, Xf, Xt, n_total, y, w, n, root, W, imp)
    free(Xf)
    free(root)
    free(wk.seg)
    free(wk.tmp)
    free(wk.idx)
    free(wk.features)
    free(wk.tie_heavy)
    free(wk.CL)
    free(wk.ys)
    free(wk.lrank)
    free(wk.yloc)
    return status


cdef bint _integer_weights(const double[::1] w) noexcept nogil:
    """True when every weight is a non-negative integer and their total is below 2^52,
    so that every partial sum of them is exact in float64."""
    cdef intp i
    cdef double total = 0.0
    for i in range(w.shape[0]):
        if w[i] > 4503599627370496.0 or w[i] != <double><long long>w[i]:
            return 0
        total += w[i]
    return total < 4503599627370496.0


def build_tree(const floating[:, ::1] Xt, const double[::1] y, const double[::1] w,
               const intp[::1] samples, intp n_classes, intp criterion, bint random_split,
               intp max_features, intp max_depth, intp min_samples_split,
               intp min_samples_leaf, double min_weight_leaf, double min_impurity_decrease,
               intp max_leaf_nodes, uint64_t seed):
    """Grow a tree without the GIL; same contract as ``_builder_numpy.build_tree``."""
    if criterion not in (GINI, ENTROPY, SQUARED, FRIEDMAN, ABSOLUTE):
        raise ValueError(f"criterion code {criterion} has no Cython kernel")
    cdef Params p
    cdef Nodes t
    cdef int status
    cdef intp n = samples.shape[0], n_total = Xt.shape[1], vw
    p.n_classes = n_classes
    p.K = n_classes if n_classes > 0 else 2
    p.criterion = criterion
    p.random_split = random_split
    p.max_features = max_features
    p.max_depth = max_depth
    p.min_samples_split = min_samples_split
    p.min_samples_leaf = min_samples_leaf
    p.min_weight_leaf = min_weight_leaf
    p.min_impurity_decrease = min_impurity_decrease
    p.n_features = Xt.shape[0]
    p.max_leaf_nodes = max_leaf_nodes
    # Class counts of integer weights are sums of small integers: exact in any order.
    p.exact_sums = n_classes > 0 and _integer_weights(w)
    vw = n_classes if n_classes > 0 else 1
    memset(&t, 0, sizeof(Nodes))
    t.K = vw
    if n == 0 or y.shape[0] != n_total or w.shape[0] != n_total:
        raise ValueError("build_tree: samples is empty or y/w do not match Xt's columns")
    with nogil:
        status = _build(&p, &t, &Xt[0, 0], n_total, &y[0], &w[0], &samples[0], n, seed)
    try:
        if status != 0:
            raise MemoryError("build_tree: out of memory while growing the tree")
        c = t.count
        out = {
            "children_left": np.asarray(<intp[:c]>t.left).copy(),
            "children_right": np.asarray(<intp[:c]>t.right).copy(),
            "feature": np.asarray(<intp[:c]>t.feature).copy(),
            "threshold": np.asarray(<double[:c]>t.threshold).copy(),
            "impurity": np.asarray(<double[:c]>t.impurity).copy(),
            "n_node_samples": np.asarray(<intp[:c]>t.n_samples).copy(),
            "weighted_n_node_samples": np.asarray(<double[:c]>t.wn).copy(),
            "missing_go_to_left": np.asarray(<unsigned char[:c]>t.miss_left).copy(),
            "value": np.asarray(<double[:c * vw]>t.value).copy().reshape(c, vw),
        }
    finally:
        _free_nodes(&t)
    return out


def sort_pairs(floating[::1] v, intp[::1] s, int mode=1):
    """Sort (v, s) in place by value; ``mode`` as in ``_sort`` (a test hook)."""
    cdef intp n = v.shape[0]
    cdef floating* tv
    cdef intp* ts
    if s.shape[0] != n:
        raise ValueError("sort_pairs: v and s differ in length")
    if n == 0:
        return
    tv = <floating*>malloc(n * sizeof(floating))
    ts = <intp*>malloc(n * sizeof(intp))
    if tv == NULL or ts == NULL:
        free(tv)
        free(ts)
        raise MemoryError()
    with nogil:
        _sort(&v[0], &s[0], n, mode, tv, ts)
    free(tv)
    free(ts)


cdef inline intp _leaf(const floating* x, const intp* left, const intp* right,
                       const intp* feature, const double* threshold,
                       const unsigned char* miss_left) noexcept nogil:
    """Leaf reached by row x: x_f <= t (or NaN and missing-left) goes left."""
    cdef intp node = 0
    cdef floating v
    while left[node] >= 0:
        v = x[feature[node]]
        if v != v:
            node = left[node] if miss_left[node] else right[node]
        elif <double>v <= threshold[node]:
            node = left[node]
        else:
            node = right[node]
    return node


def apply_rows(const floating[:, ::1] X, const intp[::1] left, const intp[::1] right,
               const intp[::1] feature, const double[::1] threshold,
               const unsigned char[::1] miss_left, intp[::1] out, intp start, intp stop):
    """Leaf reached by each row in [start, stop): x_f <= t (or NaN and missing-left) goes left.

    (Interleaving the node arrays into 32-byte records was measured slower here.)
    """
    cdef intp i
    with nogil:
        for i in range(start, stop):
            out[i] = _leaf(&X[i, 0], &left[0], &right[0], &feature[0], &threshold[0],
                           &miss_left[0])


def forest_sum_rows(const floating[:, ::1] X, const intp[::1] left_at,
                    const intp[::1] right_at, const intp[::1] feature_at,
                    const intp[::1] threshold_at, const intp[::1] miss_at,
                    const intp[::1] value_at, double[:, ::1] out, intp start, intp stop):
    """out[i] += value of row i's leaf in every tree, trees in order, for rows [start, stop).

    Each tree keeps its own node arrays: ``*_at[t]`` is the address of tree t's
    C-contiguous array (children and features intp, thresholds and values float64 with
    out.shape[1] values per node, missing_go_to_left uint8); the caller keeps them alive.
    No concatenated copy of the forest is made. Each tree walks all the rows before the
    next one starts, which keeps its nodes in cache (walking blocks of rows through every
    tree was measured slower).
    """
    cdef intp t, i, k, node, K = out.shape[1], T = left_at.shape[0]
    cdef const intp* left
    cdef const intp* right
    cdef const intp* feature
    cdef const double* threshold
    cdef const unsigned char* miss_left
    cdef const double* value
    if (right_at.shape[0] != T or feature_at.shape[0] != T or threshold_at.shape[0] != T
            or miss_at.shape[0] != T or value_at.shape[0] != T):
        raise ValueError("forest_sum_rows: the per-tree address arrays differ in length")
    with nogil:
        for t in range(T):
            left = <const intp*>left_at[t]
            right = <const intp*>right_at[t]
            feature = <const intp*>feature_at[t]
            threshold = <const double*>threshold_at[t]
            miss_left = <const unsigned char*>miss_at[t]
            value = <const double*>value_at[t]
            for i in range(start, stop):
                node = _leaf(&X[i, 0], left, right, feature, threshold, miss_left)
                for k in range(K):
                    out[i, k] += value[node * K + k]
