"""Vote weights of the k neighbours (uniform, inverse distance, or a callable)."""

from __future__ import annotations

import numpy as np


def _neighbor_weights(dist: np.ndarray, weights) -> np.ndarray:
    """Weights of each neighbour: 1 ("uniform"), 1/d ("distance"), or weights(dist).

    With "distance", a query that has neighbours at distance 0 gives them weight 1 and
    every other neighbour weight 0 (scikit-learn's rule), instead of dividing by zero.
    """
    if weights == "uniform" or weights is None:
        return np.ones_like(dist)
    if weights == "distance":
        with np.errstate(divide="ignore"):
            w = 1.0 / dist
        inf = np.isinf(w)
        rows = inf.any(axis=1)
        w[rows] = inf[rows]
        return w
    return np.asarray(weights(dist), dtype=np.float64)


def _check_weights(weights):
    if weights not in ("uniform", "distance", None) and not callable(weights):
        raise ValueError(
            f"weights={weights!r} is not supported; use 'uniform', 'distance' or a callable."
        )
