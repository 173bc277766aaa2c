# Included by _linear.pyx (one module, one translation unit): stochastic gradient
# descent, one epoch per call, over dense rows (``sgd_epoch``) or CSR rows
# (``sgd_epoch_sparse``). ``_sgd`` is written once for both (``layout``, resolved at
# compile time): only xᵀv, ||x||² and the update v += c x depend on how a row is stored.

cdef extern from *:
    void __builtin_prefetch(const void*) nogil


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


cdef _sgd(layout* rows, floating[::1] w, floating[::1] avg_w, floating[::1] q,
          const floating* X, const Py_ssize_t* indices, const Py_ssize_t* indptr,
          Py_ssize_t p, const double[::1] y, const double[::1] sw,
          const Py_ssize_t[::1] order, int loss, double loss_param, double alpha,
          double l1_ratio, int penalty, int schedule, double eta0, double power_t,
          double optimal_init, double t, bint fit_intercept, int average,
          double intercept, double avg_intercept, double u):
    """One epoch (see ``sgd_epoch``); ``X`` is the dense matrix (p columns, C order)
    or the CSR ``data``."""
    cdef Py_ssize_t k, i, j, e, start = 0, end = 0
    cdef double rho = 0.0, objective = 0.0, eta, pred, value, dloss, update, c
    cdef double l1norm, mix, wscale = 1.0, v_sq = 0.0, xv, x_sq
    cdef floating z, x_sq_row
    cdef floating* v = &w[0]
    cdef const floating* x = NULL
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
            if layout is Dense:
                x = X + i * p
                if k + 1 < order.shape[0]:
                    # Rows come in shuffled order, so each is a cache miss: request the
                    # next row's cache lines now, while this row is being processed.
                    nxt = <const char*> (X + order[k + 1] * p)
                    for j in range(0, p * <Py_ssize_t> sizeof(floating), 64):
                        __builtin_prefetch(nxt + j)
                xv = _dot_and_sq(p, x, v, &x_sq_row)
                x_sq = x_sq_row
            else:
                start = indptr[i]
                end = indptr[i + 1]
                xv = 0.0
                x_sq = 0.0
                for e in range(start, end):
                    xv += X[e] * v[indices[e]]
                    x_sq += X[e] * X[e]
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
                if layout is Dense:
                    _axpy(p, <floating> c, x, v)
                else:
                    for e in range(start, end):
                        v[indices[e]] += <floating> (c * X[e])
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
    cdef Dense rows
    return _sgd(&rows, w, avg_w, q, &X[0, 0], NULL, NULL, X.shape[1], y, sw, order, loss,
                loss_param, alpha, l1_ratio, penalty, schedule, eta0, power_t, optimal_init,
                t, fit_intercept, average, intercept, avg_intercept, u)


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
    cdef Csr rows
    return _sgd(&rows, w, avg_w, q, &data[0] if data.shape[0] > 0 else NULL,
                &indices[0] if indices.shape[0] > 0 else NULL, &indptr[0], w.shape[0], y,
                sw, order, loss, loss_param, alpha, l1_ratio, penalty, schedule, eta0,
                power_t, optimal_init, t, fit_intercept, average, intercept, avg_intercept,
                u)
