"""What the categorical encoders share: :class:`_BaseEncoder`, which fits categories,
looks values up and groups infrequent categories.

Reading categorical columns and the per-column lookups it uses are in
:mod:`._encoders_columns`.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator, TransformerMixin

# _label.py imports _show, encode_column and unique_column from here too.
from ._encoders_columns import (
    _NUMBER_KINDS,
    _TEXT_KINDS,
    _is_nan,
    _show,
    check_categorical,
    encode_column,
    unique_column,
)

INFREQUENT = "infrequent_sklearn"  # scikit-learn's name for the grouped category


class _BaseEncoder(TransformerMixin, BaseEstimator):
    """Fitting, lookup and infrequent-category grouping shared by the encoders."""

    _handle_unknown_options: tuple[str, ...] = ()

    # -- parameters -------------------------------------------------------------------

    def _check_common_params(self) -> None:
        if not (isinstance(self.categories, str) and self.categories == "auto") and not (
            isinstance(self.categories, (list, tuple))
        ):
            raise ValueError(
                f"categories={self.categories!r} is not supported; use 'auto' or a list "
                "holding one array-like of categories per feature."
            )
        if self.handle_unknown not in self._handle_unknown_options:
            raise ValueError(
                f"handle_unknown={self.handle_unknown!r} is not supported; use one of "
                f"{list(self._handle_unknown_options)}."
            )
        mf = self.min_frequency
        ok = mf is None or (
            isinstance(mf, numbers.Integral) and not isinstance(mf, bool) and mf >= 1
        ) or (isinstance(mf, numbers.Real) and not isinstance(mf, numbers.Integral)
              and 0 < mf < 1)
        if not ok:
            raise ValueError(
                f"min_frequency={mf!r} is not supported; use None, an int >= 1 (a count) "
                "or a float in (0, 1) (a fraction of the samples)."
            )
        mc = self.max_categories
        if mc is not None and not (
            isinstance(mc, numbers.Integral) and not isinstance(mc, bool) and mc >= 1
        ):
            raise ValueError(f"max_categories={mc!r} is not supported; use None or an int >= 1.")
        try:
            kind = np.dtype(self.dtype).kind
        except TypeError:
            kind = None
        if kind not in _NUMBER_KINDS:
            raise ValueError(
                f"dtype={self.dtype!r} is not supported; use a numeric dtype such as "
                "'float64', 'float32' or 'int64'."
            )

    # -- fit --------------------------------------------------------------------------

    def _user_categories(self, j: int, col: np.ndarray) -> np.ndarray:
        # NumPy strings become objects so that a longer user category is not truncated.
        dtype = object if col.dtype.kind in _TEXT_KINDS else col.dtype
        try:
            cats = np.array(self.categories[j], dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"categories[{j}] cannot hold the values of column {j} (dtype {col.dtype}): "
                f"{exc}. Give categories of the column's type."
            ) from None
        if cats.ndim != 1 or cats.size == 0:
            raise ValueError(f"categories[{j}] must be a non-empty 1-D list of categories.")
        if any(_is_nan(c) for c in cats[:-1]):
            raise ValueError(
                f"Nan should be the last element in user provided categories, see "
                f"categories {cats} in column #{j}"
            )
        if len(unique_column(cats)[0]) != cats.size:
            raise ValueError(f"In column {j}, the predefined categories contain duplicate "
                             "elements.")
        if cats.dtype.kind in _NUMBER_KINDS:
            sorted_cats = np.sort(cats)
            stop = -1 if cats.dtype.kind == "f" and np.isnan(sorted_cats[-1]) else None
            if np.any(sorted_cats[:stop] != cats[:stop]):
                raise ValueError("Unsorted categories are not supported for numerical "
                                 f"categories (categories[{j}]); sort them.")
        return cats

    def _fit_categories(self, X, *, check_unknown: bool, keep_codes: bool,
                        ignore_missing: bool = False):
        """Learn ``categories_`` (and the infrequent grouping); maybe return X's codes.

        Returns ``(codes, found)`` as :meth:`_encode` does when ``keep_codes``, else None.
        """
        self._check_common_params()
        columns, n_samples = check_categorical(X, self, reset=True)
        auto = isinstance(self.categories, str)
        if not auto and len(self.categories) != len(columns):
            raise ValueError(
                f"Shape mismatch: categories has {len(self.categories)} entries, but X has "
                f"{len(columns)} features; give one list of categories per feature."
            )
        self._infrequent_enabled_ = (
            self.max_categories is not None and self.max_categories >= 1
        ) or self.min_frequency is not None
        need_codes = keep_codes or self._infrequent_enabled_
        codes = np.empty((n_samples, len(columns)), dtype=np.intp) if need_codes else None
        found = None
        self.categories_ = []
        for j, col in enumerate(columns):
            if auto:
                cats, col_codes = unique_column(col, return_inverse=need_codes,
                                                where=f"column {j}")
                col_found = None
            else:
                cats = self._user_categories(j, col)
                col_codes, col_found = None, None
                if check_unknown or need_codes:
                    col_codes, col_found, unknown = encode_column(col, cats)
                    if unknown and check_unknown:
                        raise ValueError(
                            f"Found unknown categories {_show(unknown)} in column {j} during "
                            f"fit: they are not in categories[{j}]. Add them to categories, "
                            "or set handle_unknown to accept unknown values."
                        )
            self.categories_.append(cats)
            if need_codes:
                codes[:, j] = col_codes
                if col_found is not None:
                    found = np.ones(codes.shape, dtype=bool) if found is None else found
                    found[:, j] = col_found
        if self._infrequent_enabled_:
            counts = [
                np.bincount(codes[:, j] if found is None else codes[found[:, j], j],
                            minlength=len(cats))
                for j, cats in enumerate(self.categories_)
            ]
            self._fit_infrequent(n_samples, counts, ignore_missing)
        else:
            self._infrequent_indices_ = [None] * len(columns)
            self._default_to_infrequent_mappings_ = [None] * len(columns)
        return (codes, found) if keep_codes else None

    # -- infrequent categories ---------------------------------------------------------

    def _missing_index(self, j: int):
        """Index of NaN in ``categories_[j]`` (always last), or None."""
        cats = self.categories_[j]
        return len(cats) - 1 if len(cats) and _is_nan(cats[-1]) else None

    def _identify_infrequent(self, counts: np.ndarray, n_samples: int):
        """Indices of the categories rarer than min_frequency, or beyond max_categories."""
        mf = self.min_frequency
        if isinstance(mf, numbers.Integral):
            infrequent = counts < mf
        elif isinstance(mf, numbers.Real):
            infrequent = counts < n_samples * mf
        else:
            infrequent = np.zeros(counts.shape[0], dtype=bool)
        n_outputs = counts.size - infrequent.sum() + 1
        if self.max_categories is not None and self.max_categories < n_outputs:
            # max_categories counts the one infrequent output; a stable sort keeps ties
            # in category order, as scikit-learn does.
            n_frequent = self.max_categories - 1
            if n_frequent == 0:
                infrequent[:] = True
            else:
                infrequent[np.argsort(counts, kind="mergesort")[:-n_frequent]] = True
        out = np.flatnonzero(infrequent)
        return out if out.size else None

    def _fit_infrequent(self, n_samples: int, counts: list, ignore_missing: bool) -> None:
        """Map each category code to its grouped code: frequent ones keep their order,
        every infrequent one becomes the last code."""
        self._infrequent_indices_, self._default_to_infrequent_mappings_ = [], []
        for j, count in enumerate(counts):
            if ignore_missing and self._missing_index(j) is not None:
                count = count[:-1]  # NaN is never grouped (OrdinalEncoder keeps it apart)
            infrequent = self._identify_infrequent(count, n_samples)
            self._infrequent_indices_.append(infrequent)
            if infrequent is None:
                self._default_to_infrequent_mappings_.append(None)
                continue
            mapping = np.empty(count.size, dtype=np.int64)
            frequent = np.setdiff1d(np.arange(count.size), infrequent)
            mapping[frequent] = np.arange(frequent.size)
            mapping[infrequent] = frequent.size
            self._default_to_infrequent_mappings_.append(mapping)

    @property
    def infrequent_categories_(self) -> list:
        """Infrequent categories of each feature (None where it has none)."""
        if not getattr(self, "_infrequent_enabled_", False):
            raise AttributeError(
                "infrequent_categories_ exists after fit with min_frequency or "
                "max_categories set."
            )
        return [None if idx is None else cats[idx]
                for cats, idx in zip(self.categories_, self._infrequent_indices_)]

    # -- transform --------------------------------------------------------------------

    def _encode(self, X, *, error: bool):
        """``(codes, found or None, columns with unknowns)`` of X in ``categories_``.

        Unknown values get code 0 (scikit-learn's placeholder) and ``found`` False.
        """
        columns, n_samples = check_categorical(X, self, reset=False)
        codes = np.empty((n_samples, len(columns)), dtype=np.intp)
        found, unknown_columns = None, []
        for j, (col, cats) in enumerate(zip(columns, self.categories_)):
            col_codes, col_found, unknown = encode_column(col, cats)
            if unknown:
                if error:
                    name = self._column_name(j)
                    raise ValueError(
                        f"Found unknown categories {_show(unknown)} in column {j}{name} during "
                        f"transform ({type(self).__name__} was fitted with "
                        f"{len(cats)} categories there). {self._unknown_fix}"
                    )
                col_codes[~col_found] = 0
                found = np.ones(codes.shape, dtype=bool) if found is None else found
                found[:, j] = col_found
                unknown_columns.append(j)
            codes[:, j] = col_codes
        return codes, found, unknown_columns

    def _column_name(self, j: int) -> str:
        names = getattr(self, "feature_names_in_", None)
        return "" if names is None else f" ({names[j]!r})"

    def _map_infrequent(self, codes: np.ndarray, found, missing_indices=None):
        """Group infrequent codes in place; return the updated ``found``."""
        if not self._infrequent_enabled_:
            return found
        for j, infrequent in enumerate(self._infrequent_indices_):
            if infrequent is not None and found is not None:
                codes[~found[:, j], j] = infrequent[0]
                if self.handle_unknown in ("infrequent_if_exist", "warn"):
                    found[:, j] = True  # unknowns now are the infrequent category
        for j, mapping in enumerate(self._default_to_infrequent_mappings_):
            if mapping is None:
                continue
            keep = None if missing_indices is None else missing_indices[j]
            if keep is None:
                codes[:, j] = mapping[codes[:, j]]
            else:
                rows = codes[:, j] != keep
                codes[rows, j] = mapping[codes[rows, j]]
        return found

    # -- feature names and tags -------------------------------------------------------

    def _input_features(self, input_features) -> np.ndarray:
        names_in = getattr(self, "feature_names_in_", None)
        if input_features is None:
            if names_in is not None:
                return names_in
            return np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
        input_features = np.asarray(input_features, dtype=object)
        if names_in is not None and not np.array_equal(names_in, input_features):
            raise ValueError("input_features is not equal to feature_names_in_")
        if len(input_features) != self.n_features_in_:
            raise ValueError(
                f"input_features should have length equal to number of features "
                f"({self.n_features_in_}), got {len(input_features)}"
            )
        return input_features

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True
        return tags
