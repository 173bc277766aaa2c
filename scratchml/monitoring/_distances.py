"""Binned distances between a reference and a current distribution: PSI, Jensen–Shannon, Hellinger.

Numeric features are binned by quantiles of the reference (each reference bin holds
about the same share; current values beyond the reference range fall in the end
bins); categorical features use one bin per category of either sample.
"""

from __future__ import annotations

import math

import numpy as np

from ._result import (
    DriftResult,
    category_counts,
    check_threshold,
    sample_pair,
)


def reference_quantile_edges(reference: np.ndarray, bins: int) -> np.ndarray:
    """Interior bin edges at the reference's quantiles (ties merged: fewer bins if needed)."""
    edges = np.unique(np.quantile(reference, np.linspace(0.0, 1.0, bins + 1)))
    return edges[1:-1]


def binned_shares(reference, current, *, bins: int, categorical: bool, where: str):
    """The two samples' shares per bin, ``(p_ref, p_cur, details)``."""
    if not (isinstance(bins, (int, np.integer)) and not isinstance(bins, bool) and bins >= 2):
        raise ValueError(f"{where}: bins must be an integer >= 2, got {bins!r}.")
    if categorical:
        ref, cur = sample_pair(reference, current, where, categorical=True)
        cats, rc, cc, unseen = category_counts(ref, cur)
        details = {"binning": "categories", "n_bins": int(cats.size),
                   "unseen_categories": unseen}
    else:
        ref, cur = sample_pair(reference, current, where)
        inner = reference_quantile_edges(ref, bins)
        k = inner.size + 1
        rc = np.bincount(np.searchsorted(inner, ref, side="right"), minlength=k).astype(float)
        cc = np.bincount(np.searchsorted(inner, cur, side="right"), minlength=k).astype(float)
        details = {"binning": "reference quantiles", "n_bins": int(k)}
    return rc / rc.sum(), cc / cc.sum(), details


def _result(test, value, threshold, details) -> DriftResult:
    value = float(value)
    return DriftResult(test, value, None, value, bool(value >= threshold), float(threshold),
                       details)


def _binned_distance(test, value, reference, current, bins, categorical, threshold,
                     where) -> DriftResult:
    """``value(p_ref, p_cur)`` of the binned shares, drifted when it reaches ``threshold``."""
    threshold = check_threshold(threshold, "threshold", where)
    p, q, details = binned_shares(reference, current, bins=bins, categorical=categorical,
                                  where=where)
    return _result(test, value(p, q), threshold, details)


def psi_value(p: np.ndarray, q: np.ndarray, eps: float) -> float:
    """Σ (c − r) ln(c / r) over shares floored at eps."""
    r, c = np.maximum(p, eps), np.maximum(q, eps)
    return float(np.sum((c - r) * np.log(c / r)))


def js_value(p: np.ndarray, q: np.ndarray) -> float:
    """√(½ KL(p ‖ m) + ½ KL(q ‖ m)), m = (p + q)/2, with 0 ln 0 = 0."""
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_p = np.sum(np.where(p > 0, p * np.log(p / m), 0.0))
        kl_q = np.sum(np.where(q > 0, q * np.log(q / m), 0.0))
    return math.sqrt(max(0.5 * float(kl_p + kl_q), 0.0))


def hellinger_value(p: np.ndarray, q: np.ndarray) -> float:
    """‖√p − √q‖₂ / √2: no cancellation for nearly equal distributions (unlike √(1 − BC))."""
    return min(math.sqrt(0.5 * float(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2))), 1.0)


def psi(reference, current, *, bins: int = 10, categorical: bool = False,
        eps: float = 1e-4, threshold: float = 0.25) -> DriftResult:
    """Population Stability Index of the current distribution against the reference.

        PSI = Σ_k (c_k − r_k) ln(c_k / r_k),   r_k, c_k = shares of bin k, each ≥ eps

    Bins are the reference's deciles (``bins`` quantiles) for numbers, the categories
    otherwise. A bin empty in one sample would make the log infinite: shares are
    floored at ``eps``, so PSI stays finite (at most about ln(1/eps) per bin).
    Rule of thumb (Siddiqi 2006): < 0.1 stable, 0.1–0.25 moderate shift, ≥ 0.25
    significant shift (the default threshold).

    Parameters
    ----------
    reference, current : array-like of shape (n,)
    bins : int, default=10
    categorical : bool, default=False
    eps : float, default=1e-4
    threshold : float, default=0.25

    Returns
    -------
    DriftResult
        statistic = effect_size = PSI, p_value = None.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> psi(rng.normal(size=5000), rng.normal(size=5000)).statistic < 0.1
    True
    """
    where = "psi"
    threshold = check_threshold(threshold, "threshold", where)
    eps = check_threshold(eps, "eps", where, upper=1.0)
    p, q, details = binned_shares(reference, current, bins=bins, categorical=categorical,
                                  where=where)
    details["eps"] = eps
    return _result("psi", psi_value(p, q, eps), threshold, details)


def js_distance(reference, current, *, bins: int = 10, categorical: bool = False,
                threshold: float = 0.1) -> DriftResult:
    """Jensen–Shannon distance between the binned reference and current distributions.

        JS = √(½ KL(p ‖ m) + ½ KL(q ‖ m)),  m = (p + q)/2,  natural logarithm

    (``scipy.spatial.distance.jensenshannon``). Symmetric, finite with empty bins,
    between 0 and √ln 2 ≈ 0.83. Default threshold 0.1 (evidently's).

    Parameters
    ----------
    reference, current : array-like of shape (n,)
    bins : int, default=10
    categorical : bool, default=False
    threshold : float, default=0.1

    Returns
    -------
    DriftResult
        statistic = effect_size = JS distance, p_value = None.

    Examples
    --------
    >>> js_distance(["a", "a", "b"], ["a", "b", "b"], categorical=True).statistic > 0
    True
    """
    return _binned_distance("js", js_value, reference, current, bins, categorical, threshold,
                            "js_distance")


def hellinger_distance(reference, current, *, bins: int = 10, categorical: bool = False,
                       threshold: float = 0.1) -> DriftResult:
    """Hellinger distance between the binned reference and current distributions.

        H = √(1 − Σ_k √(p_k q_k)) = ‖√p − √q‖₂ / √2  ∈ [0, 1]

    Parameters
    ----------
    reference, current, bins, categorical, threshold : as in :func:`js_distance`
        (array-like of shape (n,) each; bins=10, categorical=False, threshold=0.1).

    Returns
    -------
    DriftResult
        statistic = effect_size = H, p_value = None.

    Examples
    --------
    >>> hellinger_distance([0, 0, 1], [5, 5, 6]).statistic > 0.5
    True
    """
    return _binned_distance("hellinger", hellinger_value, reference, current, bins, categorical,
                            threshold, "hellinger_distance")
