"""The result of one drift test, and the input checks shared by the tests."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np


@dataclass
class DriftResult:
    """Outcome of a drift test between a reference and a current sample.

    Attributes
    ----------
    test : str
        Name of the test (``"ks"``, ``"chi2"``, ``"psi"``, ...).
    statistic : float
        The test statistic (for distances, the distance itself).
    p_value : float or None
        P-value under "same distribution"; None for distances without one.
    effect_size : float
        A sample-size-free measure of how different the two samples are (documented
        per test), to read beside the p-value: with large samples tiny, harmless
        differences are "significant".
    drifted : bool
        ``p_value < threshold`` for tests, ``statistic >= threshold`` for distances.
    threshold : float
        The significance level or distance threshold that decided ``drifted``.
    details : dict
        Extra facts (the method used, categories never seen in the reference, ...).

    Examples
    --------
    >>> r = DriftResult("ks", 0.3, 0.01, 0.3, True, 0.05)
    >>> r.drifted, r.to_dict()["p_value"]
    (True, 0.01)
    """

    test: str
    statistic: float
    p_value: float | None
    effect_size: float
    drifted: bool
    threshold: float
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The result as plain Python data (JSON-serializable)."""
        return asdict(self)

    def __repr__(self) -> str:
        p = "None" if self.p_value is None else f"{self.p_value:.4g}"
        return (f"DriftResult(test={self.test!r}, statistic={self.statistic:.4g}, p_value={p}, "
                f"effect_size={self.effect_size:.4g}, drifted={self.drifted}, "
                f"threshold={self.threshold:g})")


def make_result(test, statistic, p_value, effect_size, threshold, *, by_p: bool,
                details=None) -> DriftResult:
    """Build a DriftResult with plain Python numbers and the drift decision."""
    statistic = float(statistic)
    effect_size = float(effect_size)
    if by_p:
        p_value = float(p_value)
        drifted = p_value < threshold
    else:
        drifted = statistic >= threshold
    return DriftResult(test, statistic, p_value, effect_size, bool(drifted), float(threshold),
                       dict(details or {}))


def check_threshold(value, name: str, where: str, *, upper: float | None = None) -> float:
    """A positive finite threshold (below ``upper`` when given), else a ValueError."""
    ok = isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool)
    if ok:
        value = float(value)
        ok = value > 0 and math.isfinite(value) and (upper is None or value < upper)
    if not ok:
        bound = f"in (0, {upper:g})" if upper is not None else "a positive finite number"
        raise ValueError(f"{where}: {name} must be {bound}, got {value!r}.")
    return float(value)


def _one_d(values, name: str, where: str) -> np.ndarray:
    """``values`` as a 1-D array (a single row or column is flattened)."""
    arr = np.asarray(values)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{where}: {name} must be 1-D, got shape {arr.shape}.")
    return arr


def numeric_sample(values, name: str, where: str) -> np.ndarray:
    """A 1-D float sample with NaNs dropped; a ValueError when nothing is left."""
    arr = _one_d(values, name, where)
    try:
        arr = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: {name} has non-numeric values (dtype {arr.dtype}); use chi2_test, "
            "psi(..., categorical=True) or js_distance(..., categorical=True) for categories."
        ) from None
    if np.isinf(arr).any():
        raise ValueError(f"{where}: {name} contains {int(np.isinf(arr).sum())} infinite values.")
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        raise ValueError(f"{where}: {name} is empty or all NaN; it needs at least one value.")
    return arr


def _is_missing(arr: np.ndarray) -> np.ndarray:
    if arr.dtype.kind == "f":
        return np.isnan(arr)
    if arr.dtype.kind == "O":
        return np.array([v is None or (isinstance(v, float) and v != v) for v in arr], bool)
    return np.zeros(arr.shape, dtype=bool)


def categorical_sample(values, name: str, where: str) -> np.ndarray:
    """A 1-D array of category labels with missing values (None, NaN) dropped."""
    arr = _one_d(values, name, where)
    arr = arr[~_is_missing(arr)]
    if arr.size == 0:
        raise ValueError(f"{where}: {name} is empty or all missing; it needs at least one value.")
    if arr.dtype.kind == "O":
        arr = arr.astype(str)  # mixed Python objects sort and compare as their text
    return arr


def sample_pair(reference, current, where: str, *, categorical: bool = False):
    """Both samples of a two-sample test, cleaned alike: ``(reference, current)``."""
    clean = categorical_sample if categorical else numeric_sample
    return clean(reference, "reference", where), clean(current, "current", where)


def category_counts(reference: np.ndarray, current: np.ndarray):
    """Counts of every category (union of both samples) in each sample, and the new ones.

    Returns ``(categories, ref_counts, cur_counts, unseen)`` where ``unseen`` lists the
    categories of ``current`` that never occur in ``reference``.
    """
    cats, inverse = np.unique(np.concatenate([reference, current]), return_inverse=True)
    k = cats.size
    ref_counts = np.bincount(inverse[:reference.size], minlength=k).astype(np.float64)
    cur_counts = np.bincount(inverse[reference.size:], minlength=k).astype(np.float64)
    unseen = cats[(ref_counts == 0) & (cur_counts > 0)]
    return cats, ref_counts, cur_counts, [c.item() if hasattr(c, "item") else c for c in unseen]
