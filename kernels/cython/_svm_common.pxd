"""Small inline helpers shared by the SVM kernels (_svm.pyx, _svm_linear.pyx)."""


cdef inline double dot_product(const double* u, const double* v, Py_ssize_t d) noexcept nogil:
    """u.v with eight independent partial sums: no loop-carried dependency on one
    accumulator, so the multiply-adds pipeline (and the compiler can use SIMD)."""
    cdef double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0
    cdef Py_ssize_t f = 0
    while f + 8 <= d:
        s0 += u[f] * v[f]
        s1 += u[f + 1] * v[f + 1]
        s2 += u[f + 2] * v[f + 2]
        s3 += u[f + 3] * v[f + 3]
        s4 += u[f + 4] * v[f + 4]
        s5 += u[f + 5] * v[f + 5]
        s6 += u[f + 6] * v[f + 6]
        s7 += u[f + 7] * v[f + 7]
        f += 8
    while f < d:
        s0 += u[f] * v[f]
        f += 1
    return ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))
