"""Univariate statistical tests between each feature and the target.

Each function returns ``(scores, p_values)``, one entry per column of X, and can be
given to :class:`SelectKBest` or :class:`SelectPercentile` as ``score_func``. The
p-values come from :mod:`scratchml.utils._special` (no SciPy).

Sums of squares are computed from centred data (two passes), not with the one-pass
Σx² − (Σx)²/n formulas, which cancel catastrophically for features with a large mean;
on well-conditioned data the results equal scikit-learn's to rounding.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import DataValidationError
from ..utils._special import chi2_sf, f_sf
from ..utils.validation import check_X_y
from ._base import _centered_sum_of_squares, _class_indices, _class_sums


def f_classif(X, y) -> tuple[np.ndarray, np.ndarray]:
    """One-way ANOVA F-test of each feature against class labels.

    With K classes of sizes n_k, class means m_k, overall mean m and n samples,

        SSB = Σ_k n_k (m_k − m)²,   SSW = Σ_k Σ_{i∈k} (x_i − m_k)² = SST − SSB,
        F = [SSB / (K − 1)] / [SSW / (n − K)],   p = P(F_{K−1, n−K} > F),

    with SST = Σ_i (x_i − m)² summed around the overall mean (two passes, so a large
    mean costs no precision).

    A feature constant within every class has SSW = 0: F is ∞ (p = 0) when the
    class means differ, and NaN (p = NaN) when the feature is constant overall.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels.

    Returns
    -------
    f_statistic, p_values : ndarray of shape (n_features,)

    Examples
    --------
    >>> from scratchml.feature_selection import f_classif
    >>> f, p = f_classif([[1.0, 5.0], [2.0, 4.0], [8.0, 5.0], [9.0, 4.0]], [0, 0, 1, 1])
    >>> f.round(2), p.round(4)
    (array([98.,  0.]), array([0.0101, 1.    ]))
    """
    X, y = check_X_y(X, y, estimator="f_classif")
    y_idx, n_classes = _class_indices(y)
    n = X.shape[0]
    counts = np.bincount(y_idx, minlength=n_classes).astype(np.float64)[:, None]
    sums = _class_sums(X, y_idx, n_classes)
    mean = sums.sum(axis=0) / n
    ssb = (counts * (sums / counts - mean) ** 2).sum(axis=0)
    sst = _centered_sum_of_squares(X, mean)
    ssw = np.maximum(sst - ssb, 0.0)
    # A constant feature: make SSB = SSW = 0 exactly (rounding of the means may not).
    constant = X.max(axis=0) == X.min(axis=0)
    ssb[constant] = ssw[constant] = 0.0
    dfb, dfw = n_classes - 1, n - n_classes
    with np.errstate(divide="ignore", invalid="ignore"):
        f = (ssb / dfb) / (ssw / dfw)
    # As scipy.special.fdtrc (used by scikit-learn): NaN dof or NaN F give NaN.
    p = f_sf(f, dfb, dfw) if dfb > 0 and dfw > 0 else np.full_like(f, np.nan)
    return f, p


def r_regression(X, y, *, center: bool = True, force_finite: bool = True) -> np.ndarray:
    """Pearson correlation of each feature with a continuous target.

        r_j = Σ (x_ij − x̄_j)(y_i − ȳ) / (‖x_j − x̄_j‖ ‖y − ȳ‖)

    (without the means when ``center=False``). A constant feature or target gives
    0 with ``force_finite`` (NaN otherwise).

    Examples
    --------
    >>> from scratchml.feature_selection import r_regression
    >>> r_regression([[1.0, 1.0], [2.0, 0.0], [3.0, 1.0]], [1.0, 2.0, 3.0])
    array([1., 0.])
    """
    X, y = check_X_y(X, y, y_numeric=True, estimator="r_regression")
    X = X.astype(np.float64, copy=False)
    if center:
        y = y - y.mean()
        # Σ (x − x̄)(y − ȳ) = Σ x (y − ȳ): only y needs centring for the numerator.
        x_norms = np.sqrt(_centered_sum_of_squares(X, X.mean(axis=0)))
    else:
        x_norms = np.sqrt(_centered_sum_of_squares(X, np.zeros(X.shape[1])))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (y @ X) / x_norms / np.linalg.norm(y)
    if force_finite:
        r[np.isnan(r)] = 0.0
    return np.clip(r, -1.0, 1.0)  # |r| may round to 1 + eps for an exact linear relation


def f_regression(X, y, *, center: bool = True,
                 force_finite: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """F-test of the univariate linear regression of the target on each feature.

        F_j = r_j² / (1 − r_j²) · (n − 2),   p_j = P(F_{1, n−2} > F_j)

    (n − 1 degrees of freedom when ``center=False``), with r_j from :func:`r_regression`.
    With ``force_finite``, a perfectly correlated feature gets F = the largest float
    (p = 0) and a constant feature or target F = 0 (p = 1).

    Examples
    --------
    >>> from scratchml.feature_selection import f_regression
    >>> f, p = f_regression([[1.0], [2.0], [3.0], [4.0]], [1.0, 3.0, 2.0, 5.0])
    >>> f.round(3), p.round(4)
    (array([4.481]), array([0.1685]))
    """
    r = r_regression(X, y, center=center, force_finite=force_finite)
    dof = len(np.asarray(y).ravel()) - (2 if center else 1)
    r2 = r**2
    with np.errstate(divide="ignore", invalid="ignore"):
        f = r2 / (1 - r2) * dof
    p = f_sf(f, 1, dof)
    if force_finite:
        f[np.isinf(f)] = np.finfo(f.dtype).max
        nan = np.isnan(f)
        f[nan] = 0.0
        p[nan] = 1.0
    return f, p


def chi2(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Chi² test of independence between each non-negative feature and the class.

    Each feature is read as counts (or frequencies). With O_kj = Σ_{i∈k} x_ij the
    total of feature j in class k and E_kj = (n_k / n) Σ_i x_ij its total expected
    under independence,

        χ²_j = Σ_k (O_kj − E_kj)² / E_kj,   p_j = P(χ²_{K−1} > χ²_j).

    A feature that is zero everywhere gives NaN. X may be sparse (a CSRMatrix or
    SciPy's): the observed totals are then (X.T @ Y).T with the class indicator Y,
    a pass over the stored counts only.

    Examples
    --------
    >>> from scratchml.feature_selection import chi2
    >>> stat, p = chi2([[3, 0], [4, 1], [0, 2], [1, 2]], [0, 0, 1, 1])
    >>> stat.round(3), p.round(4)
    (array([4.5, 1.8]), array([0.0339, 0.1797]))
    """
    X, y = check_X_y(X, y, estimator="chi2", accept_sparse=True)
    sparse = not isinstance(X, np.ndarray)
    if np.any((X.data if sparse else X) < 0):
        cols = np.unique(X.indices[X.data < 0]) if sparse else np.flatnonzero((X < 0).any(axis=0))
        raise DataValidationError(
            f"Input X must be non-negative for chi2: columns {cols[:5].tolist()} have negative "
            "values. chi2 reads features as counts; shift, bin or drop those columns."
        )
    y_idx, n_classes = _class_indices(y)
    n = X.shape[0]
    k = max(n_classes, 2)  # one class: an empty second one, as in scikit-learn
    if sparse:
        onehot = np.zeros((n, k))
        onehot[np.arange(n), y_idx] = 1.0
        observed = (X.T @ onehot).T
    else:
        observed = _class_sums(X, y_idx, k)
    class_prob = np.bincount(y_idx, minlength=k) / n
    expected = np.outer(class_prob, X.sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = ((observed - expected) ** 2 / expected).sum(axis=0)
    return stat, chi2_sf(stat, k - 1)


__all__ = ["chi2", "f_classif", "f_regression", "r_regression"]
