# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Elastic-net coordinate descent (residual and Gram forms), SGD and SAGA epochs.

NumPy references: ``scratchml.linear_model._kernels.enet_coordinate_descent_numpy`` and
``enet_coordinate_descent_gram_numpy``; the module docstring there states the problem,
the coordinate update and the duality-gap stop, which this file follows line by line.

Why it is fast without BLAS: the work is one dot product x_jᵀR and one axpy
R -= Δ x_j per coordinate, over a *contiguous* column (the caller passes Xᵀ in C
order). The axpy loop vectorizes as written under -O3 -march=native; the dot
product is ``dot8`` of _svm_common.pxd, eight independent partial sums that map onto
SIMD lanes (a single running sum is a serial chain the compiler may not reorder).
Coordinate descent is sequential by nature, so it runs on one thread.

``sgd_epoch`` / ``sgd_epoch_sparse`` (in _linear_sgd.pxi, included here) are one pass
of stochastic gradient descent (reference: ``_kernels.sgd_epoch_numpy``): per sample
one dot product, one scaled axpy, and the optional averaging and L1 truncation loops,
over dense rows of X or a CSR X's stored entries.
``saga_epoch`` (float64: logistic regression validates to float64) is one pass of SAGA
(reference: ``_kernels.saga_epoch_numpy``). Coordinate descent and SGD take fused
float32/float64.
"""

from libc.math cimport exp, fabs, log1p, pow, tanh

import numpy as np

from _svm_common cimport Csr, Dense, dot8, floating, layout


cdef inline floating _dot(Py_ssize_t n, const floating* x, const floating* y) noexcept nogil:
    """xᵀy (``dot8``, adjacent pairs)."""
    return dot8(n, x, y, False)


cdef inline void _axpy(Py_ssize_t n, floating a, const floating* x, floating* y) noexcept nogil:
    """y += a x."""
    cdef Py_ssize_t i
    for i in range(n):
        y[i] += a * x[i]


cdef inline floating _soft(floating z, floating alpha) noexcept nogil:
    """Soft thresholding S(z, α) = sign(z) max(|z| − α, 0)."""
    if z > alpha:
        return z - alpha
    if z < -alpha:
        return z + alpha
    return 0


cdef floating _gap(Py_ssize_t p, const floating* w, floating alpha, floating beta,
                   const floating* XtR, floating R_norm2, floating Ry) noexcept nogil:
    """Duality gap from XᵀR, ||R||², Rᵀy (reference: ``_kernels.duality_gap``)."""
    cdef Py_ssize_t j
    cdef floating w_l2 = 0, w_l1 = 0, dual_norm = 0, a, scale, primal, dual
    for j in range(p):
        w_l2 += w[j] * w[j]
        w_l1 += fabs(w[j])
    if alpha == 0:
        for j in range(p):
            dual_norm += XtR[j] * XtR[j]
        if beta == 0:
            return dual_norm
        return R_norm2 + 0.5 * beta * w_l2 - Ry + dual_norm / (2 * beta)
    for j in range(p):
        a = fabs(XtR[j] - beta * w[j])
        if a > dual_norm:
            dual_norm = a
    primal = 0.5 * (R_norm2 + beta * w_l2) + alpha * w_l1
    scale = alpha / dual_norm if dual_norm > alpha else 1
    dual = -0.5 * scale * scale * (R_norm2 + beta * w_l2) + scale * Ry
    return primal - dual


cdef floating _residual_gap(Py_ssize_t n, Py_ssize_t p, const floating* w, floating alpha,
                            floating beta, const floating* XT, const floating* y,
                            const floating* R, floating* XtR) noexcept nogil:
    cdef Py_ssize_t j
    for j in range(p):
        XtR[j] = _dot(n, XT + j * n, R)
    return _gap(p, w, alpha, beta, XtR, _dot(n, R, R), _dot(n, R, y))


def enet_cd(floating[::1] w, double alpha, double beta, const floating[:, ::1] XT,
            const floating[::1] y, int max_iter, double tol):
    """Residual-based cyclic coordinate descent; ``w`` is updated in place.

    Returns ``(gap, tol * ||y||², n_iter)``.
    """
    cdef Py_ssize_t p = XT.shape[0], n = XT.shape[1], j
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] R = np.array(y, dtype=dtype)
    cdef floating[::1] norms = np.empty(p, dtype=dtype)
    cdef floating[::1] XtR = np.empty(max(p, 1), dtype=dtype)
    cdef floating a = alpha, b = beta, w_j, z, w_max, d_w_max, d, gap
    cdef floating d_w_tol = tol
    cdef floating scaled_tol
    cdef int n_iter = 0, it
    if p == 0 or n == 0:
        return 0.0, 0.0, 0
    with nogil:
        scaled_tol = d_w_tol * _dot(n, &y[0], &y[0])
        for j in range(p):
            norms[j] = _dot(n, &XT[j, 0], &XT[j, 0])
            if w[j] != 0:
                _axpy(n, -w[j], &XT[j, 0], &R[0])
        gap = _residual_gap(n, p, &w[0], a, b, &XT[0, 0], &y[0], &R[0], &XtR[0])
        if gap > scaled_tol:
            for it in range(1, max_iter + 1):
                n_iter = it
                w_max = 0
                d_w_max = 0
                for j in range(p):
                    if norms[j] == 0:
                        continue
                    w_j = w[j]
                    z = _dot(n, &XT[j, 0], &R[0]) + norms[j] * w_j
                    w[j] = _soft(z, a) / (norms[j] + b)
                    d = w[j] - w_j
                    if d != 0:
                        _axpy(n, -d, &XT[j, 0], &R[0])
                    if fabs(d) > d_w_max:
                        d_w_max = fabs(d)
                    if fabs(w[j]) > w_max:
                        w_max = fabs(w[j])
                if w_max == 0 or d_w_max / w_max <= d_w_tol or it == max_iter:
                    gap = _residual_gap(n, p, &w[0], a, b, &XT[0, 0], &y[0], &R[0], &XtR[0])
                    if gap <= scaled_tol:
                        break
    return float(gap), float(scaled_tol), n_iter


def enet_cd_gram(floating[::1] w, double alpha, double beta, const floating[:, ::1] Q,
                 const floating[::1] q, double y_norm2, int max_iter, double tol):
    """Gram-based cyclic coordinate descent (Q = XᵀX, q = Xᵀy); ``w`` updated in place.

    Returns ``(gap, tol * ||y||², n_iter)``.
    """
    cdef Py_ssize_t p = Q.shape[0], j
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] H = np.zeros(max(p, 1), dtype=dtype)
    cdef floating[::1] XtR = np.empty(max(p, 1), dtype=dtype)
    cdef floating a = alpha, b = beta, yy = y_norm2, w_j, z, w_max, d_w_max, d, gap, qw
    cdef floating d_w_tol = tol
    cdef floating scaled_tol = d_w_tol * yy
    cdef int n_iter = 0, it
    if p == 0:
        return 0.0, float(scaled_tol), 0
    with nogil:
        for j in range(p):
            if w[j] != 0:
                _axpy(p, w[j], &Q[j, 0], &H[0])
        qw = _dot(p, &q[0], &w[0])
        for j in range(p):
            XtR[j] = q[j] - H[j]
        gap = _gap(p, &w[0], a, b, &XtR[0], yy + _dot(p, &w[0], &H[0]) - 2 * qw, yy - qw)
        if gap > scaled_tol:
            for it in range(1, max_iter + 1):
                n_iter = it
                w_max = 0
                d_w_max = 0
                for j in range(p):
                    if Q[j, j] == 0:
                        continue
                    w_j = w[j]
                    z = q[j] - H[j] + w_j * Q[j, j]
                    w[j] = _soft(z, a) / (Q[j, j] + b)
                    d = w[j] - w_j
                    if d != 0:
                        _axpy(p, d, &Q[j, 0], &H[0])
                    if fabs(d) > d_w_max:
                        d_w_max = fabs(d)
                    if fabs(w[j]) > w_max:
                        w_max = fabs(w[j])
                if w_max == 0 or d_w_max / w_max <= d_w_tol or it == max_iter:
                    qw = _dot(p, &q[0], &w[0])
                    for j in range(p):
                        XtR[j] = q[j] - H[j]
                    gap = _gap(p, &w[0], a, b, &XtR[0], yy + _dot(p, &w[0], &H[0]) - 2 * qw,
                               yy - qw)
                    if gap <= scaled_tol:
                        break
    return float(gap), float(scaled_tol), n_iter


include "_linear_sgd.pxi"


def saga_epoch(double[:, ::1] W, double[::1] b, double[:, ::1] g_mem,
               double[:, ::1] sum_grad, double[::1] sum_b, const double[:, ::1] X,
               const double[::1] y, const double[::1] c, const Py_ssize_t[::1] order,
               bint multinomial, double step, double l1, double l2, bint fit_intercept):
    """One SAGA epoch for the logistic loss (reference: ``_kernels.saga_epoch_numpy``).

    Per sample: K dot products for the scores, then for each class one fused pass over
    the p weights (gradient step, running-sum update and L1 proximal map together).
    """
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], K = W.shape[0], k, j, t, i
    cdef double inv_n = 1.0 / n, zmax, total, d, shrink = step * l2, thr = step * l1, w
    cdef double[::1] g = np.empty(K)
    cdef const double* x
    with nogil:
        for t in range(order.shape[0]):
            i = order[t]
            x = &X[i, 0]
            for k in range(K):
                g[k] = _dot(p, x, &W[k, 0]) + b[k]
            if not multinomial:
                g[0] = c[i] * (0.5 * (1.0 + tanh(0.5 * g[0])) - y[i])
            else:
                zmax = g[0]
                for k in range(1, K):
                    if g[k] > zmax:
                        zmax = g[k]
                total = 0.0
                for k in range(K):
                    g[k] = exp(g[k] - zmax)
                    total += g[k]
                for k in range(K):
                    g[k] = c[i] * (g[k] / total - (1.0 if k == <Py_ssize_t> y[i] else 0.0))
            for k in range(K):
                d = g[k] - g_mem[i, k]
                for j in range(p):
                    w = W[k, j] - step * (d * x[j] + sum_grad[k, j] * inv_n) - shrink * W[k, j]
                    sum_grad[k, j] += d * x[j]
                    if thr > 0:
                        if w > thr:
                            w -= thr
                        elif w < -thr:
                            w += thr
                        else:
                            w = 0.0
                    W[k, j] = w
                if fit_intercept:
                    b[k] -= step * (d + sum_b[k] * inv_n)
                sum_b[k] += d
                g_mem[i, k] = g[k]
