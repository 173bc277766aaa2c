"""Categorical encoders: one-hot and ordinal codes (scikit-learn's semantics)."""

from __future__ import annotations

import warnings

import numpy as np

from ..utils.validation import check_array, check_is_fitted
from ._encoders_base import _BaseEncoder, _is_nan

INFREQUENT = "infrequent_sklearn"  # scikit-learn's name for the grouped category


class OneHotEncoder(_BaseEncoder):
    """Encode categorical features as one-hot (dummy) columns.

    Feature j with categories c_1 < ... < c_K becomes K indicator columns:
    ``out[i, offset_j + k] = 1`` if ``X[i, j] == c_k`` else 0. Optionally one
    category per feature is dropped (its rows are all zeros), and categories
    rarer than ``min_frequency`` (or beyond the ``max_categories`` most frequent)
    share one last column, named ``'infrequent_sklearn'``.

    Strings, numbers, None and NaN are all valid categories (None and NaN sort
    last); each column of a DataFrame keeps its own type.

    Parameters
    ----------
    categories : 'auto' or list of array-like, default='auto'
        'auto' learns the sorted unique values of each column; a list gives
        ``categories[j]`` for column j (numbers must be sorted).
    drop : {'first', 'if_binary'}, array-like of shape (n_features,) or None
        Category to drop per feature: the first one, the first one of features
        with exactly two, or the given one. Dropping an infrequent category drops
        the whole infrequent group.
    sparse_output : bool, default=False
        Only False is supported: scratchml has no sparse matrices yet. (scikit-learn
        defaults to True and returns a SciPy CSR matrix.)
    dtype : numeric dtype, default=np.float64
        dtype of the output.
    handle_unknown : {'error', 'ignore', 'infrequent_if_exist', 'warn'}, default='error'
        What ``transform`` does with a category not seen in fit: raise; encode it
        as all zeros (``inverse_transform`` gives None); encode it as the infrequent
        category if the feature has one (else as all zeros); or the latter with a
        warning.
    min_frequency : int or float, default=None
        Categories seen fewer times (an int), or in a smaller fraction of the
        samples (a float in (0, 1)), are infrequent.
    max_categories : int, default=None
        At most this many output columns per feature, the infrequent one included.
    feature_name_combiner : 'concat' or callable, default='concat'
        Output name of (feature, category): ``feature + "_" + str(category)``, or
        ``callable(feature, category) -> str``.

    Attributes
    ----------
    categories_ : list of ndarray
        Categories of each feature, in output order (dropped ones included).
    drop_idx_ : ndarray of object or None
        Index in ``categories_[j]`` of the dropped category (None: nothing dropped).
    infrequent_categories_ : list of ndarray or None
        Only with ``min_frequency``/``max_categories``: the grouped categories.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X was a DataFrame with string column names.

    Examples
    --------
    >>> from scratchml.preprocessing import OneHotEncoder
    >>> enc = OneHotEncoder(handle_unknown="ignore").fit([["Male", 1], ["Female", 3]])
    >>> enc.transform([["Female", 1], ["Male", 4]])
    array([[1., 0., 1., 0.],
           [0., 1., 0., 0.]])
    >>> enc.get_feature_names_out(["gender", "group"]).tolist()
    ['gender_Female', 'gender_Male', 'group_1', 'group_3']
    """

    _handle_unknown_options = ("error", "ignore", "infrequent_if_exist", "warn")
    _unknown_fix = ("Set handle_unknown='ignore' to encode them as all zeros, or "
                    "handle_unknown='infrequent_if_exist' to encode them as the infrequent "
                    "category.")

    def __init__(self, *, categories="auto", drop=None, sparse_output: bool = False,
                 dtype=np.float64, handle_unknown: str = "error", min_frequency=None,
                 max_categories=None, feature_name_combiner="concat"):
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.min_frequency = min_frequency
        self.max_categories = max_categories
        self.feature_name_combiner = feature_name_combiner

    def _fit(self, X, keep_codes: bool):
        if self.sparse_output:
            raise ValueError(
                f"sparse_output={self.sparse_output!r} is not supported: scratchml has no "
                "sparse matrices yet. Use sparse_output=False (the default) for a dense array."
            )
        if not (self.feature_name_combiner == "concat" or callable(self.feature_name_combiner)):
            raise ValueError(
                f"feature_name_combiner={self.feature_name_combiner!r} is not supported; "
                "use 'concat' or a callable (feature, category) -> str."
            )
        out = self._fit_categories(X, check_unknown=self.handle_unknown == "error",
                                   keep_codes=keep_codes)
        self._set_drop_idx()
        self._n_features_outs_ = [
            len(self._transformed_categories(j)) for j in range(len(self.categories_))
        ]
        return out

    def fit(self, X, y=None):
        """Learn the categories of each column of X (y is ignored)."""
        self._fit(X, keep_codes=False)
        return self

    def fit_transform(self, X, y=None):
        """Fit to X and encode it, reusing the codes found while fitting."""
        codes, found = self._fit(X, keep_codes=True)
        if found is not None:  # unknowns among user categories: let transform decide
            return self.transform(X)
        return self._one_hot(codes, self._map_infrequent(codes, None))

    def transform(self, X) -> np.ndarray:
        """One-hot encode X: an (n_samples, sum of output columns) array."""
        check_is_fitted(self)
        codes, found, unknown_columns = self._encode(X, error=self.handle_unknown == "error")
        warn = self.handle_unknown == "warn" or (
            self.drop is not None and self.handle_unknown in ("ignore", "infrequent_if_exist"))
        if unknown_columns and warn:
            as_what = ("the infrequent category" if self.handle_unknown != "ignore"
                       else "all zeros")
            warnings.warn(f"Found unknown categories in columns {unknown_columns} during "
                          f"transform. These unknown categories will be encoded as {as_what}.",
                          UserWarning, stacklevel=2)
        return self._one_hot(codes, self._map_infrequent(codes, found))

    def _one_hot(self, codes: np.ndarray, found) -> np.ndarray:
        drop = self._drop_idx_after_grouping_
        if drop is not None:
            # Dropped cells become all zeros; later codes shift down by one.
            to_drop = np.array([len(c) if d is None else d
                                for d, c in zip(drop, self.categories_)], dtype=np.intp)
            keep = codes != to_drop
            codes[codes > to_drop] -= 1
            found = keep if found is None else found & keep
        n_samples = codes.shape[0]
        offsets = np.cumsum([0] + self._n_features_outs_)
        total = int(offsets[-1])
        out = np.zeros((n_samples, total), dtype=self.dtype)
        # Flat positions row * total + offset_j + code, in row-major order so the
        # single scatter below walks the output once, front to back.
        flat = codes + offsets[:-1]
        flat += (np.arange(n_samples, dtype=np.intp) * total)[:, None]
        out.reshape(-1)[flat.reshape(-1) if found is None else flat[found]] = 1
        return out

    # -- drop -------------------------------------------------------------------------

    def _set_drop_idx(self) -> None:
        """``drop_idx_`` (into ``categories_``) and ``_drop_idx_after_grouping_``."""
        n_features = len(self.categories_)
        infrequent = self._infrequent_indices_
        mappings = self._default_to_infrequent_mappings_
        if self.drop is None:
            after = None
        elif isinstance(self.drop, str) and self.drop == "first":
            after = np.zeros(n_features, dtype=object)
        elif isinstance(self.drop, str) and self.drop == "if_binary":
            n_out = [len(c) - (0 if inf is None else inf.size - 1)
                     for c, inf in zip(self.categories_, infrequent)]
            after = np.array([0 if k == 2 else None for k in n_out], dtype=object)
        elif isinstance(self.drop, str):
            raise ValueError(f"drop={self.drop!r} is not supported; use None, 'first', "
                             "'if_binary' or an array-like with one category per feature.")
        else:
            drop = np.asarray(self.drop, dtype=object)
            if drop.ndim != 1 or len(drop) != n_features:
                raise ValueError(f"`drop` should have length equal to the number of features "
                                 f"({n_features}), got {drop.size}")
            indices, missing = [], []
            for j, (value, cats) in enumerate(zip(drop, self.categories_)):
                if _is_nan(value):
                    hits = [len(cats) - 1] if len(cats) and _is_nan(cats[-1]) else []
                else:
                    hits = np.flatnonzero(cats == value)
                if len(hits) == 0:
                    missing.append((j, value))
                    continue
                idx = int(hits[0])
                if infrequent[j] is not None:
                    if idx in infrequent[j]:
                        raise ValueError(f"Unable to drop category {cats[idx]!r} from feature "
                                         f"{j} because it is infrequent")
                    idx = int(mappings[j][idx])
                indices.append(idx)
            if missing:
                raise ValueError(
                    "The following categories were supposed to be dropped, but were not "
                    "found in the training data.\n"
                    + "\n".join(f"Category: {v}, Feature: {j}" for j, v in missing))
            after = np.array(indices, dtype=object)
        self._drop_idx_after_grouping_ = after
        if after is None or not self._infrequent_enabled_:
            self.drop_idx_ = after
            return
        self.drop_idx_ = np.array(
            [d if d is None or mappings[j] is None else int(np.flatnonzero(mappings[j] == d)[0])
             for j, d in enumerate(after)], dtype=object)

    def _transformed_categories(self, j: int, remove_dropped: bool = True) -> np.ndarray:
        """Output categories of feature j: infrequent ones grouped last, dropped removed."""
        cats = self.categories_[j]
        mapping = self._default_to_infrequent_mappings_[j]
        if mapping is not None:
            cats = np.concatenate((cats[mapping < mapping.max()],
                                   np.array([INFREQUENT], dtype=object)))
        if remove_dropped:
            cats = self._remove_dropped(cats, j)
        return cats

    def _remove_dropped(self, cats: np.ndarray, j: int) -> np.ndarray:
        drop = self._drop_idx_after_grouping_
        if drop is None or drop[j] is None:
            return cats
        return np.delete(cats, drop[j])

    # -- inverse and names ------------------------------------------------------------

    def inverse_transform(self, X) -> np.ndarray:
        """Categories back from one-hot rows (None for an all-zero row of an unknown)."""
        check_is_fitted(self)
        X = check_array(X, estimator=self, ensure_min_features=0)
        n_samples = X.shape[0]
        n_features = len(self.categories_)
        if X.shape[1] != sum(self._n_features_outs_):
            raise ValueError(f"Shape of the passed X data is not correct. Expected "
                             f"{sum(self._n_features_outs_)} columns, got {X.shape[1]}.")
        grouped = [self._transformed_categories(j, False) for j in range(n_features)]
        out = np.empty((n_samples, n_features), dtype=np.result_type(*[c.dtype for c in grouped]))
        drop = self._drop_idx_after_grouping_
        infrequent = self._infrequent_indices_
        unknown_rows, start = {}, 0
        for j in range(n_features):
            kept = self._remove_dropped(grouped[j], j)
            if len(kept) == 0:  # a single category, dropped: that is every row's value
                out[:, j] = self.categories_[j][drop[j]]
                continue
            block = X[:, start:start + len(kept)]
            start += len(kept)
            out[:, j] = kept[block.argmax(axis=1)]
            zeros = block.sum(axis=1) == 0
            if not zeros.any():
                continue
            dropped = drop is not None and drop[j] is not None
            if self.handle_unknown == "ignore" or (
                    self.handle_unknown in ("infrequent_if_exist", "warn")
                    and infrequent[j] is None):
                if dropped:
                    out[zeros, j] = self.categories_[j][drop[j]]
                else:
                    unknown_rows[j] = zeros
            elif not dropped:
                raise ValueError(f"Samples {np.flatnonzero(zeros)} can not be inverted when "
                                 "drop=None and handle_unknown='error' because they contain "
                                 "all zeros")
            else:
                out[zeros, j] = grouped[j][drop[j]]
        if unknown_rows:
            out = out.astype(object, copy=False)
            for j, rows in unknown_rows.items():
                out[rows, j] = None
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output column names, ``feature_category`` by default."""
        check_is_fitted(self)
        features = self._input_features(input_features)
        combine = self.feature_name_combiner
        if combine == "concat":
            def combine(feature, category):
                return feature + "_" + str(category)
        elif not isinstance(combine("feature", "category"), str):
            raise TypeError("When `feature_name_combiner` is a callable, it should return a "
                            "Python string.")
        names = [combine(features[j], c) for j in range(len(self.categories_))
                 for c in self._transformed_categories(j)]
        return np.asarray(names, dtype=object)


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
