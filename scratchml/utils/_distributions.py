"""Distribution tails for statistical tests, in NumPy only (no SciPy).

What :mod:`scratchml.monitoring` and :mod:`scratchml.stats` need beside the F and χ²
tails of :mod:`scratchml.utils._special` (re-exported here, so one import serves all):

* normal:   Φ(x) and 1 − Φ(x) = ½ erfc(x/√2)           (``math.erfc``, vectorized)
* Student t: P(T_ν > t) = ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0  (incomplete beta)
* Cramér–von Mises: the limit distribution of ω² (Csörgő & Faraway 1996, eq. 1.3),
  which needs the modified Bessel function K_{1/4}, and the exact two-sample
  distribution for small samples (Xiao, Gordon & Yakovlev 2006);
* Kolmogorov–Smirnov: see :mod:`scratchml.utils._kolmogorov` (re-exported).

K_ν(z) is computed from K_ν(z) = ∫₀^∞ exp(−z cosh t) cosh(νt) dt by the trapezoidal
rule: the integrand is analytic in the strip |Im t| < π/2 and decays double-
exponentially, so a step h has error ~exp(−π²/h) (≈ 1e-17 relative at h = 0.25).
"""

from __future__ import annotations

import math

import numpy as np

from ._kolmogorov import kolmogorov_sf, ks_2samp_sf, kstwo_sf, smirnov_sf
from ._special import _betainc_xy, chi2_sf, f_sf, gammaln

_erfc = np.frompyfunc(math.erfc, 1, 1)
_SQRT2 = math.sqrt(2.0)


def norm_sf(x) -> np.ndarray:
    """Standard normal survival function 1 − Φ(x) = ½ erfc(x / √2), element-wise.

    Accurate in relative terms far into the upper tail (no 1 − Φ cancellation).

    Examples
    --------
    >>> round(float(norm_sf(1.959963984540054)), 12)
    0.025
    """
    x = np.asarray(x, dtype=np.float64)
    return np.asarray(0.5 * _erfc(x / _SQRT2), dtype=np.float64)


def norm_cdf(x) -> np.ndarray:
    """Standard normal distribution function Φ(x) = ½ erfc(−x / √2), element-wise.

    Examples
    --------
    >>> float(norm_cdf(0.0))
    0.5
    """
    return norm_sf(-np.asarray(x, dtype=np.float64))


def t_sf(t, df) -> np.ndarray:
    """Survival function of Student's t distribution, P(T_df > t), element-wise.

        P(T_ν > t) = ½ I_x(ν/2, ½),  x = ν / (ν + t²),  for t ≥ 0,

    and 1 − P(T_ν > |t|) for t < 0. Both x and 1 − x = t²/(ν + t²) are formed
    directly, so no digits are lost for t near 0 or far in the tail.

    Examples
    --------
    >>> round(float(t_sf(2.228138851986, 10)), 9)  # the two-sided 5% point for 10 dof
    0.025
    """
    t, df = np.broadcast_arrays(np.asarray(t, dtype=np.float64), np.asarray(df, dtype=np.float64))
    at = np.abs(t)
    with np.errstate(over="ignore", invalid="ignore"):
        t2 = at * at
        s = df + t2
        x = np.where(np.isinf(t2), 0.0, df / s)
        y = np.where(np.isinf(t2), 1.0, t2 / s)
    half = 0.5 * _betainc_xy(df / 2.0, 0.5, x, y)
    out = np.where(t >= 0, half, 1.0 - half)
    return np.where(np.isnan(t) | ~(df > 0), np.nan, out)


# -- Cramér–von Mises ------------------------------------------------------------------


def bessel_kv(nu: float, z) -> np.ndarray:
    """Modified Bessel function of the second kind K_ν(z) for z > 0, element-wise.

        K_ν(z) = ∫₀^∞ exp(−z cosh t) cosh(ν t) dt

    evaluated by the trapezoidal rule with step min(0.1, 0.15/√z) up to where the integrand is below
    e^{−60} of its value at 0 (see the module docstring for why this is accurate).

    Examples
    --------
    >>> round(float(bessel_kv(0.5, 1.0)), 12)  # sqrt(pi/2) e^{-1}
    0.461068504448
    """
    z = np.asarray(z, dtype=np.float64)
    out = np.full(z.shape, np.nan)
    ok = z > 0
    out[z == np.inf] = 0.0
    ok &= np.isfinite(z)
    if ok.any():
        zz = z[ok]
        # The peak at t = 0 has width ~1/√z: for large z the step shrinks with it (the
        # error bound ~exp(−2π d/h) holds in a strip of width d ≈ 1/√z there).
        h = np.minimum(0.1, 0.15 / np.sqrt(zz))
        top = np.arccosh(1.0 + (60.0 + abs(nu)) / zz) + 1.0
        t = np.arange(int(np.max(np.ceil(top / h))) + 1)[:, None] * h[None, :]
        w = np.broadcast_to(h, t.shape).copy()
        w[0] *= 0.5
        with np.errstate(under="ignore", over="ignore"):
            # exp(−z (cosh t − 1)) keeps the terms O(1); e^{−z} is applied at the end.
            e = -zz[None, :] * (np.cosh(t) - 1.0)
            f = 0.5 * (np.exp(e + abs(nu) * t) + np.exp(e - abs(nu) * t))
            out[ok] = np.exp(-zz) * np.sum(w * f, axis=0)
    return out


def _bessel_k14_scaled(q: np.ndarray) -> np.ndarray:
    """e^{−q} K_{1/4}(q), computed without forming K alone (it would overflow as q → 0)."""
    return bessel_kv(0.25, q) * np.exp(-q)


def cvm_inf_cdf(x) -> np.ndarray:
    """Distribution function of the limit Cramér–von Mises statistic ω², element-wise.

        F(x) = Σ_{k≥0} Γ(k+½)/(Γ(k+1) π^{3/2} √x) · √(4k+1) · e^{−q} K_{1/4}(q),
        q = (4k+1)² / (16 x)

    (Csörgő & Faraway 1996, eq. 1.3). Terms are added until one is below 1e-7, the
    stopping rule SciPy uses, so that the p-values of the two agree to rounding.

    Examples
    --------
    >>> round(float(cvm_inf_cdf(0.461)), 3)  # the 5% critical value
    0.95
    """
    x = np.asarray(x, dtype=np.float64)
    tot = np.zeros(x.shape)
    cond = np.ones(x.shape, dtype=bool)
    k = 0
    while cond.any():
        xs = x[cond]
        u = math.exp(float(gammaln(k + 0.5) - gammaln(k + 1.0))) / (math.pi**1.5 * np.sqrt(xs))
        y = 4 * k + 1
        q = y**2 / (16 * xs)
        term = u * math.sqrt(y) * _bessel_k14_scaled(q)
        tot[cond] += term
        cond[cond] = np.abs(term) >= 1e-7
        k += 1
    return tot


def cvm_2samp_asymptotic_sf(t: float, nx: int, ny: int) -> float:
    """Asymptotic p-value of the two-sample Cramér–von Mises statistic T (Anderson 1962).

    T is standardized by its exact mean and variance, E T = (1 + 1/N)/6 and Var T from
    Anderson's eq. 14, then referred to the one-sample limit distribution:
    p = 1 − F_∞(1/6 + (T − E T)/√(45 Var T)).
    """
    k, n = nx * ny, nx + ny
    et = (1 + 1 / n) / 6
    vt = (n + 1) * (4 * k * n - 3 * (nx**2 + ny**2) - 2 * k) / (45 * n**2 * 4 * k)
    tn = 1 / 6 + (t - et) / math.sqrt(45 * vt)
    if tn < 0.003:  # F_∞(0.003) < 1.3e-18
        return 1.0
    return float(max(1.0 - cvm_inf_cdf(tn), 0.0))


def cvm_2samp_exact_sf(u: float, m: int, n: int) -> float:
    """Exact p-value P(U ≥ u) of the two-sample Cramér–von Mises rank statistic U.

    Enumerates the frequency table of U over all C(m+n, m) rank assignments with the
    recursion of Xiao, Gordon & Yakovlev (2006, Algorithm 1). Cost grows quickly: use
    for m, n ≤ 20 (as SciPy's ``method='auto'``).
    """
    lcm = math.lcm(m, n)
    a, b = lcm // m, lcm // n
    mn = m * n
    # Floor division of a float, as SciPy: with tied (mid)ranks u need not be an integer.
    zeta = lcm**2 * (m + n) * (6 * float(u) - mn * (4 * mn - 1)) // (6 * mn**2)
    combinations = math.comb(m + n, m)
    dtype = np.min_scalar_type(max(lcm**2 * (m + n), combinations))
    gs = [np.array([[0], [1]], dtype=dtype)] + [np.empty((2, 0), dtype=dtype) for _ in range(m)]
    for uu in range(n + 1):
        next_gs = []
        tmp = np.empty((2, 0), dtype=dtype)
        for v, g in enumerate(gs):
            vi, i0, i1 = np.intersect1d(tmp[0], g[0], return_indices=True)
            tmp = np.concatenate([np.stack([vi, tmp[1, i0] + g[1, i1]]),
                                  np.delete(tmp, i0, 1), np.delete(g, i1, 1)], 1)
            tmp[0] += np.asarray((a * v - b * uu) ** 2).astype(dtype)
            next_gs.append(tmp)
        gs = next_gs
    value, freq = gs[m]
    return float(np.sum(freq[value >= zeta]) / combinations)


__all__ = [
    "bessel_kv", "chi2_sf", "cvm_2samp_asymptotic_sf", "cvm_2samp_exact_sf", "cvm_inf_cdf",
    "f_sf", "kolmogorov_sf", "ks_2samp_sf", "kstwo_sf", "norm_cdf", "norm_sf", "smirnov_sf",
    "t_sf",
]
