# Included by _svm.pyx (one module, one translation unit): kernel values and the LRU
# cache of kernel columns that the SMO solver reads through ``get_col``.
#
# A column is K(x_s, .) over samples, stored as float32 (libsvm's Qfloat). On a miss,
# a column needed for every sample (``full``, or nothing is shrunk) is computed whole
# by ``full_column``; otherwise only the rows of the active variables are filled and
# the slot is tagged with the current shrinking phase (see the invariants in _svm.pyx).

from libc.stdlib cimport calloc, free, malloc


cdef inline double kval(Smo* S, Py_ssize_t a, Py_ssize_t b) noexcept nogil:
    cdef double dot
    if S.kind == 4:
        return S.X[a * S.n + b]
    dot = dot_product(S.X + a * S.d, S.X + b * S.d, S.d)
    if S.kind == 0:
        return dot
    if S.kind == 1:
        return pow(S.gamma * dot + S.coef0, S.degree)
    if S.kind == 2:
        return exp(-S.gamma * (S.x_sq[a] + S.x_sq[b] - 2.0 * dot))
    return tanh(S.gamma * dot + S.coef0)


cdef void full_column(Smo* S, Py_ssize_t a, float* out) noexcept nogil:
    """K(x_a, x_b) for every sample b. The dot products accumulate feature by feature
    over the transposed data, a loop over contiguous samples that the compiler turns
    into SIMD multiply-adds (no reduction inside the inner loop)."""
    cdef Py_ssize_t b, f, n = S.n
    cdef double* acc = S.work
    cdef const double* xa = S.X + a * S.d
    cdef const double* col
    cdef double xf, dot
    for b in range(n):
        acc[b] = 0.0
    for f in range(S.d):
        xf = xa[f]
        col = S.Xt + f * n
        for b in range(n):
            acc[b] += xf * col[b]
    for b in range(n):
        dot = acc[b]
        if S.kind == 0:
            out[b] = <float>dot
        elif S.kind == 1:
            out[b] = <float>pow(S.gamma * dot + S.coef0, S.degree)
        elif S.kind == 2:
            out[b] = <float>exp(-S.gamma * (S.x_sq[a] + S.x_sq[b] - 2.0 * dot))
        else:
            out[b] = <float>tanh(S.gamma * dot + S.coef0)


cdef float* get_col(Smo* S, Py_ssize_t s, bint full, Py_ssize_t keep) noexcept nogil:
    """Column K(x_s, .) from the cache, computing it on a miss; never evicts slot ``keep``."""
    cdef Py_ssize_t slot = S.slot_of[s], k, b, best
    cdef float* out
    cdef long long oldest
    if slot >= 0:
        if S.cphase[slot] == -1 or (not full and S.cphase[slot] == S.phase):
            S.clock += 1
            S.stamp[slot] = S.clock
            return S.cdata + slot * S.n
    else:
        if S.used < S.n_slots:
            slot = S.used
            S.used += 1
        else:
            best = -1
            oldest = 0
            for k in range(S.n_slots):
                if k != keep and (best < 0 or S.stamp[k] < oldest):
                    best = k
                    oldest = S.stamp[k]
            slot = best
            S.slot_of[S.col_of[slot]] = -1
        S.slot_of[s] = slot
        S.col_of[slot] = s
    out = S.cdata + slot * S.n
    if full or S.n_active == S.l:
        if S.kind == 4:
            for b in range(S.n):
                out[b] = <float>S.X[s * S.n + b]
        else:
            full_column(S, s, out)
        S.cphase[slot] = -1
    else:
        for k in range(S.n_active):
            b = S.idx[S.active[k]]
            out[b] = <float>kval(S, s, b)
        S.cphase[slot] = S.phase
    S.clock += 1
    S.stamp[slot] = S.clock
    return out


cdef inline Py_ssize_t slot_of_variable(Smo* S, Py_ssize_t t) noexcept nogil:
    return S.slot_of[S.idx[t]]


cdef int open_cache(Smo* S, Py_ssize_t n_slots) noexcept nogil:
    """Allocate ``n_slots`` columns of n floats, no sample cached; -1 if memory is short."""
    cdef Py_ssize_t t
    S.n_slots = n_slots
    S.used = 0
    S.clock = 0
    S.cdata = <float*>malloc(n_slots * S.n * sizeof(float))
    S.slot_of = <Py_ssize_t*>malloc(S.n * sizeof(Py_ssize_t))
    S.col_of = <Py_ssize_t*>malloc(n_slots * sizeof(Py_ssize_t))
    S.stamp = <long long*>calloc(n_slots, sizeof(long long))
    S.cphase = <int*>calloc(n_slots, sizeof(int))
    if (S.cdata == NULL or S.slot_of == NULL or S.col_of == NULL or S.stamp == NULL
            or S.cphase == NULL):
        close_cache(S)
        return -1
    for t in range(S.n):
        S.slot_of[t] = -1
    return 0


cdef void close_cache(Smo* S) noexcept nogil:
    free(S.cdata)
    free(S.slot_of)
    free(S.col_of)
    free(S.stamp)
    free(S.cphase)
