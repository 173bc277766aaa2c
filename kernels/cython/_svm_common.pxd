"""Inline helpers shared by the SVM and linear-model kernels.

* ``floating``: float32 or float64, for the kernels that take both.
* ``Dense`` / ``Csr`` and the fused ``layout``: a solver written once over "row i of
  X" takes a ``layout*`` tag; ``if layout is Dense:`` is resolved at compile time,
  so each specialization is the loop it replaces, with no test per sample. The
  tags carry no data (the caller passes X's pointers beside them).
* ``dot8`` / ``dot_product``: xᵀy with eight partial sums.
"""

ctypedef fused floating:
    float
    double

cdef struct Dense:
    char unused

cdef struct Csr:
    char unused

ctypedef fused layout:
    Dense
    Csr


cdef inline floating dot8(Py_ssize_t n, const floating* x, const floating* y,
                          bint interleave) noexcept nogil:
    """xᵀy with eight partial sums s_k = Σ_{i ≡ k (mod 8)} x_i y_i.

    One running sum is a serial chain the compiler may not reorder (IEEE addition is
    not associative); eight independent sums map onto SIMD lanes and hide the add
    latency. They are combined as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)),
    or with ``interleave`` as ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7)):
    the two orders differ in the last bits, and each kernel keeps its own so that
    its results stay reproducible.
    """
    cdef floating s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0
    cdef Py_ssize_t i, m = n - n % 8
    for i in range(0, m, 8):
        s0 += x[i] * y[i]
        s1 += x[i + 1] * y[i + 1]
        s2 += x[i + 2] * y[i + 2]
        s3 += x[i + 3] * y[i + 3]
        s4 += x[i + 4] * y[i + 4]
        s5 += x[i + 5] * y[i + 5]
        s6 += x[i + 6] * y[i + 6]
        s7 += x[i + 7] * y[i + 7]
    for i in range(m, n):
        s0 += x[i] * y[i]
    if interleave:
        return ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))


cdef inline double dot_product(const double* u, const double* v, Py_ssize_t d) noexcept nogil:
    """u.v for the SVM kernels (``dot8``, interleaved order)."""
    return dot8(d, u, v, True)
