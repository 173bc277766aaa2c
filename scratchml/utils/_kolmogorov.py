"""The Kolmogorov–Smirnov distributions, in NumPy only (no SciPy).

Three distributions of the largest gap D between two cumulative distribution functions:

* ``kolmogorov_sf(x)`` — the limit P(√n D_n > x) as n → ∞ (Kolmogorov 1933):
  2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²}, or for small x its Jacobi-theta form
  1 − (√(2π)/x) Σ_{k≥1} e^{−(2k−1)²π²/(8x²)}.
* ``smirnov_sf(n, d)`` and ``kstwo_sf(d, n)`` — the one-sample statistics D_n⁺ and
  D_n for a sample of size n, exactly: Birnbaum–Tingey's sum for D_n⁺, and for D_n
  the algorithm of Simard & L'Ecuyer (2011, J. Stat. Softw. 39(11)) as SciPy's
  ``kstwo`` implements it (Ruben–Gambino ends, Durbin's matrix with Marsaglia–Tsang–
  Wang scaling, the Pelz–Good expansion, 2·D⁺ in the upper tail).
* ``ks_2samp_sf(d, n1, n2)`` — the exact two-sample P(D_{n1,n2} ≥ d) by counting
  lattice paths (Hodges 1958; the 1 − p recursion of Viehmann 2021), as SciPy's
  ``ks_2samp(method='exact')``.
"""

from __future__ import annotations

import math

import numpy as np

from ._special import gammaln

_E128 = 2.0**128
_EM128 = 2.0**-128
_PI2 = math.pi**2


def kolmogorov_sf(x) -> np.ndarray:
    """Survival function of Kolmogorov's limit distribution, P(K > x), element-wise.

        P(K > x) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2 k² x²)

    For x < 1 the series converges slowly and the complement is summed in its
    theta-function form, 1 − √(2π)/x · Σ_{k≥1} exp(−(2k−1)² π² / (8 x²)).

    Examples
    --------
    >>> round(float(kolmogorov_sf(1.36)), 4)  # the classic 5% critical value
    0.0495
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    out[x <= 0] = 1.0
    out[x == np.inf] = 0.0
    k = np.arange(1, 101, dtype=np.float64)[:, None]
    big = (x >= 1.0) & np.isfinite(x)
    if big.any():
        xb = x[big][None, :]
        out[big] = np.clip(2 * np.sum((-1) ** (k - 1) * np.exp(-2 * k**2 * xb**2), axis=0), 0, 1)
    small = (x > 0) & (x < 1.0)
    if small.any():
        xs = x[small][None, :]
        with np.errstate(under="ignore", divide="ignore", over="ignore"):
            cdf = math.sqrt(2 * math.pi) / xs[0] * np.sum(
                np.exp(-((2 * k - 1) ** 2) * _PI2 / (8 * xs**2)), axis=0)
        out[small] = 1.0 - cdf
    return out


def smirnov_sf(n: int, d: float) -> float:
    """P(D_n⁺ ≥ d): the one-sided one-sample Kolmogorov–Smirnov tail, exactly.

    Birnbaum & Tingey (1951):

        P(D_n⁺ ≥ d) = d Σ_{j=0}^{⌊n(1−d)⌋} C(n, j) (1 − d − j/n)^{n−j} (d + j/n)^{j−1}

    Every term is positive, so the sum is taken in log space (no cancellation).

    Examples
    --------
    >>> round(smirnov_sf(5, 0.5), 6)
    0.056
    """
    if not d > 0:
        return 1.0 if d == d else math.nan
    if d >= 1:
        return 0.0
    j = np.arange(0, int(math.floor(n * (1 - d))) + 1, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        # 0^0 = 1 for the j = n term (reached only when n d rounds away)
        first = np.where(j == n, 0.0, (n - j) * np.log(np.maximum(1 - d - j / n, 0.0)))
        log_terms = (gammaln(n + 1.0) - gammaln(j + 1.0) - gammaln(n - j + 1.0)
                     + first + (j - 1) * np.log(d + j / n) + math.log(d))
    top = np.max(log_terms)  # the factor d is inside: d · d^{−1} must not overflow first
    return float(min(1.0, math.exp(top) * np.sum(np.exp(log_terms - top))))


def _kolmogn_dmtw(n: int, d: float) -> float:
    """P(D_n ≤ d) by Durbin's matrix (Marsaglia, Tsang & Wang 2003): O(m² log n), m = 2k − 1."""
    if d >= 1.0:
        return 1.0
    nd = n * d
    if nd <= 0.5:
        return 0.0
    k = int(math.ceil(nd))
    h = k - nd
    m = 2 * k - 1
    H = np.zeros((m, m))
    intm = np.arange(1, m + 1)
    v = 1.0 - h**intm
    w = np.empty(m)
    fac = 1.0
    for j in intm:
        w[j - 1] = fac
        fac /= j
        v[j - 1] *= fac
    v[-1] = (1.0 + max(2 * h - 1.0, 0) ** m - 2 * h**m) * fac
    for i in range(1, m):
        H[i - 1:, i] = w[:m - i + 1]
    H[:, 0] = v
    H[-1, :] = v[::-1]
    # H^n by repeated squaring, with the powers of 2^128 kept apart to avoid overflow.
    Hpwr, nn, expnt, hexpnt = np.eye(m), n, 0, 0
    while nn > 0:
        if nn % 2:
            Hpwr = Hpwr @ H
            expnt += hexpnt
        H = H @ H
        hexpnt *= 2
        if abs(H[k - 1, k - 1]) > _E128:
            H /= _E128
            hexpnt += 128
        nn //= 2
    p = Hpwr[k - 1, k - 1]
    for i in range(1, n + 1):  # times n!/n^n, rescaled as it shrinks
        p = i * p / n
        if abs(p) < _EM128:
            p *= _E128
            expnt -= 128
    return float(np.clip(math.ldexp(p, expnt) if expnt else p, 0.0, 1.0))


def _kolmogn_pelz_good(n: int, x: float) -> float:
    """P(D_n ≤ x) by the Pelz–Good (1976) asymptotic series in 1/√n, for large n."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    z = math.sqrt(n) * x
    z2, z3, z4, z6 = z**2, z**3, z**4, z**6
    qlog = -_PI2 / 8 / z2
    if qlog < -708:
        return 0.0
    q = math.exp(qlog)
    k1a, k1b = -z2, _PI2 / 4
    k2a, k2b = 6 * z6 + 2 * z4, (2 * z4 - 5 * z2) * _PI2 / 4
    k2c = _PI2**2 * (1 - 2 * z2) / 16
    k3d = _PI2**3 * (5 - 30 * z2) / 64
    k3c = _PI2**2 * (-60 * z2 + 212 * z4) / 16
    k3b = _PI2 * (135 * z4 - 96 * z6) / 4
    k3a = -30 * z6 - 90 * z**8
    K = np.zeros(4)
    maxk = int(math.ceil(16 * z / math.pi))
    for k in range(maxk, 0, -1):  # Horner in q^(8k) over the odd integers m = 2k − 1
        m = 2 * k - 1
        m2, m4, m6 = m**2, m**4, m**6
        K *= q ** (8 * k)
        K += np.array([1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                       k3a + k3b * m2 + k3c * m4 + k3d * m6])
    K *= q * math.sqrt(2 * math.pi)
    K /= np.array([z, 6 * z4, 72 * z**7, 6480 * z**10])
    q = math.exp(-_PI2 / 2 / z2)
    ks = np.arange(maxk, 0, -1, dtype=np.float64)
    qp = q ** (ks**2)
    K[2] += np.sum(ks**2 * qp) * _PI2 * math.sqrt(2 * math.pi) / (-36 * z3)
    s3 = math.sqrt(3) * z
    K[3] += (np.sum((s3 + math.pi * ks) * (s3 - math.pi * ks) * ks**2 * qp)
             * _PI2 * math.sqrt(2 * math.pi) / (216 * z6))
    K /= np.power(float(n), np.arange(4) / 2.0)
    return float(np.sum(K))


def _kstwo_sf_scalar(d: float, n: int) -> float:
    if math.isnan(d):
        return math.nan
    if d >= 1.0:
        return 0.0
    if d <= 0.0:
        return 1.0
    t = n * d
    if t <= 1.0:  # Ruben–Gambino: 1/(2n) ≤ d ≤ 1/n
        if t <= 0.5:
            return 1.0
        cdf = math.exp(float(gammaln(n + 1.0)) - n * math.log(n) + n * math.log(2 * t - 1))
        return min(max(1.0 - cdf, 0.0), 1.0)
    if t >= n - 1:  # Ruben–Gambino, the upper end
        return min(max(2 * (1.0 - d) ** n, 0.0), 1.0)
    if d >= 0.5:  # the two one-sided events cannot both happen
        return min(2 * smirnov_sf(n, d), 1.0)
    ndd = t * d
    if n <= 140:
        if ndd <= 4:
            # SciPy uses Pomeranz's recursion for 0.754693 < n d² ≤ 4; Durbin's matrix
            # gives the same exact value (to rounding), only more slowly.
            return min(max(1.0 - _kolmogn_dmtw(n, d), 0.0), 1.0)
        return min(max(2 * smirnov_sf(n, d), 0.0), 1.0)
    if ndd >= 370.0:
        return 0.0
    if ndd >= 2.2:
        return min(max(2 * smirnov_sf(n, d), 0.0), 1.0)
    if ndd >= 18.0:
        cdf = 1.0
    elif n <= 100000 and n * d**1.5 <= 1.4:
        cdf = _kolmogn_dmtw(n, d)
    else:
        cdf = _kolmogn_pelz_good(n, d)
    return min(max(1.0 - cdf, 0.0), 1.0)


def kstwo_sf(d, n) -> np.ndarray:
    """P(D_n > d) for the two-sided one-sample Kolmogorov–Smirnov statistic, exactly.

    D_n = sup_x |F_n(x) − F(x)| for n uniform draws. Follows Simard & L'Ecuyer (2011):
    exact closed forms near both ends of [0, 1], 2·P(D_n⁺ ≥ d) where the two one-sided
    events are (almost) disjoint, Durbin's matrix power for small n d^1.5, and the
    Pelz–Good series elsewhere — the same choices as ``scipy.stats.kstwo.sf``.

    Parameters
    ----------
    d : array-like of floats
    n : array-like of positive integers

    Returns
    -------
    ndarray of the broadcast shape.

    Examples
    --------
    >>> round(float(kstwo_sf(0.2, 50)), 6)
    0.031439
    """
    d, n = np.broadcast_arrays(np.asarray(d, dtype=np.float64), np.asarray(n))
    out = np.empty(d.shape)
    for idx in np.ndindex(d.shape):
        nn = float(n[idx])
        if not (nn > 0 and nn == int(nn)):
            out[idx] = math.nan
            continue
        out[idx] = _kstwo_sf_scalar(float(d[idx]), int(nn))
    return out


def _prob_outside_square(n: int, h: int) -> float:
    """P(D_{n,n} ≥ h/n) = 2 Σ_k (−1)^{k−1} C(2n, n−kh) / C(2n, n), in Horner form."""
    p = 0.0
    k = n // h
    while k >= 0:
        p1 = 1.0
        for j in range(h):
            p1 = (n - k * h - j) * p1 / (n + k * h + j + 1)
        p = p1 * (1.0 - p)
        k -= 1
    return 2 * p


def _prob_outside_inside_method(m: int, n: int, g: int, h: int) -> float:
    """1 − (paths staying strictly inside |x/m − y/n| < h/lcm) / C(m+n, n), column by column.

    The recursion carries 1 − p directly (Viehmann 2021), so small p-values keep
    their relative precision; the window of the column that can be inside slides.
    """
    if m < n:
        m, n = n, m
    mg, ng = m // g, n // g
    minj, maxj = 0, min(int(math.ceil(h / mg)), n + 1)
    curlen = maxj - minj
    # A plain list: the recurrence is sequential, and Python floats are 5x faster here.
    A = [1.0] * min(2 * maxj + 2, n + 1)
    A[minj:maxj] = [0.0] * (maxj - minj)
    for i in range(1, m + 1):
        lastminj, lastlen = minj, curlen
        minj = min(max(int(math.floor((ng * i - h) / mg)) + 1, 0), n)
        maxj = min(int(math.ceil((ng * i + h) / mg)), n + 1)
        if maxj <= minj:
            return 1.0
        val = 0.0 if minj == 0 else 1.0
        shift = minj - lastminj
        # Reads come from the previous column (index jj + shift >= jj is not yet
        # overwritten), so the old slice can be taken first and the new one assigned.
        old = A[shift:shift + maxj - minj]
        new = []
        for a, j in zip(old, range(minj, maxj)):
            val = (a * i + val * j) / (i + j)
            new.append(val)
        A[:maxj - minj] = new
        curlen = maxj - minj
        if lastlen > curlen:
            stop = min(curlen + (lastlen - curlen), len(A))
            A[curlen:stop] = [1.0] * (stop - curlen)
    return float(A[maxj - minj - 1])


def _prob_outside_by_diagonals(m: int, n: int, g: int, h: int) -> float:
    """The same quantity as :func:`_prob_outside_inside_method`, vectorized along anti-diagonals.

    A cell (i, j) depends only on (i − 1, j) and (i, j − 1), both on the anti-diagonal
    i + j − 1, so each anti-diagonal's band cells are one array expression:
    V(i, j) = (i V(i − 1, j) + j V(i, j − 1)) / (i + j), with V = 1 outside the band
    |n i − m j| / g < h. Same operations in the same order as the column recursion, so
    the results agree bit for bit; m + n NumPy steps instead of m · window Python ones.
    """
    if m < n:
        m, n = n, m
    mg, ng = m // g, n // g
    s = mg + ng
    idx = np.arange(m + 1, dtype=np.float64)
    # B[i + 1] = V(i, d − i) on the current anti-diagonal, 1 off the band; B[0] = 1 is a
    # sentinel for i − 1 = −1 (its weight i is 0). Only the band slice changes per step.
    B = np.ones(m + 2)
    B[1] = 0.0  # d = 0: the origin, inside the band
    prev_lo = prev_hi = 0
    for d in range(1, m + n + 1):
        # inside iff |s i − mg d| < h, i.e. (mg d − h)/s < i < (mg d + h)/s
        lo = max(d - n, (mg * d - h) // s + 1, 0)
        hi = min(d, m, -((-(mg * d + h)) // s) - 1)
        if hi < lo:
            return 1.0
        i = idx[lo:hi + 1]
        new = (B[lo:hi + 1] * i + B[lo + 1:hi + 2] * (d - i)) / d  # left, down neighbours
        B[prev_lo + 1:lo + 1] = 1.0  # cells that left the band
        B[hi + 2:prev_hi + 2] = 1.0
        B[lo + 1:hi + 2] = new
        prev_lo, prev_hi = lo, hi
    return float(B[m + 1])


def ks_2samp_sf(d: float, n1: int, n2: int) -> tuple[float, float]:
    """Exact P(D_{n1,n2} ≥ d) for the two-sided two-sample Kolmogorov–Smirnov statistic.

    d is first rounded to the lattice h / lcm(n1, n2) it lives on (as SciPy does);
    returns ``(d_rounded, p)``. Equal sizes: a closed-form alternating sum, O(n). Unequal
    sizes: the lattice recursion over the band of cells, O((n1 + n2) · band) — one NumPy
    step per anti-diagonal (about 0.1 s at 2,000 x 1,999, 0.5 s at 10,000 x 7,000;
    SciPy's compiled loop is 20-50x faster there).

    Examples
    --------
    >>> ks_2samp_sf(0.5, 10, 10)[1]  # doctest: +ELLIPSIS
    0.1678...
    """
    g = math.gcd(n1, n2)
    lcm = (n1 // g) * n2
    h = int(round(d * lcm))
    d = h / lcm
    if h == 0:
        return d, 1.0
    with np.errstate(invalid="ignore", over="ignore"):
        if n1 == n2:
            p = _prob_outside_square(n1, h)
        elif n1 + n2 > 200:  # measured: 2-3x faster than the column loop from here on
            p = _prob_outside_by_diagonals(n1, n2, g, h)
        else:
            p = _prob_outside_inside_method(n1, n2, g, h)
    return d, float(np.clip(p, 0.0, 1.0))


__all__ = ["kolmogorov_sf", "ks_2samp_sf", "kstwo_sf", "smirnov_sf"]
