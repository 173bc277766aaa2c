# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Histogram gradient boosting kernels: a node's histogram and its best split.

NumPy reference: ``scratchml.ensemble._hist_kernels`` (the definitions; read its
docstring first). Threads: ``scratchml.ensemble._hgb_native``.

``build_features``: for features [f_start, f_stop) of the uint8 Fortran-ordered
bin codes, one pass over the node's samples per feature, adding each sample's
gradient (and hessian) and 1 to its bin. The gradients arrive already gathered
in node order (``ordered_g[i]`` belongs to sample ``idx[i]``), so they are read
sequentially; only the bin codes are gathered. Each bin sums its values in
sample order in double precision, like the reference's ``np.bincount``, so the
two agree exactly, and features are independent, so any split of the features
between threads gives the same histogram. A bin is a 24-byte (g, h, count)
record, so one update touches one cache line.

``predict_rows``: the ``hgb_predict`` kernel: each row walks every tree (nodes
packed in 24-byte records), its raw score summed over iterations in order.

``best_split``: the candidates of the reference in the same order, with the same
running sums and the same arithmetic for the gain, so it picks the same split.
"""

ctypedef fused floating:
    float
    double


cdef void _feature(const unsigned char* col, const Py_ssize_t* idx, Py_ssize_t n,
                   const floating* g, const floating* h, double* hist) noexcept nogil:
    """hist[b] += (g_i, h_i, 1) for the node's samples; h NULL: hessian channel untouched."""
    cdef Py_ssize_t i
    cdef unsigned char b
    if idx == NULL:
        if h == NULL:
            for i in range(n):
                b = col[i]
                hist[3 * b] += g[i]
                hist[3 * b + 2] += 1.0
        else:
            for i in range(n):
                b = col[i]
                hist[3 * b] += g[i]
                hist[3 * b + 1] += h[i]
                hist[3 * b + 2] += 1.0
    else:
        if h == NULL:
            for i in range(n):
                b = col[idx[i]]
                hist[3 * b] += g[i]
                hist[3 * b + 2] += 1.0
        else:
            for i in range(n):
                b = col[idx[i]]
                hist[3 * b] += g[i]
                hist[3 * b + 1] += h[i]
                hist[3 * b + 2] += 1.0


def build_features(const unsigned char[::1, :] X_binned, const Py_ssize_t[::1] idx,
                   bint all_rows, const floating[::1] ordered_g, const floating[::1] ordered_h,
                   bint constant_hessian, double[:, :, ::1] hist,
                   Py_ssize_t f_start, Py_ssize_t f_stop):
    """Fill hist[f_start:f_stop] (zeroed by the caller); releases the GIL.

    ``all_rows``: the node is every sample (``idx`` ignored). ``constant_hessian``:
    ``ordered_h`` is ignored and the hessian channel becomes the count.
    """
    cdef Py_ssize_t n = X_binned.shape[0] if all_rows else idx.shape[0]
    cdef Py_ssize_t f, b
    cdef const Py_ssize_t* ip = NULL
    cdef const floating* hp = NULL
    if not (0 <= f_start <= f_stop <= X_binned.shape[1] <= hist.shape[0]):
        raise ValueError("feature range out of bounds")
    if hist.shape[1] != 256 or hist.shape[2] != 3 or ordered_g.shape[0] < n:
        raise ValueError("hist must be (n_features, 256, 3) and gradients cover the node")
    if not constant_hessian and ordered_h.shape[0] < n:
        raise ValueError("hessians must cover the node")
    if n == 0 or f_stop == f_start:
        return
    if not all_rows:
        ip = &idx[0]
    if not constant_hessian:
        hp = &ordered_h[0]
    with nogil:
        for f in range(f_start, f_stop):
            _feature(&X_binned[0, f], ip, n, &ordered_g[0], hp, &hist[f, 0, 0])
            if constant_hessian:
                for b in range(256):
                    hist[f, b, 1] = hist[f, b, 2]


cdef extern from *:
    """
    /* The gain in the reference's exact order of operations. Fused multiply-adds
       (which -march=native allows the compiler to form) would round differently
       from NumPy and could break ties differently, so contraction is off here. */
    #if defined(__clang__)
    static double hist_gain(double sum_g, double value, double g_l, double h_l,
                            double sum_h, double l2) {
        #pragma clang fp contract(off)
        double g_r = sum_g - g_l;
        double h_r = sum_h - h_l;
        return sum_g * value - g_l * (-g_l / (h_l + l2)) - g_r * (-g_r / (h_r + l2));
    }
    #else
    #if defined(__GNUC__)
    __attribute__((optimize("fp-contract=off"), noinline))
    #endif
    static double hist_gain(double sum_g, double value, double g_l, double h_l,
                            double sum_h, double l2) {
        double g_r = sum_g - g_l;
        double h_r = sum_h - h_l;
        return sum_g * value - g_l * (-g_l / (h_l + l2)) - g_r * (-g_r / (h_r + l2));
    }
    #endif
    """
    double hist_gain(double sum_g, double value, double g_l, double h_l,
                     double sum_h, double l2) nogil


def best_split(const double[:, :, ::1] hist, const Py_ssize_t[::1] n_bins_non_missing,
               const unsigned char[::1] has_missing, double sum_g, double sum_h, double n,
               double min_samples_leaf, double min_hessian, double l2):
    """(gain, feature, bin, missing_go_to_left, g_left, h_left, n_left); gain -1 if none."""
    cdef Py_ssize_t n_features = hist.shape[0]
    cdef Py_ssize_t f, b, end, nbnm
    cdef double g_l, h_l, n_l, g_r, h_r, n_r, gain
    cdef double value = -sum_g / (sum_h + l2)
    cdef double best_gain = -1.0
    cdef Py_ssize_t best_f = -1, best_b = -1
    cdef bint best_left = False
    cdef double best_gl = 0.0, best_hl = 0.0, best_nl = 0.0
    if hist.shape[1] != 256 or hist.shape[2] != 3:
        raise ValueError("hist must be (n_features, 256, 3)")
    if n_bins_non_missing.shape[0] < n_features or has_missing.shape[0] < n_features:
        raise ValueError("one n_bins_non_missing / has_missing entry per feature is needed")
    with nogil:
        for f in range(n_features):
            nbnm = n_bins_non_missing[f]
            if nbnm > 255:
                nbnm = 255
            # Left to right: bins 0..b left, missing values right.
            end = nbnm - 1 + (1 if has_missing[f] else 0)
            g_l = 0.0
            h_l = 0.0
            n_l = 0.0
            for b in range(end):
                g_l = g_l + hist[f, b, 0]
                h_l = h_l + hist[f, b, 1]
                n_l = n_l + hist[f, b, 2]
                n_r = n - n_l
                h_r = sum_h - h_l
                if n_l < min_samples_leaf or n_r < min_samples_leaf:
                    continue
                if h_l < min_hessian or h_r < min_hessian:
                    continue
                gain = hist_gain(sum_g, value, g_l, h_l, sum_h, l2)
                if gain > 0 and gain > best_gain:
                    best_gain, best_f, best_b, best_left = gain, f, b, False
                    best_gl, best_hl, best_nl = g_l, h_l, n_l
            if not has_missing[f]:
                continue
            # Right to left: bins b+1..254 right (a running sum from 254 down), the
            # rest and missing values left.
            g_r = 0.0
            h_r = 0.0
            n_r = 0.0
            for b in range(253, -1, -1):
                g_r = g_r + hist[f, b + 1, 0]
                h_r = h_r + hist[f, b + 1, 1]
                n_r = n_r + hist[f, b + 1, 2]
                if b > nbnm - 2:
                    continue
                g_l = sum_g - g_r
                h_l = sum_h - h_r
                n_l = n - n_r
                if n_l < min_samples_leaf or n_r < min_samples_leaf:
                    continue
                if h_l < min_hessian or sum_h - h_l < min_hessian:
                    continue
                gain = hist_gain(sum_g, value, g_l, h_l, sum_h, l2)
                if gain > 0 and gain > best_gain:
                    best_gain, best_f, best_b, best_left = gain, f, b, True
                    best_gl, best_hl, best_nl = g_l, h_l, n_l
    if best_f < 0:
        return -1.0, -1, -1, False, 0.0, 0.0, 0
    return best_gain, best_f, best_b, bool(best_left), best_gl, best_hl, int(best_nl)


cdef inline unsigned char _bin_of(double x, const double* t, Py_ssize_t n_t) noexcept nogil:
    """#{j : t[j] < x} over the sorted t, or 255 for NaN.

    Branch-free binary search: the interval [base, base + n) always holds the
    answer's last candidate; each step halves n and moves base with a
    conditional move instead of a jump the CPU would mispredict half the time.
    """
    cdef Py_ssize_t base = 0, n = n_t, half
    if x != x:
        return 255
    if n == 0:
        return 0
    while n > 1:
        half = n >> 1
        base = base + half if t[base + half] < x else base
        n = n - half
    return <unsigned char> (base + (1 if t[base] < x else 0))


def map_bins(const floating[:, ::1] X, const double[::1] thresholds,
             const Py_ssize_t[::1] offsets, unsigned char[::1, :] out,
             Py_ssize_t f_start, Py_ssize_t f_stop):
    """Bin codes of features [f_start, f_stop): thresholds of feature f are
    ``thresholds[offsets[f]:offsets[f + 1]]`` (at most 254). Releases the GIL.

    X is row-major and out column-major: rows go in blocks of 256 so that a
    block of X stays in cache while every feature's column of it is binned.
    """
    cdef Py_ssize_t f, n_t, i, start, stop, n = X.shape[0]
    cdef const double* t
    if not (0 <= f_start <= f_stop <= X.shape[1]) or offsets.shape[0] <= f_stop:
        raise ValueError("feature range out of bounds")
    if out.shape[0] != X.shape[0] or out.shape[1] != X.shape[1]:
        raise ValueError("out must have X's shape")
    for f in range(f_start, f_stop):
        n_t = offsets[f + 1] - offsets[f]
        if n_t < 0 or n_t > 254 or offsets[f] < 0 or offsets[f + 1] > thresholds.shape[0]:
            raise ValueError("at most 254 thresholds per feature, inside the array")
    if n == 0 or f_stop == f_start or thresholds.shape[0] == 0:
        if n > 0:
            for f in range(f_start, f_stop):  # no thresholds: bin 0, or NaN's bin
                for i in range(n):
                    out[i, f] = 255 if X[i, f] != X[i, f] else 0
        return
    with nogil:
        for start in range(0, n, 256):
            stop = min(start + 256, n)
            for f in range(f_start, f_stop):
                t = &thresholds[offsets[f]]
                n_t = offsets[f + 1] - offsets[f]
                for i in range(start, stop):
                    out[i, f] = _bin_of(X[i, f], t, n_t)


def partition(const unsigned char[::1, :] X_binned, const Py_ssize_t[::1] rows,
              Py_ssize_t feature, Py_ssize_t bin_threshold, bint missing_left,
              Py_ssize_t[::1] left, Py_ssize_t[::1] right):
    """Split ``rows`` by "bin <= bin_threshold (or NaN bin, if missing_left)" into
    ``left`` and ``right``, keeping their order; returns the number sent left.

    One pass, each row written once to the side it goes to (the reference makes a
    boolean mask and two gathers). Releases the GIL.
    """
    cdef Py_ssize_t i, n = rows.shape[0], n_left = 0, n_right = 0, r
    cdef Py_ssize_t n_rows = X_binned.shape[0]
    cdef bint bad = False
    cdef unsigned char code
    cdef const unsigned char* col
    if not 0 <= feature < X_binned.shape[1]:
        raise ValueError("feature out of range")
    if left.shape[0] < n or right.shape[0] < n:
        raise ValueError("left and right must hold every row")
    if n == 0:
        return 0
    col = &X_binned[0, feature]
    with nogil:
        for i in range(n):
            r = rows[i]
            if r < 0 or r >= n_rows:
                bad = True
                break
            code = col[r]
            if code <= bin_threshold or (missing_left and code == 255):
                left[n_left] = r
                n_left += 1
            else:
                right[n_right] = r
                n_right += 1
    if bad:
        raise ValueError("rows out of range of X_binned")
    return n_left



from libc.stdlib cimport malloc, free
from libc.stdint cimport int32_t


cdef struct _Node:
    # One 24-byte record per node, so a step down the tree reads one cache line
    # instead of five arrays; a leaf keeps its value where a split keeps its threshold.
    double thr_or_value
    int32_t feature
    int32_t left
    int32_t right
    unsigned char missing_left
    unsigned char is_leaf


def predict_rows(const floating[:, ::1] X, const Py_ssize_t[::1] feature,
                 const double[::1] threshold, const unsigned char[::1] missing_left,
                 const Py_ssize_t[::1] left, const Py_ssize_t[::1] right,
                 const double[::1] value, const unsigned char[::1] is_leaf,
                 const Py_ssize_t[:, ::1] roots, const double[::1] baseline,
                 double[:, ::1] out, Py_ssize_t start, Py_ssize_t stop):
    """Raw predictions of rows [start, stop): out[k, i] = baseline[k] + the leaf
    values of trees roots[0, k], roots[1, k], ... in that order. Releases the GIL.

    A row goes left when x_f <= threshold (compared in double, as the reference
    promotes float32 to float64), or, for NaN, when missing_left says so. Each
    row's sum runs over the iterations in order, like the reference's
    ``raw[k] += predict_tree(...)``, so the two agree exactly and any split of the
    rows between threads gives the same result. The caller checks that node ids
    and features are in range (``_hgb_native.hgb_predict``); fewer than 2**31 nodes.
    """
    cdef Py_ssize_t n_iter = roots.shape[0], K = roots.shape[1]
    cdef Py_ssize_t n_nodes = value.shape[0], i, it, k, j
    cdef int32_t node
    cdef double acc, x
    cdef _Node* nodes
    cdef _Node* nd
    if not (0 <= start <= stop <= X.shape[0]) or out.shape[1] != X.shape[0] \
            or out.shape[0] != K or baseline.shape[0] != K:
        raise ValueError("shapes of out, baseline or the row range do not match")
    if n_nodes >= 2**31 - 1:
        raise ValueError("too many tree nodes")
    nodes = <_Node*> malloc(max(n_nodes, 1) * sizeof(_Node))
    if nodes == NULL:
        raise MemoryError()
    try:
        with nogil:
            for j in range(n_nodes):
                nodes[j].is_leaf = is_leaf[j]
                nodes[j].thr_or_value = value[j] if is_leaf[j] else threshold[j]
                nodes[j].feature = <int32_t> feature[j]
                nodes[j].left = <int32_t> left[j]
                nodes[j].right = <int32_t> right[j]
                nodes[j].missing_left = missing_left[j]
            for k in range(K):
                for i in range(start, stop):
                    acc = baseline[k]
                    for it in range(n_iter):
                        nd = &nodes[roots[it, k]]
                        while not nd.is_leaf:
                            x = X[i, nd.feature]
                            if x != x:
                                node = nd.left if nd.missing_left else nd.right
                            elif x <= nd.thr_or_value:
                                node = nd.left
                            else:
                                node = nd.right
                            nd = &nodes[node]
                        acc = acc + nd.thr_or_value
                    out[k, i] = acc
    finally:
        free(nodes)
