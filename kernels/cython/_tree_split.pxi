# Included by _tree.pyx (one translation unit, so every call here can still be inlined).
# The split search at one node: criteria, the two splitters, and the partition.

# -- criteria ----------------------------------------------------------------------------

cdef inline void _add(bint classes, double yv, double wv, double* st,
                      double* wsum) noexcept nogil:
    """Add one sample (y, w) to a node's statistics: st[y] += w for classes, else
    st[0] += w y and st[1] += (w y) y; and its weight to wsum."""
    cdef double wy
    if classes:
        st[<intp>yv] += wv
    else:
        wy = wv * yv
        st[0] += wy
        st[1] += wy * yv
    wsum[0] += wv


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


cdef inline bint _leaves_ok(intp msl, double mwl, intp nl, intp nr, double wl,
                            double wr) noexcept nogil:
    """Both children keep min_samples_leaf samples and min_weight_leaf weight."""
    return nl >= msl and nr >= msl and wl >= mwl and wr >= mwl


cdef inline double _midpoint(floating a, floating b) noexcept nogil:
    """Threshold between consecutive distinct values a < b, rounded like the reference:
    a itself when the midpoint rounds up to b or overflows."""
    cdef double thr = (<double>a) / 2.0 + (<double>b) / 2.0
    if thr == <double>b or isinf(thr):
        return <double>a
    return thr


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

cdef inline intp _gather(Work* wk, floating* Xf, const floating* col, const double* y,
                         const double* w, intp start, intp end, bint by_position,
                         bint classes, double* WM, intp* nmiss, floating* lo,
                         floating* hi) noexcept nogil:
    """Read the values of seg[start:end] in column ``col``; sum the missing ones'
    statistics into wk.M (weight into WM), in id order; return how many are present,
    with their minimum and maximum.

    by_position: Xf[i] is the value at position start + i, NaN included (the random
    splitter sums over positions); otherwise the present values and their ids are
    packed into Xf[:m] and wk.idx[:m], ready to sort.
    """
    cdef intp i, s, m = 0, k = 0
    cdef double wm = 0.0
    cdef floating v, mn = 0, mx = 0
    for i in range(start, end):
        s = wk.seg[i]
        v = col[s]
        if by_position:
            Xf[i - start] = v
        if v != v:
            k += 1
            _add(classes, y[s], w[s], wk.M, &wm)
        else:
            if m == 0 or v < mn:
                mn = v
            if m == 0 or v > mx:
                mx = v
            if not by_position:
                Xf[m] = v
                wk.idx[m] = s
            m += 1
    WM[0] = wm
    nmiss[0] = k
    lo[0] = mn
    hi[0] = mx
    return m


cdef int _eval_random(const Params* p, Work* wk, floating* Xf, const floating* col,
                      const double* y, const double* w, intp start, intp end,
                      const double* tot, double W, intp f, Split* best) noexcept nogil:
    """Extra-trees: offer one uniform threshold in [min, max) of feature f to ``best``,
    missing values on a random side; 0 when f is constant here."""
    cdef intp K = p.K, n = end - start, m, nmiss, nl = 0, i, k
    cdef double WM, wl = 0.0, thr
    cdef floating lo, hi
    cdef double* CL = wk.CL
    cdef bint classes = p.n_classes > 0
    cdef int go = -1
    cdef const double* ys = wk.ys + start
    cdef const double* ws = wk.ws + start
    # NaN <= thr is false, so the sums below skip the missing values in id order
    m = _gather(wk, Xf, col, y, w, start, end, 1, classes, &WM, &nmiss, &lo, &hi)
    if m == 0 or hi <= lo:
        return 0
    thr = (<double>hi - <double>lo) * sm_tree_uniform(&wk.rng) + <double>lo
    if thr >= <double>hi:
        thr = <double>lo
    if nmiss > 0:
        go = <int>(sm_tree_next(&wk.rng) % 2) == 1
    for i in range(n):  # seg is in id order: the reference's summation order
        if <double>Xf[i] <= thr:
            _add(classes, ys[i], ws[i], CL, &wl)
            nl += 1
    if go == -1:
        go = nl > n - nl
    elif go:
        for k in range(K):
            CL[k] = CL[k] + wk.M[k]
        wl = wl + WM
        nl = nl + nmiss
    if _leaves_ok(p.min_samples_leaf, p.min_weight_leaf, nl, n - nl, wl, W - wl):
        if p.criterion == ABSOLUTE:
            _ae_random(wk, Xf, y, w, start, end, thr, go, nl, wl, W - wl, f, K, best)
        else:
            _offer(best, wk.best_left, K, _proxy(p, CL, tot, wl, W - wl), f, thr, go, nl,
                   CL, wl)
    return 1


cdef int _eval_sorted(const Params* p, Work* wk, floating* Xf, const floating* col,
                      const double* y, const double* w, intp start, intp end,
                      const double* tot, double W, intp f, Split* best) noexcept nogil:
    """Offer the best boundary between distinct sorted values of feature f to ``best``,
    missing values right then left; 0 when f is constant here."""
    cdef intp K = p.K, n = end - start, m, nmiss, i, k, nl, nr, s
    cdef intp msl = p.min_samples_leaf
    cdef double mwl = p.min_weight_leaf, WM, wl = 0.0, wr, wl1, wr1, pr
    cdef floating lo, hi
    cdef double* CL = wk.CL
    cdef double* M = wk.M
    cdef double* L1 = wk.L1
    cdef bint classes = p.n_classes > 0
    cdef Split loc
    m = _gather(wk, Xf, col, y, w, start, end, 0, classes, &WM, &nmiss, &lo, &hi)
    if m == 0 or (hi <= lo and nmiss == 0):
        return 0
    if wk.tie_heavy[f]:
        _sort(Xf, wk.idx, m, 2, Xf + wk.n_root, wk.tmp)
    elif 4 * _sort(Xf, wk.idx, m, 0 if p.exact_sums else 1, NULL, NULL) > m and m >= 64:
        wk.tie_heavy[f] = 1  # a quarter repeated: scatter-sort this feature from now on
    loc.proxy = -INFINITY
    for i in range(m - 1):
        s = wk.idx[i]
        _add(classes, y[s], w[s], CL, &wl)
        if Xf[i + 1] > Xf[i]:
            nl = i + 1
            nr = n - nl
            wr = W - wl
            if _leaves_ok(msl, mwl, nl, nr, wl, wr):
                pr = _proxy(p, CL, tot, wl, wr)
                if pr > best.proxy:
                    _offer(best, wk.best_left, K, pr, f, _midpoint(Xf[i], Xf[i + 1]),
                           0 if nmiss > 0 else nl > nr, nl, CL, wl)
            if nmiss > 0:
                nl = i + 1 + nmiss
                nr = m - (i + 1)
                wl1 = wl + WM
                wr1 = W - wl1
                if _leaves_ok(msl, mwl, nl, nr, wl1, wr1):
                    for k in range(K):
                        L1[k] = CL[k] + M[k]
                    pr = _proxy(p, L1, tot, wl1, wr1)
                    if pr > loc.proxy:
                        _offer(&loc, wk.loc_left, K, pr, f, _midpoint(Xf[i], Xf[i + 1]), 1,
                               nl, L1, wl1)
    if nmiss > 0:
        # missing-left candidates come after every missing-right one, as in the reference
        if loc.proxy > best.proxy:
            _offer(best, wk.best_left, K, loc.proxy, f, loc.threshold, 1, loc.n_left,
                   wk.loc_left, loc.wl)
        s = wk.idx[m - 1]
        _add(classes, y[s], w[s], CL, &wl)
        wr = W - wl
        if _leaves_ok(msl, mwl, m, nmiss, wl, wr):
            _offer(best, wk.best_left, K, _proxy(p, CL, tot, wl, wr), f, INFINITY, 0, m,
                   CL, wl)
    return 1


cdef int _find_split(const Params* p, Work* wk, floating* Xf, const floating* Xt,
                     intp n_total, const double* y, const double* w, intp start, intp end,
                     const double* tot, double W, Split* best) noexcept nogil:
    """Partial Fisher-Yates over the persistent feature order; 1 when a split was found."""
    cdef intp j = 0, r, f, visited = 0, nf = p.n_features
    cdef int found
    best.proxy = -INFINITY
    best.feature = -1
    if p.criterion == ABSOLUTE:
        _ae_rank(wk, y, start, end)  # once per node: every feature's sweeps use the ranks
    while j < nf and visited < p.max_features:
        r = j + <intp>(sm_tree_next(&wk.rng) % <uint64_t>(nf - j))
        f = wk.features[r]
        wk.features[r] = wk.features[j]
        wk.features[j] = f
        j += 1
        memset(wk.M, 0, p.K * sizeof(double))
        memset(wk.CL, 0, p.K * sizeof(double))
        if p.random_split:
            found = _eval_random(p, wk, Xf, Xt + f * n_total, y, w, start, end, tot, W, f,
                                 best)
        elif p.criterion == ABSOLUTE:
            found = _eval_sorted_ae(p, wk, Xf, Xt + f * n_total, y, w, start, end, tot, W,
                                    f, best)
        else:
            found = _eval_sorted(p, wk, Xf, Xt + f * n_total, y, w, start, end, tot, W, f,
                                 best)
        visited += found
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
