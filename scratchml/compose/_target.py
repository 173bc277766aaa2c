"""TransformedTargetRegressor: fit a regressor on a transformed target.

With a target transform g (a transformer, or ``func`` with its inverse),

    fit:      regressor.fit(X, g(y))
    predict:  ŷ = g⁻¹(regressor.predict(X)),

e.g. g = log for a positive, skewed target: the regressor fits log y and
predictions come back on the original scale.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..base import BaseEstimator, RegressorMixin, clone
from ..utils.validation import check_array, check_is_fitted


class _TargetFunctionTransformer(BaseEstimator):
    """g and g⁻¹ as a transformer of 2-D targets (identity when both are None)."""

    def __init__(self, func=None, inverse_func=None):
        self.func = func
        self.inverse_func = inverse_func

    def fit(self, y, *_):
        self.n_features_in_ = y.shape[1]
        return self

    def transform(self, y):
        return y if self.func is None else np.asarray(self.func(y))

    def inverse_transform(self, y):
        return y if self.inverse_func is None else np.asarray(self.inverse_func(y))


class TransformedTargetRegressor(RegressorMixin, BaseEstimator):
    """A regressor fitted on g(y) whose predictions are mapped back by g⁻¹.

    Parameters
    ----------
    regressor : regressor or None, default=None
        Cloned before fitting. None means ``scratchml.linear_model.LinearRegression``.
    transformer : transformer or None, default=None
        Fitted on y as a single-column matrix; its ``inverse_transform`` maps
        predictions back. Cannot be combined with ``func``/``inverse_func``.
    func, inverse_func : callable or None, default=None
        g and g⁻¹ applied to the 2-D target (both or neither; neither is the identity).
    check_inverse : bool, default=True
        Warn when g⁻¹(g(y)) differs from y on a subsample of y.

    Attributes
    ----------
    regressor_ : fitted regressor
    transformer_ : fitted transformer of y
    n_features_in_ : int
        That of ``regressor_``.

    Notes
    -----
    A model using ``func``/``inverse_func`` holds functions, which
    :func:`scratchml.save` cannot store; use a transformer to save one.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from scratchml.compose import TransformedTargetRegressor
    >>> X = np.arange(1.0, 5.0).reshape(-1, 1)
    >>> model = TransformedTargetRegressor(LinearRegression(), func=np.log,
    ...                                    inverse_func=np.exp).fit(X, np.exp(X.ravel()))
    >>> np.round(model.predict([[5.0]]), 6)
    array([148.413159])
    """

    _persist_private = ("_training_dim",)

    def __init__(self, regressor=None, *, transformer=None, func=None, inverse_func=None,
                 check_inverse: bool = True):
        self.regressor = regressor
        self.transformer = transformer
        self.func = func
        self.inverse_func = inverse_func
        self.check_inverse = check_inverse

    def _new_regressor(self):
        if self.regressor is not None:
            return clone(self.regressor)
        try:
            from ..linear_model import LinearRegression
        except ImportError:
            raise ValueError(
                "regressor=None means scratchml.linear_model.LinearRegression, which this "
                "version of scratchml does not have; pass a regressor explicitly."
            ) from None
        return LinearRegression()

    def _fit_transformer(self, y_2d: np.ndarray) -> None:
        if self.transformer is not None and (self.func is not None
                                             or self.inverse_func is not None):
            raise ValueError("'transformer' and functions 'func'/'inverse_func' cannot both "
                             "be set; give one or the other.")
        if self.transformer is not None:
            self.transformer_ = clone(self.transformer)
        else:
            if (self.func is None) != (self.inverse_func is None):
                given, lacking = (("func", "inverse_func") if self.inverse_func is None
                                  else ("inverse_func", "func"))
                raise ValueError(f"When '{given}' is provided, '{lacking}' must also be "
                                 f"provided. If {lacking} is supposed to be the default, you "
                                 "need to explicitly pass it the identity function.")
            self.transformer_ = _TargetFunctionTransformer(self.func, self.inverse_func)
        self.transformer_.fit(y_2d)
        if self.check_inverse:
            sample = y_2d[:: max(1, y_2d.shape[0] // 10)]
            back = self.transformer_.inverse_transform(self.transformer_.transform(sample))
            if not np.allclose(sample, np.asarray(back).reshape(sample.shape)):
                warnings.warn("The provided functions or transformer are not strictly inverse "
                              "of each other. If you are sure you want to proceed regardless, "
                              "set 'check_inverse=False'", UserWarning, stacklevel=3)

    def fit(self, X, y, **fit_params):
        """Fit the transformer on y, then the regressor on (X, g(y))."""
        if y is None:
            raise ValueError("This TransformedTargetRegressor estimator requires y to be "
                             "passed, but the target y is None.")
        y = check_array(y, ensure_2d=False, dtype="numeric", input_name="y",
                        estimator=self)
        if y.dtype.kind != "f":
            y = y.astype(np.float64)
        self._training_dim = y.ndim
        y_2d = y.reshape(-1, 1) if y.ndim == 1 else y
        self._fit_transformer(y_2d)
        y_trans = np.asarray(self.transformer_.transform(y_2d))
        if y_trans.ndim == 2 and y_trans.shape[1] == 1 and self._training_dim == 1:
            y_trans = y_trans[:, 0]
        self.regressor_ = self._new_regressor()
        self.regressor_.fit(X, y_trans, **fit_params)
        names = getattr(self.regressor_, "feature_names_in_", None)
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return self

    def predict(self, X, **predict_params):
        """g⁻¹ of the regressor's prediction, in the shape of the training target."""
        check_is_fitted(self)
        pred = np.asarray(self.regressor_.predict(X, **predict_params))
        back = np.asarray(self.transformer_.inverse_transform(
            pred.reshape(-1, 1) if pred.ndim == 1 else pred))
        if self._training_dim == 1 and back.ndim == 2 and back.shape[1] == 1:
            back = back[:, 0]
        return back

    @property
    def n_features_in_(self) -> int:
        """Number of features seen by the fitted regressor."""
        try:
            return self.regressor_.n_features_in_
        except AttributeError:
            raise AttributeError(f"{type(self).__name__} object has no n_features_in_ "
                                 "attribute: it is not fitted yet.") from None
