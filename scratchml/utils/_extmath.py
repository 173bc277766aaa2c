"""Small numerically careful array helpers shared by several estimator families."""

from __future__ import annotations

import numpy as np


def logsumexp_rows(a: np.ndarray) -> np.ndarray:
    """log Σ_j exp(a_ij) per row, shifted by the row maximum so nothing overflows.

    Rows that are all -inf give -inf (not NaN).
    """
    top = np.max(a, axis=1)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(a - top[:, None]), axis=1)) + top
