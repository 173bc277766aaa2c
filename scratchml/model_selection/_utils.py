"""Shared helpers of model selection: counting and indexing samples of any array-like.

Splitters and cross-validation never convert the user's data: a pandas frame
stays a frame, a list stays a list. Rows are taken with ``.iloc`` when the
object has it (pandas, duck-typed), with fancy indexing for NumPy arrays, and
item by item for plain sequences.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import get_estimator_type


def _num_samples(x) -> int:
    """Number of samples (rows) of an array-like; a clear error for scalars and None."""
    if x is None:
        raise TypeError("Expected an array-like of samples, got None.")
    shape = getattr(x, "shape", None)
    if shape is not None and not callable(shape):
        if len(shape) == 0:
            raise TypeError(f"Expected an array-like of samples, got a scalar {x!r}.")
        return int(shape[0])
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        if hasattr(x, "__array__"):
            return _num_samples(np.asarray(x))
        raise TypeError(
            f"Expected an array-like of samples (list, NumPy array, DataFrame), got "
            f"{type(x).__name__}."
        )
    return len(x)


def check_consistent_length(*arrays) -> None:
    """Raise ValueError unless every non-None array has the same number of samples."""
    lengths = [_num_samples(a) for a in arrays if a is not None]
    if len(set(lengths)) > 1:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: {lengths}. "
            "Every array must describe the same samples (one row each)."
        )


def _take_rows(x: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """``x[indices]`` as a new array (never a view, so an estimator with copy=False
    cannot modify the caller's X through it).

    K-fold indices are a few runs of consecutive integers; copying those runs as
    slices (memcpy) is faster than gathering row by row.
    """
    n = len(indices)
    if n >= 1024 and indices.dtype.kind in "iu":
        breaks = np.flatnonzero(np.diff(indices) != 1) + 1
        if len(breaks) < 16:
            starts = indices[np.r_[0, breaks]]
            stops = indices[np.r_[breaks - 1, n - 1]] + 1
            if starts.min() >= 0 and stops.max() <= len(x):
                return np.concatenate([x[a:b] for a, b in zip(starts, stops)])
    return x.take(indices, axis=0)


def _safe_rows(x, indices):
    """Rows ``indices`` of ``x`` in the container type of ``x`` (None stays None)."""
    if x is None:
        return None
    indices = np.asarray(indices)
    if hasattr(x, "iloc"):  # pandas DataFrame / Series, duck-typed
        return x.iloc[indices]
    if isinstance(x, np.ndarray):
        if indices.dtype.kind == "b":
            return x[indices]
        return _take_rows(x, indices)
    if hasattr(x, "shape") and hasattr(x, "__getitem__") and not isinstance(x, (list, tuple)):
        return x[indices]
    if indices.dtype.kind == "b":
        indices = np.flatnonzero(indices)
    return [x[int(i)] for i in indices]


def _index_params(params: dict | None, indices, n_samples: int) -> dict:
    """Fit parameters with one value per sample (``sample_weight``) restricted to ``indices``."""
    if not params:
        return {}
    out = {}
    for key, value in params.items():
        is_array = hasattr(value, "__len__") and not isinstance(value, (str, bytes, dict))
        if is_array and _num_samples(value) == n_samples:
            out[key] = _safe_rows(value, indices)
        else:
            out[key] = value
    return out


def _type_of_target(y) -> str:
    """Kind of target: 'binary', 'multiclass', 'continuous', 'multilabel-indicator', ...

    The subset of scikit-learn's ``type_of_target`` that splitters need to decide
    whether to stratify.
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim > 2 or y.size == 0:
        return "unknown"
    if y.ndim == 2:
        if y.dtype.kind in "biu" and np.isin(y, (0, 1)).all():
            return "multilabel-indicator"
        if y.dtype.kind == "f" and np.any(y != np.round(y)):
            return "continuous-multioutput"
        return "multiclass-multioutput"
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        return "continuous"
    if y.dtype.kind == "O" and any(isinstance(v, numbers.Real) and not float(v).is_integer()
                                   for v in y if not isinstance(v, (str, bytes, bool))):
        return "continuous"
    n_unique = len(np.unique(y)) if y.dtype.kind != "O" else len(set(y.tolist()))
    return "binary" if n_unique <= 2 else "multiclass"


def _is_classifier(estimator) -> bool:
    return get_estimator_type(estimator) == "classifier"
