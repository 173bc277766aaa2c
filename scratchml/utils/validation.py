"""Input validation at the public boundary.

Everything array-like (lists, NumPy arrays, pandas DataFrames/Series, anything
with ``__array__``) becomes a C-contiguous floating array here, once. Errors say
what is wrong, where (columns, counts) and how to fix it. pandas is duck-typed:
scratchml never imports it.
"""

from __future__ import annotations

import numbers
import sys

import numpy as np

from ..exceptions import DataValidationError, NotFittedError

# The array-level helpers moved to _array_checks.py; they are imported back because
# the checks below use them and other modules import _is_dataframe from here.
from ._array_checks import (
    FLOAT_DTYPES,
    _assert_finite,
    _check_sparse,
    _column_names,
    _describe_columns,
    _is_dataframe,
    _is_sparse,
    _object_to_float,
    _to_numpy,
    _where,
)


def get_feature_names(X) -> np.ndarray | None:
    """Column names of a DataFrame as an object array when they are all strings, else None."""
    if not _is_dataframe(X):
        return None
    names = list(X.columns)
    if names and all(isinstance(n, str) for n in names):
        return np.asarray(names, dtype=object)
    return None


def check_array(
    X,
    *,
    dtype="float",
    ensure_2d: bool = True,
    allow_nd: bool = False,
    ensure_all_finite: bool | str = True,
    ensure_min_samples: int = 1,
    ensure_min_features: int = 1,
    copy: bool = False,
    estimator=None,
    input_name: str = "X",
    accept_sparse: bool = False,
) -> np.ndarray:
    """Validate an array-like and return a C-contiguous NumPy array.

    Parameters
    ----------
    X : array-like
        Lists, NumPy arrays, pandas DataFrames, or anything with ``__array__``.
    dtype : "float", "numeric", None, a dtype, or a tuple of dtypes
        ``"float"`` keeps float32/float64 and converts everything else to float64.
        ``"numeric"`` keeps any numeric dtype. ``None`` keeps the dtype (objects too).
        A tuple keeps X's dtype if listed, else converts to the first entry.
    ensure_all_finite : bool or "allow-nan"
        Reject NaN and infinity (True), only infinity ("allow-nan"), or nothing (False).
    accept_sparse : bool, default=False
        Whether a sparse matrix (:class:`scratchml.sparse.CSRMatrix`, or SciPy's, by
        duck typing) is allowed; it is returned as a ``CSRMatrix``. When False, sparse
        input is a ``TypeError`` that names the alternatives.
    """
    if not isinstance(X, np.ndarray) and _is_sparse(X):
        if not accept_sparse:
            raise TypeError(
                f"{input_name} is a sparse matrix{_where(estimator)}, which needs dense input. "
                "Reduce it with scratchml.decomposition.TruncatedSVD first, or call "
                f"{input_name}.toarray() if it fits in memory."
            )
        return _check_sparse(X, dtype, ensure_all_finite, ensure_min_samples,
                             ensure_min_features, copy, estimator, input_name)
    names = _column_names(X, 0) if _is_dataframe(X) else None
    arr = _to_numpy(X, input_name, estimator)

    if isinstance(dtype, str) and dtype == "float":
        dtype = FLOAT_DTYPES
    if isinstance(dtype, str) and dtype == "numeric":
        if arr.dtype.kind == "O":
            arr = _object_to_float(arr, input_name, estimator)
        elif arr.dtype.kind in "USV":
            arr = _object_to_float(arr.astype(object), input_name, estimator)
        elif arr.dtype.kind not in "biuf":
            raise DataValidationError(
                f"{input_name} has dtype {arr.dtype}{_where(estimator)}, which is not numeric."
            )
    elif dtype is not None:
        wanted = dtype if isinstance(dtype, tuple) else (dtype,)
        wanted = tuple(np.dtype(d) for d in wanted)
        if arr.dtype not in wanted:
            if arr.dtype.kind in "OUSV":
                arr = _object_to_float(arr.astype(object), input_name, estimator)
            elif arr.dtype.kind == "c":
                raise DataValidationError(
                    f"{input_name} is complex{_where(estimator)}; scratchml needs real numbers."
                )
            elif arr.dtype.kind not in "biuf":
                raise DataValidationError(
                    f"{input_name} has dtype {arr.dtype}{_where(estimator)}, which is not numeric."
                )
            if arr.dtype not in wanted:
                arr = arr.astype(wanted[0])

    if ensure_2d:
        if arr.ndim == 0:
            raise DataValidationError(
                f"Expected a 2D array for {input_name}, got a scalar {arr!r}{_where(estimator)}. "
                "Pass a list of rows, e.g. [[1.0, 2.0], [3.0, 4.0]]."
            )
        if arr.ndim == 1:
            raise DataValidationError(
                f"Expected a 2D array for {input_name}, got a 1D array of {arr.shape[0]} "
                f"values{_where(estimator)}. Reshape it with X.reshape(-1, 1) if it is one "
                "feature, or X.reshape(1, -1) if it is one sample."
            )
        if arr.ndim > 2 and not allow_nd:
            raise DataValidationError(
                f"{input_name} has {arr.ndim} dimensions (shape {arr.shape}){_where(estimator)}; "
                "expected 2 (samples x features). Flatten the extra axes first."
            )
    if ensure_min_samples > 0 and arr.ndim >= 1:
        n = arr.shape[0]
        if n < ensure_min_samples:
            what = "no samples" if n == 0 else f"{n} sample{'s' if n != 1 else ''}"
            raise DataValidationError(
                f"{input_name} has {what}{_where(estimator)}, but at least "
                f"{ensure_min_samples} {'is' if ensure_min_samples == 1 else 'are'} required."
            )
    if ensure_min_features > 0 and arr.ndim == 2 and arr.shape[1] < ensure_min_features:
        raise DataValidationError(
            f"{input_name} has {arr.shape[1]} features{_where(estimator)}, but at least "
            f"{ensure_min_features} {'is' if ensure_min_features == 1 else 'are'} required."
        )

    if ensure_all_finite:
        _assert_finite(arr, ensure_all_finite == "allow-nan", input_name, estimator, names)

    if copy or not arr.flags.c_contiguous:
        arr = np.array(arr, order="C", copy=True)
    return arr


def column_or_1d(y, *, dtype=None, input_name: str = "y", estimator=None, warn: bool = False):
    """Return y as a 1D array; accepts shape (n,) or (n, 1)."""
    arr = _to_numpy(y, input_name, estimator) if not hasattr(y, "to_numpy") else y.to_numpy()
    arr = np.asarray(arr)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise DataValidationError(
            f"{input_name} should be a 1D array of shape (n_samples,), got shape "
            f"{arr.shape}{_where(estimator)}."
        )
    if dtype is not None:
        arr = arr.astype(dtype)
    return np.ascontiguousarray(arr)


def check_X_y(
    X,
    y,
    *,
    dtype="float",
    multi_output: bool = False,
    y_numeric: bool = False,
    ensure_all_finite: bool | str = True,
    ensure_min_samples: int = 1,
    estimator=None,
    accept_sparse: bool = False,
):
    """Validate X (as :func:`check_array`) and y together; their lengths must agree."""
    if y is None:
        raise DataValidationError(
            f"y is required{_where(estimator)}: this estimator is supervised; pass fit(X, y)."
        )
    X = check_array(
        X,
        dtype=dtype,
        ensure_all_finite=ensure_all_finite,
        ensure_min_samples=ensure_min_samples,
        estimator=estimator,
        accept_sparse=accept_sparse,
    )
    if multi_output:
        y = check_array(y, dtype=None, ensure_2d=False, estimator=estimator, input_name="y",
                        ensure_all_finite=False)
    else:
        y = column_or_1d(y, estimator=estimator)
    if y_numeric:
        if y.dtype.kind == "O" or y.dtype.kind in "USV":
            y = _object_to_float(y.astype(object), "y", estimator)
        y = y.astype(np.float64, copy=False)
    if y.dtype.kind in "fc":
        _assert_finite(y, False, "y", estimator)
    elif y.dtype.kind == "O":
        if any(v is None or (isinstance(v, float) and v != v) for v in y.ravel()):
            raise DataValidationError(
                f"y contains missing values (None or NaN){_where(estimator)}. "
                "Drop those samples first."
            )
    if len(y) != X.shape[0]:
        raise DataValidationError(
            f"X and y have different numbers of samples: {X.shape[0]} and {len(y)}"
            f"{_where(estimator)}. They must describe the same samples."
        )
    return X, y


def check_classification_targets(y, estimator=None, min_classes: int = 2):
    """Return ``(classes, y_encoded)``; at least ``min_classes`` distinct labels are required."""
    if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
        raise DataValidationError(
            f"y has continuous values (e.g. {y[np.mod(y, 1) != 0][0]!r}){_where(estimator)}, "
            "but this is a classifier. Use a regressor, or bin the target into classes."
        )
    classes, y_encoded = np.unique(y, return_inverse=True)
    if len(classes) < min_classes:
        raise DataValidationError(
            f"y has {len(classes)} class{'es' if len(classes) != 1 else ''} "
            f"({_describe_columns([str(c) for c in classes])}){_where(estimator)}, but a "
            f"classifier needs at least {min_classes}. Check the labels of your training data."
        )
    return classes, y_encoded.astype(np.intp)


def check_random_state(seed) -> np.random.Generator:
    """Turn ``seed`` into a :class:`numpy.random.Generator`; never touches the global RNG.

    None gives a fresh, OS-seeded generator; an int (or SeedSequence) seeds a new
    one; a Generator is returned as is; a legacy ``RandomState`` seeds a new
    generator from its next draw.
    """
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (numbers.Integral, np.integer)) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"random_state={seed} must be a non-negative integer.")
        return np.random.default_rng(int(seed))
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, np.random.RandomState):
        return np.random.default_rng(seed.randint(0, 2**32 - 1, dtype=np.uint64))
    raise ValueError(
        f"random_state={seed!r} cannot seed a random generator; use None, a non-negative int, "
        "or a numpy.random.Generator."
    )


def check_sample_weight(sample_weight, n_samples: int, dtype=np.float64, estimator=None):
    """Return weights as a 1D float array of length ``n_samples`` (ones when None)."""
    if sample_weight is None:
        return np.ones(n_samples, dtype=dtype)
    if np.isscalar(sample_weight):
        return np.full(n_samples, float(sample_weight), dtype=dtype)
    w = check_array(sample_weight, ensure_2d=False, dtype=dtype, estimator=estimator,
                    input_name="sample_weight")
    if w.ndim != 1 or w.shape[0] != n_samples:
        raise DataValidationError(
            f"sample_weight has shape {w.shape}, but X has {n_samples} samples{_where(estimator)}; "
            "pass one non-negative weight per sample."
        )
    if np.any(w < 0):
        raise DataValidationError(
            f"sample_weight has {int((w < 0).sum())} negative values{_where(estimator)}; "
            "weights must be non-negative."
        )
    return w


def _is_fitted(estimator) -> bool:
    if hasattr(estimator, "__sklearn_is_fitted__"):
        return bool(estimator.__sklearn_is_fitted__())
    return any(k.endswith("_") and not k.startswith("__") for k in vars(estimator))


def check_is_fitted(estimator, attributes=None, *, method: str | None = None) -> None:
    """Raise :class:`NotFittedError` unless ``estimator`` has been fitted.

    ``method`` names the method the user called (found from the caller's frame
    when omitted) so the message can say what went wrong and what to do.
    """
    if attributes is not None:
        attrs = [attributes] if isinstance(attributes, str) else list(attributes)
        fitted = all(hasattr(estimator, a) for a in attrs)
    else:
        fitted = _is_fitted(estimator)
    if fitted:
        return
    if method is None:
        method = sys._getframe(1).f_code.co_name
    name = type(estimator).__name__
    raise NotFittedError(
        f"This {name} instance is not fitted yet: call 'fit' with appropriate arguments "
        f"before using '{method}'."
    )
