"""Primal Newton method for the squared-hinge linear SVM (LinearSVC with dual=False).

The objective (liblinear's L2R_L2LOSS_SVC, the intercept a regularized feature)

    f(w) = 1/2 ||w||^2 + sum_i C_i max(0, 1 - y_i w.x_i)^2

is convex, piecewise quadratic and once differentiable. With the active set
I = {i : y_i w.x_i < 1},

    grad f(w) = w - 2 sum_{i in I} C_i (1 - y_i w.x_i) y_i x_i,
    H(w)      = Id + 2 sum_{i in I} C_i x_i x_i^T      (a generalized Hessian),

and the Newton direction solves H d = -grad (d + 1 unknowns: cheap for tall data).
Along d, f is a one-dimensional piecewise quadratic whose exact minimiser is found
by Newton steps on its derivative until the active set stops changing (Keerthi &
DeCoste, "A modified finite Newton method for fast solution of large scale linear
SVMs", JMLR 2005). The method terminates after finitely many iterations; it stops
when ||grad f|| <= eps ||grad f(0)|| with liblinear's eps = tol max(min(n+, n-), 1) / n.

For a sparse X (a CSRMatrix) the d x d Hessian is never formed: H d = -grad is solved
by conjugate gradient with the products H v = v + 2 X_Iᵀ (C_I X_I v) (a truncated
Newton method, as liblinear's TRON), so the cost per CG step is O(nnz).
"""

from __future__ import annotations

import numpy as np


def _line_search(w, d, o, od, y, C, max_steps: int = 50) -> float:
    """argmin_t f(w + t d) for the piecewise quadratic f (o = X w, od = X d)."""
    wd, dd = float(w @ d), float(d @ d)
    yo, yod = y * o, y * od
    c_yod, c_od2 = C * yod, C * od * od
    t = 0.0
    for _ in range(max_steps):
        m = yo + t * yod
        # f'(t) and f''(t) of the piecewise quadratic, over the samples with margin < 1
        # (plain reductions, not BLAS dots: a threaded BLAS call costs more than it
        # saves on one vector, and this loop runs many of them)
        act = m < 1
        slope = wd + t * dd - 2.0 * float(np.sum(c_yod * (1.0 - m), where=act))
        curv = dd + 2.0 * float(np.sum(c_od2, where=act))
        t_new = t - slope / curv
        if abs(t_new - t) <= 1e-12 * max(1.0, abs(t)):
            return t_new
        t = t_new
    return t


def _newton_direction_cg(Xa, c, b, rtol: float = 1e-12):
    """Solve (Id + Xaᵀ diag(c) Xa) x = b by conjugate gradient (matrix-free; SPD)."""
    x = np.zeros_like(b)
    r = b.copy()
    d = r.copy()
    rr = float(r @ r)
    stop = rtol * rtol * rr
    for _ in range(max(10 * b.size, 100)):
        if rr <= stop:
            break
        Hd = d + Xa.T @ (c * (Xa @ d))
        step = rr / float(d @ Hd)
        x += step * d
        r -= step * Hd
        rr_new = float(r @ r)
        d = r + (rr_new / rr) * d
        rr = rr_new
    return x


def linear_svc_primal_newton(X, y, C, tol: float, max_iter: int):
    """Minimise f(w) above; returns (w, n_iter). ``y`` in {+1, -1}, ``C`` per sample."""
    n, d = X.shape
    w = np.zeros(d)
    o = np.zeros(n)  # X w, kept up to date
    n_pos = int(np.sum(y > 0))
    eps = tol * max(min(n_pos, n - n_pos), 1) / n
    g0 = None
    it = 0
    for it in range(1, max_iter + 1):
        m = y * o
        act = np.flatnonzero(m < 1)
        coef = C[act] * (1.0 - m[act]) * y[act]
        grad = w - 2.0 * (X[act].T @ coef)
        gnorm = float(np.linalg.norm(grad))
        if g0 is None:
            g0 = gnorm
        if gnorm <= eps * g0:
            return w, it - 1
        if isinstance(X, np.ndarray):
            Xs = X[act] * np.sqrt(2.0 * C[act])[:, None]
            H = Xs.T @ Xs
            H[np.diag_indices(d)] += 1.0
            step = np.linalg.solve(H, -grad)
        else:
            step = _newton_direction_cg(X[act], 2.0 * C[act], -grad)
        od = X @ step
        t = _line_search(w, step, o, od, y, C)
        w = w + t * step
        o = o + t * od
    return w, it
