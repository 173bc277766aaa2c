"""Shared machinery of the meta-estimators (Pipeline, FeatureUnion, ColumnTransformer).

* :class:`_BaseComposition`: ``get_params``/``set_params`` over a list of
  ``(name, estimator)`` pairs, so ``pipe.set_params(clf__C=1)`` and
  ``pipe.set_params(clf=OtherModel())`` work as in scikit-learn.
* :func:`available_if`: a method that exists only when a check passes, so
  ``hasattr(pipe, "predict_proba")`` tells the truth about the final step.
* :func:`_print_elapsed_time`: the ``verbose`` timing lines.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from functools import update_wrapper
from types import MethodType

import numpy as np

from ..base import BaseEstimator


class _AvailableIf:
    """Descriptor: the method if ``check(obj)`` is truthy, else AttributeError."""

    def __init__(self, fn, check):
        self.fn = fn
        self.check = check
        update_wrapper(self, fn)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.fn
        try:
            ok = self.check(obj)
        except (AttributeError, IndexError, TypeError) as exc:  # e.g. no steps at all
            raise AttributeError(
                f"This {type(obj).__name__} has no attribute {self.fn.__name__!r}: {exc}"
            ) from exc
        if not ok:
            raise AttributeError(
                f"This {type(obj).__name__} has no attribute {self.fn.__name__!r}."
            )
        return MethodType(self.fn, obj)


def available_if(check):
    """Decorator: the method exists on an instance only where ``check(instance)`` holds."""
    return lambda fn: _AvailableIf(fn, check)


def _message_with_time(source: str, message: str, seconds: float) -> str:
    """One 70-character log line: ``[source] ..... message, total=   0.0s``."""
    start = f"[{source}] "
    total = f"{seconds / 60:4.1f}min" if seconds > 60 else f" {seconds:5.1f}s"
    end = f" {message}, total={total}"
    return start + "." * (70 - len(start) - len(end)) + end


@contextmanager
def _print_elapsed_time(source: str, message: str | None):
    """Print how long the block took, when ``message`` is not None (``verbose``)."""
    if message is None:
        yield
        return
    start = time.perf_counter()
    yield
    print(_message_with_time(source, message, time.perf_counter() - start))


def _is_skip(est) -> bool:
    """'passthrough' and None steps do nothing (``est == "passthrough"`` without == on arrays)."""
    return est is None or (isinstance(est, str) and est == "passthrough")


class _BaseComposition(BaseEstimator):
    """Parameters of a list of named estimators stored in the attribute ``_items_attr``."""

    # The attribute holding (name, estimator, ...) tuples, and the parameter that sets it.
    _items_attr = "steps"
    _items_param = "steps"

    def _named_items(self) -> list[tuple[str, object]]:
        return [(item[0], item[1]) for item in getattr(self, self._items_attr)]

    def get_params(self, deep: bool = True) -> dict:
        """Parameters; with ``deep``, each named estimator and its ``name__param`` too."""
        out = super().get_params(deep=deep)
        if not deep:
            return out
        try:
            items = self._named_items()
        except (TypeError, ValueError, IndexError):  # not (yet) a list of tuples
            return out
        for name, est in items:
            out[name] = est
            if hasattr(est, "get_params") and not isinstance(est, type):
                for key, value in est.get_params(deep=True).items():
                    out[f"{name}__{key}"] = value
        return out

    def set_params(self, **params):
        """Set parameters: the whole list first, then named estimators, then nested values."""
        if self._items_param in params:
            setattr(self, self._items_param, params.pop(self._items_param))
        try:
            names = [name for name, _ in self._named_items()]
        except (TypeError, ValueError, IndexError):
            names = []
        for key in list(params):
            if "__" not in key and key in names:
                self._replace_item(key, params.pop(key))
        return super().set_params(**params)

    def _replace_item(self, name: str, new) -> None:
        items = list(getattr(self, self._items_attr))
        for i, item in enumerate(items):
            if item[0] == name:
                items[i] = (name, new, *item[2:])
        setattr(self, self._items_attr, items)

    def _validate_names(self, names) -> None:
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if list(names).count(n) > 1})
            raise ValueError(f"Names provided are not unique: {dup}. Give each step its own "
                             "name.")
        clash = set(names) & set(self._get_param_names())
        if clash:
            raise ValueError(f"Estimator names conflict with constructor arguments: "
                             f"{sorted(clash)}. Rename those steps.")
        bad = [n for n in names if not isinstance(n, str) or "__" in n]
        if bad:
            raise ValueError(f"Estimator names must be strings without '__', got {bad!r}.")


class Bunch(dict):
    """A dict whose keys are also attributes: ``pipe.named_steps.scale``."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self):
        return list(self.keys())


def _n_features(X) -> int:
    """Number of columns of a 2-D array-like, without converting frames."""
    shape = getattr(X, "shape", None)
    if shape is None:
        shape = np.shape(X)
    if len(shape) != 2:
        raise ValueError(f"Expected a 2D array-like (samples x features), got shape "
                         f"{tuple(shape)}; reshape it with X.reshape(-1, 1) for a single feature.")
    return int(shape[1])


def _default_feature_names(estimator, input_features=None) -> np.ndarray:
    """``input_features``, else ``feature_names_in_``, else x0..x{n−1} (as an object array)."""
    if input_features is not None:
        names = np.asarray(input_features, dtype=object)
        fitted = getattr(estimator, "feature_names_in_", None)
        if fitted is not None and not np.array_equal(names, fitted):
            raise ValueError("input_features is not equal to feature_names_in_; pass the "
                             "names of the columns seen in fit, or None.")
        n = getattr(estimator, "n_features_in_", None)
        if n is not None and len(names) != n:
            raise ValueError(f"input_features should have length equal to the number of "
                             f"features ({n}), got {len(names)}.")
        return names
    fitted = getattr(estimator, "feature_names_in_", None)
    if fitted is not None:
        return np.asarray(fitted, dtype=object)
    n = getattr(estimator, "n_features_in_", None)
    if n is None:
        raise ValueError("Unable to generate feature names without n_features_in_; fit first.")
    return np.asarray([f"x{i}" for i in range(n)], dtype=object)


def _name_estimators(estimators) -> list[tuple[str, object]]:
    """Lower-cased class names, numbered where they repeat (scikit-learn's naming)."""
    names = [e if isinstance(e, str) else type(e).__name__.lower() for e in estimators]
    counts = {n: names.count(n) for n in names}
    seen: dict[str, int] = {}
    out = []
    for name, est in zip(names, estimators):
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name}-{seen[name]}"
        out.append((name, est))
    return out
