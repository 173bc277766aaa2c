# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Top-k selection: the k smallest values of each row of a block, in one pass.

NumPy reference: ``scratchml.neighbors._topk._knn_topk_numpy`` (k passes of
argmin for small k, or a partition plus a stable sort of tied rows).

Each row keeps a small sorted list of its k best (value, column) pairs. Columns
are visited in increasing order and a value enters only when it is *strictly*
smaller than the list's worst, then slides in after every equal value already
there, so among equal values the lower column wins, and the list is ordered by
(value, column): exactly the reference's order. Most values of a long row are
rejected by a single comparison with the worst kept value, so the block is read
once, instead of k times (argmin passes) or written (partition).

Rows are independent, so threads split them freely: results do not depend on
the number of threads.

Two entry points:

* ``topk_fused`` (used by ``knn_topk``): the ranking values v_j = ‖x_j‖² − 2 q·x_j
  are never written to memory. A tile of SM_MR query rows meets one packed block
  of training rows in the register-tiled micro-kernel of ``_tile.h``
  (``sm_dots2_f64``, or ``sm_dots2_f32`` with blocks twice as wide), and the
  SM_MR x NR dot products go straight into the rows' sorted lists. Loops are
  cache-blocked: a chunk of QCHUNK query rows sweeps a panel of training blocks
  that stays in L2, and each tile's query rows stay in L1.
* ``topk_rows``: the same selection on a block the caller already computed.

Both are fused over float32/float64 (Cython's ``floating``): float32 data is
ranked in float32 arithmetic, as the NumPy reference's float32 matrix product
does, with twice the SIMD lanes per instruction and half the memory traffic.
Both specialisations make the same comparisons in the same order, so the tie
rule (lower index first) and the thread-count independence hold for each.
"""

from cython cimport floating

from libc.math cimport INFINITY
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memset

cdef extern from "_tile.h" nogil:
    enum:
        SM_MR
        SM_LANES_F64
        SM_LANES_F32
    void sm_dots2_f64(const double*, const double*, Py_ssize_t, double*)
    void sm_dots2_f32(const float*, const float*, Py_ssize_t, float*)

cdef enum:
    # Query rows whose sorted lists are kept while a panel of training rows passes.
    QCHUNK = 256
    # Training values per panel (about 1 MiB of float64, 512 KiB of float32: stays
    # in L2 across a chunk).
    PANEL_VALUES = 131072

cdef void _row(const floating* d, Py_ssize_t n, Py_ssize_t k, Py_ssize_t skip,
               floating* vals, Py_ssize_t* idx) noexcept nogil:
    """k smallest of d[0:n] (column ``skip`` excluded, -1 for none) into vals/idx."""
    cdef Py_ssize_t j, t, count = 0
    cdef floating v
    for j in range(n):
        if j == skip:
            continue
        v = d[j]
        if count == k:
            if not (v < vals[k - 1]):  # also rejects NaN
                continue
            t = k - 1
        else:
            t = count
            count += 1
        # Slide larger values one place right; equal ones stay before (lower column).
        while t > 0 and vals[t - 1] > v:
            vals[t] = vals[t - 1]
            idx[t] = idx[t - 1]
            t -= 1
        vals[t] = v
        idx[t] = j


def topk_rows(
    const floating[:, ::1] D,
    Py_ssize_t k,
    Py_ssize_t[:, ::1] out,
    Py_ssize_t row_offset,
    bint exclude_self,
    Py_ssize_t start,
    Py_ssize_t stop,
):
    """``out[row_offset + i]`` = the k smallest columns of ``D[i]`` for i in [start, stop).

    Sorted by (value, column). With ``exclude_self``, row i skips column
    ``row_offset + i`` (queries that are the training rows themselves).
    Releases the GIL, so threads can run disjoint row ranges at once.
    """
    cdef Py_ssize_t n = D.shape[1], i, skip
    cdef floating* vals
    cdef Py_ssize_t need = k + (1 if exclude_self else 0)
    if k < 1 or need > n:
        raise ValueError(f"k={k} must be between 1 and the number of columns ({n})")
    if out.shape[1] != k or not (0 <= start <= stop <= D.shape[0]):
        raise ValueError("row range or output shape out of bounds")
    if row_offset < 0 or row_offset + stop > out.shape[0]:
        raise ValueError("row range or output shape out of bounds")
    import numpy as np

    cdef floating[::1] scratch = np.empty(
        k, dtype=np.float64 if floating is double else np.float32)
    vals = &scratch[0]
    with nogil:
        for i in range(start, stop):
            skip = row_offset + i if exclude_self else -1
            _row(&D[i, 0], n, k, skip, vals, &out[row_offset + i, 0])


cdef inline void _insert(floating v, Py_ssize_t j, Py_ssize_t k, Py_ssize_t* count,
                         floating* vals, Py_ssize_t* idx) noexcept nogil:
    """Insert (v, j) into the list sorted by (value, column); columns arrive in order."""
    cdef Py_ssize_t t
    if count[0] == k:
        if not (v < vals[k - 1]):
            return
        t = k - 1
    else:
        t = count[0]
        count[0] += 1
    while t > 0 and vals[t - 1] > v:
        vals[t] = vals[t - 1]
        idx[t] = idx[t - 1]
        t -= 1
    vals[t] = v
    idx[t] = j


cdef int _fused(const floating* Q, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t p,
                const floating* packed, const floating* xx, Py_ssize_t n_blocks,
                Py_ssize_t n_x, Py_ssize_t k, bint exclude_self,
                Py_ssize_t* out) noexcept nogil:
    cdef Py_ssize_t nr = 2 * (SM_LANES_F64 if floating is double else SM_LANES_F32)
    cdef Py_ssize_t panel = PANEL_VALUES // (nr * p) if PANEL_VALUES // (nr * p) > 0 else 1
    cdef Py_ssize_t c0, rows, t, n_tiles, r0, nrow, b0, b1, b, r, w, j, qi, lrow
    cdef floating* vals = <floating*> malloc(QCHUNK * k * sizeof(floating))
    cdef Py_ssize_t* count = <Py_ssize_t*> malloc(QCHUNK * sizeof(Py_ssize_t))
    cdef floating* tail = <floating*> malloc(SM_MR * p * sizeof(floating))
    # Sized for the wider float32 block; float64 uses the first half.
    cdef floating dots[SM_MR * 2 * SM_LANES_F32]
    cdef const floating* x
    cdef floating v, thr
    cdef Py_ssize_t hit
    if vals == NULL or count == NULL or tail == NULL:
        free(vals)
        free(count)
        free(tail)
        return -1
    c0 = start
    while c0 < stop:
        rows = stop - c0
        if rows > QCHUNK:
            rows = QCHUNK
        memset(count, 0, QCHUNK * sizeof(Py_ssize_t))
        n_tiles = (rows + SM_MR - 1) // SM_MR
        nrow = rows - (n_tiles - 1) * SM_MR
        # The last tile may be partial: its rows, then zero rows, in a full tile.
        memset(tail, 0, SM_MR * p * sizeof(floating))
        memcpy(tail, Q + (c0 + (n_tiles - 1) * SM_MR) * p, nrow * p * sizeof(floating))
        b0 = 0
        while b0 < n_blocks:
            b1 = b0 + panel
            if b1 > n_blocks:
                b1 = n_blocks
            for t in range(n_tiles):
                r0 = c0 + t * SM_MR
                nrow = rows - t * SM_MR
                if nrow >= SM_MR:
                    nrow = SM_MR
                    x = Q + r0 * p
                else:
                    x = tail
                for b in range(b0, b1):
                    if floating is double:
                        sm_dots2_f64(x, packed + b * p * nr, p, dots)
                    else:
                        sm_dots2_f32(x, packed + b * p * nr, p, dots)
                    for r in range(nrow):
                        qi = r0 + r
                        lrow = t * SM_MR + r
                        if count[lrow] == k:
                            # Most blocks hold no value below the row's k-th best: one
                            # pass of compares, OR-ed, rejects them all at once (padding
                            # rows have ‖x‖² = +inf, NaN compares false: neither passes).
                            # An OR of compares has no dependency chain (float32: one
                            # vector compare per SIMD vector; float64's narrower block is
                            # unrolled); a running min (d < v ? d : v) is a serial
                            # chain, which GCC cannot vectorise without -ffast-math.
                            thr = vals[lrow * k + k - 1]
                            hit = 0
                            for w in range(nr):
                                hit = hit | (xx[b * nr + w] - (<floating> 2) * dots[r * nr + w]
                                             < thr)
                            if not hit:
                                continue
                        for w in range(nr):
                            j = b * nr + w
                            if j >= n_x:
                                break
                            if exclude_self and j == qi:
                                continue
                            v = xx[j] - (<floating> 2) * dots[r * nr + w]
                            _insert(v, j, k, &count[lrow], vals + lrow * k, out + qi * k)
            b0 = b1
        c0 += rows
    free(vals)
    free(count)
    free(tail)
    return 0


def block_width(bint single=False):
    """Training rows per packed block: two SIMD vectors of doubles (floats if ``single``)."""
    return 2 * (SM_LANES_F32 if single else SM_LANES_F64)


def topk_fused(
    const floating[:, ::1] Q,
    const floating[:, :, ::1] packed,
    const floating[::1] xx,
    Py_ssize_t n_x,
    Py_ssize_t k,
    Py_ssize_t[:, ::1] out,
    bint exclude_self,
    Py_ssize_t start,
    Py_ssize_t stop,
):
    """``out[i]`` = the k training rows of smallest ‖x‖² − 2 q_i·x, for i in [start, stop).

    ``packed[b, f, w]`` is feature f of training row b*NR + w (zero padding past
    ``n_x``), ``xx`` their squared norms, all of Q's dtype (float32 or float64;
    ``block_width(single)`` gives NR). Sorted by (value, index); with
    ``exclude_self`` row i skips training row i. Releases the GIL.
    """
    cdef Py_ssize_t p = Q.shape[1]
    cdef Py_ssize_t nr = 2 * (SM_LANES_F64 if floating is double else SM_LANES_F32)
    cdef int status
    if packed.shape[1] != p or packed.shape[2] != nr or xx.shape[0] < n_x:
        raise ValueError("packed training rows do not match Q's features or the block width")
    if packed.shape[0] * nr < n_x:
        raise ValueError("packed blocks do not hold n_x rows")
    if k < 1 or k + (1 if exclude_self else 0) > n_x:
        raise ValueError(f"k={k} must be between 1 and the number of training rows ({n_x})")
    if out.shape[1] != k or not (0 <= start <= stop <= Q.shape[0]) or out.shape[0] < stop:
        raise ValueError("row range or output shape out of bounds")
    if start == stop:
        return
    if p == 0:
        raise ValueError("Q has no features")
    with nogil:
        status = _fused(&Q[0, 0], start, stop, p, &packed[0, 0, 0], &xx[0],
                        packed.shape[0], n_x, k, exclude_self, &out[0, 0])
    if status != 0:
        raise MemoryError("out of memory in the top-k kernel")
