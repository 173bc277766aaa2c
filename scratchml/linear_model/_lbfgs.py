"""L-BFGS with a strong-Wolfe line search, in NumPy (Nocedal & Wright, chapters 3 and 7).

L-BFGS approximates the inverse Hessian from the last m pairs
s_k = x_{k+1} − x_k, y_k = ∇f_{k+1} − ∇f_k; the two-loop recursion applies it to the
gradient in O(m n) without ever forming a matrix. Each step x + t d is chosen by a
line search that satisfies the strong Wolfe conditions

    f(x + t d) ≤ f(x) + c₁ t ∇fᵀd          (sufficient decrease)
    |∇f(x + t d)ᵀd| ≤ c₂ |∇fᵀd|              (curvature),

which guarantee s_kᵀy_k > 0, so the approximation stays positive definite.
Stopping rule (as SciPy's L-BFGS-B, which scikit-learn uses): max |∇f| ≤ gtol, or a
relative decrease of f below ftol, or max_iter iterations.
"""

from __future__ import annotations

from collections import deque

import numpy as np

_C1, _C2 = 1e-4, 0.9
_FTOL = 64 * np.finfo(float).eps  # SciPy's L-BFGS-B factr=64, as scikit-learn passes


def _cubic_min(a, fa, da, b, fb, db):
    """Minimiser of the cubic through (a, fa, da) and (b, fb, db) (N&W eq. 3.59), or None."""
    d1 = da + db - 3 * (fa - fb) / (a - b)
    disc = d1 * d1 - da * db
    if disc < 0:
        return None
    d2 = np.copysign(np.sqrt(disc), b - a)
    denom = db - da + 2 * d2
    if denom == 0:
        return None
    return b - (b - a) * (db + d2 - d1) / denom


def strong_wolfe(fg, x, f0, g0, d, step=1.0, max_ls=50):
    """Step length t satisfying the strong Wolfe conditions (N&W Algorithms 3.5 and 3.6).

    Returns (t, f(x + t d), ∇f(x + t d), evaluations); t is None when no acceptable
    step was found within ``max_ls`` evaluations.
    """
    dphi0 = g0 @ d
    prev, f_prev, dphi_prev, g_prev = 0.0, f0, dphi0, g0
    evals = 0
    for i in range(max_ls):
        f, g = fg(x + step * d)
        evals += 1
        dphi = g @ d
        if f > f0 + _C1 * step * dphi0 or (i > 0 and f >= f_prev):
            return _zoom(fg, x, d, f0, dphi0, prev, f_prev, dphi_prev, g_prev,
                         step, f, dphi, max_ls - evals, evals)
        if abs(dphi) <= -_C2 * dphi0:
            return step, f, g, evals
        if dphi >= 0:
            return _zoom(fg, x, d, f0, dphi0, step, f, dphi, g,
                         prev, f_prev, dphi_prev, max_ls - evals, evals)
        # Still descending with a steep slope: expand the bracket.
        prev, f_prev, dphi_prev, g_prev = step, f, dphi, g
        step *= 2.0
    return None, f0, g0, evals


def _zoom(fg, x, d, f0, dphi0, lo, f_lo, d_lo, g_lo, hi, f_hi, d_hi, budget, evals):
    """Shrink [lo, hi] (lo: lowest f so far satisfying sufficient decrease) to a Wolfe step."""
    for _ in range(max(budget, 1)):
        width = hi - lo
        t = _cubic_min(lo, f_lo, d_lo, hi, f_hi, d_hi)
        lower, upper = min(lo, hi), max(lo, hi)
        # Keep the trial away from the ends so the bracket shrinks geometrically.
        if t is None or not (lower + 0.1 * abs(width) <= t <= upper - 0.1 * abs(width)):
            t = lo + 0.5 * width
        f, g = fg(x + t * d)
        evals += 1
        dphi = g @ d
        if f > f0 + _C1 * t * dphi0 or f >= f_lo:
            hi, f_hi, d_hi = t, f, dphi
        else:
            if abs(dphi) <= -_C2 * dphi0:
                return t, f, g, evals
            if dphi * (hi - lo) >= 0:
                hi, f_hi, d_hi = lo, f_lo, d_lo
            lo, f_lo, d_lo, g_lo = t, f, dphi, g
        if abs(hi - lo) <= 1e-16 * max(1.0, abs(lo)):
            break
    if lo > 0 and f_lo < f0:  # no Wolfe point, but progress: take it
        return lo, f_lo, g_lo, evals
    return None, f0, None, evals


def minimize_lbfgs(fg, x0, *, max_iter=100, gtol=1e-4, ftol=_FTOL,
                   memory=10, max_ls=50):
    """Minimise f from x0; ``fg(x) -> (f, ∇f)``.

    Returns (x, f, ∇f, n_iter, converged).
    """
    x = np.array(x0, dtype=np.float64)
    f, g = fg(x)
    S, Y, rho = deque(maxlen=memory), deque(maxlen=memory), deque(maxlen=memory)
    for it in range(1, max_iter + 1):
        if np.max(np.abs(g), initial=0.0) <= gtol:
            return x, f, g, it - 1, True
        # Two-loop recursion: d = −H g with H the L-BFGS inverse-Hessian approximation.
        q = g.copy()
        alphas = []
        for s, y, r in zip(reversed(S), reversed(Y), reversed(rho)):
            a = r * (s @ q)
            q -= a * y
            alphas.append(a)
        if S:
            q *= (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1])  # initial scaling γ = sᵀy / yᵀy
        for (s, y, r), a in zip(zip(S, Y, rho), reversed(alphas)):
            q += (a - r * (y @ q)) * s
        d = -q
        if g @ d >= 0:  # not a descent direction (numerical trouble): restart
            S.clear(), Y.clear(), rho.clear()
            d = -g
        # First step (empty memory) of length 1 along −g/||g||, as L-BFGS-B does.
        step = 1.0 if S else min(1.0, 1.0 / max(float(np.sqrt(d @ d)), 1e-300))
        t, f_new, g_new, _ = strong_wolfe(fg, x, f, g, d, step, max_ls)
        if t is None:
            if S:  # retry once along the steepest descent with a fresh memory
                S.clear(), Y.clear(), rho.clear()
                continue
            return x, f, g, it, False
        s = t * d
        y = g_new - g
        sy = s @ y
        if sy > np.finfo(float).eps * (y @ y):
            S.append(s), Y.append(y), rho.append(1.0 / sy)
        x = x + s
        decrease = (f - f_new) / max(abs(f), abs(f_new), 1.0)
        f, g = f_new, g_new
        if decrease <= ftol:
            return x, f, g, it, True
    converged = bool(np.max(np.abs(g), initial=0.0) <= gtol)
    return x, f, g, max_iter, converged
