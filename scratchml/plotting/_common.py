"""Lazy matplotlib access and small input helpers shared by the plotting functions."""

from __future__ import annotations

import numpy as np

_MISSING = "scratchml.plotting needs matplotlib: pip install 'scratchml[plot]'"


def get_ax(ax):
    """``ax`` itself, or the Axes of a new figure; imports matplotlib only here."""
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(_MISSING) from None
    _, ax = plt.subplots()
    return ax


def require_matplotlib() -> None:
    """Raise the install hint now when matplotlib is missing (before any heavy work)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(_MISSING) from None


def as_1d(name: str, values, where: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{where}: {name} must be a non-empty 1-D array, got shape {arr.shape}.")
    return arr


def same_length(where: str, **arrays) -> None:
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"{where}: the inputs must have one entry per sample, but {detail}.")
