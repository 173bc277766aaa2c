"""Missing-value masks and the missing-value indicator shared by the imputers."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..feature_selection._base import _feature_names_in
from ..utils.validation import check_is_fitted


def _is_nan_marker(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isnan(value)


def _check_missing_values(estimator) -> None:
    value = estimator.missing_values
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"missing_values={value!r} is not supported by {type(estimator).__name__}: use "
            "np.nan (the default) or a number such as -1 that marks the missing entries."
        )


def _finite_rule(missing_values) -> bool | str:
    """NaN is data to impute when it is the marker; infinity is always rejected."""
    return "allow-nan" if _is_nan_marker(missing_values) else True


def _missing_mask(X: np.ndarray, missing_values) -> np.ndarray:
    """Boolean mask of the entries of X equal to the marker (NaN compares by isnan)."""
    if _is_nan_marker(missing_values):
        return np.isnan(X)
    return X == missing_values


class MissingIndicator(TransformerMixin, BaseEstimator):
    """Binary indicators of missing values: one boolean column per chosen feature.

    ``transform(X)[i, k]`` is True when X[i, features_[k]] is missing. With
    ``features="missing-only"`` the chosen features are those that had missing
    values in ``fit``; with ``"all"``, every feature.

    Parameters
    ----------
    missing_values : float, default=np.nan
        The marker of missing entries (NaN, or a number such as -1).
    features : {"missing-only", "all"}, default="missing-only"
    error_on_new : bool, default=True
        With ``features="missing-only"``, raise in ``transform`` when a feature
        that had no missing value in ``fit`` has some.

    Attributes
    ----------
    features_ : ndarray of shape (n_chosen,)
        Indices of the features that get an indicator column.
    n_features_in_ : int

    Notes
    -----
    scikit-learn's ``sparse`` parameter is not offered: the output is a dense
    boolean array.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.impute import MissingIndicator
    >>> MissingIndicator().fit_transform([[1.0, np.nan], [2.0, 3.0]])
    array([[ True],
           [False]])
    >>> MissingIndicator(features="all").fit_transform([[1.0, np.nan], [2.0, 3.0]])
    array([[False,  True],
           [False, False]])
    """

    def __init__(self, *, missing_values: float = np.nan, features: str = "missing-only",
                 error_on_new: bool = True):
        self.missing_values = missing_values
        self.features = features
        self.error_on_new = error_on_new

    def _check_params(self) -> None:
        _check_missing_values(self)
        if self.features not in ("missing-only", "all"):
            raise ValueError(
                f"features={self.features!r} is not supported; use 'missing-only' or 'all'."
            )

    def _fit_mask(self, mask: np.ndarray) -> None:
        """Learn the chosen features from a precomputed missing mask (used by the imputers)."""
        self.n_features_in_ = mask.shape[1]
        if self.features == "all":
            self.features_ = np.arange(mask.shape[1])
        else:
            self.features_ = np.flatnonzero(mask.any(axis=0))

    def _mask_output(self, mask: np.ndarray) -> np.ndarray:
        """The indicator columns for a precomputed missing mask."""
        if self.features == "missing-only" and self.error_on_new:
            new = np.setdiff1d(np.flatnonzero(mask.any(axis=0)), self.features_)
            if new.size:
                raise ValueError(
                    f"The features {new.tolist()} have missing values in transform but had "
                    "none in fit. Fit on data where they can be missing, or set "
                    "error_on_new=False."
                )
        return mask[:, self.features_]

    def fit(self, X, y=None):
        """Record which features have missing values (or all of them)."""
        self._check_params()
        X = self._validate_data(X, dtype="numeric",
                                ensure_all_finite=_finite_rule(self.missing_values))
        self._fit_mask(_missing_mask(X, self.missing_values))
        return self

    def transform(self, X) -> np.ndarray:
        """Boolean array of shape (n_samples, len(features_)): True where X is missing."""
        check_is_fitted(self)
        X = self._validate_data(X, reset=False, dtype="numeric",
                                ensure_all_finite=_finite_rule(self.missing_values))
        return self._mask_output(_missing_mask(X, self.missing_values))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``missingindicator_<name>`` for each chosen feature."""
        check_is_fitted(self, method="get_feature_names_out")
        names = _feature_names_in(self, input_features)
        return np.asarray([f"missingindicator_{n}" for n in names[self.features_]], dtype=object)


class _ImputerIndicatorMixin:
    """``add_indicator`` support: a nested MissingIndicator fitted on the fit-time mask."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = _is_nan_marker(self.missing_values)
        return tags

    def _fit_indicator(self, mask: np.ndarray) -> None:
        if self.add_indicator:
            self.indicator_ = MissingIndicator(missing_values=self.missing_values,
                                               error_on_new=False)
            self.indicator_._fit_mask(mask)
        else:
            self.indicator_ = None

    def _with_indicator(self, X_imputed: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if not self.add_indicator:
            return X_imputed
        ind = self.indicator_._mask_output(mask).astype(X_imputed.dtype)
        return np.hstack([X_imputed, ind])

    def _indicator_names(self, names: np.ndarray, input_features) -> np.ndarray:
        if not self.add_indicator:
            return names
        all_names = _feature_names_in(self, input_features)
        return np.concatenate([names, self.indicator_.get_feature_names_out(all_names)])
