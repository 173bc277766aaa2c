"""Parameter checks shared by the generators: one clear ValueError per bad argument."""

from __future__ import annotations

import numbers

import numpy as np


def check_int(name: str, value, low: int, where: str) -> int:
    """``value`` as an int ≥ ``low``, else a ValueError naming ``name`` and the range."""
    if not isinstance(value, (numbers.Integral, np.integer)) or isinstance(value, bool):
        raise ValueError(f"{where}: {name} must be an integer >= {low}, got {value!r}.")
    if value < low:
        raise ValueError(f"{where}: {name}={value} is invalid; it must be >= {low}.")
    return int(value)


def check_real(name: str, value, where: str, *, low=None, high=None,
               low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a finite float in the given interval, else a ValueError saying which."""
    if not isinstance(value, (numbers.Real, np.floating, np.integer)) or isinstance(value, bool):
        raise ValueError(f"{where}: {name} must be a real number, got {value!r}.")
    value = float(value)
    bad = not np.isfinite(value)
    if low is not None:
        bad |= value <= low if low_open else value < low
    if high is not None:
        bad |= value >= high if high_open else value > high
    if bad:
        lo = "(-inf" if low is None else ("(" if low_open else "[") + f"{low}"
        hi = "inf)" if high is None else f"{high}" + (")" if high_open else "]")
        raise ValueError(f"{where}: {name}={value!r} is invalid; it must lie in {lo}, {hi}.")
    return value


def check_bool(name: str, value, where: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{where}: {name} must be True or False, got {value!r}.")
    return bool(value)


def check_two_sizes(n_samples, where: str) -> tuple[int, int]:
    """An int n split as (n // 2, n − n // 2), or a pair (n_first, n_second) as given."""
    if isinstance(n_samples, (numbers.Integral, np.integer)) and not isinstance(n_samples, bool):
        n = check_int("n_samples", n_samples, 1, where)
        return n // 2, n - n // 2
    try:
        first, second = n_samples
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: n_samples must be an int or a pair (n_first, n_second), got {n_samples!r}."
        ) from None
    return check_int("n_samples[0]", first, 0, where), check_int("n_samples[1]", second, 0, where)
