# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# distutils: extra_compile_args = -ffp-contract=off
"""DBSCAN's ε-neighbourhoods: counts (kernel ``radius_count``) and neighbour lists.

NumPy reference: ``scratchml.cluster._dbscan._radius_count_numpy``. Both decide
"‖x_i − x_j‖ ≤ ε" by one test, the *exact-difference* test

    E(i, j) = (((x_i1 − x_j1)² + (x_i2 − x_j2)²) + ...) + (x_ip − x_jp)²  ≤  fl(ε·ε),

evaluated in float64, left to right, each difference, square and sum rounded on its
own (no fused multiply-add: ``-ffp-contract=off`` for this module, and
``rad_exact_*`` say it again). Both get there fast the same way: a filter
(``_dbscan._euclidean_filter``) settles every pair whose value

    g(i, j) = x_i·x_j − ‖x_j‖²/2      (one dot product of [x_i, 1] and [x_j, −‖x_j‖²/2])

lies outside the row's band [lo_i, hi_i) around (‖x_i‖² − ε²)/2: g ≥ hi_i is in,
g < lo_i is out. The band is wider than the rounding error of g computed in *any*
order, with or without fused multiply-adds, and of E, so those decisions equal E's;
the pairs inside the band (a handful) are decided by computing E. The counts are
therefore the reference's for every input, although the reference's g comes from
BLAS and this kernel's from its own loop.

Tiling. The caller packs the filter points column-major in blocks of RAD_J
(``BLOCK``: 32 with AVX-512, else 8; ``packed[b, k, l]`` = feature k of point
RAD_J·b + l; padding is zero and masked off). A tile of RAD_R query rows meets one
block: with AVX-512, 6 x 32 dot products (24 vectors of 8 doubles, most of the 32
registers) stay in registers while the p + 1 features stream through as fused
multiply-adds (AVX2: 4 x 8 in 8 vectors of 4), and each tile yields per row a
RAD_J-bit mask of "in" and one of "in doubt". A panel of blocks (about 160 KiB) stays in L2 while every query row
of the range passes over it. float32 input is read as is for E (converted exactly
to float64); the filter is float64 for every dtype, as the reference's.

Each pair i < j is tested once (the test is symmetric), by the tile of row i:
tiles start at the block of their first row and mask the lanes j ≤ i. Two passes
over a range of rows: ``count_upper`` counts each pair for both ends, and
``lists_upper`` writes j into i's list and i into j's, each at a cursor the
caller derived from the counts. A row's masks do not depend on its tile's other
rows, and what a range adds to another range's rows goes to arrays private to it
(counts summed as integers, list parts at offsets fixed by the counting pass), so
threads split the rows freely: counts and lists are the same for any thread count.
"""

from cython cimport floating

from libc.stdlib cimport free, malloc

cdef extern from *:
    """
    #if defined(__AVX512F__)
    /* 32 registers of 8 doubles: 6 rows x 4 vectors of accumulators. */
    #include <immintrin.h>
    #define RAD_R 6
    #define RAD_J 32
    #define RAD_W 8
    #else
    /* AVX2 and older: 16 registers of (at most) 4 doubles: 4 rows x 2 vectors. */
    #define RAD_R 4
    #define RAD_J 8
    #define RAD_W 4
    #endif
    #define RAD_V (RAD_J / RAD_W)
    typedef double rad_vec __attribute__((vector_size(RAD_W * 8)));
    typedef double rad_vecu __attribute__((vector_size(RAD_W * 8), aligned(8)));

    /* The filter: fused multiply-adds are welcome here (the band covers any rounding). */
    #if defined(__GNUC__) && !defined(__clang__)
    __attribute__((optimize("fp-contract=fast")))
    #endif
    static unsigned int rad_tile(const double *xq, const double *blk, Py_ssize_t pf,
                                 const double *lo, const double *hi,
                                 unsigned int *sure, unsigned int *doubt) {
    #if defined(__clang__)
        #pragma clang fp contract(fast)
    #endif
        rad_vec a[RAD_R][RAD_V];
        int r, v;
        Py_ssize_t k;
        unsigned int any = 0;
        for (r = 0; r < RAD_R; r++)
            for (v = 0; v < RAD_V; v++)
                a[r][v] = (rad_vec){0};
        for (k = 0; k < pf; k++) {
            rad_vec b[RAD_V];
            for (v = 0; v < RAD_V; v++)
                b[v] = *(const rad_vecu *)(blk + k * RAD_J + v * RAD_W);
            for (r = 0; r < RAD_R; r++) {
                const double xv = xq[r * pf + k];
                for (v = 0; v < RAD_V; v++)
                    a[r][v] += b[v] * xv;
            }
        }
        for (r = 0; r < RAD_R; r++) {
    #if defined(__AVX512F__)
            const __m512d vlo = _mm512_set1_pd(lo[r]), vhi = _mm512_set1_pd(hi[r]);
            /* in: g >= hi; candidate: not (g < lo), so a NaN g is always in doubt. */
            unsigned int s = 0, c = 0;
            for (v = 0; v < RAD_V; v++) {
                s |= (unsigned int)_mm512_cmp_pd_mask((__m512d)a[r][v], vhi, _CMP_GE_OQ)
                     << (v * RAD_W);
                c |= (unsigned int)_mm512_cmp_pd_mask((__m512d)a[r][v], vlo, _CMP_NLT_UQ)
                     << (v * RAD_W);
            }
    #else
            unsigned int s = 0, c = 0;
            int l;
            for (l = 0; l < RAD_J; l++) {
                const double g = a[r][l / RAD_W][l % RAD_W];
                s |= (unsigned int)(g >= hi[r]) << l;
                c |= (unsigned int)(!(g < lo[r])) << l;
            }
    #endif
            sure[r] = s;
            doubt[r] = c & ~s;
            any |= c;
        }
        return any;  /* 0: no row of the tile has a candidate in the block */
    }

    /* E(x, y): in order, no contraction (the module is built with -ffp-contract=off). */
    #if defined(__GNUC__) && !defined(__clang__)
    __attribute__((optimize("fp-contract=off"), noinline))
    #endif
    static double rad_exact_f64(const double *x, const double *y, Py_ssize_t p) {
    #if defined(__clang__)
        #pragma clang fp contract(off)
    #endif
        double acc = 0.0, t;
        Py_ssize_t k;
        for (k = 0; k < p; k++) {
            t = x[k] - y[k];
            acc = acc + t * t;
        }
        return acc;
    }

    #if defined(__GNUC__) && !defined(__clang__)
    __attribute__((optimize("fp-contract=off"), noinline))
    #endif
    static double rad_exact_f32(const float *x, const float *y, Py_ssize_t p) {
    #if defined(__clang__)
        #pragma clang fp contract(off)
    #endif
        double acc = 0.0, t;
        Py_ssize_t k;
        for (k = 0; k < p; k++) {
            t = (double)x[k] - (double)y[k];
            acc = acc + t * t;
        }
        return acc;
    }
    """
    enum:
        RAD_R
        RAD_J
    unsigned int rad_tile(const double* xq, const double* blk, Py_ssize_t pf,
                          const double* lo, const double* hi, unsigned int* sure,
                          unsigned int* doubt) nogil
    double rad_exact_f64(const double* x, const double* y, Py_ssize_t p) nogil
    double rad_exact_f32(const float* x, const float* y, Py_ssize_t p) nogil

cdef extern from *:
    int __builtin_popcount(unsigned int) nogil
    int __builtin_ctz(unsigned int) nogil

cdef enum:
    # Bytes of one panel of packed points that every query row visits while it is in L2.
    PANEL_BYTES = 163840

BLOCK = RAD_J


cdef inline double _exact(const floating* x, const floating* y, Py_ssize_t p) noexcept nogil:
    if floating is double:
        return rad_exact_f64(x, y, p)
    else:
        return rad_exact_f32(x, y, p)


cdef int _upper(const floating* X, Py_ssize_t p, const double* Xq, Py_ssize_t pf,
                const double* packed, Py_ssize_t n_blocks, Py_ssize_t n,
                const double* lo, const double* hi, double eps2,
                Py_ssize_t start, Py_ssize_t stop, Py_ssize_t* own, Py_ssize_t* other,
                const unsigned char* need, Py_ssize_t* up_cur, const Py_ssize_t* up_end,
                Py_ssize_t* low_cur, const Py_ssize_t* low_end, Py_ssize_t* out) noexcept nogil:
    """Every pair i < j within ε, for rows i in [start, stop), tested once.

    Counting (``out`` NULL): own[i] += 1 and other[j] += 1. Lists: j goes to
    out[up_cur[i]++] when need[i], and i to out[low_cur[j]++] when need[j] (cursors
    checked against up_end / low_end). Pairs come out in increasing j for each i,
    and in increasing i for each j (a block of j meets the tiles in row order within
    its one panel), so each list part is sorted. Returns -1: out of memory, -2: a
    cursor reached its end.
    """
    cdef Py_ssize_t panel, panel_end, panel_blocks, t0, r, k, b, j, i, d, n_tile, first
    cdef unsigned int sure[RAD_R]
    cdef unsigned int doubt[RAD_R]
    cdef double lo_t[RAD_R]
    cdef double hi_t[RAD_R]
    cdef unsigned int bits, unsure, last_valid, keep
    cdef double* xr = <double*> malloc(RAD_R * pf * sizeof(double))
    if xr == NULL:
        return -1
    panel_blocks = max(1, PANEL_BYTES // (RAD_J * 8 * pf))
    last_valid = 0xFFFFFFFFu if n % RAD_J == 0 else (1u << (n % RAD_J)) - 1
    panel = start // RAD_J
    while panel < n_blocks:
        panel_end = min(panel + panel_blocks, n_blocks)
        t0 = start
        while t0 < stop:
            first = t0 // RAD_J  # blocks before the tile's first row hold only j < i
            if first >= panel_end:
                break
            n_tile = min(RAD_R, stop - t0)
            # The tile's filter rows; a partial tile repeats its first row (unused).
            for r in range(RAD_R):
                i = t0 + (r if r < n_tile else 0)
                for k in range(pf):
                    xr[r * pf + k] = Xq[i * pf + k]
                lo_t[r] = lo[i]
                hi_t[r] = hi[i]
            for b in range(max(panel, first), panel_end):
                if rad_tile(xr, packed + b * pf * RAD_J, pf, lo_t, hi_t, sure, doubt) == 0:
                    continue
                for r in range(n_tile):
                    i = t0 + r
                    bits = sure[r]
                    unsure = doubt[r]
                    if b == n_blocks - 1:
                        bits &= last_valid
                        unsure &= last_valid
                    d = i - b * RAD_J
                    if d >= RAD_J - 1:
                        continue
                    if d >= 0:  # only the lanes of j > i
                        keep = ~((2u << d) - 1)
                        bits &= keep
                        unsure &= keep
                    while unsure:
                        k = __builtin_ctz(unsure)
                        unsure &= unsure - 1
                        if _exact(X + i * p, X + (b * RAD_J + k) * p, p) <= eps2:
                            bits |= 1u << k
                    if out == NULL:
                        own[i] += __builtin_popcount(bits)
                        while bits:
                            j = b * RAD_J + __builtin_ctz(bits)
                            bits &= bits - 1
                            other[j] += 1
                        continue
                    while bits:
                        j = b * RAD_J + __builtin_ctz(bits)
                        bits &= bits - 1
                        if need[i]:
                            if up_cur[i] >= up_end[i]:
                                free(xr)
                                return -2
                            out[up_cur[i]] = j
                            up_cur[i] += 1
                        if need[j]:
                            if low_cur[j] >= low_end[j]:
                                free(xr)
                                return -2
                            out[low_cur[j]] = i
                            low_cur[j] += 1
            t0 += RAD_R
        panel = panel_end
    free(xr)
    return 0


cdef _check(Py_ssize_t n, Py_ssize_t p, Py_ssize_t nq, Py_ssize_t pf, packed,
            Py_ssize_t n_lo, Py_ssize_t n_hi, Py_ssize_t start, Py_ssize_t stop):
    if p < 1 or pf < 1:
        raise ValueError("X has no features")
    if nq != n or n_lo != n or n_hi != n:
        raise ValueError("Xq, lo and hi must have one row per row of X")
    if packed.shape[1] != pf or packed.shape[2] != RAD_J:
        raise ValueError("packed does not match Xq: pack it with BLOCK points per block")
    if packed.shape[0] != (n + RAD_J - 1) // RAD_J:
        raise ValueError("packed must hold ceil(n / BLOCK) blocks")
    if not 0 <= start <= stop <= n:
        raise ValueError(f"row range [{start}, {stop}) is out of bounds for {n} rows")


def count_upper(const floating[:, ::1] X, const double[:, ::1] Xq,
                const double[:, :, ::1] packed, const double[::1] lo, const double[::1] hi,
                double eps2, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t[::1] own,
                Py_ssize_t[::1] other):
    """For each pair i < j within ε, i in [start, stop): own[i] += 1, other[j] += 1.

    Over ranges that cover all rows, own + Σ other + 1 (the row itself) is |N(i)|.
    ``own`` may be shared by ranges (each touches only its rows); ``other`` must be
    private to the call. ``Xq``, ``packed`` (the filter points in blocks), ``lo``
    and ``hi`` come from ``_dbscan._euclidean_filter`` (see the module docstring).
    Releases the GIL.
    """
    cdef int status
    _check(X.shape[0], X.shape[1], Xq.shape[0], Xq.shape[1], packed, lo.shape[0],
           hi.shape[0], start, stop)
    if own.shape[0] != X.shape[0] or other.shape[0] != X.shape[0]:
        raise ValueError("own and other must have one entry per row of X")
    if stop == start:
        return
    with nogil:
        status = _upper(&X[0, 0], X.shape[1], &Xq[0, 0], Xq.shape[1], &packed[0, 0, 0],
                        packed.shape[0], X.shape[0], &lo[0], &hi[0], eps2, start, stop,
                        &own[0], &other[0], NULL, NULL, NULL, NULL, NULL, NULL)
    if status == -1:
        raise MemoryError("out of memory in the radius-count kernel")


def lists_upper(const floating[:, ::1] X, const double[:, ::1] Xq,
                const double[:, :, ::1] packed, const double[::1] lo, const double[::1] hi,
                double eps2, Py_ssize_t start, Py_ssize_t stop,
                const unsigned char[::1] need, Py_ssize_t[::1] up_cur,
                const Py_ssize_t[::1] up_end, Py_ssize_t[::1] low_cur,
                const Py_ssize_t[::1] low_end, Py_ssize_t[::1] out):
    """Write each pair i < j within ε, i in [start, stop), into the lists that need it.

    j to out[up_cur[i]++] if need[i]; i to out[low_cur[j]++] if need[j]. Every
    cursor must stay below its end and every end must lie in ``out`` (checked: a
    violation raises ValueError, and nothing is written outside). ``up_cur`` may be
    shared by ranges; ``low_cur`` must be private to the call. Releases the GIL.
    """
    cdef Py_ssize_t n = X.shape[0]
    cdef Py_ssize_t i
    cdef int status
    _check(n, X.shape[1], Xq.shape[0], Xq.shape[1], packed, lo.shape[0], hi.shape[0],
           start, stop)
    if (need.shape[0] != n or up_cur.shape[0] != n or up_end.shape[0] != n
            or low_cur.shape[0] != n or low_end.shape[0] != n):
        raise ValueError("need and the cursors must have one entry per row of X")
    for i in range(n):
        if need[i] and not (0 <= up_cur[i] <= up_end[i] <= out.shape[0]
                            and 0 <= low_cur[i] <= low_end[i] <= out.shape[0]):
            raise ValueError(f"the cursors of row {i} point outside out")
    if stop == start:
        return
    with nogil:
        status = _upper(&X[0, 0], X.shape[1], &Xq[0, 0], Xq.shape[1], &packed[0, 0, 0],
                        packed.shape[0], n, &lo[0], &hi[0], eps2, start, stop, NULL, NULL,
                        &need[0], &up_cur[0], &up_end[0], &low_cur[0], &low_end[0], &out[0])
    if status == -1:
        raise MemoryError("out of memory in the radius-neighbours kernel")
    if status == -2:
        raise ValueError("neighbour counts do not match the cursors")
