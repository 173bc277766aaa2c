"""Categorical encoders: one-hot codes (scikit-learn's semantics); ordinal codes are in
:mod:`._ordinal_encoder`.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..utils.validation import check_array, check_is_fitted
from ._encoders_base import INFREQUENT, _BaseEncoder, _is_nan

# OrdinalEncoder moved to _ordinal_encoder.py; saved models name this module, so it
# still provides it.
from ._ordinal_encoder import OrdinalEncoder  # noqa: F401


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
