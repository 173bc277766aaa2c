# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""KD-tree build and k-nearest query, compiled (Euclidean metric, float64).

NumPy references: ``scratchml.neighbors._kd_tree._kdtree_build_numpy`` and
``_kdtree_query_numpy`` (both vectorised over whole tree levels / all queries).

Build (kernel ``kdtree_build``). Nodes are numbered in breadth-first order, as
the reference's level-by-level build numbers them: node v is processed in
order v = 0, 1, 2, ...; its box is the min/max of its rows; a node holding more
than ``leaf_size`` rows splits on its widest coordinate d (first one on ties)
at the median position m = size // 2 of the total order (x_d, row index): an
introselect (quickselect, heap sort past a depth budget) puts the m smallest
pairs first. The order is total (row indices are distinct), so the children's
row sets are unique, whatever the selection algorithm: the tree equals the
reference's. Rows inside a leaf are then sorted by index, which fixes ``perm``.

Query (kernel ``kdtree_query``), per query q, depth first: keep the k best
(squared distance, index) pairs in a max-heap ordered lexicographically, so the
worst pair sits at the root. A node whose box lower bound

    lb(q, node)² = Σ_f max(lo_f − q_f, 0, q_f − hi_f)²

exceeds the root's distance is skipped with its subtree; a node at *exactly*
that distance is still visited, because one of its points could tie and win on
its lower index. Children are visited nearer box first, so the heap fills with
good candidates early and most of the tree is pruned. The result is exactly the
k smallest (d², index) pairs, whatever order the leaves are visited in; the
heap is finally sorted in place.
The compiler may fuse d += g * g into multiply-adds, so a d² can differ from the
reference's in its last bit; the caller (``kneighbors_kd_tree``) recomputes the
winners' distances with brute force's own expression.

The search keeps its pending nodes on an explicit stack (farther child pushed
first, so the nearer one is popped next), not in C recursion: its size is bounded
by the number of nodes, whatever tree a saved model holds.

Queries are independent, so threads split them freely (results do not depend
on the number of threads).
"""

from libc.stdlib cimport free, malloc, qsort

ctypedef Py_ssize_t intp


# ----------------------------------------------------------------------------
# build
# ----------------------------------------------------------------------------

cdef inline bint _less(double a, intp ia, double b, intp ib) noexcept nogil:
    """(a, ia) < (b, ib) lexicographically: by value, then by index."""
    return a < b or (a == b and ia < ib)


cdef inline void _swap(double* v, intp* p, intp i, intp j) noexcept nogil:
    cdef double tv = v[i]
    cdef intp tp = p[i]
    v[i] = v[j]
    p[i] = p[j]
    v[j] = tv
    p[j] = tp


cdef void _sift(double* v, intp* p, intp root, intp n) noexcept nogil:
    """Sift v[root] down a max-heap of n (value, index) pairs."""
    cdef intp c
    while True:
        c = 2 * root + 1
        if c >= n:
            return
        if c + 1 < n and _less(v[c], p[c], v[c + 1], p[c + 1]):
            c += 1
        if not _less(v[root], p[root], v[c], p[c]):
            return
        _swap(v, p, root, c)
        root = c


cdef void _heapsort(double* v, intp* p, intp n) noexcept nogil:
    cdef intp i
    for i in range(n // 2 - 1, -1, -1):
        _sift(v, p, i, n)
    for i in range(n - 1, 0, -1):
        _swap(v, p, 0, i)
        _sift(v, p, 0, i)


cdef void _select(double* v, intp* p, intp n, intp m) noexcept nogil:
    """Reorder the n pairs so that the m smallest (value, index) come first."""
    cdef intp lo = 0, hi = n - 1, mid, store, i, budget = 8, size = 1
    cdef double pv
    cdef intp pp
    while size < n:  # 8 + 2 log2(n) partitions before falling back to heap sort
        size *= 2
        budget += 2
    while hi > lo:
        if budget == 0:  # adversarial order: heap sort guarantees O(n log n)
            _heapsort(v + lo, p + lo, hi - lo + 1)
            return
        budget -= 1
        # Median of three as pivot, moved to hi; Lomuto partition (keys are distinct).
        mid = lo + (hi - lo) // 2
        if _less(v[mid], p[mid], v[lo], p[lo]):
            _swap(v, p, mid, lo)
        if _less(v[hi], p[hi], v[lo], p[lo]):
            _swap(v, p, hi, lo)
        if _less(v[mid], p[mid], v[hi], p[hi]):
            _swap(v, p, mid, hi)
        pv = v[hi]
        pp = p[hi]
        store = lo
        for i in range(lo, hi):
            if _less(v[i], p[i], pv, pp):
                _swap(v, p, i, store)
                store += 1
        _swap(v, p, store, hi)
        if store == m:
            return
        if m < store:
            hi = store - 1
        else:
            lo = store + 1


cdef int _cmp_intp(const void* a, const void* b) noexcept nogil:
    cdef intp x = (<const intp*> a)[0], y = (<const intp*> b)[0]
    return (x > y) - (x < y)


def build(const double[:, ::1] X, intp leaf_size, intp[::1] perm, intp[::1] start,
          intp[::1] stop, intp[::1] left, intp[::1] right, intp[::1] dim,
          double[::1] split, double[:, ::1] lo, double[:, ::1] hi):
    """Fill the node arrays (sized exactly for the tree) and ``perm``; returns the node count.

    ``perm`` must hold 0..n-1 on entry. See the module docstring for the rules.
    """
    cdef intp n = X.shape[0], p = X.shape[1], n_max = left.shape[0]
    cdef intp n_nodes = 1, v = 0, s, e, i, f, d, m
    cdef double x, w, widest
    cdef double* buf
    if n < 1 or leaf_size < 1 or perm.shape[0] != n or lo.shape[1] != p or hi.shape[1] != p:
        raise ValueError("bad shapes or leaf_size for the KD-tree build")
    if not (start.shape[0] == stop.shape[0] == right.shape[0] == dim.shape[0]
            == split.shape[0] == lo.shape[0] == hi.shape[0] == n_max >= 1):
        raise ValueError("node arrays must all have the same length")
    buf = <double*> malloc(n * sizeof(double))
    if buf == NULL:
        raise MemoryError()
    with nogil:
        start[0] = 0
        stop[0] = n
        while v < n_nodes:
            s = start[v]
            e = stop[v]
            for f in range(p):
                lo[v, f] = X[perm[s], f]
                hi[v, f] = X[perm[s], f]
            for i in range(s + 1, e):
                for f in range(p):
                    x = X[perm[i], f]
                    if x < lo[v, f]:
                        lo[v, f] = x
                    if x > hi[v, f]:
                        hi[v, f] = x
            left[v] = -1
            right[v] = -1
            dim[v] = 0
            split[v] = 0.0
            if e - s > leaf_size and n_nodes + 2 <= n_max:
                d = 0
                widest = hi[v, 0] - lo[v, 0]
                for f in range(1, p):
                    w = hi[v, f] - lo[v, f]
                    if w > widest:
                        widest = w
                        d = f
                for i in range(s, e):
                    buf[i] = X[perm[i], d]
                m = (e - s) // 2
                _select(buf + s, &perm[s], e - s, m)
                dim[v] = d
                split[v] = buf[s + m]
                left[v] = n_nodes
                right[v] = n_nodes + 1
                start[n_nodes] = s
                stop[n_nodes] = s + m
                start[n_nodes + 1] = s + m
                stop[n_nodes + 1] = e
                n_nodes += 2
            else:
                qsort(&perm[s], e - s, sizeof(intp), _cmp_intp)
            v += 1
    free(buf)
    return n_nodes


# ----------------------------------------------------------------------------
# query
# ----------------------------------------------------------------------------

cdef struct Tree:
    const double* pts      # training rows in tree order: pts[i] = X[perm[i]]
    const intp* perm
    const intp* start
    const intp* stop
    const intp* left
    const intp* right
    const double* lo
    const double* hi
    intp p


cdef struct Heap:
    double* d              # max-heap of (squared distance, index), worst at 0
    intp* i
    intp k
    intp count


cdef inline double _box_lb(const Tree* t, const double* q, intp node) noexcept nogil:
    """Squared distance from q to the node's box (0 inside)."""
    cdef const double* lo = t.lo + node * t.p
    cdef const double* hi = t.hi + node * t.p
    cdef double s = 0.0, g
    cdef intp f
    for f in range(t.p):
        g = lo[f] - q[f]
        if g <= 0.0:
            g = q[f] - hi[f]
            if g <= 0.0:
                continue
        s += g * g
    return s


cdef inline void _push(Heap* h, double d, intp idx) noexcept nogil:
    """Offer (d, idx); the heap keeps the k lexicographically smallest pairs."""
    cdef intp pos, c, k = h.k
    if h.count < k:
        pos = h.count
        h.count += 1
        while pos > 0:  # sift up
            c = (pos - 1) // 2
            if not _less(h.d[c], h.i[c], d, idx):
                break
            h.d[pos] = h.d[c]
            h.i[pos] = h.i[c]
            pos = c
    else:
        if not _less(d, idx, h.d[0], h.i[0]):
            return
        pos = 0
        while True:  # replace the root, sift down
            c = 2 * pos + 1
            if c >= k:
                break
            if c + 1 < k and _less(h.d[c], h.i[c], h.d[c + 1], h.i[c + 1]):
                c += 1
            if not _less(d, idx, h.d[c], h.i[c]):
                break
            h.d[pos] = h.d[c]
            h.i[pos] = h.i[c]
            pos = c
    h.d[pos] = d
    h.i[pos] = idx


cdef void _search(const Tree* t, const double* q, intp self_idx, Heap* h,
                  intp* stack, double* stack_lb) noexcept nogil:
    """Depth first from the root, with an explicit stack of (node, box lower bound).

    Every child has a larger id than its parent (checked by the adapter), so a path
    holds at most n_nodes nodes and the stack (sized n_nodes + 1) cannot overflow.
    """
    cdef intp top = 1, node, j, f, idx, a, b
    cdef double lb, d, g, lba, lbb
    cdef const double* x
    stack[0] = 0
    stack_lb[0] = _box_lb(t, q, 0)
    while top > 0:
        top -= 1
        node = stack[top]
        lb = stack_lb[top]
        if h.count == h.k and lb > h.d[0]:  # lb == worst: a tie could still win on index
            continue
        a = t.left[node]
        if a < 0:
            for j in range(t.start[node], t.stop[node]):
                idx = t.perm[j]
                if idx == self_idx:
                    continue
                x = t.pts + j * t.p
                d = 0.0
                for f in range(t.p):
                    g = q[f] - x[f]
                    d += g * g
                if h.count < h.k or d <= h.d[0]:
                    _push(h, d, idx)
            continue
        b = t.right[node]
        lba = _box_lb(t, q, a)
        lbb = _box_lb(t, q, b)
        if lbb < lba:  # nearer box first: pushed last, popped next
            a, b = b, a
            lba, lbb = lbb, lba
        if not (h.count == h.k and lbb > h.d[0]):
            stack[top] = b
            stack_lb[top] = lbb
            top += 1
        stack[top] = a
        stack_lb[top] = lba
        top += 1


def query(const double[:, ::1] Q, const double[:, ::1] pts, const intp[::1] perm,
          const intp[::1] start, const intp[::1] stop, const intp[::1] left,
          const intp[::1] right, const double[:, ::1] lo, const double[:, ::1] hi,
          intp k, bint exclude_self, intp row_start, intp row_stop,
          double[:, ::1] out_d, intp[:, ::1] out_i):
    """Rows [row_start, row_stop) of Q: their k nearest (d², index) pairs, ascending.

    ``pts`` is X[perm] (training rows in tree order). With ``exclude_self`` query
    row r never returns training row r. Needs at least k (k + 1) training rows.
    The caller checks the tree's structure (``_kd_tree_native._check_tree``): indices
    within bounds and every child's id larger than its parent's.
    """
    cdef Tree t
    cdef Heap h
    cdef intp r, j, n = pts.shape[0], n_nodes = left.shape[0]
    cdef intp* stack
    cdef double* stack_lb
    if pts.shape[1] != Q.shape[1] or lo.shape[1] != Q.shape[1] or hi.shape[1] != Q.shape[1]:
        raise ValueError("Q, the points and the boxes must have the same number of features")
    if not (n_nodes >= 1 and right.shape[0] == start.shape[0] == stop.shape[0]
            == lo.shape[0] == hi.shape[0] == n_nodes and perm.shape[0] == n):
        raise ValueError("inconsistent tree arrays")
    if k < 1 or k + (1 if exclude_self else 0) > n:
        raise ValueError(f"k={k} must be between 1 and the number of training rows ({n})")
    if not (0 <= row_start <= row_stop <= Q.shape[0]) or out_d.shape[1] != k \
            or out_i.shape[1] != k or out_d.shape[0] < row_stop or out_i.shape[0] < row_stop:
        raise ValueError("row range or output shape out of bounds")
    if row_start == row_stop:
        return
    t.pts = &pts[0, 0]
    t.perm = &perm[0]
    t.start = &start[0]
    t.stop = &stop[0]
    t.left = &left[0]
    t.right = &right[0]
    t.lo = &lo[0, 0]
    t.hi = &hi[0, 0]
    t.p = Q.shape[1]
    h.k = k
    stack = <intp*> malloc((n_nodes + 1) * sizeof(intp))
    stack_lb = <double*> malloc((n_nodes + 1) * sizeof(double))
    if stack == NULL or stack_lb == NULL:
        free(stack)
        free(stack_lb)
        raise MemoryError()
    with nogil:
        for r in range(row_start, row_stop):
            h.d = &out_d[r, 0]  # the output row is the heap's storage
            h.i = &out_i[r, 0]
            h.count = 0
            _search(&t, &Q[r, 0], r if exclude_self else -1, &h, stack, stack_lb)
            for j in range(k - 1, 0, -1):  # heap sort: ascending (d², index)
                _swap(h.d, h.i, 0, j)
                _sift(h.d, h.i, 0, j)
    free(stack)
    free(stack_lb)
