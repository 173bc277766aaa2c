"""The estimator contract: BaseEstimator, the mixins, and clone.

The rules (the scikit-learn ones, without importing scikit-learn):

* ``__init__`` only stores its arguments, unchanged, under the same names.
* ``fit`` validates, learns, sets attributes ending in ``_`` and returns ``self``.
* ``get_params`` / ``set_params`` come from the ``__init__`` signature; nested
  estimators are reached with ``name__param``.
* Fitted state is plain data (arrays, numbers, strings, lists/dicts, nested
  estimators), which is what lets :mod:`scratchml.persistence` save any estimator.

When scikit-learn is installed, these estimators also work inside its ``clone``,
``Pipeline``, ``GridSearchCV`` and ``cross_val_score``: ``__sklearn_tags__``
imports scikit-learn lazily, only when scikit-learn itself asks.
"""

from __future__ import annotations

import copy
import inspect
from collections import defaultdict

import numpy as np

from .utils.validation import check_array, check_is_fitted, check_X_y, get_feature_names


class BaseEstimator:
    """Base class of every scratchml estimator: parameters, repr, input checks."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        sig = inspect.signature(init)
        names = []
        for p in sig.parameters.values():
            if p.name == "self" or p.kind == p.VAR_KEYWORD:
                continue
            if p.kind == p.VAR_POSITIONAL:
                raise TypeError(
                    f"{cls.__name__}.__init__ takes *args; scratchml estimators must list "
                    "their parameters explicitly."
                )
            names.append(p.name)
        return sorted(names)

    def get_params(self, deep: bool = True) -> dict:
        """Parameters of this estimator; with ``deep``, nested ones as ``name__param``."""
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params(deep=True).items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set parameters, nested ones included (``step__param``); returns ``self``."""
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested = defaultdict(dict)
        for key, value in params.items():
            name, delim, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(self._get_param_names())}."
                )
            if delim:
                nested[name][sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        try:
            defaults = {
                p.name: p.default
                for p in inspect.signature(type(self).__init__).parameters.values()
                if p.default is not p.empty
            }
        except (TypeError, ValueError):
            defaults = {}
        parts = []
        for name, value in self.get_params(deep=False).items():
            if name in defaults and _same_default(value, defaults[name]):
                continue
            parts.append(f"{name}={value!r}")
        text = f"{type(self).__name__}({', '.join(parts)})"
        if len(text) > 500:
            text = text[:497] + "..."
        return text

    def __getstate__(self):
        state = self.__dict__.copy()
        from . import __version__

        state["_scratchml_version"] = __version__
        return state

    def __setstate__(self, state):
        state = dict(state)
        state.pop("_scratchml_version", None)
        self.__dict__.update(state)

    # -- input validation at the public boundary ------------------------------------

    def _validate_data(self, X, y=None, *, reset: bool = True, **check_params):
        """Validate X (and y), recording or checking ``n_features_in_``/``feature_names_in_``.

        ``reset=True`` (in ``fit``) records the number and names of features;
        ``reset=False`` (``predict``, ``transform``...) checks X against them.
        """
        names = get_feature_names(X)
        if y is None:
            X = check_array(X, estimator=self, **check_params)
            out = X
        else:
            X, y = check_X_y(X, y, estimator=self, **check_params)
            out = (X, y)
        n_features = X.shape[1] if X.ndim >= 2 else 1
        if reset:
            self._set_features_in(n_features, names)
        else:
            self._check_features(n_features, names)
        return out

    def _set_features_in(self, n_features: int, names) -> None:
        """Remember the number (and, for DataFrames, names) of features seen in fit."""
        self.n_features_in_ = n_features
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def _check_features(self, n_features: int, names) -> None:
        expected = getattr(self, "n_features_in_", None)
        if expected is not None and n_features != expected:
            raise ValueError(
                f"X has {n_features} features, but {type(self).__name__} was fitted with "
                f"{expected} features. Pass data with the same columns as in fit."
            )
        fitted_names = getattr(self, "feature_names_in_", None)
        if fitted_names is not None and names is not None:
            if len(names) != len(fitted_names) or np.any(names != fitted_names):
                missing = [n for n in fitted_names if n not in set(names)]
                unexpected = [n for n in names if n not in set(fitted_names)]
                detail = []
                if missing:
                    detail.append(f"missing {missing[:5]}")
                if unexpected:
                    detail.append(f"unexpected {unexpected[:5]}")
                if not detail:
                    detail.append("same names in a different order")
                raise ValueError(
                    f"The feature names of X do not match those seen in fit by "
                    f"{type(self).__name__}: {'; '.join(detail)}. Select the columns in the "
                    "same order as during fit."
                )

    # -- scikit-learn interoperability (imports scikit-learn only when it asks) ------

    def __sklearn_tags__(self):
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(
            estimator_type=getattr(self, "_estimator_type", None),
            target_tags=TargetTags(required=False),
            input_tags=InputTags(allow_nan=False),
        )

    def __sklearn_is_fitted__(self) -> bool:
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))


def _same_default(value, default) -> bool:
    if value is default:
        return True
    if type(value) is not type(default):
        return False
    try:
        return bool(value == default)
    except Exception:
        return False


class ClassifierMixin:
    """Mixin for classifiers: ``score`` is accuracy."""

    _estimator_type = "classifier"

    def score(self, X, y, sample_weight=None) -> float:
        """Mean accuracy of ``predict(X)`` against ``y`` (weighted by ``sample_weight``)."""
        y = np.asarray(y)
        correct = (self.predict(X) == y.ravel()).astype(np.float64)
        return float(np.average(correct, weights=sample_weight))

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True
        return tags


class RegressorMixin:
    """Mixin for regressors: ``score`` is the coefficient of determination R²."""

    _estimator_type = "regressor"

    def score(self, X, y, sample_weight=None) -> float:
        """R² = 1 − Σ w (y − ŷ)² / Σ w (y − ȳ)²; 1 is perfect, 0 is predicting the mean."""
        y = np.asarray(y, dtype=np.float64)
        pred = np.asarray(self.predict(X), dtype=np.float64).reshape(y.shape)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        w = w.reshape((-1,) + (1,) * (y.ndim - 1))
        ss_res = np.sum(w * (y - pred) ** 2, axis=0)
        ss_tot = np.sum(w * (y - np.average(y, axis=0, weights=w.ravel())) ** 2, axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = np.where(ss_tot > 0, 1 - ss_res / np.where(ss_tot > 0, ss_tot, 1),
                          np.where(ss_res > 0, 0.0, 1.0))
        return float(np.mean(r2))

    def __sklearn_tags__(self):
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        return tags


class TransformerMixin:
    """Mixin for transformers: ``fit_transform``."""

    def fit_transform(self, X, y=None, **fit_params):
        """Fit to X, then transform it (subclasses may do both in one pass)."""
        if y is None:
            return self.fit(X, **fit_params).transform(X)
        return self.fit(X, y, **fit_params).transform(X)

    def __sklearn_tags__(self):
        from sklearn.utils import TransformerTags

        tags = super().__sklearn_tags__()
        tags.transformer_tags = TransformerTags()
        return tags


class ClusterMixin:
    """Mixin for clusterers: ``fit_predict`` returns ``labels_``."""

    _estimator_type = "clusterer"

    def fit_predict(self, X, y=None, **fit_params):
        """Fit on X and return the cluster label of each sample."""
        self.fit(X, **fit_params)
        return self.labels_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "clusterer"
        return tags


def get_estimator_type(estimator) -> str | None:
    """'classifier', 'regressor', 'clusterer' or None, for scratchml and scikit-learn estimators.

    scikit-learn >= 1.6 declares the type through ``__sklearn_tags__`` instead of
    the ``_estimator_type`` attribute, so both are consulted (scikit-learn is
    only imported if the estimator itself comes from it).
    """
    kind = getattr(estimator, "_estimator_type", None)
    if kind is not None:
        return kind
    tags = getattr(estimator, "__sklearn_tags__", None)
    if tags is not None:
        try:
            return tags().estimator_type
        except Exception:  # scikit-learn missing, or tags that need a fitted estimator
            return None
    return None


def is_classifier(estimator) -> bool:
    return get_estimator_type(estimator) == "classifier"


def is_regressor(estimator) -> bool:
    return get_estimator_type(estimator) == "regressor"


def clone(estimator, *, safe: bool = True):
    """A new, unfitted estimator with the same parameters (nested estimators cloned too).

    Lists, tuples and dicts of estimators are cloned element-wise; other
    parameters are deep-copied. With ``safe=False``, non-estimators are
    deep-copied instead of raising.
    """
    if isinstance(estimator, (list, tuple, set, frozenset)):
        return type(estimator)(clone(e, safe=safe) for e in estimator)
    if isinstance(estimator, dict):
        return {k: clone(v, safe=safe) for k, v in estimator.items()}
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        if not safe:
            return copy.deepcopy(estimator)
        raise TypeError(
            f"Cannot clone {estimator!r} ({type(estimator).__name__}): it is not an estimator "
            "(it has no get_params method)."
        )
    klass = type(estimator)
    params = estimator.get_params(deep=False)
    new_params = {name: clone(value, safe=False) for name, value in params.items()}
    new = klass(**new_params)
    got = new.get_params(deep=False)
    for name in new_params:
        if got[name] is not new_params[name]:
            raise RuntimeError(
                f"Cannot clone {klass.__name__}: its __init__ changes parameter {name!r}. "
                "__init__ must store its arguments unchanged."
            )
    return new


__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "ClusterMixin",
    "RegressorMixin",
    "TransformerMixin",
    "check_is_fitted",
    "clone",
    "get_estimator_type",
    "is_classifier",
    "is_regressor",
]
