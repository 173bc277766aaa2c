# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""CSR products and row reductions: the Cython twins of ``scratchml/sparse/_kernels.py``.

A CSR matrix X stores row i's nonzeros as ``data[j]`` at column ``indices[j]``
for ``indptr[i] <= j < indptr[i+1]``.

* ``matmul_rows``: rows [start, stop) of X @ B. Row i of the product is
  ``sum_j data[j] * B[indices[j], :]``, a gather of rows of B. The k outputs of
  a row are accumulated in a small local array (``W`` columns at a time) that the
  compiler keeps in SIMD registers, instead of re-reading and re-writing the
  output row for every entry as a plain axpy loop would. Each row is computed
  by one thread, start to finish, in entry order: the result does not depend on
  how rows are split between threads.
* ``t_matmul_cols``: X.T @ B is a scatter, ``out[indices[j], :] += data[j] * B[i, :]``,
  so two threads splitting the *rows* of X would write the same output rows.
  Instead each thread owns a range of output rows (columns of X) and skips the
  entries outside it. No partial outputs (memory stays that of the result) and
  every output row sums its terms in entry order: results are bit-identical
  for any number of threads.
* ``matvec`` / ``t_matvec``: the same two products for a single vector (k = 1),
  without the 2-D bookkeeping: a dot product per row, and a plain scatter
  ``out[indices[j]] += data[j] * x[i]`` over all entries in one pass (serial:
  splitting it by output range would make every thread rescan all entries).
* ``t_matmul_small``: X.T @ B in one pass for a small k, with the k
  multiply-adds of an entry written out for k = 2, 3, 4 (no inner loop whose
  trip count the compiler cannot see), entries in order: the same result as
  ``t_matmul_cols`` over the full range.
* ``row_sums`` / ``row_sq_norms``: one pass over each row's entries.

Types: ``floating`` is float32 or float64 (data, B and out share it),
``index_t`` is int32 or int64 (indices and indptr share it), as in SciPy.
"""

from libc.stdint cimport int32_t, int64_t

ctypedef fused floating:
    float
    double

ctypedef fused index_t:
    int32_t
    int64_t

# Output columns accumulated in registers at once: 16 floats or doubles are
# 1-4 AVX registers, few enough never to spill.
cdef enum:
    W = 16


cdef inline void _gather_cols(Py_ssize_t width, Py_ssize_t lo, Py_ssize_t hi,
                              const floating* dp, const index_t* ip, const floating* Bc,
                              Py_ssize_t k, floating* out) noexcept nogil:
    """out[c] = sum_j dp[j] * Bc[ip[j] * k + c] for c < width <= W, j in [lo, hi).

    The sums live in a local array that the compiler keeps in SIMD registers; called
    with ``width = W`` (a constant once inlined) the loops over c are fully unrolled.
    """
    cdef floating acc[W]
    cdef floating v
    cdef const floating* b
    cdef Py_ssize_t j, c
    for c in range(width):
        acc[c] = 0
    for j in range(lo, hi):
        v = dp[j]
        b = Bc + ip[j] * k
        for c in range(width):
            acc[c] += v * b[c]
    for c in range(width):
        out[c] = acc[c]


def matmul_rows(const floating[::1] data, const index_t[::1] indices,
                const index_t[::1] indptr, const floating[:, ::1] B,
                floating[:, ::1] out, Py_ssize_t start, Py_ssize_t stop):
    """out[i, :] = sum_j data[j] * B[indices[j], :] for rows start <= i < stop."""
    cdef Py_ssize_t k = B.shape[1]
    cdef Py_ssize_t i, j, c0, lo, hi
    cdef floating v
    cdef const floating* b
    cdef const floating* Bp = &B[0, 0] if B.shape[0] > 0 and k > 0 else NULL
    cdef floating a0, a1, a2, a3
    cdef const floating* dp = &data[0] if data.shape[0] > 0 else NULL
    cdef const index_t* ip = &indices[0] if indices.shape[0] > 0 else NULL
    if k == 0 or Bp == NULL or dp == NULL:
        return
    if 2 <= k <= 4:
        # Small k: k scalar sums that stay in registers, B's row read whole.
        with nogil:
            for i in range(start, stop):
                a0 = 0
                a1 = 0
                a2 = 0
                a3 = 0
                for j in range(indptr[i], indptr[i + 1]):
                    v = dp[j]
                    b = Bp + ip[j] * k
                    a0 += v * b[0]
                    a1 += v * b[1]
                    if k > 2:
                        a2 += v * b[2]
                        if k > 3:
                            a3 += v * b[3]
                out[i, 0] = a0
                out[i, 1] = a1
                if k > 2:
                    out[i, 2] = a2
                    if k > 3:
                        out[i, 3] = a3
        return
    with nogil:
        for i in range(start, stop):
            lo = indptr[i]
            hi = indptr[i + 1]
            c0 = 0
            while c0 + W <= k:  # full blocks: a fixed trip count the compiler unrolls
                _gather_cols(W, lo, hi, dp, ip, Bp + c0, k, &out[i, c0])
                c0 += W
            if c0 < k:  # the last k % W columns
                _gather_cols(k - c0, lo, hi, dp, ip, Bp + c0, k, &out[i, c0])


cdef inline void _scatter_rows(Py_ssize_t n_rows, Py_ssize_t k, const floating* dp,
                               const index_t* ip, const index_t* pp, const floating* Bp,
                               floating* op, Py_ssize_t col_lo, size_t width,
                               bint ranged) noexcept nogil:
    """out[ip[j], :] += dp[j] * B[i, :] for every entry j (row i), in entry order.

    With ``ranged`` (a literal at each call), only the entries whose column is in
    [col_lo, col_lo + width) are added.
    """
    cdef Py_ssize_t i, j, c
    cdef floating v
    cdef const floating* b
    cdef floating* o
    for i in range(n_rows):
        b = Bp + i * k
        for j in range(pp[i], pp[i + 1]):
            # One unsigned comparison tests lo <= column < hi.
            if not ranged or <size_t>(ip[j] - col_lo) < width:
                v = dp[j]
                o = op + ip[j] * k
                for c in range(k):  # an axpy the compiler vectorises
                    o[c] += v * b[c]


def t_matmul_cols(const floating[::1] data, const index_t[::1] indices,
                  const index_t[::1] indptr, const floating[:, ::1] B,
                  floating[:, ::1] out, Py_ssize_t col_lo, Py_ssize_t col_hi):
    """out[c, :] += data[j] * B[i, :] for every entry j (row i) whose column c is in [lo, hi).

    Each thread owns a range of output rows (columns of X) and scans all the
    entries, skipping the others: no two threads write the same row, and every
    output row is accumulated in entry order whatever the split.
    """
    cdef size_t width = <size_t>(col_hi - col_lo)
    if B.shape[1] == 0 or width == 0 or indices.shape[0] == 0:
        return
    # Raw pointers, taken once: the output is written through a pointer that the
    # compiler must assume may alias anything of another type, so memoryview
    # fields read inside the loop would be reloaded after every store.
    with nogil:
        _scatter_rows(indptr.shape[0] - 1, B.shape[1], &data[0], &indices[0], &indptr[0],
                      &B[0, 0], &out[0, 0], col_lo, width, True)


def matvec(const floating[::1] data, const index_t[::1] indices,
           const index_t[::1] indptr, const floating[::1] x,
           floating[::1] out, Py_ssize_t start, Py_ssize_t stop):
    """out[i] = sum_j data[j] * x[indices[j]] for rows start <= i < stop."""
    cdef Py_ssize_t i, j
    cdef Py_ssize_t lo, hi
    cdef floating s0, s1
    if data.shape[0] == 0 or x.shape[0] == 0:
        with nogil:
            for i in range(start, stop):
                out[i] = 0
        return
    cdef const floating* dp = &data[0]
    cdef const index_t* ip = &indices[0]
    cdef const index_t* pp = &indptr[0]
    cdef const floating* xp = &x[0]
    cdef floating* op = &out[0]
    with nogil:
        for i in range(start, stop):
            # Two running sums (even / odd entries of the row) halve the chain
            # of dependent additions; the order depends only on the row.
            lo = pp[i]
            hi = pp[i + 1]
            s0 = 0
            s1 = 0
            j = lo
            while j + 1 < hi:
                s0 += dp[j] * xp[ip[j]]
                s1 += dp[j + 1] * xp[ip[j + 1]]
                j += 2
            if j < hi:
                s0 += dp[j] * xp[ip[j]]
            op[i] = s0 + s1


def t_matvec(const floating[::1] data, const index_t[::1] indices,
             const index_t[::1] indptr, const floating[::1] x, floating[::1] out):
    """out[indices[j]] += data[j] * x[i] for every entry j (row i), in entry order."""
    cdef Py_ssize_t n_rows = indptr.shape[0] - 1
    cdef Py_ssize_t i, j
    cdef floating v
    if data.shape[0] == 0 or out.shape[0] == 0:
        return
    cdef const floating* dp = &data[0]
    cdef const index_t* ip = &indices[0]
    cdef const index_t* pp = &indptr[0]
    cdef const floating* xp = &x[0]
    cdef floating* op = &out[0]
    with nogil:
        for i in range(n_rows):
            v = xp[i]
            for j in range(pp[i], pp[i + 1]):
                op[ip[j]] += dp[j] * v


cdef inline void _t_matmul_unrolled(const Py_ssize_t k, Py_ssize_t n_rows,
                                    const floating* dp, const index_t* ip,
                                    const index_t* pp, const floating* Bp,
                                    floating* op) noexcept nogil:
    """``t_matmul_small`` for k = 2, 3 or 4: B's row in scalars, the scatter written out.

    The caller passes k as a literal, so in each inlined copy ``if k > 2`` / ``if k > 3``
    are decided at compile time and k * index is a shift or a constant multiply.
    """
    cdef Py_ssize_t i, j
    cdef floating v, b0, b1, b2 = 0, b3 = 0
    cdef const floating* b
    cdef floating* o
    for i in range(n_rows):
        b = Bp + k * i
        b0 = b[0]
        b1 = b[1]
        if k > 2:
            b2 = b[2]
            if k > 3:
                b3 = b[3]
        for j in range(pp[i], pp[i + 1]):
            v = dp[j]
            o = op + k * <Py_ssize_t>ip[j]
            o[0] += v * b0
            o[1] += v * b1
            if k > 2:
                o[2] += v * b2
                if k > 3:
                    o[3] += v * b3


def t_matmul_small(const floating[::1] data, const index_t[::1] indices,
                   const index_t[::1] indptr, const floating[:, ::1] B,
                   floating[:, ::1] out):
    """out[indices[j], :] += data[j] * B[i, :] for every entry j (row i), in entry order.

    The k = 2, 3, 4 cases keep B's row in registers and write each scatter
    out in full; other k use a plain axpy. Same order of additions as
    ``t_matmul_cols``, so the same bits.
    """
    cdef Py_ssize_t k = B.shape[1]
    cdef Py_ssize_t n_rows = indptr.shape[0] - 1
    if k == 0 or data.shape[0] == 0 or out.shape[0] == 0:
        return
    cdef const floating* dp = &data[0]
    cdef const index_t* ip = &indices[0]
    cdef const index_t* pp = &indptr[0]
    cdef const floating* Bp = &B[0, 0]
    cdef floating* op = &out[0, 0]
    with nogil:
        # A literal k at each call: every inlined copy is straight-line code for its k.
        if k == 4:
            _t_matmul_unrolled(4, n_rows, dp, ip, pp, Bp, op)
        elif k == 3:
            _t_matmul_unrolled(3, n_rows, dp, ip, pp, Bp, op)
        elif k == 2:
            _t_matmul_unrolled(2, n_rows, dp, ip, pp, Bp, op)
        else:
            _scatter_rows(n_rows, k, dp, ip, pp, Bp, op, 0, 0, False)


def row_sums(const floating[::1] data, const index_t[::1] indptr, floating[::1] out):
    """out[i] = sum of row i's stored values, in entry order."""
    cdef Py_ssize_t i, j
    cdef floating s
    with nogil:
        for i in range(indptr.shape[0] - 1):
            s = 0
            for j in range(indptr[i], indptr[i + 1]):
                s += data[j]
            out[i] = s


def row_sq_norms(const floating[::1] data, const index_t[::1] indptr, floating[::1] out):
    """out[i] = sum of the squares of row i's stored values, in entry order."""
    cdef Py_ssize_t i, j
    cdef floating s
    with nogil:
        for i in range(indptr.shape[0] - 1):
            s = 0
            for j in range(indptr[i], indptr[i + 1]):
                s += data[j] * data[j]
            out[i] = s
