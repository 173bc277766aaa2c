"""Column selection for ColumnTransformer: column specifiers and make_column_selector.

A column specifier names a subset of the columns of X:

* an int, a list/array of ints, or a slice of ints (positions; negatives count
  from the end);
* a boolean mask with one entry per column;
* a string, a list of strings, or a slice of strings (labels of a pandas
  DataFrame; a label slice includes its end, as ``DataFrame.loc`` does);
* a callable ``columns(X)`` returning one of the above, e.g. ``make_column_selector``.

A scalar specifier (one int or one string) selects a 1-D column, as in
scikit-learn; every other one selects a 2-D block. pandas is duck-typed
(``iloc``, ``columns``, ``select_dtypes``): scratchml never imports it.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator


def _is_frame(X) -> bool:
    return hasattr(X, "iloc") and hasattr(X, "columns")


def _key_kind(key) -> str:
    """'int', 'str', 'bool' or 'empty' for a (non-callable) column specifier."""
    if isinstance(key, (bool, np.bool_)):
        return "bool"
    if isinstance(key, (numbers.Integral, np.integer)):
        return "int"
    if isinstance(key, str):
        return "str"
    if isinstance(key, slice):
        ends = [e for e in (key.start, key.stop) if e is not None]
        if any(isinstance(e, str) for e in ends):
            return "str"
        return "int"
    values = np.asarray(key)
    if values.size == 0:
        return "empty"
    if values.dtype.kind == "b":
        return "bool"
    if values.dtype.kind in "iu":
        return "int"
    if values.dtype.kind in "UO" and all(isinstance(v, str) for v in values.ravel()):
        return "str"
    raise ValueError(
        f"No valid specification of the columns: {key!r}. Use ints, strings (DataFrame "
        "labels), a boolean mask, a slice, or a callable such as make_column_selector."
    )


def _get_column_indices(X, key) -> list[int]:
    """Positions (list of ints) of the columns selected by ``key`` in X."""
    n = X.shape[1]
    kind = _key_kind(key)
    if kind == "empty":
        return []
    if kind == "bool":
        mask = np.asarray(key, dtype=bool).ravel()
        if mask.shape[0] != n:
            raise ValueError(f"The boolean column mask has {mask.shape[0]} entries, but X has "
                             f"{n} columns; give one entry per column.")
        return np.flatnonzero(mask).tolist()
    if kind == "int":
        if isinstance(key, slice):
            return list(range(n))[key]
        positions = np.atleast_1d(np.asarray(key, dtype=np.intp))
        if np.any(positions >= n) or np.any(positions < -n):
            raise ValueError(f"Column positions {positions.tolist()} are out of range for X "
                             f"with {n} columns.")
        return (positions % n).tolist()
    if not _is_frame(X):
        raise ValueError(
            f"Specifying the columns using strings ({key!r}) is only supported for pandas "
            "DataFrames; use column positions for arrays."
        )
    labels = list(X.columns)
    if isinstance(key, slice):
        start = 0 if key.start is None else _label_position(labels, key.start)
        stop = n - 1 if key.stop is None else _label_position(labels, key.stop)
        return list(range(start, stop + 1))  # label slices include their end (.loc)
    names = [key] if isinstance(key, str) else list(key)
    return [_label_position(labels, name) for name in names]


def _label_position(labels: list, name: str) -> int:
    try:
        return labels.index(name)
    except ValueError:
        raise ValueError(f"A given column is not a column of the dataframe: {name!r}. "
                         f"Columns are {labels[:10]}{'...' if len(labels) > 10 else ''}.") \
            from None


def _select(X, indices: list[int], scalar: bool):
    """The columns ``indices`` of X, 1-D when the specifier was a scalar."""
    if _is_frame(X):
        return X.iloc[:, indices[0]] if scalar else X.iloc[:, indices]
    if not isinstance(X, np.ndarray):  # a CSRMatrix: columns stay 2-D, as in scikit-learn
        from ._sparse_stack import _select_csr_columns

        return _select_csr_columns(X, indices)
    return X[:, indices[0]] if scalar else X[:, indices]


def _is_scalar_key(key) -> bool:
    return isinstance(key, (str, numbers.Integral, np.integer)) and not isinstance(key, bool)


def _plain_dtype_spec(spec):
    """A dtype selector as plain data that ``DataFrame.select_dtypes`` reads the same way.

    ``np.number`` -> "number", ``np.float64`` -> "float64", ``object`` -> "object", ...
    """
    if spec is None or isinstance(spec, str):
        return spec
    if isinstance(spec, (list, tuple)):
        return [_plain_dtype_spec(s) for s in spec]
    if isinstance(spec, np.dtype):
        return spec.name
    if isinstance(spec, type):
        if issubclass(spec, np.generic):
            try:
                return np.dtype(spec).name
            except TypeError:  # abstract types: np.number, np.integer, np.floating...
                return spec.__name__
        return spec.__name__
    name = getattr(spec, "name", None)  # pandas extension dtypes ("category", ...)
    return name if isinstance(name, str) else spec


class make_column_selector(BaseEstimator):  # noqa: N801 (scikit-learn's public name)
    """Select DataFrame columns by name pattern and/or dtype (a callable for ColumnTransformer).

    Calling the selector on a DataFrame returns the list of column labels
    whose dtype is in ``dtype_include`` (if given), not in ``dtype_exclude``
    (if given), and whose name matches the regular expression ``pattern``
    (``re.search``, if given). Dtypes are matched with pandas'
    ``select_dtypes``, so ``np.number``, ``"number"``, ``"object"``,
    ``"category"`` and lists of them all work.

    Parameters
    ----------
    pattern : str or None, default=None
    dtype_include, dtype_exclude : dtype-like, list of them, or None, default=None

    Notes
    -----
    ``get_params`` reports type arguments in their string spelling
    (``np.number`` -> ``"number"``), which ``select_dtypes`` treats identically;
    that keeps the parameters plain data, so a ColumnTransformer using the
    selector can be saved with :func:`scratchml.save`.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.compose import make_column_selector
    >>> select_numbers = make_column_selector(dtype_include=np.number)
    >>> select_numbers.get_params()["dtype_include"]
    'number'
    """

    def __init__(self, pattern: str | None = None, *, dtype_include=None, dtype_exclude=None):
        self.pattern = pattern
        self.dtype_include = dtype_include
        self.dtype_exclude = dtype_exclude

    def get_params(self, deep: bool = True) -> dict:
        """Parameters, with dtype types spelled as strings (plain data)."""
        return {"pattern": self.pattern,
                "dtype_include": _plain_dtype_spec(self.dtype_include),
                "dtype_exclude": _plain_dtype_spec(self.dtype_exclude)}

    def __call__(self, df) -> list:
        """Labels of the columns of ``df`` that pass the dtype and name filters."""
        if not (_is_frame(df) and hasattr(df, "select_dtypes")):
            raise ValueError("make_column_selector can only be applied to pandas dataframes; "
                             "select the columns of an array by position instead.")
        row = df.iloc[:1]
        if self.dtype_include is not None or self.dtype_exclude is not None:
            row = row.select_dtypes(include=self.dtype_include, exclude=self.dtype_exclude)
        cols = row.columns
        if self.pattern is not None:
            cols = cols[cols.str.contains(self.pattern, regex=True)]
        return cols.tolist()
