"""Categorical columns for the encoders: reading categorical input, and finding and
looking up each column's categories (the encoders' shared fitting is in
:mod:`._encoders_base`).

A column is encoded by one of two lookups, picked by its dtype:

* numbers, and NumPy strings against NumPy strings: the categories are sorted, so a
  value's code is ``searchsorted(categories, value)``, then one comparison tells
  whether the value really is that category (an unknown one lands next to it);
* Python objects (strings from lists or pandas, None, mixed numbers): a dict from
  category to code. One C-level pass, ``map(dict.__getitem__, column)``, encodes the
  whole column; a value missing from the dict (an unknown category, or a NaN object
  other than the one stored in ``categories_``) is looked up once by ``__missing__``.

Missing values are categories, sorted last as in scikit-learn: ``None`` then NaN.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import DataValidationError
from ..utils.validation import _is_dataframe, check_array, get_feature_names

_NUMBER_KINDS = "biuf"
_TEXT_KINDS = "US"


def _is_nan(value) -> bool:
    """True for a float NaN (Python or NumPy), the missing value that sorts last."""
    return isinstance(value, (float, np.floating)) and value != value


def _is_missing(value) -> bool:
    return value is None or _is_nan(value)


def _show(values, limit: int = 5) -> str:
    values = list(values)
    try:
        values = sorted(values)
    except TypeError:  # mixed types or None: keep the order found
        pass
    shown = ", ".join(repr(v) for v in values[:limit])
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return f"[{shown}{more}]"


def _frame_column(col) -> np.ndarray:
    """One pandas column as NumPy, keeping its type (numbers stay numbers, text objects)."""
    dtype = col.dtype
    if isinstance(dtype, np.dtype):
        return col.to_numpy()
    if getattr(dtype, "kind", "O") in _NUMBER_KINDS:
        # Nullable integers/booleans (Int64, boolean...): floats with NaN for <NA>,
        # which is what scikit-learn's encoders see for them too.
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    values = np.asarray(col.to_numpy())
    if values.dtype == object and hasattr(col, "isna"):
        missing = np.asarray(col.isna())
        if missing.any():  # pandas.NA (string dtype) cannot be sorted: make it NaN
            values = values.copy()
            values[missing] = np.nan
    return values


def check_categorical(X, estimator, *, reset: bool) -> tuple[list[np.ndarray], int]:
    """Validate categorical input and return its columns (1-D arrays) and row count.

    Unlike :func:`~scratchml.utils.validation.check_array`, strings, ``None`` and NaN
    are valid values here. Each column keeps its own dtype (a DataFrame's object
    columns stay objects, its numeric ones numbers); a list holding strings becomes
    an object array so that its numbers stay numbers. ``reset=True`` records
    ``n_features_in_``/``feature_names_in_``; ``reset=False`` checks X against them.
    """
    names = get_feature_names(X)
    where = f" (in {type(estimator).__name__})"
    if _is_dataframe(X):
        n_samples, n_features = X.shape
        for what, count in (("no samples", n_samples), ("0 features", n_features)):
            if count == 0:
                raise DataValidationError(f"X has {what}{where}, but at least 1 is required.")
        columns = [_frame_column(X.iloc[:, j]) for j in range(n_features)]
    else:
        arr = check_array(X, dtype=None, ensure_all_finite=False, estimator=estimator)
        if arr.dtype.kind == "U" and not hasattr(X, "dtype"):
            arr = np.asarray(X, dtype=object)
        n_samples, n_features = arr.shape
        columns = [arr[:, j] for j in range(n_features)]
    for j, col in enumerate(columns):
        if col.dtype.kind not in _NUMBER_KINDS + _TEXT_KINDS + "O":
            raise DataValidationError(
                f"X column {j} has dtype {col.dtype}{where}; encoders take strings, "
                "integers, floats or Python objects. Convert the column, e.g. to str."
            )
        if col.dtype.kind == "f" and np.isinf(col).any():
            raise DataValidationError(
                f"X contains infinity: {int(np.isinf(col).sum())} values in column "
                f"{j}{where}. Replace infinite values (e.g. treat them as missing: NaN is "
                "a category for encoders)."
            )
    if reset:
        estimator._set_features_in(n_features, names)
    else:
        estimator._check_features(n_features, names)
    return columns, n_samples


def unique_column(col: np.ndarray, *, return_inverse: bool = False, where: str = ""):
    """Sorted categories of a column (None then NaN last) and, optionally, each row's code."""
    if col.dtype.kind in _TEXT_KINDS:
        # Hashing NumPy strings (np.unique) then a binary search per row is about twice
        # as fast as np.unique's sort-based inverse for them.
        cats = np.unique(col)
        return cats, np.searchsorted(cats, col) if return_inverse else None
    if col.dtype.kind != "O":
        # NumPy >= 1.24 folds every NaN into one trailing NaN (equal_nan=True).
        if return_inverse:
            cats, inverse = np.unique(col, return_inverse=True)
            return cats, inverse.reshape(-1).astype(np.intp, copy=False)
        return np.unique(col), None
    values = set(col)
    missing = [v for v in values if _is_missing(v)]
    present = values.difference(missing)
    try:
        ordered = sorted(present)
    except TypeError:
        types = sorted({type(v).__qualname__ for v in present})
        raise TypeError(
            f"Encoders need each column to hold only strings or only numbers (plus None "
            f"/NaN), but {where or 'a column'} mixes {types}. Convert it first, e.g. "
            "with .astype(str)."
        ) from None
    has_none = any(v is None for v in missing)
    has_nan = len(missing) > has_none
    cats = np.fromiter(ordered + [None] * has_none + [np.nan] * has_nan, dtype=object,
                       count=len(ordered) + has_none + has_nan)
    if not return_inverse:
        return cats, None
    lookup = {v: i for i, v in enumerate(ordered)}
    lookup.update((v, len(ordered) + (v is not None and has_none)) for v in missing)
    return cats, np.fromiter(map(lookup.__getitem__, col), dtype=np.intp, count=len(col))


class _CodeLookup(dict):
    """category -> code; a miss (unknown value, or another NaN object) is resolved once."""

    def __init__(self, cats: np.ndarray):
        super().__init__((v, i) for i, v in enumerate(cats))
        self.nan_code = next((i for i, v in enumerate(cats) if _is_nan(v)), None)
        self.unknown: list = []

    def __missing__(self, key):
        code = self.nan_code if (self.nan_code is not None and _is_nan(key)) else -1
        if code == -1:
            self.unknown.append(key)
        self[key] = code
        return code


def encode_column(col: np.ndarray, cats: np.ndarray):
    """Codes of a column's values in ``cats``: ``(codes, found or None, unknown values)``.

    ``found`` is None when every value is a known category; otherwise unknown rows
    have ``found`` False (and an arbitrary code).
    """
    kinds = col.dtype.kind + cats.dtype.kind
    sorted_lookup = (kinds[0] in _NUMBER_KINDS and kinds[1] in _NUMBER_KINDS) or (
        kinds in ("UU", "SS"))
    if not sorted_lookup:
        lookup = _CodeLookup(cats)
        codes = np.fromiter(map(lookup.__getitem__, col), dtype=np.intp, count=len(col))
        if not lookup.unknown:
            return codes, None, []
        return codes, codes >= 0, lookup.unknown
    # cats are sorted (NaN last): np.unique made them, or fit checked the user's.
    codes = np.searchsorted(cats, col)
    np.minimum(codes, len(cats) - 1, out=codes)  # values above the last category
    found = cats[codes] == col
    if cats.dtype.kind == "f" and np.isnan(cats[-1]) and col.dtype.kind == "f":
        nan_rows = np.isnan(col)
        codes[nan_rows] = len(cats) - 1
        found |= nan_rows
    if found.all():
        return codes, None, []
    return codes, found, np.unique(col[~found]).tolist()
