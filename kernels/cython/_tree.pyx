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
* the whole growth loop (stack or priority queue, node arrays that grow by
  doubling) runs here, so no Python code runs per node, and a forest's trees
  build in parallel threads.

Invariants: ``seg[start:end]`` is sorted by id on entry to every node;
``tot`` (class weights, or Σ w y and Σ w y²) and ``W`` of a child are the
parent's split statistics, never re-summed.
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


# -- sorting (Xf, idx) by value -----------------------------------------------------------
# Introsort (quicksort with a Hoare partition, heapsort when the recursion degrades).
# The reference sums in (value, id) order; when sums are exact -- integer class
# counts, integer weights -- the order of equal values cannot change a bit, and the
# unstable sort is enough. Otherwise each run of equal values gets its ids sorted, which
# restores the unique (value, id) order (a single linear scan when there are no ties).

cdef inline void _swap(floating* v, intp* s, intp i, intp j) noexcept nogil:
    cdef floating tv = v[i]
    cdef intp ts = s[i]
    v[i] = v[j]
    s[i] = s[j]
    v[j] = tv
    s[j] = ts


cdef inline floating _median3(floating* v, intp n) noexcept nogil:
    cdef floating a = v[0], b = v[n // 2], c = v[n - 1]
    if a < b:
        if b < c:
            return b
        elif a < c:
            return c
        return a
    elif b < c:
        if a < c:
            return a
        return c
    return b


cdef void _sift(floating* v, intp* s, intp root, intp n) noexcept nogil:
    cdef intp child
    while 2 * root + 1 < n:
        child = 2 * root + 1
        if child + 1 < n and v[child] < v[child + 1]:
            child += 1
        if not v[root] < v[child]:
            return
        _swap(v, s, root, child)
        root = child


cdef void _heapsort(floating* v, intp* s, intp n) noexcept nogil:
    cdef intp i
    for i in range(n // 2 - 1, -1, -1):
        _sift(v, s, i, n)
    for i in range(n - 1, 0, -1):
        _swap(v, s, 0, i)
        _sift(v, s, 0, i)


cdef void _insertion(floating* v, intp* s, intp n) noexcept nogil:
    cdef intp i, j, sk
    cdef floating vk
    for i in range(1, n):
        vk = v[i]
        sk = s[i]
        j = i
        while j > 0 and vk < v[j - 1]:
            v[j] = v[j - 1]
            s[j] = s[j - 1]
            j -= 1
        v[j] = vk
        s[j] = sk


cdef void _introsort(floating* v, intp* s, intp n, int budget) noexcept nogil:
    cdef intp i, j
    cdef floating pivot
    while n > 16:
        if budget <= 0:
            _heapsort(v, s, n)
            return
        budget -= 1
        pivot = _median3(v, n)
        # Hoare partition: [0, j] <= pivot <= [j + 1, n), both parts non-empty; runs
        # of equal values are split evenly, so repeated values stay O(n log n)
        i = -1
        j = n
        while True:
            i += 1
            while v[i] < pivot:
                i += 1
            j -= 1
            while v[j] > pivot:
                j -= 1
            if i >= j:
                break
            _swap(v, s, i, j)
        # recurse into the smaller part, loop on the larger
        if j + 1 < n - j - 1:
            _introsort(v, s, j + 1, budget)
            v += j + 1
            s += j + 1
            n -= j + 1
        else:
            _introsort(v + j + 1, s + j + 1, n - j - 1, budget)
            n = j + 1
    _insertion(v, s, n)


cdef void _sort_ids(intp* s, intp n) noexcept nogil:
    """Sort distinct sample ids: quicksort, insertion sort below 16."""
    cdef intp i, j, k, pivot, t
    while n > 16:
        pivot = s[n // 2]
        i = 0
        j = n - 1
        while i <= j:
            while s[i] < pivot:
                i += 1
            while s[j] > pivot:
                j -= 1
            if i <= j:
                t = s[i]
                s[i] = s[j]
                s[j] = t
                i += 1
                j -= 1
        if j + 1 < n - i:
            _sort_ids(s, j + 1)
            s += i
            n -= i
        else:
            _sort_ids(s + i, n - i)
            n = j + 1
    for i in range(1, n):
        k = s[i]
        j = i
        while j > 0 and k < s[j - 1]:
            s[j] = s[j - 1]
            j -= 1
        s[j] = k


cdef void _stable_qsort(floating* v, intp* s, intp n, floating* tv, intp* ts,
                        int budget) noexcept nogil:
    """Stable sort by value for data with many repeated values: each level scatters the
    slice into the buffers as [< pivot | == pivot | > pivot] keeping the input order in
    each part, so a run of equal values is finished in one pass. Insertion sort below
    16; if pivots are unlucky for too long, the rest falls back to insertion sort in
    blocks merged by the same scatter (never worse than O(n^2), reached only by
    adversarial orders)."""
    cdef intp i, nl, ne, a, b, c
    cdef floating pivot, x
    while n > 16:
        if budget <= 0:
            break
        budget -= 1
        pivot = _median3(v, n)
        nl = 0
        ne = 0
        for i in range(n):
            x = v[i]
            if x < pivot:
                nl += 1
            elif x == pivot:
                ne += 1
        a = 0
        b = nl
        c = nl + ne
        for i in range(n):
            x = v[i]
            if x < pivot:
                tv[a] = x
                ts[a] = s[i]
                a += 1
            elif x == pivot:
                tv[b] = x
                ts[b] = s[i]
                b += 1
            else:
                tv[c] = x
                ts[c] = s[i]
                c += 1
        memcpy(v, tv, n * sizeof(floating))
        memcpy(s, ts, n * sizeof(intp))
        _stable_qsort(v, s, nl, tv, ts, budget)
        v += nl + ne
        s += nl + ne
        n -= nl + ne
    _insertion(v, s, n)  # stable: strict comparison


cdef inline intp _sort(floating* v, intp* s, intp n, int mode, floating* tv,
                       intp* ts) noexcept nogil:
    """Sort (v, s) by value. mode 0: unstable; 1: then ids inside runs of equal values;
    2: stable scatter quicksort. Modes 1 and 2 give the same (value, id) order when the
    input ids are increasing. Returns how many values had an equal neighbour (modes 0, 1)."""
    cdef int budget = 0
    cdef intp m = n, i = 0, j, ties = 0
    while m > 1:
        budget += 2
        m >>= 1
    if mode == 2:
        _stable_qsort(v, s, n, tv, ts, budget)
        return 0
    _introsort(v, s, n, budget)
    while i < n:
        j = i + 1
        while j < n and v[j] == v[i]:
            j += 1
        if j - i > 1:
            if mode == 1:
                _sort_ids(s + i, j - i)
            ties += j - i
        i = j
    return ties


# -- criteria ----------------------------------------------------------------------------

cdef inline void _add(const Params* p, const double* y, const double* w, intp s,
                      double* st, double* wsum) noexcept nogil:
    cdef double wy
    if p.n_classes > 0:
        st[<intp>y[s]] += w[s]
    else:
        wy = w[s] * y[s]
        st[0] += wy
        st[1] += wy * y[s]
    wsum[0] += w[s]


cdef inline double _proxy(const Params* p, const double* left, const double* tot,
                          double wl, double wr) noexcept nogil:
    cdef intp k
    cdef double a = 0.0, b = 0.0, cl, cr, sl, sr, diff
    if p.criterion == GINI:
        for k in range(p.K):
            cl = left[k]
            cr = tot[k] - cl
            a += cl * cl
            b += cr * cr
        return a / wl + b / wr
    if p.criterion == ENTROPY:
        for k in range(p.K):
            cl = left[k]
            cr = tot[k] - cl
            if cl > 0:
                a += cl * log(cl / wl)
            if cr > 0:
                b += cr * log(cr / wr)
        return a + b
    sl = left[0]
    sr = tot[0] - sl
    if p.criterion == SQUARED:
        return sl * sl / wl + sr * sr / wr
    diff = wr * sl - wl * sr
    return diff * diff / (wl * wr)


cdef inline double _impurity(const Params* p, const double* tot, double W) noexcept nogil:
    cdef intp k
    cdef double acc = 0.0, q, mean
    if p.criterion == GINI:
        for k in range(p.K):
            acc += tot[k] * tot[k]
        return 1.0 - acc / (W * W)
    if p.criterion == ENTROPY:
        for k in range(p.K):
            if tot[k] > 0:
                q = tot[k] / W
                acc += q * (log(q) / LN2)
        return -acc
    mean = tot[0] / W
    return tot[1] / W - mean * mean


cdef inline void _offer(Split* best, double* best_left, intp K, double proxy, intp f,
                        double thr, int miss_left, intp n_left, const double* left,
                        double wl) noexcept nogil:
    if proxy > best.proxy:
        best.proxy = proxy
        best.feature = f
        best.threshold = thr
        best.missing_left = miss_left
        best.n_left = n_left
        best.wl = wl
        memcpy(best_left, left, K * sizeof(double))


# -- split search at one node ------------------------------------------------------------

cdef int _eval_feature(const Params* p, Work* wk, floating* Xf, const floating* col,
                       const double* y, const double* w, intp start, intp end,
                       const double* tot, double W, intp f, Split* best) noexcept nogil:
    """Offer the best split of feature f to ``best``; 0 when f is constant here."""
    cdef intp K = p.K, n = end - start, m = 0, nmiss = 0, i, k, s, nl, nr
    cdef intp msl = p.min_samples_leaf
    cdef double mwl = p.min_weight_leaf, WM = 0.0, wl = 0.0, wr, wl1, wr1, pr, thr
    cdef floating v, lo = 0, hi = 0
    cdef double* CL = wk.CL
    cdef double* M = wk.M
    cdef double* L1 = wk.L1
    cdef Split loc
    cdef int go
    cdef const double* ys = wk.ys + start
    cdef const double* ws = wk.ws + start
    memset(M, 0, K * sizeof(double))
    memset(CL, 0, K * sizeof(double))
    if p.random_split:
        # Xf[i] is the value at position start + i, NaN included (NaN <= thr is false, so
        # the sums below skip the missing values in the same id order as idx would).
        for i in range(start, end):
            s = wk.seg[i]
            v = col[s]
            Xf[i - start] = v
            if v != v:
                nmiss += 1
                _add(p, y, w, s, M, &WM)
            else:
                if m == 0 or v < lo:
                    lo = v
                if m == 0 or v > hi:
                    hi = v
                m += 1
        if m == 0 or hi <= lo:
            return 0
        thr = (<double>hi - <double>lo) * sm_tree_uniform(&wk.rng) + <double>lo
        if thr >= <double>hi:
            thr = <double>lo
        go = -1
        if nmiss > 0:
            go = <int>(sm_tree_next(&wk.rng) % 2) == 1
        nl = 0
        if p.n_classes > 0:
            for i in range(n):  # seg is in id order: the reference's summation order
                if <double>Xf[i] <= thr:
                    CL[<intp>ys[i]] += ws[i]
                    wl += ws[i]
                    nl += 1
        else:
            for i in range(n):
                if <double>Xf[i] <= thr:
                    pr = ws[i] * ys[i]
                    CL[0] += pr
                    CL[1] += pr * ys[i]
                    wl += ws[i]
                    nl += 1
        if go == -1:
            go = nl > n - nl
        elif go:
            for k in range(K):
                CL[k] = CL[k] + M[k]
            wl = wl + WM
            nl = nl + nmiss
        wr = W - wl
        nr = n - nl
        if nl >= msl and nr >= msl and wl >= mwl and wr >= mwl:
            _offer(best, wk.best_left, K, _proxy(p, CL, tot, wl, wr), f, thr, go, nl, CL, wl)
        return 1

    for i in range(start, end):
        s = wk.seg[i]
        v = col[s]
        if v != v:
            nmiss += 1
            _add(p, y, w, s, M, &WM)
        else:
            if m == 0 or v < lo:
                lo = v
            if m == 0 or v > hi:
                hi = v
            Xf[m] = v
            wk.idx[m] = s
            m += 1
    if m == 0:
        return 0
    if hi <= lo and nmiss == 0:
        return 0
    if wk.tie_heavy[f]:
        _sort(Xf, wk.idx, m, 2, Xf + wk.n_root, wk.tmp)
    elif 4 * _sort(Xf, wk.idx, m, 0 if p.exact_sums else 1, NULL, NULL) > m and m >= 64:
        wk.tie_heavy[f] = 1  # a quarter repeated: scatter-sort this feature from now on
    loc.proxy = -INFINITY
    for i in range(m - 1):
        _add(p, y, w, wk.idx[i], CL, &wl)
        if Xf[i + 1] > Xf[i]:
            nl = i + 1
            nr = n - nl
            wr = W - wl
            if nl >= msl and nr >= msl and wl >= mwl and wr >= mwl:
                pr = _proxy(p, CL, tot, wl, wr)
                if pr > best.proxy:
                    thr = (<double>Xf[i]) / 2.0 + (<double>Xf[i + 1]) / 2.0
                    if thr == <double>Xf[i + 1] or isinf(thr):
                        thr = <double>Xf[i]
                    go = 0 if nmiss > 0 else nl > nr
                    _offer(best, wk.best_left, K, pr, f, thr, go, nl, CL, wl)
            if nmiss > 0:
                nl = i + 1 + nmiss
                nr = m - (i + 1)
                wl1 = wl + WM
                wr1 = W - wl1
                if nl >= msl and nr >= msl and wl1 >= mwl and wr1 >= mwl:
                    for k in range(K):
                        L1[k] = CL[k] + M[k]
                    pr = _proxy(p, L1, tot, wl1, wr1)
                    if pr > loc.proxy:
                        thr = (<double>Xf[i]) / 2.0 + (<double>Xf[i + 1]) / 2.0
                        if thr == <double>Xf[i + 1] or isinf(thr):
                            thr = <double>Xf[i]
                        _offer(&loc, wk.loc_left, K, pr, f, thr, 1, nl, L1, wl1)
    if nmiss > 0:
        # missing-left candidates come after every missing-right one, as in the reference
        if loc.proxy > best.proxy:
            _offer(best, wk.best_left, K, loc.proxy, f, loc.threshold, 1, loc.n_left,
                   wk.loc_left, loc.wl)
        _add(p, y, w, wk.idx[m - 1], CL, &wl)
        wr = W - wl
        if m >= msl and nmiss >= msl and wl >= mwl and wr >= mwl:
            _offer(best, wk.best_left, K, _proxy(p, CL, tot, wl, wr), f, INFINITY, 0, m,
                   CL, wl)
    return 1


cdef int _find_split(const Params* p, Work* wk, floating* Xf, const floating* Xt,
                     intp n_total, const double* y, const double* w, intp start, intp end,
                     const double* tot, double W, Split* best) noexcept nogil:
    """Partial Fisher-Yates over the persistent feature order; 1 when a split was found."""
    cdef intp j = 0, r, f, visited = 0, nf = p.n_features
    best.proxy = -INFINITY
    best.feature = -1
    while j < nf and visited < p.max_features:
        r = j + <intp>(sm_tree_next(&wk.rng) % <uint64_t>(nf - j))
        f = wk.features[r]
        wk.features[r] = wk.features[j]
        wk.features[j] = f
        j += 1
        if _eval_feature(p, wk, Xf, Xt + f * n_total, y, w, start, end, tot, W, f, best):
            visited += 1
    return best.feature >= 0


cdef void _partition(Work* wk, const floating* col, intp start, intp end,
                     const Split* sp) noexcept nogil:
    """Stable partition of seg[start:end]: left samples first, both halves in id order."""
    cdef intp i, s, write = start, r = 0
    cdef floating v
    cdef bint go
    cdef double yv, wv
    for i in range(start, end):
        s = wk.seg[i]
        v = col[s]
        yv = wk.ys[i]
        wv = wk.ws[i]
        if v != v:
            go = sp.missing_left
        else:
            go = <double>v <= sp.threshold
        if go:
            wk.seg[write] = s
            wk.ys[write] = yv
            wk.ws[write] = wv
            write += 1
        else:
            wk.tmp[r] = s
            wk.ytmp[r] = yv
            wk.wtmp[r] = wv
            r += 1
    memcpy(wk.seg + write, wk.tmp, r * sizeof(intp))
    memcpy(wk.ys + write, wk.ytmp, r * sizeof(double))
    memcpy(wk.ws + write, wk.wtmp, r * sizeof(double))


# -- node storage ----------------------------------------------------------------------

cdef int _grow(Nodes* t) noexcept nogil:
    cdef intp cap = 64 if t.capacity == 0 else 2 * t.capacity
    cdef void* q
    q = realloc(t.left, cap * sizeof(intp))
    if q == NULL:
        return -1
    t.left = <intp*>q
    q = realloc(t.right, cap * sizeof(intp))
    if q == NULL:
        return -1
    t.right = <intp*>q
    q = realloc(t.feature, cap * sizeof(intp))
    if q == NULL:
        return -1
    t.feature = <intp*>q
    q = realloc(t.n_samples, cap * sizeof(intp))
    if q == NULL:
        return -1
    t.n_samples = <intp*>q
    q = realloc(t.threshold, cap * sizeof(double))
    if q == NULL:
        return -1
    t.threshold = <double*>q
    q = realloc(t.impurity, cap * sizeof(double))
    if q == NULL:
        return -1
    t.impurity = <double*>q
    q = realloc(t.wn, cap * sizeof(double))
    if q == NULL:
        return -1
    t.wn = <double*>q
    q = realloc(t.miss_left, cap * sizeof(unsigned char))
    if q == NULL:
        return -1
    t.miss_left = <unsigned char*>q
    q = realloc(t.value, cap * t.K * sizeof(double))
    if q == NULL:
        return -1
    t.value = <double*>q
    t.capacity = cap
    return 0


cdef intp _add_node(const Params* p, Nodes* t, intp parent, bint is_left, double impurity,
                    intp n, double W, const double* tot) noexcept nogil:
    cdef intp node = t.count, k
    if node == t.capacity and _grow(t) != 0:
        return -1
    if parent >= 0:
        if is_left:
            t.left[parent] = node
        else:
            t.right[parent] = node
    t.left[node] = -1
    t.right[node] = -1
    t.feature[node] = -2
    t.threshold[node] = -2.0
    t.impurity[node] = impurity
    t.n_samples[node] = n
    t.wn[node] = W
    t.miss_left[node] = 0
    if p.n_classes > 0:
        for k in range(p.n_classes):
            t.value[node * t.K + k] = tot[k] / W
    else:
        t.value[node * t.K] = tot[0] / W
    t.count = node + 1
    return node


cdef inline bint _is_small(const Params* p, intp n, double W, intp depth,
                           double impurity) noexcept nogil:
    return (depth >= p.max_depth or n < p.min_samples_split or n < 2 * p.min_samples_leaf
            or W < 2 * p.min_weight_leaf or impurity <= EPS)


cdef struct Pending:
    # A node whose split is known: children's slices, totals offset, impurities, gain.
    intp node, depth, start, mid, end, feature, totals
    int missing_left
    double threshold, wl, wr, imp_l, imp_r, gain


cdef int _split_node(const Params* p, Work* wk, floating* Xf, const floating* Xt,
                     intp n_total, const double* y, const double* w, intp start, intp end,
                     const double* tot, double W, double impurity, double W_root,
                     double* child_tot, Pending* out) noexcept nogil:
    """Find, check and apply the split of seg[start:end]; 1 when the node splits.

    ``child_tot`` receives the left then the right child's totals (2 K values).
    """
    cdef Split sp
    cdef intp K = p.K, k
    cdef double wl, wr, imp_l, imp_r, gain
    if not _find_split(p, wk, Xf, Xt, n_total, y, w, start, end, tot, W, &sp):
        return 0
    wl = sp.wl
    wr = W - sp.wl
    for k in range(K):
        child_tot[k] = wk.best_left[k]
        child_tot[K + k] = tot[k] - wk.best_left[k]
    imp_l = _impurity(p, child_tot, wl)
    imp_r = _impurity(p, child_tot + K, wr)
    gain = (W / W_root) * (impurity - wr / W * imp_r - wl / W * imp_l)
    if gain + EPS < p.min_impurity_decrease:
        return 0
    _partition(wk, Xt + sp.feature * n_total, start, end, &sp)
    out.start = start
    out.mid = start + sp.n_left
    out.end = end
    out.feature = sp.feature
    out.threshold = sp.threshold
    out.missing_left = sp.missing_left
    out.wl = wl
    out.wr = wr
    out.imp_l = imp_l
    out.imp_r = imp_r
    out.gain = gain
    return 1


cdef inline void _set_split(Nodes* t, const Pending* q) noexcept nogil:
    t.feature[q.node] = q.feature
    t.threshold[q.node] = q.threshold
    t.miss_left[q.node] = q.missing_left


cdef struct Entry:
    # A node waiting on the depth-first stack.
    intp start, end, depth, parent
    int is_left
    double W, impurity


cdef int _ensure(void** buf, intp* cap, intp need, size_t item) noexcept nogil:
    cdef intp c = cap[0]
    cdef void* q
    if need <= c:
        return 0
    while c < need:
        c = 2 * c if c > 0 else 64
    q = realloc(buf[0], c * item)
    if q == NULL:
        return -1
    buf[0] = q
    cap[0] = c
    return 0


cdef int _depth_first(const Params* p, Work* wk, Nodes* t, floating* Xf, const floating* Xt,
                      intp n_total, const double* y, const double* w, intp n,
                      const double* root_tot, double W_root, double root_imp) noexcept nogil:
    cdef intp K = p.K, sp = 0, scap = 0, tcap = 0, node
    cdef Entry* stack = NULL
    cdef double* stot = NULL
    cdef double* tot = <double*>malloc(3 * K * sizeof(double))
    cdef Entry e
    cdef Pending q
    cdef int status = 0
    if tot == NULL:
        return -1
    if (_ensure(<void**>&stack, &scap, 1, sizeof(Entry)) != 0
            or _ensure(<void**>&stot, &tcap, K, sizeof(double)) != 0):
        status = -1
    else:
        stack[0] = Entry(0, n, 0, -1, 0, W_root, root_imp)
        memcpy(stot, root_tot, K * sizeof(double))
        sp = 1
    while status == 0 and sp > 0:
        sp -= 1
        e = stack[sp]
        memcpy(tot, stot + sp * K, K * sizeof(double))
        node = _add_node(p, t, e.parent, e.is_left, e.impurity, e.end - e.start, e.W, tot)
        if node < 0:
            status = -1
            break
        if _is_small(p, e.end - e.start, e.W, e.depth, e.impurity):
            continue
        if not _split_node(p, wk, Xf, Xt, n_total, y, w, e.start, e.end, tot, e.W,
                           e.impurity, W_root, tot + K, &q):
            continue
        q.node = node
        _set_split(t, &q)
        if (_ensure(<void**>&stack, &scap, sp + 2, sizeof(Entry)) != 0
                or _ensure(<void**>&stot, &tcap, (sp + 2) * K, sizeof(double)) != 0):
            status = -1
            break
        stack[sp] = Entry(q.mid, q.end, e.depth + 1, node, 0, q.wr, q.imp_r)
        memcpy(stot + sp * K, tot + 2 * K, K * sizeof(double))
        stack[sp + 1] = Entry(q.start, q.mid, e.depth + 1, node, 1, q.wl, q.imp_l)
        memcpy(stot + (sp + 1) * K, tot + K, K * sizeof(double))
        sp += 2
    free(stack)
    free(stot)
    free(tot)
    return status


# -- best-first growth: a binary max-heap of pending splits ------------------------------

cdef inline bint _before(const Pending* a, const Pending* b) noexcept nogil:
    return a.gain > b.gain or (a.gain == b.gain and a.node < b.node)


cdef void _heap_push(Pending* h, intp n, Pending item) noexcept nogil:
    cdef intp i = n, parent
    h[i] = item
    while i > 0:
        parent = (i - 1) // 2
        if not _before(&h[i], &h[parent]):
            break
        h[i], h[parent] = h[parent], h[i]
        i = parent


cdef Pending _heap_pop(Pending* h, intp n) noexcept nogil:
    cdef Pending top = h[0]
    cdef intp i = 0, c
    n -= 1
    h[0] = h[n]
    while 2 * i + 1 < n:
        c = 2 * i + 1
        if c + 1 < n and _before(&h[c + 1], &h[c]):
            c += 1
        if not _before(&h[c], &h[i]):
            break
        h[i], h[c] = h[c], h[i]
        i = c
    return top


cdef int _bf_add(const Params* p, Work* wk, Nodes* t, floating* Xf, const floating* Xt,
                 intp n_total, const double* y, const double* w, intp start, intp end,
                 intp depth, intp parent, bint is_left, const double* tot, double W,
                 double impurity, double W_root, Pending** heap, intp* hcap, intp* hn,
                 double** ctot, intp* ccap, intp* cn) noexcept nogil:
    """Add a node; when it can split, push its split (children's totals saved in ctot)."""
    cdef Pending q
    cdef intp node = _add_node(p, t, parent, is_left, impurity, end - start, W, tot)
    # tot may point into ctot, which _ensure can move: keep a copy
    memcpy(wk.ntot, tot, p.K * sizeof(double))
    tot = wk.ntot
    if node < 0:
        return -1
    if _is_small(p, end - start, W, depth, impurity):
        return 0
    if _ensure(<void**>ctot, ccap, (cn[0] + 2) * p.K, sizeof(double)) != 0:
        return -1
    if not _split_node(p, wk, Xf, Xt, n_total, y, w, start, end, tot, W, impurity, W_root,
                       ctot[0] + cn[0] * p.K, &q):
        return 0
    q.node = node
    q.depth = depth
    q.totals = cn[0]
    cn[0] += 2
    if _ensure(<void**>heap, hcap, hn[0] + 1, sizeof(Pending)) != 0:
        return -1
    _heap_push(heap[0], hn[0], q)
    hn[0] += 1
    return 0


cdef int _best_first(const Params* p, Work* wk, Nodes* t, floating* Xf, const floating* Xt,
                     intp n_total, const double* y, const double* w, intp n,
                     const double* root_tot, double W_root, double root_imp) noexcept nogil:
    cdef Pending* heap = NULL
    cdef double* ctot = NULL
    cdef intp hcap = 0, hn = 0, ccap = 0, cn = 0, splits_left = p.max_leaf_nodes - 1
    cdef Pending q
    cdef int status
    status = _bf_add(p, wk, t, Xf, Xt, n_total, y, w, 0, n, 0, -1, 0, root_tot, W_root,
                     root_imp, W_root, &heap, &hcap, &hn, &ctot, &ccap, &cn)
    while status == 0 and hn > 0 and splits_left > 0:
        q = _heap_pop(heap, hn)
        hn -= 1
        splits_left -= 1
        _set_split(t, &q)
        status = _bf_add(p, wk, t, Xf, Xt, n_total, y, w, q.start, q.mid, q.depth + 1,
                         q.node, 1, ctot + q.totals * p.K, q.wl, q.imp_l, W_root,
                         &heap, &hcap, &hn, &ctot, &ccap, &cn)
        if status == 0:
            status = _bf_add(p, wk, t, Xf, Xt, n_total, y, w, q.mid, q.end, q.depth + 1,
                             q.node, 0, ctot + (q.totals + 1) * p.K, q.wr, q.imp_r, W_root,
                             &heap, &hcap, &hn, &ctot, &ccap, &cn)
    free(heap)
    free(ctot)
    return status


# -- entry points ------------------------------------------------------------------------

cdef int _build(const Params* p, Nodes* t, const floating* Xt, intp n_total, const double* y,
                const double* w, const intp* samples, intp n, uint64_t seed) noexcept nogil:
    cdef Work wk
    cdef intp K = p.K, i
    cdef floating* Xf = <floating*>malloc((2 * n + 1) * sizeof(floating))  # values, buffer
    cdef double* root = <double*>malloc(K * sizeof(double))
    cdef double W = 0.0, imp
    cdef int status = -1
    memset(&wk, 0, sizeof(Work))
    wk.rng = seed
    wk.seg = <intp*>malloc((n + 1) * sizeof(intp))
    wk.tmp = <intp*>malloc((n + 1) * sizeof(intp))
    wk.idx = <intp*>malloc((n + 1) * sizeof(intp))
    wk.features = <intp*>malloc((p.n_features + 1) * sizeof(intp))
    wk.tie_heavy = <unsigned char*>malloc((p.n_features + 1) * sizeof(unsigned char))
    wk.n_root = n
    wk.CL = <double*>malloc(6 * K * sizeof(double))
    wk.ys = <double*>malloc(4 * (n + 1) * sizeof(double))
    if (wk.ys != NULL and Xf != NULL and root != NULL and wk.seg != NULL and wk.tmp != NULL and wk.idx != NULL
            and wk.features != NULL and wk.CL != NULL and wk.tie_heavy != NULL):
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
            _add(p, y, w, samples[i], root, &W)
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
    if criterion not in (GINI, ENTROPY, SQUARED, FRIEDMAN):
        raise ValueError(f"criterion code {criterion} has no Cython kernel (NumPy only)")
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
        free(t.left)
        free(t.right)
        free(t.feature)
        free(t.n_samples)
        free(t.threshold)
        free(t.impurity)
        free(t.wn)
        free(t.miss_left)
        free(t.value)
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


def apply_rows(const floating[:, ::1] X, const intp[::1] left, const intp[::1] right,
               const intp[::1] feature, const double[::1] threshold,
               const unsigned char[::1] miss_left, intp[::1] out, intp start, intp stop):
    """Leaf reached by each row in [start, stop): x_f <= t (or NaN and missing-left) goes left.

    (Interleaving the node arrays into 32-byte records was measured slower here.)
    """
    cdef intp i, node
    cdef floating v
    with nogil:
        for i in range(start, stop):
            node = 0
            while left[node] >= 0:
                v = X[i, feature[node]]
                if v != v:
                    node = left[node] if miss_left[node] else right[node]
                elif <double>v <= threshold[node]:
                    node = left[node]
                else:
                    node = right[node]
            out[i] = node


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
    cdef floating v
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
                node = 0
                while left[node] >= 0:
                    v = X[i, feature[node]]
                    if v != v:
                        node = left[node] if miss_left[node] else right[node]
                    elif <double>v <= threshold[node]:
                        node = left[node]
                    else:
                        node = right[node]
                for k in range(K):
                    out[i, k] += value[node * K + k]
