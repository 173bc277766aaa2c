# Included by _tree.pyx (one translation unit, so every call here can still be inlined).
# Growing a tree: node storage, applying a split, depth-first and best-first growth.

# -- node storage ----------------------------------------------------------------------

cdef int _resize(void** buf, size_t size) noexcept nogil:
    """realloc(*buf, size); on failure *buf is kept (the caller still frees it)."""
    cdef void* q = realloc(buf[0], size)
    if q == NULL:
        return -1
    buf[0] = q
    return 0


cdef int _grow(Nodes* t) noexcept nogil:
    """Double the node arrays' capacity (64 at first)."""
    cdef intp cap = 64 if t.capacity == 0 else 2 * t.capacity
    if (_resize(<void**>&t.left, cap * sizeof(intp)) != 0
            or _resize(<void**>&t.right, cap * sizeof(intp)) != 0
            or _resize(<void**>&t.feature, cap * sizeof(intp)) != 0
            or _resize(<void**>&t.n_samples, cap * sizeof(intp)) != 0
            or _resize(<void**>&t.threshold, cap * sizeof(double)) != 0
            or _resize(<void**>&t.impurity, cap * sizeof(double)) != 0
            or _resize(<void**>&t.wn, cap * sizeof(double)) != 0
            or _resize(<void**>&t.miss_left, cap * sizeof(unsigned char)) != 0
            or _resize(<void**>&t.value, cap * t.K * sizeof(double)) != 0):
        return -1
    t.capacity = cap
    return 0


cdef void _free_nodes(Nodes* t) noexcept nogil:
    free(t.left)
    free(t.right)
    free(t.feature)
    free(t.n_samples)
    free(t.threshold)
    free(t.impurity)
    free(t.wn)
    free(t.miss_left)
    free(t.value)


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
    if p.criterion == ABSOLUTE:  # the split search's deviations, as scikit-learn
        imp_l = sp.dl / wl
        imp_r = sp.dr / wr
    else:
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
    """Grow *buf (by doubling, 64 items at first) to hold ``need`` items."""
    cdef intp c = cap[0]
    if need <= c:
        return 0
    while c < need:
        c = 2 * c if c > 0 else 64
    if _resize(buf, c * item) != 0:
        return -1
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
        if p.criterion == ABSOLUTE:
            t.value[node * t.K] = _ae_median(wk, y, w, e.start, e.end)
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
    if p.criterion == ABSOLUTE:
        t.value[node * t.K] = _ae_median(wk, y, w, start, end)
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
