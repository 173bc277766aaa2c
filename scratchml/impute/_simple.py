"""Univariate imputation: replace missing entries by a per-column statistic."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..feature_selection._base import _feature_names_in
from ..utils.validation import check_is_fitted
from ._base import (
    _check_missing_values,
    _finite_rule,
    _ImputerIndicatorMixin,
    _missing_mask,
)

_STRATEGIES = ("mean", "median", "most_frequent", "constant")


def _column_modes(X: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Most frequent non-missing value of each column, the smallest one on ties (NaN if none).

    Each column is sorted once; equal values then form runs, and the longest run
    that comes first (smallest value) wins. All columns are handled together on
    the flattened, transposed array, so there is no loop over columns.
    """
    n, p = X.shape
    T = np.where(mask, np.nan, X).T.astype(np.float64)  # missing -> NaN, sorted last
    T.sort(axis=1)
    n_valid = n - mask.sum(axis=0)
    starts = np.ones((p, n), dtype=bool)
    starts[:, 1:] = T[:, 1:] != T[:, :-1]
    flat = np.flatnonzero(starts)  # every column starts a run, so runs never cross columns
    lengths = np.diff(np.append(flat, p * n))
    col, pos = np.divmod(flat, n)
    valid = pos < n_valid[col]  # runs of NaN (missing) do not count
    col, pos, lengths = col[valid], pos[valid], lengths[valid]
    # Longest run first, then the smallest value (earliest position), per column.
    order = np.lexsort((pos, -lengths, col))
    first = np.ones(order.size, dtype=bool)
    first[1:] = col[order][1:] != col[order][:-1]
    best = order[first]
    modes = np.full(p, np.nan)
    modes[col[best]] = T[col[best], pos[best]]
    return modes


class SimpleImputer(_ImputerIndicatorMixin, TransformerMixin, BaseEstimator):
    """Replace missing values with a per-column statistic learned in ``fit``.

    For column j with observed (non-missing) values O_j:

        mean:           s_j = Σ O_j / |O_j|
        median:         s_j = the middle value of sorted O_j (mean of the two middle ones)
        most_frequent:  s_j = the most common value of O_j, the smallest one on ties
        constant:       s_j = fill_value

    ``transform`` writes s_j into every missing entry of column j. A column with
    no observed value in ``fit`` has no statistic (NaN) and is dropped from the
    output, with a warning, unless ``keep_empty_features=True`` (then it is
    imputed with 0, or ``fill_value`` for the constant strategy).

    Parameters
    ----------
    missing_values : float, default=np.nan
        The marker of missing entries: NaN, or a number such as -1. NaN in X is
        accepted only when it is the marker; infinity is always rejected.
    strategy : {"mean", "median", "most_frequent", "constant"}, default="mean"
    fill_value : float or None, default=None
        The value for ``strategy="constant"``; None means 0.
    copy : bool, default=True
        If False, ``transform`` may impute a float array in place.
    add_indicator : bool, default=False
        Append a :class:`MissingIndicator` block (one column per feature that had
        missing values in ``fit``) to the output.
    keep_empty_features : bool, default=False
        Keep the columns that were entirely missing in ``fit`` (see above).

    Attributes
    ----------
    statistics_ : ndarray of shape (n_features,)
        The value imputed in each column (NaN for a column to drop).
    indicator_ : MissingIndicator or None
        The fitted indicator when ``add_indicator=True``.
    n_features_in_ : int

    Notes
    -----
    Only numeric data is supported (scikit-learn also imputes string columns
    with the most_frequent and constant strategies); ``statistics_`` is a float
    array for every strategy (scikit-learn uses an object array for "constant").

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.impute import SimpleImputer
    >>> X = [[1.0, 2.0], [np.nan, 3.0], [7.0, np.nan]]
    >>> SimpleImputer().fit_transform(X)
    array([[1. , 2. ],
           [4. , 3. ],
           [7. , 2.5]])
    """

    def __init__(self, *, missing_values: float = np.nan, strategy: str = "mean",
                 fill_value: float | None = None, copy: bool = True,
                 add_indicator: bool = False, keep_empty_features: bool = False):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def _check_params(self) -> None:
        _check_missing_values(self)
        if self.strategy not in _STRATEGIES:
            raise ValueError(
                f"strategy={self.strategy!r} is not supported; use one of {list(_STRATEGIES)}."
            )
        fill = self.fill_value
        if fill is not None and (isinstance(fill, bool) or not isinstance(fill, numbers.Real)):
            raise ValueError(
                f"fill_value={fill!r} must be a number or None: SimpleImputer imputes numeric "
                "data only (encode string columns first)."
            )

    def _validate(self, X, reset: bool, copy: bool = False) -> np.ndarray:
        # mean and median produce floats; the other two keep integer data integer.
        dtype = "float" if self.strategy in ("mean", "median") else "numeric"
        return self._validate_data(X, reset=reset, dtype=dtype, copy=copy,
                                   ensure_all_finite=_finite_rule(self.missing_values))

    def fit(self, X, y=None):
        """Learn the per-column statistics from the observed values of X."""
        self._check_params()
        X = self._validate(X, reset=True)
        mask = _missing_mask(X, self.missing_values)
        empty = mask.all(axis=0)
        fill = 0.0 if self.fill_value is None else float(self.fill_value)
        if X.dtype.kind in "iu" and self.strategy == "constant" and fill != int(fill):
            raise ValueError(
                f"fill_value={self.fill_value!r} cannot be stored in the integer data X "
                f"({X.dtype}); pass an integer fill_value or float data."
            )
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # empty columns: NaN on purpose
            if self.strategy == "mean":
                counts = X.shape[0] - mask.sum(axis=0)
                stats = np.where(mask, 0, X).sum(axis=0, dtype=np.float64) / counts
            elif self.strategy == "median":
                Xn = np.where(mask, np.nan, X).astype(np.float64, copy=False)
                stats = np.nanmedian(Xn, axis=0)
            elif self.strategy == "most_frequent":
                stats = _column_modes(X, mask)
            else:
                stats = np.full(X.shape[1], fill)
        stats = np.asarray(stats, dtype=np.float64)
        if self.keep_empty_features:
            stats[empty] = fill if self.strategy == "constant" else 0.0
        else:
            stats[empty] = np.nan
        self.statistics_ = stats
        self._fit_indicator(mask)
        return self

    def transform(self, X) -> np.ndarray:
        """Impute the missing entries of X; columns without a statistic are dropped."""
        check_is_fitted(self)
        X = self._validate(X, reset=False, copy=self.copy)
        mask = _missing_mask(X, self.missing_values)
        stats = self.statistics_
        valid = ~np.isnan(stats)
        if not valid.all():
            names = _feature_names_in(self) if hasattr(self, "feature_names_in_") else None
            dropped = np.flatnonzero(~valid)
            shown = names[dropped].tolist() if names is not None else dropped.tolist()
            warnings.warn(
                f"Skipping features without any observed values: {shown}. At least one "
                f"non-missing value is needed for imputation with strategy={self.strategy!r}; "
                "set keep_empty_features=True to keep them.",
                UserWarning, stacklevel=2,
            )
        out, out_mask = (X, mask) if valid.all() else (X[:, valid], mask[:, valid])
        # Fill in place on our (copied) array: one masked write, no index arrays.
        np.copyto(out, stats[valid].astype(out.dtype), where=out_mask)
        return self._with_indicator(out, mask)

    def inverse_transform(self, X) -> np.ndarray:
        """Put the missing marker back where the indicator says a value was imputed.

        Needs ``add_indicator=True``. Columns dropped in ``transform`` come back
        entirely missing; features without an indicator column cannot be restored.
        """
        check_is_fitted(self)
        if not self.add_indicator:
            raise ValueError(
                "inverse_transform needs the missing indicator: construct SimpleImputer "
                f"with add_indicator=True (got add_indicator={self.add_indicator})."
            )
        X = np.asarray(X)
        n_ind = len(self.indicator_.features_)
        valid = ~np.isnan(self.statistics_)
        n_kept = int(valid.sum())
        if X.ndim != 2 or X.shape[1] != n_kept + n_ind:
            raise ValueError(
                f"X should have {n_kept + n_ind} columns (imputed features then indicators), "
                f"got shape {X.shape}; pass the output of transform."
            )
        out = np.full((X.shape[0], self.n_features_in_), self.missing_values, dtype=np.float64)
        out[:, valid] = X[:, :n_kept]
        ind = X[:, n_kept:].astype(bool)
        cols = self.indicator_.features_
        block = out[:, cols]
        block[ind] = self.missing_values
        out[:, cols] = block
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the imputed features, then ``missingindicator_<name>`` columns."""
        check_is_fitted(self, method="get_feature_names_out")
        names = _feature_names_in(self, input_features)
        return self._indicator_names(names[~np.isnan(self.statistics_)], input_features)
