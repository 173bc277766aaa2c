"""Two-sample tests of one feature: KS, Cramér–von Mises, Wasserstein, χ², two proportions.

Each takes ``(reference, current)`` and returns a :class:`DriftResult`. The p-values come
from :mod:`scratchml.utils._distributions` (NumPy only) and equal SciPy's
(``ks_2samp``, ``cramervonmises_2samp``, ``chisquare``) to rounding.
"""

from __future__ import annotations

import math

import numpy as np

from ..utils._distributions import (
    chi2_sf,
    cvm_2samp_asymptotic_sf,
    cvm_2samp_exact_sf,
    ks_2samp_sf,
    kstwo_sf,
    norm_sf,
)
from ._result import (
    DriftResult,
    category_counts,
    check_threshold,
    make_result,
    sample_pair,
)

_KS_METHODS = ("auto", "exact", "asymp")
_CVM_METHODS = ("auto", "exact", "asymptotic")
_CHI2_METHODS = ("homogeneity", "goodness_of_fit")
_MAX_EXACT_N = 10000  # as SciPy's ks_2samp(method="auto")


def _check_alpha_method(alpha, method: str, methods: tuple, where: str) -> float:
    """The level ``alpha`` in (0, 1), once ``method`` is checked to be one of ``methods``."""
    alpha = check_threshold(alpha, "alpha", where, upper=1.0)
    if method not in methods:
        raise ValueError(f"{where}: method must be one of {methods}, got {method!r}.")
    return alpha


def ks_statistic(reference: np.ndarray, current: np.ndarray) -> float:
    """D = sup_x |F_ref(x) − F_cur(x)| of two samples, by sorting and ``searchsorted``."""
    a, b = np.sort(reference), np.sort(current)
    pooled = np.concatenate([a, b])
    diff = (np.searchsorted(a, pooled, side="right") / a.size
            - np.searchsorted(b, pooled, side="right") / b.size)
    return float(max(np.max(diff), np.clip(-np.min(diff), 0.0, 1.0)))


def ks_pvalue(d: float, n1: int, n2: int, method: str = "auto") -> tuple[float, float, str]:
    """P-value of the two-sided two-sample KS statistic; returns ``(d, p, method_used)``.

    ``exact``: lattice-path count (d is rounded to its lattice h / lcm(n1, n2));
    ``asymp``: Kolmogorov's D_n distribution at the effective size n1 n2 / (n1 + n2).
    """
    if method == "auto":
        method = "exact" if max(n1, n2) <= _MAX_EXACT_N else "asymp"
    g = math.gcd(n1, n2)
    if method == "exact" and n1 // g >= np.iinfo(np.int32).max / (n2 // g):
        method = "asymp"  # the lattice is too fine to count on
    if method == "exact":
        d_exact, p = ks_2samp_sf(d, n1, n2)
        if 0.0 <= p <= 1.0:
            return d_exact, p, "exact"
        method = "asymp"
    m, n = max(n1, n2), min(n1, n2)
    en = m * n / (m + n)
    return d, float(np.clip(kstwo_sf(d, np.round(en)), 0.0, 1.0)), "asymp"


def ks_test(reference, current, *, alpha: float = 0.05, method: str = "auto") -> DriftResult:
    """Two-sample Kolmogorov–Smirnov test of "same continuous distribution".

        D = sup_x |F_ref(x) − F_cur(x)|

    The p-value is exact (counting lattice paths, Hodges 1958) when both samples have
    at most 10,000 values, else from the distribution of D_n at the effective size
    n = n_ref n_cur / (n_ref + n_cur) — SciPy's ``ks_2samp`` rules. NaNs are dropped.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
    alpha : float, default=0.05
        Significance level: ``drifted = p_value < alpha``.
    method : {'auto', 'exact', 'asymp'}, default='auto'

    Returns
    -------
    DriftResult
        statistic = effect_size = D (already free of sample size, in [0, 1]).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> ks_test(rng.normal(size=300), rng.normal(1.0, size=300)).drifted
    True
    """
    where = "ks_test"
    alpha = _check_alpha_method(alpha, method, _KS_METHODS, where)
    ref, cur = sample_pair(reference, current, where)
    d = ks_statistic(ref, cur)
    d, p, used = ks_pvalue(d, ref.size, cur.size, method)
    return make_result("ks", d, p, d, alpha, by_p=True, details={"method": used})


def _midranks(pooled: np.ndarray) -> np.ndarray:
    """Ranks 1..N of ``pooled``, ties given their average rank."""
    s = np.sort(pooled)
    lo = np.searchsorted(s, pooled, side="left")
    hi = np.searchsorted(s, pooled, side="right")
    return (lo + hi + 1) / 2.0


def cvm_test(reference, current, *, alpha: float = 0.05, method: str = "auto") -> DriftResult:
    """Two-sample Cramér–von Mises test (Anderson 1962).

        T = (n_r n_c / N²) Σ_{pooled x} (F_ref(x) − F_cur(x))²,  computed from ranks as
        U = n_r Σ (r_i − i)² + n_c Σ (s_j − j)²,  T = U / (n_r n_c N) − (4 n_r n_c − 1) / (6N)

    More sensitive than KS to differences spread over the whole range. The p-value is
    exact for samples of at most 20 values ('auto'), else asymptotic. NaNs are dropped.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Each needs at least two values.
    alpha : float, default=0.05
    method : {'auto', 'exact', 'asymptotic'}, default='auto'

    Returns
    -------
    DriftResult
        effect_size = √(T N / (n_r n_c)), the L² distance between the two empirical
        distribution functions (weighted by the pooled sample), free of sample size.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> cvm_test(rng.normal(size=200), rng.normal(size=200)).drifted
    False
    """
    where = "cvm_test"
    alpha = _check_alpha_method(alpha, method, _CVM_METHODS, where)
    ref, cur = sample_pair(reference, current, where)
    nx, ny = ref.size, cur.size
    if nx < 2 or ny < 2:
        raise ValueError(f"{where}: each sample needs at least 2 values, got {nx} and {ny}.")
    if method == "auto":
        method = "asymptotic" if max(nx, ny) > 20 else "exact"
    r = _midranks(np.concatenate([np.sort(ref), np.sort(cur)]))
    u = (nx * np.sum((r[:nx] - np.arange(1, nx + 1)) ** 2)
         + ny * np.sum((r[nx:] - np.arange(1, ny + 1)) ** 2))
    k, n = nx * ny, nx + ny
    t = u / (k * n) - (4 * k - 1) / (6 * n)
    if method == "exact":
        p = cvm_2samp_exact_sf(u, nx, ny)
    else:
        p = cvm_2samp_asymptotic_sf(t, nx, ny)
    effect = math.sqrt(max(t, 0.0) * n / k)
    return make_result("cvm", t, p, effect, alpha, by_p=True, details={"method": method})


def wasserstein_distance(reference, current, *, threshold: float = 0.1) -> DriftResult:
    """Wasserstein-1 (earth mover's) distance between two samples.

        W₁ = ∫ |F_ref(x) − F_cur(x)| dx = ∫₀¹ |Q_ref(u) − Q_cur(u)| du

    summed exactly over the intervals where both empirical quantile functions are
    constant.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
    threshold : float, default=0.1
        Drift when the *normed* distance W₁ / std(reference) reaches it (the rule of
        evidently's "wasserstein" test: a tenth of a standard deviation).

    Returns
    -------
    DriftResult
        statistic = W₁ (in the feature's unit), effect_size = W₁ / std(reference)
        (W₁ itself when the reference is constant), p_value = None.

    Examples
    --------
    >>> round(wasserstein_distance([0.0, 1.0, 3.0], [5.0, 6.0, 8.0]).statistic, 6)
    5.0
    """
    where = "wasserstein_distance"
    threshold = check_threshold(threshold, "threshold", where)
    ref, cur = sample_pair(reference, current, where)
    w = _w1_sorted(np.sort(ref), np.sort(cur))
    scale = float(np.std(ref))
    effect = w / scale if scale > 0 else w
    # Decided on the normed distance, so one threshold serves features of any unit.
    return DriftResult("wasserstein", w, None, float(effect), bool(effect >= threshold),
                       threshold, {"reference_std": scale, "decided_by": "effect_size"})


def _w1_sorted(a: np.ndarray, b: np.ndarray) -> float:
    """W₁ of two sorted samples through their quantile functions: ∫₀¹ |Q_a(u) − Q_b(u)| du.

    Q_a is a[k−1] on ((k−1)/n, k/n]. On the common grid u = v / (n m) the breakpoints of
    both are the integers v = k m and l n; between consecutive ones both quantiles are
    constant, Q_a = a[(v − 1) // m] and Q_b = b[(v − 1) // n] at the right end v. Integer
    arithmetic and a merge of two sorted runs (timsort): no search, no rounding of u.
    """
    n, m = a.size, b.size
    if n == m:  # the grids coincide
        return float(np.mean(np.abs(a - b)))
    v = np.sort(np.concatenate([np.arange(1, n + 1, dtype=np.int64) * m,
                                np.arange(1, m + 1, dtype=np.int64) * n]), kind="stable")
    keep = np.empty(v.size, dtype=bool)
    keep[0] = True
    np.not_equal(v[1:], v[:-1], out=keep[1:])
    v = v[keep]
    du = np.diff(v, prepend=0) / (n * m)
    return float(np.sum(np.abs(a[(v - 1) // m] - b[(v - 1) // n]) * du))


def chi2_test(reference, current, *, alpha: float = 0.05,
              method: str = "homogeneity") -> DriftResult:
    """Pearson's χ² test: do the two samples share one category distribution?

    ``homogeneity`` (default) — the 2 × k contingency table of both samples' counts:

        χ² = Σ_{cells} (O − E)² / E,  E = row total · column total / N,  df = k − 1

    (``scipy.stats.chi2_contingency(table, correction=False)``). Both samples are
    random here, so under the null hypothesis its p-values are uniform.

    ``goodness_of_fit`` — the current counts against the reference *shares*, taken as
    exact: E_k = n_cur · (reference share of k) (``scipy.stats.chisquare``). Right when
    the reference is far larger than the batch; otherwise it raises false alarms.

    A category of the current sample never seen in the reference is drift by
    definition: χ² = ∞, p = 0, the new categories listed in
    ``details["unseen_categories"]``.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Category labels (strings, integers, ...); None / NaN are dropped.
    alpha : float, default=0.05
    method : {'homogeneity', 'goodness_of_fit'}, default='homogeneity'

    Returns
    -------
    DriftResult
        effect_size = total variation distance ½ Σ |p_ref − p_cur| in [0, 1].

    Examples
    --------
    >>> chi2_test(["a"] * 50 + ["b"] * 50, ["a"] * 80 + ["b"] * 20).drifted
    True
    """
    where = "chi2_test"
    alpha = _check_alpha_method(alpha, method, _CHI2_METHODS, where)
    ref, cur = sample_pair(reference, current, where, categorical=True)
    _, rc, cc, unseen = category_counts(ref, cur)
    return chi2_from_counts(rc, cc, alpha, unseen, method)


def chi2_from_counts(rc: np.ndarray, cc: np.ndarray, alpha: float, unseen: list,
                     method: str = "homogeneity") -> DriftResult:
    """The χ² test of current counts ``cc`` against reference counts ``rc`` (same categories)."""
    tvd = 0.5 * float(np.sum(np.abs(rc / rc.sum() - cc / cc.sum())))
    details = {"method": method, "n_categories": int(rc.size), "unseen_categories": unseen}
    if unseen:
        return make_result("chi2", math.inf, 0.0, tvd, alpha, by_p=True, details=details)
    keep = rc > 0  # categories absent from both samples add nothing
    rc, cc = rc[keep], cc[keep]
    if method == "goodness_of_fit":
        expected = rc / rc.sum() * cc.sum()
        stat = float(np.sum((cc - expected) ** 2 / expected))
    else:
        table = np.vstack([rc, cc])
        expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0) / table.sum()
        stat = float(np.sum((table - expected) ** 2 / expected))
    p = float(chi2_sf(stat, rc.size - 1)) if rc.size > 1 else 1.0
    return make_result("chi2", stat, p, tvd, alpha, by_p=True, details=details)


def proportion_ztest(reference, current, *, alpha: float = 0.05, positive=None) -> DriftResult:
    """Two-proportion z-test: is the share of ``positive`` the same in both samples?

        p̂ = (x_r + x_c) / (n_r + n_c),  z = (x_c/n_c − x_r/n_r) / √(p̂ (1 − p̂)(1/n_r + 1/n_c)),
        p-value = 2 (1 − Φ(|z|))

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        Binary values (bool, 0/1, or any two labels).
    alpha : float, default=0.05
    positive : label, default=None
        The label counted; None: True / 1 / the larger of the two labels.

    Returns
    -------
    DriftResult
        statistic = z; effect_size = Cohen's h = 2 asin √p_c − 2 asin √p_r.

    Examples
    --------
    >>> r = proportion_ztest([1] * 30 + [0] * 70, [1] * 60 + [0] * 40)
    >>> r.drifted, round(r.statistic, 3)
    (True, 4.264)
    """
    where = "proportion_ztest"
    alpha = check_threshold(alpha, "alpha", where, upper=1.0)
    ref, cur = sample_pair(reference, current, where, categorical=True)
    labels = np.unique(np.concatenate([ref, cur]))
    if labels.size > 2:
        raise ValueError(f"{where}: the samples must be binary, but they hold {labels.size} "
                         f"labels ({labels[:5].tolist()}...); use chi2_test for categories.")
    if positive is None:
        positive = labels[-1]
    x_r, x_c = float(np.sum(ref == positive)), float(np.sum(cur == positive))
    n_r, n_c = ref.size, cur.size
    p_r, p_c = x_r / n_r, x_c / n_c
    pooled = (x_r + x_c) / (n_r + n_c)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_r + 1 / n_c))
    z = (p_c - p_r) / se if se > 0 else 0.0  # one shared label: no difference to test
    p = float(2 * norm_sf(abs(z)))
    h = 2 * math.asin(math.sqrt(p_c)) - 2 * math.asin(math.sqrt(p_r))
    return make_result("proportion_z", z, min(p, 1.0), h, alpha, by_p=True,
                       details={"reference_rate": p_r, "current_rate": p_c})
