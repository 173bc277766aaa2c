# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Dual coordinate descent for LinearSVC (Hsieh et al. 2008, liblinear's solver).

NumPy references: ``scratchml.svm._liblinear.linear_svc_cd_numpy`` and
``linear_svc_cd_sparse_numpy``; ``_descent`` follows them statement by statement,
without the GIL, on raw pointers. It is written once for a dense X and a CSR X
(``layout``, resolved at compile time): only x_i.w, ||x_i||² and the update
w += step x_i depend on how row i is stored.
"""

import numpy as np

from libc.math cimport INFINITY

from _svm_common cimport Csr, Dense, dot_product, layout

cdef inline unsigned long long xorshift(unsigned long long* state) noexcept nogil:
    cdef unsigned long long x = state[0]
    x ^= x << 13
    x ^= x >> 7
    x ^= x << 17
    state[0] = x
    return x


cdef inline void swap(Py_ssize_t* index, Py_ssize_t s, Py_ssize_t r) noexcept nogil:
    cdef Py_ssize_t tmp = index[s]
    index[s] = index[r]
    index[r] = tmp


cdef _descent(layout* rows, const double* X, const Py_ssize_t* indices,
              const Py_ssize_t* indptr, Py_ssize_t n, Py_ssize_t d, const double[::1] y,
              const double[::1] C, bint squared_hinge, double tol, long long max_iter,
              unsigned long long seed):
    """The solver; ``X`` is the dense matrix (n x d, C order) or the CSR ``data``."""
    cdef Py_ssize_t i, s, r, f, e, active_size
    cdef double[::1] w = np.zeros(d)
    cdef double[::1] alpha = np.zeros(n)
    cdef double[::1] QD = np.empty(n)
    cdef double[::1] inv_QD = np.empty(n)
    cdef double[::1] diag = np.empty(n)
    cdef double[::1] upper = np.empty(n)
    cdef Py_ssize_t[::1] index = np.arange(n, dtype=np.intp)
    cdef unsigned long long state = seed if seed != 0 else 88172645463325252ULL
    cdef double PGmax_old = INFINITY, PGmin_old = -INFINITY, PGmax_new, PGmin_new
    cdef double G, PG, yi, a_old, step
    cdef const double* xi
    cdef double* wp = &w[0] if d > 0 else NULL
    cdef long long it = 0
    for i in range(n):
        diag[i] = 0.5 / C[i] if squared_hinge else 0.0
        upper[i] = INFINITY if squared_hinge else C[i]
        QD[i] = diag[i]
        if layout is Dense:
            for f in range(d):
                QD[i] += X[i * d + f] * X[i * d + f]
        else:
            for e in range(indptr[i], indptr[i + 1]):
                QD[i] += X[e] * X[e]
        # a multiplication instead of a division on the loop-carried dependency chain
        inv_QD[i] = 1.0 / QD[i] if QD[i] > 0 else INFINITY
    active_size = n
    with nogil:
        while it < max_iter:
            PGmax_new = -INFINITY
            PGmin_new = INFINITY
            for s in range(active_size):
                # Lemire's multiply-shift maps 32 random bits to [0, active - s)
                # without a (slow) 64-bit division.
                r = s + <Py_ssize_t>(((xorshift(&state) >> 32)
                                      * <unsigned long long>(active_size - s)) >> 32)
                swap(&index[0], s, r)
            s = 0
            while s < active_size:
                i = index[s]
                yi = y[i]
                if layout is Dense:
                    xi = X + i * d
                    G = dot_product(wp, xi, d)
                else:
                    G = 0.0
                    for e in range(indptr[i], indptr[i + 1]):
                        G += X[e] * wp[indices[e]]
                G = yi * G - 1.0 + alpha[i] * diag[i]
                PG = 0.0
                if alpha[i] == 0:
                    if G > PGmax_old:
                        active_size -= 1
                        swap(&index[0], s, active_size)
                        continue
                    elif G < 0:
                        PG = G
                elif alpha[i] == upper[i]:
                    if G < PGmin_old:
                        active_size -= 1
                        swap(&index[0], s, active_size)
                        continue
                    elif G > 0:
                        PG = G
                else:
                    PG = G
                PGmax_new = max(PGmax_new, PG)
                PGmin_new = min(PGmin_new, PG)
                if PG > 1e-12 or PG < -1e-12:
                    a_old = alpha[i]
                    alpha[i] = min(max(alpha[i] - G * inv_QD[i], 0.0), upper[i])
                    step = (alpha[i] - a_old) * yi
                    if layout is Dense:
                        for f in range(d):
                            wp[f] += step * xi[f]
                    else:
                        for e in range(indptr[i], indptr[i + 1]):
                            wp[indices[e]] += step * X[e]
                s += 1
            it += 1
            if PGmax_new - PGmin_new <= tol:
                if active_size == n:
                    break
                active_size = n
                PGmax_old = INFINITY
                PGmin_old = -INFINITY
                continue
            PGmax_old = PGmax_new
            PGmin_old = PGmin_new
            if PGmax_old <= 0:
                PGmax_old = INFINITY
            if PGmin_old >= 0:
                PGmin_old = -INFINITY
    return np.asarray(w), np.asarray(alpha), int(it)


def linear_svc_cd(const double[:, ::1] X, const double[::1] y, const double[::1] C,
                  bint squared_hinge, double tol, long long max_iter,
                  unsigned long long seed):
    """Cython twin of ``linear_svc_cd_numpy``: same arguments, same results."""
    cdef Dense rows
    return _descent(&rows, &X[0, 0], NULL, NULL, X.shape[0], X.shape[1], y, C,
                    squared_hinge, tol, max_iter, seed)


def linear_svc_cd_sparse(const double[::1] data, const Py_ssize_t[::1] indices,
                         const Py_ssize_t[::1] indptr, Py_ssize_t d, const double[::1] y,
                         const double[::1] C, bint squared_hinge, double tol,
                         long long max_iter, unsigned long long seed):
    """Cython twin of ``linear_svc_cd_sparse_numpy``: ``linear_svc_cd`` over CSR rows.

    Same shuffles, shrinking and stopping rule; x_i.w and the update of w loop over
    the row's stored entries only.
    """
    cdef Csr rows
    return _descent(&rows, &data[0] if data.shape[0] > 0 else NULL,
                    &indices[0] if indices.shape[0] > 0 else NULL, &indptr[0],
                    indptr.shape[0] - 1, d, y, C, squared_hinge, tol, max_iter, seed)
