"""The array-level pieces of input validation, used by :mod:`.validation`.

Turning array-likes (lists, DataFrames, sparse matrices) into NumPy arrays,
converting object columns to floats, checking finiteness, and the parts of the
error messages that name columns and the estimator. Split from ``validation.py``
(which keeps the public checks) so that each file stays readable.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import DataValidationError

FLOAT_DTYPES = (np.float64, np.float32)


def _is_dataframe(X) -> bool:
    return hasattr(X, "columns") and hasattr(X, "dtypes") and hasattr(X, "to_numpy")


def _column_names(X, n_features: int) -> list[str]:
    if _is_dataframe(X):
        return [str(c) for c in X.columns]
    return [str(i) for i in range(n_features)]


def _describe_columns(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return shown + more


def _where(estimator) -> str:
    if estimator is None:
        return ""
    name = estimator if isinstance(estimator, str) else type(estimator).__name__
    return f" (in {name})"



def _to_numpy(X, input_name: str, estimator) -> np.ndarray:
    """Turn array-likes into an ndarray, reporting non-numeric columns by name."""
    if _is_dataframe(X):
        bad = [str(c) for c, dt in zip(X.columns, X.dtypes) if not _numeric_dtype_like(dt)]
        if bad:
            raise DataValidationError(
                f"{input_name} has non-numeric columns {_describe_columns(bad)}"
                f"{_where(estimator)}. Encode them first, for example with "
                "scratchml.preprocessing.OneHotEncoder or OrdinalEncoder."
            )
        return X.to_numpy()
    if hasattr(X, "toarray") and hasattr(X, "indptr"):
        raise DataValidationError(
            f"{input_name} is a sparse matrix{_where(estimator)}, which this estimator does not "
            "accept; convert it with X.toarray() if it fits in memory."
        )
    if isinstance(X, np.ndarray):
        return X
    try:
        return np.asarray(X)
    except ValueError as exc:  # ragged nested lists
        raise DataValidationError(
            f"{input_name} could not be read as a rectangular array{_where(estimator)}: {exc}. "
            "Check that every row has the same number of values."
        ) from None


def _numeric_dtype_like(dt) -> bool:
    """True for NumPy numeric/bool dtypes and pandas' nullable numeric dtypes."""
    kind = getattr(dt, "kind", None)
    return kind in ("b", "i", "u", "f")


def _object_to_float(X: np.ndarray, input_name: str, estimator) -> np.ndarray:
    try:
        return X.astype(np.float64)
    except (ValueError, TypeError):
        pass
    bad = []
    cols = X.reshape(len(X), -1).T if X.ndim > 1 else X[None, :]
    for j, col in enumerate(cols):
        try:
            col.astype(np.float64)
        except (ValueError, TypeError):
            bad.append(j)
    example = ""
    if bad:
        col = cols[bad[0]]
        for v in col:
            try:
                float(v)
            except (ValueError, TypeError):
                example = f" (e.g. {v!r})"
                break
    where = f"columns {_describe_columns([str(b) for b in bad])}" if X.ndim > 1 else "values"
    raise DataValidationError(
        f"{input_name} contains strings or other non-numeric values in {where}{example}"
        f"{_where(estimator)}. Encode categorical columns first, for example with "
        "scratchml.preprocessing.OneHotEncoder or OrdinalEncoder."
    )


def _assert_finite(X: np.ndarray, allow_nan: bool, input_name: str, estimator, names=None):
    if X.dtype.kind not in "fc" or X.size == 0:
        return
    # Fast path: one reduction; only on failure find where.
    s = np.sum(X, dtype=np.float64) if X.dtype != np.float32 else np.sum(X)
    if np.isfinite(s):
        return
    bad_mask = np.isinf(X) if allow_nan else ~np.isfinite(X)
    if not bad_mask.any():
        return
    count = int(bad_mask.sum())
    has_nan = bool(np.isnan(X).any()) and not allow_nan
    has_inf = bool(np.isinf(X).any())
    what = " and ".join(w for w, present in (("NaN", has_nan), ("infinity", has_inf)) if present)
    if X.ndim == 2:
        cols = np.flatnonzero(bad_mask.any(axis=0))
        col_names = [names[c] for c in cols] if names is not None else [str(c) for c in cols]
        where = f" in column{'s' if len(cols) > 1 else ''} {_describe_columns(col_names)}"
    else:
        where = ""
    fix = (
        "Remove or impute missing values first, for example with "
        "scratchml.impute.SimpleImputer"
        if has_nan
        else "Replace infinite values (e.g. clip them or treat them as missing)"
    )
    if has_nan and not allow_nan:
        fix += ", or use an estimator that accepts missing values"
    raise DataValidationError(
        f"{input_name} contains {what}: {count} value{'s' if count != 1 else ''}{where}"
        f"{_where(estimator)}. {fix}."
    )


def _is_sparse(X) -> bool:
    # Duck-typed first so that dense input never imports scratchml.sparse.
    if not (hasattr(X, "nnz") and hasattr(X, "shape")):
        return False
    from ..sparse import issparse

    return issparse(X)


def _check_sparse(X, dtype, ensure_all_finite, ensure_min_samples, ensure_min_features,
                  copy, estimator, input_name):
    """check_array for sparse input: a CSRMatrix of float dtype, finite, big enough."""
    from ..sparse import CSRMatrix

    X = X if isinstance(X, CSRMatrix) else CSRMatrix(X)
    if isinstance(dtype, str) and dtype == "float":
        dtype = FLOAT_DTYPES
    if dtype is not None and not (isinstance(dtype, str) and dtype == "numeric"):
        wanted = tuple(np.dtype(d) for d in (dtype if isinstance(dtype, tuple) else (dtype,)))
        if X.dtype not in wanted:
            X = X.astype(wanted[0])
            copy = False
    n_rows, n_cols = X.shape
    if n_rows < ensure_min_samples:
        raise DataValidationError(
            f"{input_name} has {n_rows} samples{_where(estimator)}, but at least "
            f"{ensure_min_samples} {'is' if ensure_min_samples == 1 else 'are'} required."
        )
    if n_cols < ensure_min_features:
        raise DataValidationError(
            f"{input_name} has {n_cols} features{_where(estimator)}, but at least "
            f"{ensure_min_features} {'is' if ensure_min_features == 1 else 'are'} required."
        )
    if ensure_all_finite and X.data.dtype.kind in "fc":
        # Only the stored entries can be non-finite; report them by column.
        bad = ~np.isfinite(X.data)
        if ensure_all_finite == "allow-nan":
            bad &= ~np.isnan(X.data)
        if bad.any():
            cols = np.unique(X.indices[bad])
            raise DataValidationError(
                f"{input_name} contains {int(bad.sum())} non-finite stored values in "
                f"column{'s' if len(cols) != 1 else ''} {_describe_columns(cols.tolist())}"
                f"{_where(estimator)}. Remove or impute them first."
            )
    return X.copy() if copy else X
