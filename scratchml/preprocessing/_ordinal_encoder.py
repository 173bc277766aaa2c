"""Ordinal encoder: integer codes 0 .. K−1 per categorical feature (scikit-learn's
semantics); the one-hot encoder is in :mod:`._encoders`.
"""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_array, check_is_fitted
from ._encoders_base import INFREQUENT, _BaseEncoder, _is_nan


class OrdinalEncoder(_BaseEncoder):
    """Encode categorical features as integer codes 0 .. K−1 (one column per feature).

    ``out[i, j] = k`` where ``X[i, j]`` is the k-th category of feature j (sorted,
    or as given in ``categories``). NaN gets ``encoded_missing_value``; unknown
    categories ``unknown_value`` (with ``handle_unknown='use_encoded_value'``);
    infrequent categories (``min_frequency``/``max_categories``) share the last code.

    Parameters
    ----------
    categories : 'auto' or list of array-like, default='auto'
    dtype : numeric dtype, default=np.float64
        dtype of the output.
    handle_unknown : {'error', 'use_encoded_value'}, default='error'
    unknown_value : int or np.nan, default=None
        Code of unknown categories; required with ``handle_unknown='use_encoded_value'``.
    encoded_missing_value : int or np.nan, default=np.nan
        Code of NaN.
    min_frequency : int or float, default=None
    max_categories : int, default=None
        As in :class:`OneHotEncoder`; NaN is never grouped.

    Attributes
    ----------
    categories_ : list of ndarray
    infrequent_categories_ : list of ndarray or None
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from scratchml.preprocessing import OrdinalEncoder
    >>> OrdinalEncoder().fit_transform([["b", 3], ["a", 1], ["b", 1]])
    array([[1., 1.],
           [0., 0.],
           [1., 0.]])
    """

    _handle_unknown_options = ("error", "use_encoded_value")
    _unknown_fix = ("Set handle_unknown='use_encoded_value' and unknown_value (e.g. -1) to "
                    "encode them.")

    def __init__(self, *, categories="auto", dtype=np.float64, handle_unknown: str = "error",
                 unknown_value=None, encoded_missing_value=np.nan, min_frequency=None,
                 max_categories=None):
        self.categories = categories
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value
        self.min_frequency = min_frequency
        self.max_categories = max_categories

    def _fit(self, X, keep_codes: bool):
        self._check_common_params()
        uv, float_out = self.unknown_value, np.dtype(self.dtype).kind == "f"
        if self.handle_unknown == "use_encoded_value":
            if _is_nan(uv) and not float_out:
                raise ValueError(f"unknown_value=np.nan needs a float dtype; got {self.dtype}.")
            if not _is_nan(uv) and not (isinstance(uv, (int, np.integer))
                                        and not isinstance(uv, bool)):
                raise ValueError(f"unknown_value={uv!r} is not supported with handle_unknown="
                                 "'use_encoded_value'; use an int (e.g. -1) or np.nan.")
        elif uv is not None:
            raise ValueError(f"unknown_value={uv!r} should only be set when handle_unknown is "
                             "'use_encoded_value'.")
        out = self._fit_categories(X, check_unknown=self.handle_unknown == "error",
                                   keep_codes=keep_codes, ignore_missing=True)
        self._missing_indices_ = [self._missing_index(j) for j in range(len(self.categories_))]
        n_codes = [len(c) - (m is not None) for c, m in zip(self.categories_,
                                                            self._missing_indices_)]
        if self._infrequent_enabled_:
            n_codes = [k - (0 if inf is None else inf.size - 1)
                       for k, inf in zip(n_codes, self._infrequent_indices_)]
        if self.handle_unknown == "use_encoded_value" and not _is_nan(uv):
            if any(0 <= uv < k for k in n_codes):
                raise ValueError(f"The used value for unknown_value {uv} is one of the values "
                                 "already used for encoding the seen categories.")
        with_nan = [j for j, m in enumerate(self._missing_indices_) if m is not None]
        emv = self.encoded_missing_value
        if with_nan and _is_nan(emv) and not float_out:
            raise ValueError(f"There are missing values in features {with_nan}. For "
                             f"OrdinalEncoder to encode missing values with dtype: {self.dtype}, "
                             "set encoded_missing_value to a non-nan value, or set dtype to a "
                             "float")
        clash = [j for j in with_nan if not _is_nan(emv) and 0 <= emv < n_codes[j]]
        if clash:
            names = getattr(self, "feature_names_in_", None)
            raise ValueError(f"encoded_missing_value ({emv}) is already used to encode a known "
                             f"category in features: {clash if names is None else names[clash]}")
        return out

    def fit(self, X, y=None):
        """Learn the categories of each column of X (y is ignored)."""
        self._fit(X, keep_codes=False)
        return self

    def fit_transform(self, X, y=None):
        """Fit to X and encode it, reusing the codes found while fitting."""
        codes, found = self._fit(X, keep_codes=True)
        if found is not None:
            return self.transform(X)
        return self._finish(codes, None)

    def transform(self, X) -> np.ndarray:
        """Integer codes of X (as ``dtype``), one column per feature."""
        check_is_fitted(self)
        codes, found, _ = self._encode(X, error=self.handle_unknown == "error")
        return self._finish(codes, found)

    def _finish(self, codes: np.ndarray, found) -> np.ndarray:
        found = self._map_infrequent(codes, found, self._missing_indices_)
        out = codes.astype(self.dtype)
        for j, m in enumerate(self._missing_indices_):
            if m is not None:
                out[codes[:, j] == m, j] = self.encoded_missing_value
        if self.handle_unknown == "use_encoded_value" and found is not None:
            out[~found] = self.unknown_value
        return out

    def inverse_transform(self, X) -> np.ndarray:
        """Categories back from codes (None for unknown_value, 'infrequent_sklearn')."""
        check_is_fitted(self)
        X = check_array(X, ensure_all_finite="allow-nan", estimator=self)
        n_features = len(self.categories_)
        if X.shape[1] != n_features:
            raise ValueError(f"Shape of the passed X data is not correct. Expected "
                             f"{n_features} columns, got {X.shape[1]}.")
        out = np.empty(X.shape, dtype=np.result_type(*[c.dtype for c in self.categories_]))
        unknown, infrequent_rows = {}, {}
        for j in range(n_features):
            labels, cats = X[:, j], self.categories_[j]
            rows = np.ones(len(labels), dtype=bool)
            if self._missing_indices_[j] is not None:
                missing = _equal(labels, self.encoded_missing_value)
                out[missing, j] = cats[-1]
                rows &= ~missing
                cats = cats[:-1]
            mapping = self._default_to_infrequent_mappings_[j]
            if mapping is not None:
                # The grouped code is the number of frequent categories. (scikit-learn
                # 1.9 miscounts it when the feature also has NaN, and fails there.)
                infrequent_rows[j] = rows & (labels == mapping.max())
                rows &= ~infrequent_rows[j]
                cats = np.delete(cats, self._infrequent_indices_[j])
            if self.handle_unknown == "use_encoded_value":
                unknown[j] = rows & _equal(labels, self.unknown_value)
                rows &= ~unknown[j]
            codes = labels[rows].astype(np.int64)
            bad = (codes < 0) | (codes >= len(cats))
            if bad.any():
                raise ValueError(f"X has code {codes[bad][0]} in column {j}, but "
                                 f"{type(self).__name__} knows {len(cats)} codes there "
                                 f"(0 to {len(cats) - 1}).")
            out[rows, j] = cats[codes]
        if unknown or infrequent_rows:
            out = out.astype(object, copy=False)
            for j, mask in unknown.items():
                out[mask, j] = None
            for j, mask in infrequent_rows.items():
                out[mask, j] = INFREQUENT
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output names: the input feature names (one code column per feature)."""
        check_is_fitted(self)
        return np.asarray(self._input_features(input_features), dtype=object)


def _equal(values: np.ndarray, target) -> np.ndarray:
    return np.isnan(values) if _is_nan(target) else values == target
