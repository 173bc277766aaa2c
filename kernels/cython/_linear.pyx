# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Elastic-net coordinate descent (residual and Gram forms), SGD and SAGA epochs.

NumPy references: ``scratchml.linear_model._kernels.enet_coordinate_descent_numpy`` and
``enet_coordinate_descent_gram_numpy``; the module docstring there states the problem,
the coordinate update and the duality-gap stop, which this file follows line by line.

Why it is fast without BLAS: the work is one dot product x_jᵀR and one axpy
R -= Δ x_j per coordinate, over a *contiguous* column (the caller passes Xᵀ in C
order). The axpy loop vectorizes as written under -O3 -march=native; the dot
product is written with eight independent partial sums, because a single running
sum is a serial dependency chain the compiler may not reorder (IEEE addition is not
associative), while eight sums map onto SIMD lanes and hide the add latency.
Coordinate descent is sequential by nature, so it runs on one thread.

``sgd_epoch`` is one pass of stochastic gradient descent (reference:
``_kernels.sgd_epoch_numpy``): per sample one dot product, one scaled axpy, and the
optional averaging and L1 truncation loops, all over contiguous rows of X.
``saga_epoch`` (float64: logistic regression validates to float64) is one pass of SAGA
(reference: ``_kernels.saga_epoch_numpy``). Coordinate descent and SGD take fused
float32/float64.
"""

from libc.math cimport exp, fabs, log1p, pow, tanh

cdef extern from *:
    void __builtin_prefetch(const void*) nogil

import numpy as np

ctypedef fused floating:
    float
    double


cdef inline floating _dot(Py_ssize_t n, const floating* x, const floating* y) noexcept nogil:
    """xᵀy with eight partial sums (see the module docstring)."""
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
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))


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


cdef inline void _loss(int loss, double y, double p, double c,
                       double* value, double* dloss) noexcept nogil:
    """L(y, p) and dL/dp (reference: ``_kernels.loss_and_derivative``)."""
    cdef double z = p * y, r = p - y
    if loss == 0:  # hinge
        value[0] = 1.0 - z if z < 1.0 else 0.0
        dloss[0] = -y if z <= 1.0 else 0.0
    elif loss == 1:  # log_loss
        if z > 18:
            value[0] = exp(-z)
            dloss[0] = -y * exp(-z)
        elif z < -18:
            value[0] = -z
            dloss[0] = -y
        else:
            value[0] = log1p(exp(-z))
            dloss[0] = -y / (exp(z) + 1.0)
    elif loss == 2:  # modified_huber
        if z >= 1.0:
            value[0] = 0.0
            dloss[0] = 0.0
        elif z >= -1.0:
            value[0] = (1.0 - z) * (1.0 - z)
            dloss[0] = -2.0 * (1.0 - z) * y
        else:
            value[0] = -4.0 * z
            dloss[0] = -4.0 * y
    elif loss == 3:  # perceptron
        value[0] = -z if z < 0.0 else 0.0
        dloss[0] = -y if z <= 0.0 else 0.0
    elif loss == 4:  # squared_error
        value[0] = 0.5 * r * r
        dloss[0] = r
    elif loss == 5:  # huber
        if fabs(r) <= c:
            value[0] = 0.5 * r * r
            dloss[0] = r
        else:
            value[0] = c * fabs(r) - 0.5 * c * c
            dloss[0] = c if r > 0 else -c
    else:  # epsilon_insensitive
        value[0] = fabs(r) - c if fabs(r) > c else 0.0
        dloss[0] = 1.0 if r > c else (-1.0 if r < -c else 0.0)


cdef inline floating _dot_and_sq(Py_ssize_t n, const floating* x, const floating* v,
                                 floating* x_sq) noexcept nogil:
    """xᵀv, and xᵀx into ``x_sq``, in one pass over x (four partial sums each)."""
    cdef floating a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0
    cdef Py_ssize_t i, m = n - n % 4
    for i in range(0, m, 4):
        a0 += x[i] * v[i]
        a1 += x[i + 1] * v[i + 1]
        a2 += x[i + 2] * v[i + 2]
        a3 += x[i + 3] * v[i + 3]
        b0 += x[i] * x[i]
        b1 += x[i + 1] * x[i + 1]
        b2 += x[i + 2] * x[i + 2]
        b3 += x[i + 3] * x[i + 3]
    for i in range(m, n):
        a0 += x[i] * v[i]
        b0 += x[i] * x[i]
    x_sq[0] = (b0 + b1) + (b2 + b3)
    return (a0 + a1) + (a2 + a3)


cdef inline void _materialize(Py_ssize_t p, floating* v, double* wscale,
                              double* v_sq) noexcept nogil:
    """Fold the scale into v (w = wscale · v becomes w = v)."""
    cdef Py_ssize_t j
    if wscale[0] != 1.0:
        for j in range(p):
            v[j] *= <floating> wscale[0]
        v_sq[0] *= wscale[0] * wscale[0]
        wscale[0] = 1.0


def sgd_epoch(floating[::1] w, floating[::1] avg_w, floating[::1] q,
              const floating[:, ::1] X, const double[::1] y, const double[::1] sw,
              const Py_ssize_t[::1] order, int loss, double loss_param, double alpha,
              double l1_ratio, int penalty, int schedule, double eta0, double power_t,
              double optimal_init, double t, bint fit_intercept, int average,
              double intercept, double avg_intercept, double u):
    """One SGD epoch; ``w``, ``avg_w``, ``q`` updated in place.

    Returns ``(intercept, avg_intercept, t, u, objective_sum)``.

    Unlike the reference, w is stored as wscale · v (Bottou's trick, as scikit-learn's
    WeightVector): the L2 shrinkage w ← (1 − ηαλ) w is then one multiplication of
    wscale instead of a pass over w, and ||w||² = wscale² ||v||² is kept up to date from
    xᵀv and ||x||², which the dot product computes in the same pass. Per sample this
    leaves two passes over p values (the dot product and the update).
    """
    cdef Py_ssize_t p = X.shape[1], k, i, j
    cdef double rho = 0.0, objective = 0.0, eta, pred, value, dloss, update, c
    cdef double l1norm, mix, wscale = 1.0, v_sq = 0.0, xv
    cdef floating z, x_sq
    cdef floating* v = &w[0]
    cdef const floating* x
    cdef const char* nxt
    if penalty == 2:
        rho = 1.0
    elif penalty == 3:
        rho = l1_ratio
    with nogil:
        for j in range(p):
            v_sq += v[j] * v[j]
        for k in range(order.shape[0]):
            i = order[k]
            x = &X[i, 0]
            if k + 1 < order.shape[0]:
                # Rows come in shuffled order, so each is a cache miss: request the next
                # row's cache lines now, while this row is being processed.
                nxt = <const char*> &X[order[k + 1], 0]
                for j in range(0, p * <Py_ssize_t> sizeof(floating), 64):
                    __builtin_prefetch(nxt + j)
            xv = _dot_and_sq(p, x, v, &x_sq)
            pred = wscale * xv + intercept
            if schedule == 1:
                eta = 1.0 / (alpha * (optimal_init + t - 1))
            elif schedule == 2:
                eta = eta0 / pow(t, power_t)
            else:
                eta = eta0
            _loss(loss, y[i], pred, loss_param, &value, &dloss)
            objective += value
            if penalty != 0:
                l1norm = 0.0
                if rho > 0:
                    for j in range(p):
                        l1norm += fabs(v[j])
                    l1norm *= fabs(wscale)
                objective += alpha * ((1 - rho) * 0.5 * wscale * wscale * v_sq + rho * l1norm)
            if dloss < -1e12:
                dloss = -1e12
            elif dloss > 1e12:
                dloss = 1e12
            update = -eta * dloss * sw[i]
            if penalty == 1 or penalty == 3:
                c = 1.0 - (1.0 - rho) * eta * alpha
                if c <= 0:  # shrinkage to 0: restart from v = 0
                    for j in range(p):
                        v[j] = 0
                    wscale = 1.0
                    v_sq = 0.0
                else:
                    wscale *= c
            if update != 0.0:
                c = update / wscale
                _axpy(p, <floating> c, x, v)
                v_sq += 2.0 * c * xv + c * c * x_sq
            if wscale < 1e-9:  # keep v in range
                _materialize(p, v, &wscale, &v_sq)
            if fit_intercept:
                intercept += update
            if 0 < average <= t:
                mix = 1.0 / (t - average + 1)
                for j in range(p):
                    avg_w[j] += <floating> ((wscale * v[j] - avg_w[j]) * mix)
                avg_intercept += (intercept - avg_intercept) * mix
            if penalty == 2 or penalty == 3:
                _materialize(p, v, &wscale, &v_sq)
                u += rho * eta * alpha
                for j in range(p):
                    z = v[j]
                    if v[j] > 0:
                        v[j] = <floating> max(0.0, v[j] - (u + q[j]))
                    elif v[j] < 0:
                        v[j] = <floating> min(0.0, v[j] + (u - q[j]))
                    q[j] += v[j] - z
                v_sq = 0.0
                for j in range(p):
                    v_sq += v[j] * v[j]
            t += 1
        _materialize(p, v, &wscale, &v_sq)
    return intercept, avg_intercept, t, u, objective


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


def sgd_epoch_sparse(floating[::1] w, floating[::1] avg_w, floating[::1] q,
                     const floating[::1] data, const Py_ssize_t[::1] indices,
                     const Py_ssize_t[::1] indptr, const double[::1] y,
                     const double[::1] sw, const Py_ssize_t[::1] order, int loss,
                     double loss_param, double alpha, double l1_ratio, int penalty,
                     int schedule, double eta0, double power_t, double optimal_init,
                     double t, bint fit_intercept, int average, double intercept,
                     double avg_intercept, double u):
    """``sgd_epoch`` for a CSR X given as (data, indices, indptr); same updates, same return.

    Reference: ``_kernels.sgd_epoch_sparse_numpy``. The dot product and the update loop
    run over the row's stored entries only (O(nnz_i) per sample with w = wscale · v);
    averaging and the L1 truncation still touch all p weights, as in the dense kernel.
    """
    cdef Py_ssize_t p = w.shape[0], k, i, j, e, start, end
    cdef double rho = 0.0, objective = 0.0, eta, pred, value, dloss, update, c
    cdef double l1norm, mix, wscale = 1.0, v_sq = 0.0, xv, x_sq
    cdef floating z
    cdef floating* v = &w[0]
    if penalty == 2:
        rho = 1.0
    elif penalty == 3:
        rho = l1_ratio
    with nogil:
        for j in range(p):
            v_sq += v[j] * v[j]
        for k in range(order.shape[0]):
            i = order[k]
            start = indptr[i]
            end = indptr[i + 1]
            xv = 0.0
            x_sq = 0.0
            for e in range(start, end):
                xv += data[e] * v[indices[e]]
                x_sq += data[e] * data[e]
            pred = wscale * xv + intercept
            if schedule == 1:
                eta = 1.0 / (alpha * (optimal_init + t - 1))
            elif schedule == 2:
                eta = eta0 / pow(t, power_t)
            else:
                eta = eta0
            _loss(loss, y[i], pred, loss_param, &value, &dloss)
            objective += value
            if penalty != 0:
                l1norm = 0.0
                if rho > 0:
                    for j in range(p):
                        l1norm += fabs(v[j])
                    l1norm *= fabs(wscale)
                objective += alpha * ((1 - rho) * 0.5 * wscale * wscale * v_sq + rho * l1norm)
            if dloss < -1e12:
                dloss = -1e12
            elif dloss > 1e12:
                dloss = 1e12
            update = -eta * dloss * sw[i]
            if penalty == 1 or penalty == 3:
                c = 1.0 - (1.0 - rho) * eta * alpha
                if c <= 0:  # shrinkage to 0: restart from v = 0
                    for j in range(p):
                        v[j] = 0
                    wscale = 1.0
                    v_sq = 0.0
                else:
                    wscale *= c
            if update != 0.0:
                c = update / wscale
                for e in range(start, end):
                    v[indices[e]] += <floating> (c * data[e])
                v_sq += 2.0 * c * xv + c * c * x_sq
            if wscale < 1e-9:  # keep v in range
                _materialize(p, v, &wscale, &v_sq)
            if fit_intercept:
                intercept += update
            if 0 < average <= t:
                mix = 1.0 / (t - average + 1)
                for j in range(p):
                    avg_w[j] += <floating> ((wscale * v[j] - avg_w[j]) * mix)
                avg_intercept += (intercept - avg_intercept) * mix
            if penalty == 2 or penalty == 3:
                _materialize(p, v, &wscale, &v_sq)
                u += rho * eta * alpha
                for j in range(p):
                    z = v[j]
                    if v[j] > 0:
                        v[j] = <floating> max(0.0, v[j] - (u + q[j]))
                    elif v[j] < 0:
                        v[j] = <floating> min(0.0, v[j] + (u - q[j]))
                    q[j] += v[j] - z
                v_sq = 0.0
                for j in range(p):
                    v_sq += v[j] * v[j]
            t += 1
        _materialize(p, v, &wscale, &v_sq)
    return intercept, avg_intercept, t, u, objective
