"""Resampling inference for any metric: bootstrap confidence intervals, paired permutation test."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from ..utils.validation import check_random_state
from ._tests import TestResult

_CI_METHODS = ("percentile", "basic")
_ALTERNATIVES = ("two-sided", "greater", "less")


@dataclass
class ConfidenceInterval:
    """A point estimate with a confidence interval.

    Examples
    --------
    >>> ConfidenceInterval(0.8, 0.7, 0.9, 0.95, 0.05).high
    0.9
    """

    estimate: float
    low: float
    high: float
    confidence_level: float
    standard_error: float

    def to_dict(self) -> dict:
        """The interval as plain Python data."""
        return asdict(self)


def _arrays(arrays, where: str) -> list[np.ndarray]:
    if not arrays:
        raise ValueError(f"{where}: pass at least one array (e.g. y_true, y_pred).")
    out = [np.asarray(a) for a in arrays]
    n = out[0].shape[0] if out[0].ndim else 0
    if n == 0 or any(a.ndim == 0 or a.shape[0] != n for a in out):
        raise ValueError(f"{where}: the arrays need the same non-zero number of rows, got "
                         f"{[a.shape[0] if a.ndim else 0 for a in out]}.")
    return out


def _count(value, name: str, where: str, minimum: int) -> int:
    if not (isinstance(value, (int, np.integer)) and not isinstance(value, bool)
            and value >= minimum):
        raise ValueError(f"{where}: {name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def bootstrap_ci(metric: Callable, *arrays, n_resamples: int = 1000,
                 confidence_level: float = 0.95, method: str = "percentile",
                 random_state=None) -> ConfidenceInterval:
    """Bootstrap confidence interval of any metric of paired samples (Efron & Tibshirani 1993).

    Rows are drawn with replacement B = ``n_resamples`` times (the same rows from every
    array), the metric θ*_b is computed on each draw, and with q_α the α-quantile of
    the θ*:

        percentile: [q_{α/2}, q_{1−α/2}]
        basic:      [2θ̂ − q_{1−α/2}, 2θ̂ − q_{α/2}]

    Parameters
    ----------
    metric : callable
        ``metric(*arrays) -> float``, e.g. ``accuracy_score`` with (y_true, y_pred).
    *arrays : array-likes with the same number of rows
    n_resamples : int, default=1000
    confidence_level : float in (0, 1), default=0.95
    method : {'percentile', 'basic'}, default='percentile'
    random_state : None, int or numpy Generator, default=None

    Returns
    -------
    ConfidenceInterval
        ``estimate`` = the metric on the original data; ``standard_error`` = std of θ*.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.metrics import accuracy_score
    >>> y = np.array([0, 1] * 50)
    >>> pred = y.copy(); pred[:20] = 1 - pred[:20]
    >>> ci = bootstrap_ci(accuracy_score, y, pred, random_state=0)
    >>> ci.low < 0.8 < ci.high
    True
    """
    where = "bootstrap_ci"
    data = _arrays(arrays, where)
    n_resamples = _count(n_resamples, "n_resamples", where, 2)
    if not (isinstance(confidence_level, float) and 0 < confidence_level < 1):
        raise ValueError(f"{where}: confidence_level must be a float in (0, 1), got "
                         f"{confidence_level!r}.")
    if method not in _CI_METHODS:
        raise ValueError(f"{where}: method must be one of {_CI_METHODS}, got {method!r}.")
    rng = check_random_state(random_state)
    n = data[0].shape[0]
    estimate = float(metric(*data))
    idx = rng.integers(0, n, size=(n_resamples, n))
    stats = np.array([float(metric(*(a[i] for a in data))) for i in idx])
    alpha = 1 - confidence_level
    lo, hi = np.quantile(stats, [alpha / 2, 1 - alpha / 2])
    if method == "basic":
        lo, hi = 2 * estimate - hi, 2 * estimate - lo
    return ConfidenceInterval(estimate, float(lo), float(hi), confidence_level,
                              float(np.std(stats, ddof=1)))


def permutation_test(metric: Callable, y_true, y_pred_a, y_pred_b, *,
                     n_permutations: int = 1000, alternative: str = "two-sided",
                     random_state=None) -> TestResult:
    """Paired permutation test of the difference of two models' scores on one test set.

        Δ = metric(y, ŷ_A) − metric(y, ŷ_B)

    Under the null hypothesis the two models are exchangeable on every sample, so each
    sample's pair of predictions is swapped with probability ½; the p-value is the share
    of such relabellings at least as extreme as the observed Δ,
    p = (1 + #{Δ* as extreme}) / (1 + n_permutations).

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred) -> float`` (predictions may be scores or probabilities).
    y_true, y_pred_a, y_pred_b : array-like with the same number of rows
    n_permutations : int, default=1000
    alternative : {'two-sided', 'greater', 'less'}, default='two-sided'
        'greater': A scores higher than B.
    random_state : None, int or numpy Generator, default=None

    Returns
    -------
    TestResult
        statistic = Δ.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.metrics import accuracy_score
    >>> y = np.array([0, 1] * 100)
    >>> a = y.copy(); b = y.copy(); b[:60] = 1 - b[:60]
    >>> permutation_test(accuracy_score, y, a, b, random_state=0).p_value < 0.01
    True
    """
    where = "permutation_test"
    y, a, b = _arrays((y_true, y_pred_a, y_pred_b), where)
    n_permutations = _count(n_permutations, "n_permutations", where, 1)
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"{where}: alternative must be one of {_ALTERNATIVES}, got "
                         f"{alternative!r}.")
    rng = check_random_state(random_state)
    observed = float(metric(y, a)) - float(metric(y, b))
    swaps = rng.random((n_permutations, y.shape[0])) < 0.5
    perm = np.empty(n_permutations)
    for k, s in enumerate(swaps):
        shape = (-1,) + (1,) * (a.ndim - 1)
        pa, pb = np.where(s.reshape(shape), b, a), np.where(s.reshape(shape), a, b)
        perm[k] = float(metric(y, pa)) - float(metric(y, pb))
    tol = 1e-12 * max(1.0, abs(observed))  # equal scores must count as "as extreme"
    if alternative == "two-sided":
        hits = np.sum(np.abs(perm) >= abs(observed) - tol)
    elif alternative == "greater":
        hits = np.sum(perm >= observed - tol)
    else:
        hits = np.sum(perm <= observed + tol)
    p = (1.0 + hits) / (1.0 + n_permutations)
    return TestResult(observed, float(min(p, 1.0)), "paired permutation",
                      {"n_permutations": n_permutations, "alternative": alternative,
                       "null_std": float(np.std(perm)) if not math.isnan(observed) else None})
