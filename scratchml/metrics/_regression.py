"""Regression metrics: squared, absolute and percentage errors, R² and explained variance.

Each metric is a (weighted) mean over samples, one value per output column,
then combined across outputs by ``multioutput``: "raw_values" (the vector),
"uniform_average" (its mean) or an array of output weights; R² and explained
variance also accept "variance_weighted" (weights = variance of each y column).
"""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_array
from ._base import (
    check_consistent_length,
    check_sample_weight,
    fill_doc,
    warn_undefined,
    weighted_mean,
)

__all__ = [
    "explained_variance_score",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "median_absolute_error",
    "r2_score",
    "root_mean_squared_error",
]

_MULTIOUTPUT = ("raw_values", "uniform_average", "variance_weighted")

# Shared docstring sections: the losses (one value per output, lower is better)
# and the explained fractions (R², explained variance), filled in by ``fill_doc``.
_LOSS_PARAMS = """Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"raw_values", "uniform_average"} or array-like, default="uniform_average"

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)"""

_SCORE_PARAMS = """Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array-like
    force_finite : bool, default=True

    Returns
    -------
    score : float or ndarray of shape (n_outputs,)"""


def _check_reg_targets(y_true, y_pred, sample_weight, multioutput, *, allow_variance=False):
    """Validated 2D (n_samples, n_outputs) float targets, weights and output weights."""
    y_true = check_array(y_true, ensure_2d=False, dtype="float", input_name="y_true",
                         ensure_min_samples=0)
    y_pred = check_array(y_pred, ensure_2d=False, dtype="float", input_name="y_pred",
                         ensure_min_samples=0)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.ndim == 0 or y.ndim > 2:
            raise ValueError(
                f"{name} should have shape (n_samples,) or (n_samples, n_outputs), got "
                f"{y.shape}."
            )
    check_consistent_length(y_true=y_true, y_pred=y_pred)
    if y_true.shape[0] == 0:
        raise ValueError("Found empty input: y_true and y_pred have no samples, but at least "
                         "1 is required.")
    if y_true.dtype == np.float32 and y_pred.dtype == np.float32:
        dtype = np.float32
    else:
        dtype = np.float64
    y_true = y_true.reshape(y_true.shape[0], -1).astype(dtype, copy=False)
    y_pred = y_pred.reshape(y_pred.shape[0], -1).astype(dtype, copy=False)
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            f"y_true and y_pred have different number of output ({y_true.shape[1]}!="
            f"{y_pred.shape[1]})"
        )
    w = check_sample_weight(sample_weight, y_true.shape[0])
    if w is not None:
        w = w.astype(dtype)
    allowed = _MULTIOUTPUT if allow_variance else _MULTIOUTPUT[:2]
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(
                f"Allowed 'multioutput' string values are {allowed}. You provided "
                f"multioutput={multioutput!r}"
            )
    elif multioutput is not None:
        multioutput = check_array(multioutput, ensure_2d=False, input_name="multioutput")
        if y_true.shape[1] == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if multioutput.shape[0] != y_true.shape[1]:
            raise ValueError(
                f"There must be equally many custom weights ({multioutput.shape[0]}) as "
                f"outputs ({y_true.shape[1]})."
            )
    return y_true, y_pred, w, multioutput


# Rows per block for the column sums below: a block's temporaries (block x n_outputs
# floats) stay in cache instead of streaming full-size copies through memory.
_BLOCK_ROWS = 1 << 13


def _sum_sq(a: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->j", a, a)


def _blockwise_column_sums(fn, *arrays) -> np.ndarray:
    """sum over all rows of ``fn(*row_block)``, one block of rows at a time."""
    n = arrays[0].shape[0]
    total = 0.0
    for start in range(0, n, _BLOCK_ROWS):
        total = total + fn(*(a[start:start + _BLOCK_ROWS] for a in arrays))
    return total


def _weighted_sq_sums(diff_fn, w, *arrays) -> np.ndarray:
    """Column sums of w_i * diff_fn(row)², blockwise (w None: unit weights)."""
    if w is None:
        return _blockwise_column_sums(lambda *b: _sum_sq(diff_fn(*b)), *arrays)
    return _blockwise_column_sums(lambda wb, *b: wb @ diff_fn(*b) ** 2, w, *arrays)


def _combine_outputs(output_errors, multioutput):
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return output_errors
    weights = None if isinstance(multioutput, str) else multioutput
    return float(weighted_mean(output_errors, weights))


def _per_output_loss(errors, y_true, y_pred, sample_weight, multioutput):
    """Validate the inputs, take ``errors(y_true, y_pred, w)`` (one value per output
    column of the validated 2D targets) and combine them as ``multioutput`` says."""
    y_true, y_pred, w, multioutput = _check_reg_targets(y_true, y_pred, sample_weight,
                                                        multioutput)
    return _combine_outputs(errors(y_true, y_pred, w), multioutput)


@fill_doc(params=_LOSS_PARAMS)
def mean_squared_error(y_true, y_pred, *, sample_weight=None,
                       multioutput="uniform_average"):
    """Mean squared error: (1 / sum w) sum_i w_i (y_i − ŷ_i)², per output.

    {params}

    Examples
    --------
    >>> from scratchml.metrics import mean_squared_error
    >>> mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.375
    """
    return _per_output_loss(_squared_errors, y_true, y_pred, sample_weight, multioutput)


def _squared_errors(y_true, y_pred, w):
    total = _weighted_sq_sums(np.subtract, w, y_true, y_pred)
    return total / (y_true.shape[0] if w is None else w.sum())


@fill_doc(params=_LOSS_PARAMS)
def root_mean_squared_error(y_true, y_pred, *, sample_weight=None,
                            multioutput="uniform_average"):
    """Root mean squared error: sqrt of :func:`mean_squared_error` per output.

    {params}

    Examples
    --------
    >>> from scratchml.metrics import root_mean_squared_error
    >>> round(root_mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 4)
    0.6124
    """
    return _per_output_loss(lambda t, p, w: np.sqrt(_squared_errors(t, p, w)),
                            y_true, y_pred, sample_weight, multioutput)


@fill_doc(params=_LOSS_PARAMS)
def mean_absolute_error(y_true, y_pred, *, sample_weight=None,
                        multioutput="uniform_average"):
    """Mean absolute error: (1 / sum w) sum_i w_i |y_i − ŷ_i|, per output.

    {params}

    Examples
    --------
    >>> from scratchml.metrics import mean_absolute_error
    >>> mean_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.5
    """
    return _per_output_loss(lambda t, p, w: weighted_mean(np.abs(p - t), w, axis=0),
                            y_true, y_pred, sample_weight, multioutput)


@fill_doc(params=_LOSS_PARAMS)
def mean_absolute_percentage_error(y_true, y_pred, *, sample_weight=None,
                                   multioutput="uniform_average"):
    """Mean absolute percentage error: mean of |y − ŷ| / max(|y|, eps), as a fraction.

    eps is float64's machine epsilon, so a zero target gives a huge (finite)
    error rather than infinity.

    {params}

    Examples
    --------
    >>> from scratchml.metrics import mean_absolute_percentage_error
    >>> round(mean_absolute_percentage_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 4)
    0.3274
    """
    return _per_output_loss(_absolute_percentage_errors, y_true, y_pred, sample_weight,
                            multioutput)


def _absolute_percentage_errors(y_true, y_pred, w):
    eps = np.asarray(np.finfo(np.float64).eps, dtype=y_true.dtype)
    mape = np.abs(y_pred - y_true) / np.maximum(np.abs(y_true), eps)
    return weighted_mean(mape, w, axis=0)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per-column weighted median, averaging at an exact half (Hyndman & Fan type 2)."""
    if np.all(weights == 0):
        return np.full(values.shape[1], np.nan)
    order = np.argsort(values, axis=0)
    sorted_values = np.take_along_axis(values, order, axis=0)
    cdf = np.cumsum(weights[order], axis=0)
    half = 0.5 * cdf[-1]
    half = np.where(half == 0, np.nextafter(half, half + 1), half)
    last = values.shape[0] - 1
    out = np.empty(values.shape[1])
    for j in range(values.shape[1]):
        i = min(np.searchsorted(cdf[:, j], half[j]), last)
        value = sorted_values[i, j]
        if cdf[i, j] - half[j] > np.finfo(np.float64).eps:
            out[j] = value
            continue
        # Exactly half the weight lies at or below: average with the next weighted value.
        nxt = np.searchsorted(cdf[:, j], cdf[i, j], side="right")
        out[j] = (value + sorted_values[nxt if nxt <= last else i, j]) / 2
    return out


@fill_doc(params=_LOSS_PARAMS)
def median_absolute_error(y_true, y_pred, *, multioutput="uniform_average",
                          sample_weight=None):
    """Median of |y − ŷ| per output (weighted median with ``sample_weight``).

    {params}

    Examples
    --------
    >>> from scratchml.metrics import median_absolute_error
    >>> median_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.5
    """
    return _per_output_loss(_median_absolute_errors, y_true, y_pred, sample_weight,
                            multioutput)


def _median_absolute_errors(y_true, y_pred, w):
    abs_err = np.abs(y_pred - y_true)
    return np.median(abs_err, axis=0) if w is None else _weighted_median(abs_err, w)


def _explained_fraction(numerator, denominator, multioutput, force_finite):
    """1 − numerator / denominator per output, then combined across outputs."""
    nonzero_den = denominator != 0
    if not force_finite:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = 1 - numerator / denominator
    else:
        nonzero_num = numerator != 0
        # 0/0 (constant y, perfectly predicted) is 1; x/0 would be -inf: use 0.
        scores = np.ones(numerator.shape[0], dtype=numerator.dtype)
        valid = nonzero_den & nonzero_num
        scores[valid] = 1 - numerator[valid] / denominator[valid]
        scores[nonzero_num & ~nonzero_den] = 0.0
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return scores
        weights = None
        if multioutput == "variance_weighted" and np.any(nonzero_den):
            weights = denominator
    else:
        weights = multioutput
    return float(weighted_mean(scores, weights))


@fill_doc(params=_SCORE_PARAMS)
def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average",
             force_finite: bool = True):
    """Coefficient of determination R² = 1 − SS_res / SS_tot, per output.

        SS_res = sum_i w_i (y_i − ŷ_i)²,   SS_tot = sum_i w_i (y_i − ȳ_w)²

    1 is a perfect fit, 0 predicts the (weighted) mean, below 0 is worse.
    ``force_finite`` replaces the undefined constant-y cases: 1 when the
    predictions are perfect, else 0 (instead of NaN or -inf).

    {params}

    Examples
    --------
    >>> from scratchml.metrics import r2_score
    >>> round(r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 4)
    0.9486
    """
    y_true, y_pred, w, multioutput = _check_reg_targets(y_true, y_pred, sample_weight,
                                                        multioutput, allow_variance=True)
    if y_pred.shape[0] < 2:
        warn_undefined("R^2 score is not well-defined with less than two samples.")
        return float("nan")
    mean = weighted_mean(y_true, w, axis=0)
    numerator = _weighted_sq_sums(np.subtract, w, y_true, y_pred)
    denominator = _weighted_sq_sums(lambda t: t - mean, w, y_true)
    return _explained_fraction(numerator, denominator, multioutput, force_finite)


@fill_doc(params=_SCORE_PARAMS)
def explained_variance_score(y_true, y_pred, *, sample_weight=None,
                             multioutput="uniform_average", force_finite: bool = True):
    """Explained variance 1 − Var(y − ŷ) / Var(y), per output.

    Like R² but blind to a constant offset in the predictions (the residual
    mean is subtracted before taking its variance).

    {params}

    Examples
    --------
    >>> from scratchml.metrics import explained_variance_score
    >>> round(explained_variance_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 4)
    0.9572
    """
    y_true, y_pred, w, multioutput = _check_reg_targets(y_true, y_pred, sample_weight,
                                                        multioutput, allow_variance=True)
    diff = y_true - y_pred
    residual = diff - weighted_mean(diff, w, axis=0)
    numerator = weighted_mean(residual**2, w, axis=0)
    centred = y_true - weighted_mean(y_true, w, axis=0)
    denominator = weighted_mean(centred**2, w, axis=0)
    return _explained_fraction(numerator, denominator, multioutput, force_finite)
