"""Dual coordinate descent for linear SVMs: the NumPy reference of ``linear_svc_cd``.

LinearSVC solves (Hsieh, Chang, Lin, Keerthi & Sundararajan, ICML 2008; liblinear's
``solve_l2r_l1l2_svc``)

    min_w  1/2 ||w||^2 + sum_i C_i loss(y_i w.x_i),
    hinge: loss(m) = max(0, 1 - m);   squared hinge: loss(m) = max(0, 1 - m)^2,

through its dual  min_a 1/2 a^T Qbar a - sum a_i,  0 <= a_i <= U_i, with
Qbar = Q + D, Q_ij = y_i y_j x_i.x_j and (hinge) D_ii = 0, U_i = C_i or
(squared hinge) D_ii = 1/(2 C_i), U_i = inf. Keeping w = sum a_i y_i x_i makes each
coordinate step O(d):

    G = y_i w.x_i - 1 + D_ii a_i,   a_i <- min(max(a_i - G / Qbar_ii, 0), U_i)
    (computed as G * (1 / Qbar_ii): no division inside the loop),
    w <- w + (a_i_new - a_i_old) y_i x_i.

Each outer pass visits the active coordinates in a random order; coordinates at a
bound whose projected gradient PG says they will stay there are shrunk (liblinear's
rule with the previous pass's PG range), and the solver stops when the range of PG
over a full pass is below ``tol`` (after a final pass on every coordinate).

The order comes from a xorshift64 generator seeded by the caller, the same in the
Cython twin, so both backends visit coordinates in the same order. Signature::

    linear_svc_cd(X, y, C, squared_hinge, tol, max_iter, seed) -> (w, alpha, n_iter)

Kernel ``linear_svc_cd_sparse`` is the same solver on a CSR X given as its arrays
(x_i.w and w += a x_i then cost O(nnz_i) instead of O(d))::

    linear_svc_cd_sparse(data, indices, indptr, d, y, C, squared_hinge, tol, max_iter,
                         seed) -> (w, alpha, n_iter)
"""

from __future__ import annotations

import numpy as np

_MASK = (1 << 64) - 1


def _xorshift(state: list[int]) -> int:
    x = state[0]
    x ^= (x << 13) & _MASK
    x ^= x >> 7
    x ^= (x << 17) & _MASK
    state[0] = x
    return x


def linear_svc_cd_numpy(X, y, C, squared_hinge, tol, max_iter, seed):
    """NumPy reference of the ``linear_svc_cd`` kernel (see the module docstring)."""
    n, d = X.shape

    def axpy(w, a, i):
        w += a * X[i]

    return _dual_cd(lambda w, i: float(w @ X[i]), axpy, np.einsum("ij,ij->i", X, X), n, d,
                    y, C, squared_hinge, tol, max_iter, seed)


def linear_svc_cd_sparse_numpy(data, indices, indptr, d, y, C, squared_hinge, tol,
                               max_iter, seed):
    """NumPy reference of ``linear_svc_cd_sparse``: the same descent on CSR rows."""
    n = len(indptr) - 1

    def row(i):
        return data[indptr[i]:indptr[i + 1]], indices[indptr[i]:indptr[i + 1]]

    def dot(w, i):
        values, cols = row(i)
        return float(values @ w[cols])

    def axpy(w, a, i):
        values, cols = row(i)
        np.add.at(w, cols, a * values)  # add.at: duplicate columns add up

    sq_norms = np.bincount(np.repeat(np.arange(n), np.diff(indptr)), weights=data * data,
                           minlength=n)
    return _dual_cd(dot, axpy, sq_norms, n, int(d), y, C, squared_hinge, tol, max_iter, seed)


def _dual_cd(dot, axpy, sq_norms, n, d, y, C, squared_hinge, tol, max_iter, seed):
    """The descent itself, reading X only through ``dot(w, i)`` and ``axpy(w, a, i)``."""
    w = np.zeros(d)
    alpha = np.zeros(n)
    diag = 0.5 / C if squared_hinge else np.zeros(n)
    upper = np.full(n, np.inf) if squared_hinge else C.astype(np.float64)
    QD = diag + sq_norms
    with np.errstate(divide="ignore"):  # QD = 0 only for an all-zero row under hinge loss
        inv_QD = 1.0 / QD
    index = np.arange(n)
    state = [int(seed) if seed else 88172645463325252]
    PGmax_old, PGmin_old = np.inf, -np.inf
    active_size, it = n, 0
    while it < max_iter:
        PGmax_new, PGmin_new = -np.inf, np.inf
        for s in range(active_size):  # Fisher-Yates shuffle of the active coordinates
            r = s + (((_xorshift(state) >> 32) * (active_size - s)) >> 32)  # Lemire's reduction
            index[s], index[r] = index[r], index[s]
        s = 0
        while s < active_size:
            i = index[s]
            G = y[i] * dot(w, i) - 1.0 + alpha[i] * diag[i]
            PG = 0.0
            if alpha[i] == 0:
                if G > PGmax_old:  # stays at 0: shrink
                    active_size -= 1
                    index[s], index[active_size] = index[active_size], index[s]
                    continue
                if G < 0:
                    PG = G
            elif alpha[i] == upper[i]:
                if G < PGmin_old:  # stays at C: shrink
                    active_size -= 1
                    index[s], index[active_size] = index[active_size], index[s]
                    continue
                if G > 0:
                    PG = G
            else:
                PG = G
            PGmax_new, PGmin_new = max(PGmax_new, PG), min(PGmin_new, PG)
            if abs(PG) > 1e-12:
                a_old = alpha[i]
                alpha[i] = min(max(alpha[i] - G * inv_QD[i], 0.0), upper[i])
                axpy(w, (alpha[i] - a_old) * y[i], i)
            s += 1
        it += 1
        if PGmax_new - PGmin_new <= tol:
            if active_size == n:
                break
            active_size, PGmax_old, PGmin_old = n, np.inf, -np.inf  # final check on all
            continue
        PGmax_old = PGmax_new if PGmax_new > 0 else np.inf
        PGmin_old = PGmin_new if PGmin_new < 0 else -np.inf
    return w, alpha, it
