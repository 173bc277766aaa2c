# Included by _tree.pyx (one translation unit, so every call here can still be inlined).
# The absolute_error criterion: node medians and impurities, and the split search with
# a Fenwick tree over the node's y-ranks. NumPy reference: scratchml.tree._absolute_numpy
# (same operations in the same order, so both backends build the same tree).

cdef struct Fenwick:
    # Σ w and Σ w y over ranks 0..n-1 (1-based arrays), and the totals.
    double* tw
    double* ts
    intp n, top, count
    double W, S


cdef inline void _fen_reset(Fenwick* f, intp n) noexcept nogil:
    cdef intp p = 1
    memset(f.tw, 0, (n + 1) * sizeof(double))
    memset(f.ts, 0, (n + 1) * sizeof(double))
    f.n = n
    while p <= n:
        p <<= 1
    f.top = p >> 1
    f.count = 0
    f.W = 0.0
    f.S = 0.0


cdef inline void _fen_add(Fenwick* f, intp r, double wv, double yv) noexcept nogil:
    cdef double wy = wv * yv
    cdef intp i = r + 1
    while i <= f.n:
        f.tw[i] += wv
        f.ts[i] += wy
        i += i & (-i)
    f.W += wv
    f.S += wy
    f.count += 1


cdef intp _fen_search(const Fenwick* f, double target, double* cw_out, double* cwy_out,
                      intp* prev_out) noexcept nogil:
    """scikit-learn's WeightedFenwickTree.search (see ``Fenwick.search`` in the reference)."""
    cdef intp cur = 0, nxt, prev, bit = f.top, eq_bit = 0
    cdef double cw = 0.0, cwy = 0.0, nw, eq_target = 0.0
    while bit != 0:
        nxt = cur + bit
        if nxt <= f.n:
            nw = f.tw[nxt]
            if target == nw:
                eq_bit = bit
                eq_target = target
                break
            elif target > nw:
                target -= nw
                cur = nxt
                cw += nw
                cwy += f.ts[nxt]
        bit >>= 1
    if eq_bit == 0:
        cw_out[0] = cw
        cwy_out[0] = cwy
        prev_out[0] = cur
        return cur
    prev = cur
    while bit != 0:
        nxt = prev + bit
        if nxt <= f.n:
            nw = f.tw[nxt]
            if target > nw:
                target -= nw
                prev = nxt
        bit >>= 1
    bit = eq_bit
    target = eq_target
    while bit != 0:
        nxt = cur + bit
        if nxt <= f.n:
            nw = f.tw[nxt]
            if target >= nw:
                target -= nw
                cur = nxt
                cw += nw
                cwy += f.ts[nxt]
        bit >>= 1
    cw_out[0] = cw
    cwy_out[0] = cwy
    prev_out[0] = prev
    return cur


cdef inline double _fen_dev(const Fenwick* f, const double* yr) noexcept nogil:
    """Σ w |y − med| over the inserted samples: (S_R − m W_R) + (m W_L − S_L)."""
    cdef intp rank, prev
    cdef double wl, wyl, median, wr, wyr
    if f.count == 0:
        return 0.0
    rank = _fen_search(f, 0.5 * f.W, &wl, &wyl, &prev)
    if rank > f.n - 1:  # rounding guard, as in the reference
        rank = f.n - 1
    if prev > f.n - 1:
        prev = f.n - 1
    if rank != prev:
        median = (yr[prev] + yr[rank]) / 2.0
    else:
        median = yr[rank]
    wr = f.W - wl
    wyr = f.S - wyl
    return (wyr - median * wr) + (median * wl - wyl)


cdef inline double _ae_combine(double dl, double dr, double wl, double wr) noexcept nogil:
    """scikit-learn's proxy −W_R I_R − W_L I_L with I = D / W (same roundings)."""
    return -wr * (dr / wr) - wl * (dl / wl)


cdef void _ae_rank(Work* wk, const double* y, intp start, intp end) noexcept nogil:
    """Rank the node's samples by y, then id: ids wk.sids[r], values wk.yloc[r], and
    wk.lrank[id] = r. A node is ranked once: its value, then its split search, reuse it
    (no other node has the same slice, and a slice is reordered only when it splits)."""
    cdef intp i, n = end - start
    if start == wk.rank_start and end == wk.rank_end:
        return
    wk.rank_start = start
    wk.rank_end = end
    for i in range(n):
        wk.sids[i] = wk.seg[start + i]
        wk.yloc[i] = y[wk.sids[i]]
    _sort(wk.yloc, wk.sids, n, 1, <double*>NULL, <intp*>NULL)
    for i in range(n):
        wk.lrank[wk.sids[i]] = i


cdef double _ae_median(Work* wk, const double* y, const double* w, intp start,
                       intp end) noexcept nogil:
    """Weighted median of seg[start:end]: the smallest y whose cumulative weight reaches
    half the total, the midpoint with the next one when it equals half exactly."""
    cdef intp n = end - start, k
    cdef double total = 0.0, half, cw = 0.0
    _ae_rank(wk, y, start, end)
    for k in range(n):
        total += w[wk.sids[k]]
    half = total / 2.0
    for k in range(n):
        cw += w[wk.sids[k]]
        if cw >= half:
            break
    if cw == half and k + 1 < n:
        return (wk.yloc[k] + wk.yloc[k + 1]) / 2.0
    return wk.yloc[k]


cdef double _ae_root_impurity(Work* wk, const double* y, const double* w, intp n,
                              double W) noexcept nogil:
    """Σ w |y − median| / W over seg[0:n], the samples inserted from the last id down
    (as scikit-learn computes the root's impurity); children's come from their split."""
    cdef Fenwick fen
    cdef intp i, s
    _ae_rank(wk, y, 0, n)
    fen.tw = wk.ftw
    fen.ts = wk.fts
    _fen_reset(&fen, n)
    for i in range(n - 1, -1, -1):
        s = wk.seg[i]
        _fen_add(&fen, wk.lrank[s], w[s], y[s])
    return _fen_dev(&fen, wk.yloc) / W


cdef void _ae_sweep(Work* wk, Fenwick* fen, const double* y, const double* w, intp nn,
                    const intp* seeds, intp ns, const intp* ids, intp m, bint backward,
                    const floating* Xf, double* out) noexcept nogil:
    """out[j] = deviation of ``seeds`` plus the first j of ``ids`` (the last j when
    ``backward``), for j = 0 and every j that is a candidate boundary (or m)."""
    cdef intp i, j, s, q
    _fen_reset(fen, nn)
    for i in range(ns):
        s = seeds[i]
        _fen_add(fen, wk.lrank[s], w[s], y[s])
    out[0] = _fen_dev(fen, wk.yloc)
    for j in range(m):
        s = ids[m - 1 - j] if backward else ids[j]
        _fen_add(fen, wk.lrank[s], w[s], y[s])
        q = m - 1 - j if backward else j + 1  # the left side's size after this step
        if q == m or (q >= 1 and Xf[q] > Xf[q - 1]):
            out[j + 1] = _fen_dev(fen, wk.yloc)


cdef double _ae_side(Work* wk, Fenwick* fen, const floating* Xf, const double* y,
                     const double* w, intp start, intp end, double thr, bint go,
                     bint side) noexcept nogil:
    """Deviation of the samples of seg[start:end] on ``side`` (1: left) of a random split,
    inserted in id order (Xf: the values by position)."""
    cdef intp i, s
    cdef floating v
    cdef bint left
    _fen_reset(fen, end - start)
    for i in range(end - start):
        v = Xf[i]
        left = go if v != v else <double>v <= thr
        if left == side:
            s = wk.seg[start + i]
            _fen_add(fen, wk.lrank[s], w[s], y[s])
    return _fen_dev(fen, wk.yloc)


cdef int _eval_sorted_ae(const Params* p, Work* wk, floating* Xf, const floating* col,
                         const double* y, const double* w, intp start, intp end,
                         const double* tot, double W, intp f, Split* best) noexcept nogil:
    """``_eval_sorted`` for absolute_error: the sides' deviations come from four Fenwick
    sweeps (left to right and right to left, with and without the missing values)."""
    cdef intp K = p.K, n = end - start, m, nmiss, i, k, nl, nr, s, nm = 0
    cdef intp msl = p.min_samples_leaf
    cdef double mwl = p.min_weight_leaf, WM, wl = 0.0, wr, wl1, wr1, pr
    cdef floating lo, hi
    cdef double* CL = wk.CL
    cdef double* M = wk.M
    cdef double* L1 = wk.L1
    cdef double* FLM = wk.FL
    cdef double* BRM = wk.BR
    cdef Fenwick fen
    cdef Split loc
    m = _gather(wk, Xf, col, y, w, start, end, 0, 0, &WM, &nmiss, &lo, &hi)
    if m == 0 or (hi <= lo and nmiss == 0):
        return 0
    if wk.tie_heavy[f]:
        _sort(Xf, wk.idx, m, 2, Xf + wk.n_root, wk.tmp)
    elif 4 * _sort(Xf, wk.idx, m, 1, <floating*>NULL, <intp*>NULL) > m and m >= 64:
        wk.tie_heavy[f] = 1
    fen.tw = wk.ftw
    fen.ts = wk.fts
    _ae_sweep(wk, &fen, y, w, n, wk.miss, 0, wk.idx, m, 0, Xf, wk.FL)
    _ae_sweep(wk, &fen, y, w, n, wk.miss, 0, wk.idx, m, 1, Xf, wk.BR)
    if nmiss > 0:
        for i in range(start, end):  # the missing ones, in id order
            s = wk.seg[i]
            if col[s] != col[s]:
                wk.miss[nm] = s
                nm += 1
        FLM = wk.FLM
        BRM = wk.BRM
        _ae_sweep(wk, &fen, y, w, n, wk.miss, nm, wk.idx, m, 0, Xf, FLM)
        _ae_sweep(wk, &fen, y, w, n, wk.miss, nm, wk.idx, m, 1, Xf, BRM)
    loc.proxy = -INFINITY
    for i in range(m - 1):
        s = wk.idx[i]
        _add(0, y[s], w[s], CL, &wl)
        if Xf[i + 1] > Xf[i]:
            nl = i + 1
            nr = n - nl
            wr = W - wl
            if _leaves_ok(msl, mwl, nl, nr, wl, wr):
                pr = _ae_combine(wk.FL[i + 1], BRM[m - (i + 1)], wl, wr)
                if pr > best.proxy:
                    _offer(best, wk.best_left, K, pr, f, _midpoint(Xf[i], Xf[i + 1]),
                           0 if nmiss > 0 else nl > nr, nl, CL, wl)
                    best.dl = wk.FL[i + 1]
                    best.dr = BRM[m - (i + 1)]
            if nmiss > 0:
                nl = i + 1 + nmiss
                nr = m - (i + 1)
                wl1 = wl + WM
                wr1 = W - wl1
                if _leaves_ok(msl, mwl, nl, nr, wl1, wr1):
                    for k in range(K):
                        L1[k] = CL[k] + M[k]
                    pr = _ae_combine(FLM[i + 1], wk.BR[m - (i + 1)], wl1, wr1)
                    if pr > loc.proxy:
                        _offer(&loc, wk.loc_left, K, pr, f, _midpoint(Xf[i], Xf[i + 1]), 1,
                               nl, L1, wl1)
                        loc.dl = FLM[i + 1]
                        loc.dr = wk.BR[m - (i + 1)]
    if nmiss > 0:
        if loc.proxy > best.proxy:
            _offer(best, wk.best_left, K, loc.proxy, f, loc.threshold, 1, loc.n_left,
                   wk.loc_left, loc.wl)
            best.dl = loc.dl
            best.dr = loc.dr
        s = wk.idx[m - 1]
        _add(0, y[s], w[s], CL, &wl)
        wr = W - wl
        if _leaves_ok(msl, mwl, m, nmiss, wl, wr):
            pr = _ae_combine(wk.FL[m], BRM[0], wl, wr)
            if pr > best.proxy:
                _offer(best, wk.best_left, K, pr, f, INFINITY, 0, m, CL, wl)
                best.dl = wk.FL[m]
                best.dr = BRM[0]
    return 1


cdef void _ae_random(Work* wk, const floating* Xf, const double* y, const double* w,
                     intp start, intp end, double thr, int go, intp nl, double wl,
                     double wr, intp f, intp K, Split* best) noexcept nogil:
    """Offer one random split (missing values left when ``go`` is 1) to ``best``."""
    cdef Fenwick fen
    cdef double dl, dr, pr
    fen.tw = wk.ftw
    fen.ts = wk.fts
    dl = _ae_side(wk, &fen, Xf, y, w, start, end, thr, go == 1, 1)
    dr = _ae_side(wk, &fen, Xf, y, w, start, end, thr, go == 1, 0)
    pr = _ae_combine(dl, dr, wl, wr)
    if pr > best.proxy:
        _offer(best, wk.best_left, K, pr, f, thr, go, nl, wk.CL, wl)
        best.dl = dl
        best.dr = dr
