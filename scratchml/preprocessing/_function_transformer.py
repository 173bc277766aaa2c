"""Wrap any function as a transformer (FunctionTransformer)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_array, check_is_fitted, get_feature_names
from ._scalers_base import _feature_names_in


def _identity(X):
    return X


class FunctionTransformer(TransformerMixin, BaseEstimator):
    """Apply a function to the data: X' = func(X, **kw_args).

    Makes a stateless step (``numpy.log1p``, a column selection...) usable in a
    pipeline. ``func=None`` is the identity. With ``check_inverse``, ``fit`` checks on
    every ~100th sample that inverse_func(func(X)) ≈ X (``numpy.allclose`` with
    rtol=1e-7, atol=1e-9) and warns when it is not.

    A function is code, so an estimator whose ``func``, ``inverse_func`` or
    ``feature_names_out`` is a callable cannot be written by ``scratchml.save`` (it
    raises ``TypeError`` naming the parameter); ``func=None`` saves and loads.

    Parameters
    ----------
    func, inverse_func : callable or None, default=None
        Forward and inverse functions; None is the identity.
    validate : bool, default=False
        Check X (2-D, numeric, finite, same number of features as in fit) before
        calling the function. Without it X is passed through untouched.
    accept_sparse : bool, default=False
        Accepted for scikit-learn compatibility and ignored: scratchml has no
        sparse matrices.
    check_inverse : bool, default=True
        Warn at fit when ``inverse_func`` does not undo ``func`` (needs both).
    feature_names_out : callable, "one-to-one" or None, default=None
        How ``get_feature_names_out`` names the outputs: the input names, or
        ``feature_names_out(self, input_features)``. Without it the transformer has
        no ``get_feature_names_out``.
    kw_args, inv_kw_args : dict or None, default=None
        Extra keyword arguments of ``func`` and ``inverse_func``.

    Notes
    -----
    Unlike scikit-learn's, this transformer must be fitted before ``transform``
    (scratchml's contract for every transformer); ``fit`` records the number of
    features and, for DataFrames, their names.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.preprocessing import FunctionTransformer
    >>> FunctionTransformer(np.log1p, np.expm1).fit_transform([[0.0, np.e - 1]])
    array([[0., 1.]])
    """

    # Fitted marker: a stateless transformer has no other fitted attribute.
    _persist_private = ("_is_fitted",)

    def __init__(self, func: Callable | None = None, inverse_func: Callable | None = None, *,
                 validate: bool = False, accept_sparse: bool = False, check_inverse: bool = True,
                 feature_names_out=None, kw_args: dict | None = None,
                 inv_kw_args: dict | None = None):
        self.func = func
        self.inverse_func = inverse_func
        self.validate = validate
        self.accept_sparse = accept_sparse
        self.check_inverse = check_inverse
        self.feature_names_out = feature_names_out
        self.kw_args = kw_args
        self.inv_kw_args = inv_kw_args

    def __sklearn_is_fitted__(self) -> bool:
        return getattr(self, "_is_fitted", False)

    def _check_params(self):
        for name in ("func", "inverse_func"):
            value = getattr(self, name)
            if value is not None and not callable(value):
                raise ValueError(f"{name} must be a callable or None, got {value!r}.")
        for name in ("kw_args", "inv_kw_args"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, dict):
                raise ValueError(f"{name} must be a dict or None, got {value!r}.")
        fno = self.feature_names_out
        if not (fno is None or callable(fno) or (isinstance(fno, str) and fno == "one-to-one")):
            raise ValueError(f"feature_names_out must be None, 'one-to-one' or a callable "
                             f"(transformer, input_features) -> names, got {fno!r}.")

    def fit(self, X, y=None):
        """Check X (with ``validate``), record its width, and test the inverse."""
        self._check_params()
        if self.validate:
            X = self._validate_data(X, dtype="numeric")
        else:
            self._record_features(X)
        if self.check_inverse and self.func is not None and self.inverse_func is not None:
            self._check_inverse_transform(X)
        self._is_fitted = True
        return self

    def _record_features(self, X):
        """n_features_in_ (and names) of whatever X is, when it has a width."""
        for attr in ("n_features_in_", "feature_names_in_"):
            self.__dict__.pop(attr, None)
        names = get_feature_names(X)
        if names is not None:
            self.feature_names_in_ = names
        n_features = None
        shape = getattr(X, "shape", None)
        if shape is not None:
            n_features = shape[1] if len(shape) == 2 else None
        else:  # a list of rows
            try:
                n_features = None if isinstance(X[0], (str, bytes)) else len(X[0])
            except (TypeError, IndexError, KeyError):
                pass
        if n_features is not None:
            self.n_features_in_ = int(n_features)

    def _check_inverse_transform(self, X):
        rows = slice(None, None, max(1, len(X) // 100))
        sample = X[rows]
        round_trip = self._apply(self.inverse_func, self._apply(self.func, sample, self.kw_args),
                                 self.inv_kw_args)
        dtypes = [X.dtype] if hasattr(X, "dtype") else list(getattr(X, "dtypes", []))
        if not all(isinstance(d, np.dtype) and np.issubdtype(d, np.number) for d in dtypes):
            raise ValueError("check_inverse needs numeric X; set check_inverse=False for other "
                             "data.")
        if not np.allclose(np.asarray(sample), np.asarray(round_trip), rtol=1e-7, atol=1e-9):
            warnings.warn("The provided functions are not strictly inverse of each other. If "
                          "you are sure you want to proceed regardless, set "
                          "'check_inverse=False'.", UserWarning, stacklevel=3)

    @staticmethod
    def _apply(func, X, kw_args):
        return (func or _identity)(X, **(kw_args or {}))

    def transform(self, X):
        """Return ``func(X, **kw_args)`` (X itself when func is None)."""
        check_is_fitted(self)
        if self.validate:
            X = self._validate_data(X, reset=False, dtype="numeric")
        return self._apply(self.func, X, self.kw_args)

    def inverse_transform(self, X):
        """Return ``inverse_func(X, **inv_kw_args)`` (X itself when it is None)."""
        check_is_fitted(self)
        if self.validate:
            X = check_array(X, dtype="numeric", estimator=self)
        return self._apply(self.inverse_func, X, self.inv_kw_args)

    @property
    def get_feature_names_out(self):
        """Output feature names; exists only when ``feature_names_out`` is set."""
        if self.feature_names_out is None:
            raise AttributeError(
                "This FunctionTransformer has no get_feature_names_out: set "
                "feature_names_out='one-to-one' or to a callable to name its outputs."
            )
        return self._get_feature_names_out

    def _get_feature_names_out(self, input_features=None) -> np.ndarray:
        if hasattr(self, "n_features_in_") or input_features is not None:
            input_features = _feature_names_in(self, input_features)
        if self.feature_names_out == "one-to-one":
            if input_features is None:
                raise ValueError("Cannot name the outputs: fit on data with a known number of "
                                 "features first, or pass input_features.")
            names = input_features
        elif callable(self.feature_names_out):
            names = self.feature_names_out(self, input_features)
        else:
            raise ValueError(f"feature_names_out must be None, 'one-to-one' or a callable, "
                             f"got {self.feature_names_out!r}.")
        return np.asarray(names, dtype=object)
