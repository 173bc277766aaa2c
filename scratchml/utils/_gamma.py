"""Gamma-family special functions, in NumPy only (no SciPy).

lnΓ and ψ (digamma), the regularized incomplete gamma functions P(a, x) and
Q(a, x) (the chi² tail is Q(k/2, q/2)), and the vectorized modified-Lentz driver
that evaluates their continued fraction and the incomplete beta's in
:mod:`scratchml.utils._special` (which re-exports the public functions here).
Method and precision are described there (Numerical Recipes, 3rd ed., §6.1-6.2).
"""

from __future__ import annotations

import math

import numpy as np

_EPS = np.finfo(np.float64).eps
_TINY = 1e-300  # keeps Lentz's iterates away from 0 (NR's FPMIN)
_LN_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_STIRLING_MIN = 10.0  # Stirling's series below is accurate to < 1e-16 from here on


def _lgamma_scalar(v: float) -> float:
    try:
        return math.lgamma(v)
    except ValueError:  # poles at 0, -1, -2, ...
        return math.inf


_lgamma_vec = np.vectorize(_lgamma_scalar, otypes=[np.float64])


def gammaln(x) -> np.ndarray:
    """Natural log of |Γ(x)|, element-wise (``math.lgamma`` vectorized).

    Examples
    --------
    >>> round(float(gammaln(5.0)), 12)  # log(4!)
    3.178053830348
    """
    x = np.asarray(x, dtype=np.float64)
    return _lgamma_vec(x) if x.size else np.empty_like(x)


def _stirling_correction(z: np.ndarray) -> np.ndarray:
    """w(z) = lnΓ(z) − [(z − ½) ln z − z + ½ ln 2π], by its asymptotic series (z ≥ 10).

    The coefficients are B_{2n} / (2n (2n − 1)); the first omitted term is below
    3e-17 at z = 10.
    """
    iz = 1.0 / z
    iz2 = iz * iz
    return iz * (1 / 12 + iz2 * (-1 / 360 + iz2 * (1 / 1260 + iz2 * (-1 / 1680 + iz2 * (
        1 / 1188 + iz2 * (-691 / 360360 + iz2 * (1 / 156)))))))


def digamma(x) -> np.ndarray:
    """ψ(x) = d lnΓ(x) / dx for x > 0 (NaN elsewhere), element-wise.

    The recurrence ψ(x) = ψ(x + 1) − 1/x lifts x above 10, where the asymptotic
    series ψ(x) = ln x − 1/(2x) − Σ B_{2n} / (2n x^{2n}) is accurate to 1e-16.

    Examples
    --------
    >>> round(float(digamma(1.0)), 12)  # minus the Euler–Mascheroni constant
    -0.577215664902
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    ok = x > 0
    z = x[ok].copy()
    shift = np.zeros_like(z)
    small = z < _STIRLING_MIN
    while small.any():
        shift[small] += 1.0 / z[small]
        z[small] += 1.0
        small = z < _STIRLING_MIN
    iz2 = 1.0 / (z * z)
    series = iz2 * (1 / 12 - iz2 * (1 / 120 - iz2 * (1 / 252 - iz2 * (1 / 240 - iz2 * (
        1 / 132 - iz2 * (691 / 32760 - iz2 / 12))))))
    out[ok] = np.log(z) - 0.5 / z - series - shift
    return out


# -- continued fractions --------------------------------------------------------------


def _lentz_loop(state, step, maxiter):
    """Run a vectorized continued fraction until each element's factor is within eps of 1.

    ``state`` is a dict of equally shaped 1-D arrays holding at least "h"; ``step(state,
    m)`` updates it in place for iteration m and returns the latest factor Δ. Converged
    elements are frozen (taken out of the working arrays), so later rounding cannot
    disturb them.
    """
    n = state["h"].shape[0]
    out = np.empty(n)
    idx = np.arange(n)
    for m in range(1, maxiter + 1):
        delta = step(state, m)
        done = np.abs(delta - 1.0) <= 2 * _EPS
        if done.any():
            out[idx[done]] = state["h"][done]
            keep = ~done
            idx = idx[keep]
            state = {k: v[keep] for k, v in state.items()}
            if not idx.size:
                return out
    out[idx] = state["h"]  # not converged in maxiter: best estimate so far
    return out


def _guard(d):
    return np.where(np.abs(d) < _TINY, _TINY, d)


# -- incomplete gamma -------------------------------------------------------------------


def _log_gamma_front(a, x):
    """ln[x^a e^{−x} / Γ(a)]; for a ≥ 10 as a·(log1p(d) − d) + ½ ln(a/2π) − w(a), d = x/a − 1."""
    out = a * np.log(x) - x - gammaln(a)
    big = a >= _STIRLING_MIN
    if big.any():
        ab, xb = a[big], x[big]
        d = (xb - ab) / ab
        ln_t = np.where(np.abs(d) < 0.5, np.log1p(np.maximum(d, -0.5)), np.log(xb / ab))
        out[big] = ab * (ln_t - d) + 0.5 * np.log(ab / (2 * math.pi)) \
            - _stirling_correction(ab)
    return out


def _gamma_series(a, x):
    """Σ_{n≥0} x^n / (a (a+1) ... (a+n)), so that P(a, x) = front · sum (NR eq. 6.2.5)."""
    state = {"ap": a.copy(), "x": x, "term": 1.0 / a, "h": 1.0 / a}

    def step(s, m):
        s["ap"] = s["ap"] + 1.0
        s["term"] = s["term"] * s["x"] / s["ap"]
        new = s["h"] + s["term"]
        delta = new / s["h"]
        s["h"] = new
        return delta

    maxiter = int(200 + 20 * math.sqrt(float(np.max(a))))
    return _lentz_loop(state, step, maxiter)


def _gamma_cf(a, x):
    """The continued fraction with Q(a, x) = front · cf (NR eq. 6.2.7), modified Lentz."""
    b = x + 1.0 - a
    d = 1.0 / _guard(b)
    state = {"a": a, "b": b, "c": np.full_like(x, 1.0 / _TINY), "d": d, "h": d.copy()}

    def step(s, m):
        an = -m * (m - s["a"])
        s["b"] = s["b"] + 2.0
        s["d"] = 1.0 / _guard(an * s["d"] + s["b"])
        s["c"] = _guard(s["b"] + an / s["c"])
        delta = s["d"] * s["c"]
        s["h"] = s["h"] * delta
        return delta

    maxiter = int(200 + 20 * math.sqrt(float(np.max(a))))
    return _lentz_loop(state, step, maxiter)


def _gamma_pq(a, x, upper: bool) -> np.ndarray:
    """Q(a, x) (``upper``) or P(a, x): the one computed directly is never a 1 − (...)."""
    a, x = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(x, dtype=np.float64))
    shape = a.shape
    a, x = a.ravel(), x.ravel()
    out = np.full(a.shape, np.nan)
    ok = (a > 0) & np.isfinite(a) & (x >= 0)
    out[ok & (x == 0)] = 1.0 if upper else 0.0
    out[ok & (x == np.inf)] = 0.0 if upper else 1.0
    inner = ok & (x > 0) & np.isfinite(x)
    if inner.any():
        ai, xi = a[inner], x[inner]
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            front = np.exp(_log_gamma_front(ai, xi))
            res = np.empty_like(xi)
            # The series gives P and converges fast for x < a + 1; the fraction gives Q.
            series = xi < ai + 1.0
            if series.any():
                p = front[series] * _gamma_series(ai[series], xi[series])
                res[series] = 1.0 - p if upper else p
            cf = ~series
            if cf.any():
                q = front[cf] * _gamma_cf(ai[cf], xi[cf])
                res[cf] = q if upper else 1.0 - q
        out[inner] = np.clip(res, 0.0, 1.0)
    return out.reshape(shape)


def gammaincc(a, x) -> np.ndarray:
    """Regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), element-wise.

        Q(a, x) = (1 / Γ(a)) ∫ₓ^∞ t^{a−1} e^{−t} dt

    The series for P = 1 − Q is used for x < a + 1, the continued fraction for Q
    elsewhere (each converges fast there).

    Parameters
    ----------
    a : array-like of positive floats
    x : array-like of non-negative floats

    Returns
    -------
    ndarray
        The broadcast result; NaN where an input is outside its domain.

    Examples
    --------
    >>> float(gammaincc(1.0, 2.0))  # exponential tail e^{-2}
    0.1353352832366127
    """
    return _gamma_pq(a, x, upper=True)


def gammainc(a, x) -> np.ndarray:
    """Regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a) = 1 − Q(a, x).

    Examples
    --------
    >>> round(float(gammainc(1.0, 2.0)), 12)  # 1 - e^{-2}
    0.864664716763
    """
    return _gamma_pq(a, x, upper=False)


__all__ = ["digamma", "gammainc", "gammaincc", "gammaln"]
