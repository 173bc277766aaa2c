# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""SMO for the SVM dual (libsvm's Solver); LinearSVC's descent is in _svm_linear.pyx.

NumPy reference: ``scratchml.svm._smo.smo_solve_numpy`` (read it first: this file
follows it statement by statement).

Why this is fast: the whole SMO loop runs without the GIL on raw pointers. Per
iteration it scans the active variables twice (working-set selection), fetches two
kernel columns from the LRU cache (a miss computes one column, O(n_active d)) and
updates the gradient of the active variables. Kernel columns live in sample space
(length n_samples, float32 like libsvm's Qfloat), so SVR's two variables per sample
share one column; Q_ts = y_t y_s K is formed on the fly.

Invariants: ``active[0:n_active]`` is increasing (the reference's order); a cached
column with phase == -1 holds every sample, one with phase == ``phase`` holds at
least the samples of the currently active variables. Kernel values and the column
cache are in _svm_cache.pxi, included below (same module, same translation unit).
"""

import numpy as np

from libc.math cimport exp, pow, tanh, INFINITY

from _svm_common cimport dot_product

cdef double TAU = 1e-12


cdef struct Smo:
    # the problem
    const double* X
    const double* Xt       # X transposed (d x n): full columns stream it along samples
    double* work           # n doubles: dot products of one full column
    double* x_sq
    Py_ssize_t n, d, l
    int kind, degree
    double gamma, coef0, tol
    const Py_ssize_t* idx
    bint ident             # idx[t] == t for every t (SVC, OneClassSVM): no indirection
    const double* y
    const double* p
    const double* C
    double* QD
    # the state
    double* alpha
    double* G
    double* G_bar
    Py_ssize_t* active
    Py_ssize_t n_active
    int phase
    bint unshrink
    # the cache
    float* cdata
    Py_ssize_t n_slots, used
    Py_ssize_t* slot_of
    Py_ssize_t* col_of
    long long* stamp
    int* cphase
    long long clock


include "_svm_cache.pxi"


cdef inline bint is_upper(Smo* S, Py_ssize_t t) noexcept nogil:
    return S.alpha[t] >= S.C[t]


cdef inline bint is_lower(Smo* S, Py_ssize_t t) noexcept nogil:
    return S.alpha[t] <= 0


cdef int select_working_set(Smo* S, Py_ssize_t* out_i, Py_ssize_t* out_j) noexcept nogil:
    """WSS3; returns 1 when m - M < tol (optimal), 0 with the pair in out_i/out_j."""
    # Local copies of the struct's pointers: the compiler cannot prove that the loops'
    # reads do not alias the struct, and would reload every pointer at every step.
    cdef const double* y = S.y
    cdef const double* G = S.G
    cdef const double* alpha = S.alpha
    cdef const double* C = S.C
    cdef const double* QD = S.QD
    cdef const Py_ssize_t* active = S.active
    cdef const Py_ssize_t* idx = S.idx
    cdef bint everything = S.n_active == S.l  # then active[k] == k
    cdef bint ident = S.ident
    cdef double Gmax = -INFINITY, Gmax2 = -INFINITY, obj_min = INFINITY
    cdef double yt, Gt, v, grad_diff, quad, obj, QD_i
    cdef Py_ssize_t k, t, i = -1, j = -1
    cdef float* K_i
    cdef bint up, low
    for k in range(S.n_active):
        t = k if everything else active[k]
        yt = y[t]
        up = (alpha[t] < C[t]) if yt > 0 else (alpha[t] > 0)
        if up:
            v = -yt * G[t]
            if v >= Gmax:
                Gmax = v
                i = t
    if i < 0:
        return 1
    K_i = get_col(S, idx[i], False, -1)
    QD_i = QD[i]
    for k in range(S.n_active):
        t = k if everything else active[k]
        yt = y[t]
        low = (alpha[t] > 0) if yt > 0 else (alpha[t] < C[t])
        if low:
            Gt = yt * G[t]
            if Gt >= Gmax2:
                Gmax2 = Gt
            grad_diff = Gmax + Gt
            if grad_diff > 0:
                quad = QD_i + QD[t] - 2.0 * <double>K_i[t if ident else idx[t]]
                if quad <= 0:
                    quad = TAU
                obj = -(grad_diff * grad_diff) / quad
                if obj <= obj_min:
                    obj_min = obj
                    j = t
    if Gmax + Gmax2 < S.tol or j < 0:
        return 1
    out_i[0] = i
    out_j[0] = j
    return 0


cdef void update_G_bar(Smo* S, Py_ssize_t t, double scale) noexcept nogil:
    cdef float* K_t = get_col(S, S.idx[t], True, -1)
    cdef Py_ssize_t s
    cdef double yt = S.y[t]
    for s in range(S.l):
        S.G_bar[s] += scale * (yt * S.y[s] * <double>K_t[S.idx[s]])


cdef void update_active(Smo* S, const float* K_i, const float* K_j, double yi, double yj,
                        double d_i, double d_j) noexcept nogil:
    cdef Py_ssize_t k, t, b
    cdef double ys
    for k in range(S.n_active):
        t = S.active[k]
        b = S.idx[t]
        ys = S.y[t]
        S.G[t] += (ys * yi * <double>K_i[b]) * d_i + (ys * yj * <double>K_j[b]) * d_j


cdef void update_pair(Smo* S, Py_ssize_t i, Py_ssize_t j) noexcept nogil:
    cdef float* K_i = get_col(S, S.idx[i], False, -1)
    cdef float* K_j = get_col(S, S.idx[j], False, slot_of_variable(S, i))
    cdef double* alpha = S.alpha
    cdef double* G = S.G
    cdef double C_i = S.C[i], C_j = S.C[j], yi = S.y[i], yj = S.y[j]
    cdef double Q_ij = yi * yj * <double>K_i[S.idx[j]]
    cdef double old_i = alpha[i], old_j = alpha[j], quad, delta, diff, total, d_i, d_j, ys
    cdef Py_ssize_t t
    if yi != yj:
        quad = S.QD[i] + S.QD[j] + 2.0 * Q_ij
        delta = (-G[i] - G[j]) / (quad if quad > 0 else TAU)
        diff = alpha[i] - alpha[j]
        alpha[i] += delta
        alpha[j] += delta
        if diff > 0:
            if alpha[j] < 0:
                alpha[j] = 0.0
                alpha[i] = diff
        elif alpha[i] < 0:
            alpha[i] = 0.0
            alpha[j] = -diff
        if diff > C_i - C_j:
            if alpha[i] > C_i:
                alpha[i] = C_i
                alpha[j] = C_i - diff
        elif alpha[j] > C_j:
            alpha[j] = C_j
            alpha[i] = C_j + diff
    else:
        quad = S.QD[i] + S.QD[j] - 2.0 * Q_ij
        delta = (G[i] - G[j]) / (quad if quad > 0 else TAU)
        total = alpha[i] + alpha[j]
        alpha[i] -= delta
        alpha[j] += delta
        if total > C_i:
            if alpha[i] > C_i:
                alpha[i] = C_i
                alpha[j] = total - C_i
        elif alpha[j] < 0:
            alpha[j] = 0.0
            alpha[i] = total
        if total > C_j:
            if alpha[j] > C_j:
                alpha[j] = C_j
                alpha[i] = total - C_j
        elif alpha[i] < 0:
            alpha[i] = 0.0
            alpha[j] = total
    d_i = alpha[i] - old_i
    d_j = alpha[j] - old_j
    # Q_ti d_i + Q_tj d_j with the signs y_t y_i folded into the step sizes.
    if S.ident and S.n_active == S.l:
        # nothing shrunk and variable t is sample t: a contiguous loop that vectorizes
        for t in range(S.l):
            ys = S.y[t]
            G[t] += (ys * yi * <double>K_i[t]) * d_i + (ys * yj * <double>K_j[t]) * d_j
    else:
        update_active(S, K_i, K_j, yi, yj, d_i, d_j)
    if (old_i >= C_i) != is_upper(S, i):
        update_G_bar(S, i, -C_i if old_i >= C_i else C_i)
    if (old_j >= C_j) != is_upper(S, j):
        update_G_bar(S, j, -C_j if old_j >= C_j else C_j)


cdef void reconstruct_gradient(Smo* S, char* mark) noexcept nogil:
    cdef Py_ssize_t k, t, s
    cdef float* K_t
    cdef double coef
    if S.n_active == S.l:
        return
    for t in range(S.l):
        mark[t] = 0
    for k in range(S.n_active):
        mark[S.active[k]] = 1
    for t in range(S.l):
        if not mark[t]:
            S.G[t] = S.G_bar[t] + S.p[t]
    for k in range(S.n_active):
        t = S.active[k]
        if not is_upper(S, t) and not is_lower(S, t):
            K_t = get_col(S, S.idx[t], True, -1)
            coef = S.alpha[t]
            for s in range(S.l):
                if not mark[s]:
                    S.G[s] += coef * (S.y[t] * S.y[s] * <double>K_t[S.idx[s]])
    for t in range(S.l):
        S.active[t] = t
    S.n_active = S.l
    S.phase += 1


cdef void do_shrinking(Smo* S, char* mark) noexcept nogil:
    cdef double Gmax1 = -INFINITY, Gmax2 = -INFINITY, yt, Gt
    cdef Py_ssize_t k, t, m
    cdef bint shrunk, up
    for k in range(S.n_active):
        t = S.active[k]
        yt = S.y[t]
        if (not is_upper(S, t)) if yt > 0 else (not is_lower(S, t)):
            if -yt * S.G[t] > Gmax1:
                Gmax1 = -yt * S.G[t]
        if (not is_lower(S, t)) if yt > 0 else (not is_upper(S, t)):
            if yt * S.G[t] > Gmax2:
                Gmax2 = yt * S.G[t]
    if not S.unshrink and Gmax1 + Gmax2 <= S.tol * 10:
        S.unshrink = True
        reconstruct_gradient(S, mark)
    m = 0
    for k in range(S.n_active):
        t = S.active[k]
        yt = S.y[t]
        Gt = S.G[t]
        up = is_upper(S, t)
        if up:
            shrunk = -Gt > (Gmax1 if yt > 0 else Gmax2)
        elif is_lower(S, t):
            shrunk = Gt > (Gmax2 if yt > 0 else Gmax1)
        else:
            shrunk = False
        if not shrunk:
            S.active[m] = t
            m += 1
    S.n_active = m


cdef double calculate_rho(Smo* S) noexcept nogil:
    cdef double ub = INFINITY, lb = -INFINITY, sum_free = 0.0, yG
    cdef Py_ssize_t t, n_free = 0
    for t in range(S.l):
        yG = S.y[t] * S.G[t]
        if is_upper(S, t):
            if S.y[t] < 0:
                ub = min(ub, yG)
            else:
                lb = max(lb, yG)
        elif is_lower(S, t):
            if S.y[t] > 0:
                ub = min(ub, yG)
            else:
                lb = max(lb, yG)
        else:
            n_free += 1
            sum_free += yG
    if n_free > 0:
        return sum_free / n_free
    return (ub + lb) / 2


cdef long long solve(Smo* S, long long max_iter, bint shrinking, int* status,
                     char* mark) noexcept nogil:
    cdef Py_ssize_t t, s, i = 0, j = 0
    cdef long long n_iter = 0, counter
    cdef float* K_t
    cdef double a
    for t in range(S.l):
        S.G[t] = S.p[t]
        S.G_bar[t] = 0.0
    for t in range(S.l):
        if not is_lower(S, t):
            K_t = get_col(S, S.idx[t], True, -1)
            a = S.alpha[t]
            for s in range(S.l):
                S.G[s] += a * (S.y[t] * S.y[s] * <double>K_t[S.idx[s]])
            if is_upper(S, t):
                for s in range(S.l):
                    S.G_bar[s] += S.C[t] * (S.y[t] * S.y[s] * <double>K_t[S.idx[s]])
    counter = min(S.l, 1000) + 1
    status[0] = 0
    while True:
        if n_iter >= max_iter:
            status[0] = 1
            break
        counter -= 1
        if counter == 0:
            counter = min(S.l, 1000)
            if shrinking:
                do_shrinking(S, mark)
        if select_working_set(S, &i, &j) != 0:
            reconstruct_gradient(S, mark)
            if select_working_set(S, &i, &j) != 0:
                break
            counter = 1
        n_iter += 1
        update_pair(S, i, j)
    reconstruct_gradient(S, mark)
    return n_iter


def smo_solve(const double[:, ::1] X, int kernel, double gamma, double coef0, int degree,
              const Py_ssize_t[::1] idx, const double[::1] y, const double[::1] p,
              const double[::1] C, alpha0, double tol, double cache_size, bint shrinking,
              long long max_iter):
    """Cython twin of ``smo_solve_numpy``: same arguments, same results."""
    from scratchml.svm._kernel_fn import kernel_diagonal
    from scratchml.svm._smo import iteration_limit

    cdef Py_ssize_t n = X.shape[0], l = y.shape[0]
    cdef double[::1] alpha = np.array(alpha0, dtype=np.float64, copy=True)
    cdef double[::1] G = np.empty(l)
    cdef double[::1] G_bar = np.empty(l)
    cdef double[::1] QD = np.ascontiguousarray(
        kernel_diagonal(kernel, np.asarray(X), gamma, coef0, degree)[np.asarray(idx)])
    cdef double[::1] x_sq = (np.einsum("ij,ij->i", X, X) if kernel != 4 else np.zeros(n))
    cdef Py_ssize_t[::1] active = np.arange(l, dtype=np.intp)
    cdef char[::1] mark = np.zeros(l, dtype=np.int8)
    cdef double[:, ::1] Xt = np.ascontiguousarray(np.asarray(X).T) if kernel != 4 else X
    cdef double[::1] work = np.empty(n)
    cdef Smo S
    cdef int status = 0
    cdef long long n_iter, limit = iteration_limit(max_iter, l)
    cdef double rho = 0.0
    cdef Py_ssize_t n_slots = max(2, int(cache_size * 2**20) // (4 * n))
    if n_slots > n:
        n_slots = n
    if n_slots < 2:
        n_slots = 2
    S.X = &X[0, 0]
    S.Xt = &Xt[0, 0]
    S.work = &work[0]
    S.x_sq = &x_sq[0]
    S.n = n
    S.d = X.shape[1]
    S.l = l
    S.kind = kernel
    S.degree = degree
    S.gamma = gamma
    S.coef0 = coef0
    S.tol = tol
    S.idx = &idx[0]
    S.ident = l == n and bool(np.array_equal(np.asarray(idx), np.arange(n)))
    S.y = &y[0]
    S.p = &p[0]
    S.C = &C[0]
    S.QD = &QD[0]
    S.alpha = &alpha[0]
    S.G = &G[0]
    S.G_bar = &G_bar[0]
    S.active = &active[0]
    S.n_active = l
    S.phase = 0
    S.unshrink = False
    if open_cache(&S, n_slots) != 0:
        raise MemoryError(f"could not allocate the kernel cache ({n_slots} columns of {n})")
    try:
        with nogil:
            n_iter = solve(&S, limit, shrinking, &status, &mark[0])
            rho = calculate_rho(&S)
    finally:
        close_cache(&S)
    return np.asarray(alpha), float(rho), int(n_iter), int(status)
