"""Chaining estimators: Pipeline and make_pipeline; FeatureUnion and make_union.

A pipeline composes transformers T_1, ..., T_{m-1} and a final estimator f:

    predict(X) = f(T_{m-1}(... T_1(X))),

where ``fit`` fits each T_i on the output of the previous ones (with
``fit_transform``) and then f on the last output. A feature union applies
transformers side by side and concatenates their outputs column-wise:
[w_1 T_1(X) | w_2 T_2(X) | ...].

Both keep their fitted estimators inside their parameters (``steps``,
``transformer_list``: lists of ``(name, estimator)`` pairs, fitted in place as
in scikit-learn), which is plain data that :func:`scratchml.save` writes and
:func:`scratchml.load` rebuilds.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from .base import get_estimator_type
from .compose._base import (
    Bunch,
    _BaseComposition,
    _default_feature_names,
    _is_skip,
    _name_estimators,
    _print_elapsed_time,
    available_if,
)
from .compose._feature_union import FeatureUnion, make_union
from .utils.validation import _is_fitted, check_is_fitted


def _final_has(attr: str):
    return lambda self: hasattr(self._final_estimator, attr)


class Pipeline(_BaseComposition):
    """A sequence of transformers followed by a final estimator, used as one estimator.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Every step but the last needs ``fit``/``fit_transform`` and ``transform``;
        any step may be ``"passthrough"`` or None (skipped). Steps are fitted in place.
    memory : None
        Caching of fitted transformers is not implemented; must be None.
    verbose : bool, default=False
        Print the time each step takes to fit.

    Attributes
    ----------
    named_steps : Bunch
        The steps by name (``pipe.named_steps.scale``).
    classes_ : ndarray
        The final step's classes (classifiers only).
    n_features_in_, feature_names_in_ :
        Those of the first step.

    Examples
    --------
    >>> from scratchml.pipeline import Pipeline
    >>> from scratchml.preprocessing import StandardScaler
    >>> from scratchml.neighbors import NearestCentroid
    >>> pipe = Pipeline([("scale", StandardScaler()), ("clf", NearestCentroid())])
    >>> pipe.fit([[0, 1], [1, 1], [9, 0], [10, 0]], [0, 0, 1, 1]).predict([[8, 0]])
    array([1])
    >>> pipe.set_params(clf__metric="manhattan").named_steps.clf.metric
    'manhattan'
    """

    _items_attr = _items_param = "steps"

    def __init__(self, steps, *, memory=None, verbose: bool = False):
        self.steps = steps
        self.memory = memory
        self.verbose = verbose

    # -- structure -----------------------------------------------------------------

    def _validate_steps(self) -> None:
        if self.memory is not None:
            raise ValueError(f"memory={self.memory!r} is not supported: scratchml's Pipeline "
                             "does not cache transformers; use memory=None.")
        if not isinstance(self.steps, (list, tuple)) or not self.steps or not all(
                isinstance(s, tuple) and len(s) == 2 for s in self.steps):
            raise ValueError("steps must be a non-empty list of (name, estimator) tuples, got "
                             f"{self.steps!r}.")
        names, estimators = zip(*self.steps)
        self._validate_names(names)
        for name, t in zip(names[:-1], estimators[:-1]):
            if _is_skip(t):
                continue
            if not (hasattr(t, "fit") or hasattr(t, "fit_transform")) or not hasattr(
                    t, "transform"):
                raise TypeError(
                    f"All intermediate steps should be transformers and implement fit and "
                    f"transform or be the string 'passthrough'. Step {name!r} is {t!r} "
                    f"(type {type(t).__name__}), which doesn't.")
        last = estimators[-1]
        if not _is_skip(last) and not hasattr(last, "fit"):
            raise TypeError(f"Last step of Pipeline should implement fit or be the string "
                            f"'passthrough'. {last!r} (type {type(last).__name__}) doesn't.")

    def _iter(self, with_final: bool = True):
        """(index, name, transformer) of the non-passthrough steps."""
        stop = len(self.steps) if with_final else len(self.steps) - 1
        for idx, (name, trans) in enumerate(self.steps[:stop]):
            if not _is_skip(trans):
                yield idx, name, trans

    @property
    def _final_estimator(self):
        est = self.steps[-1][1]
        return "passthrough" if est is None else est

    @property
    def named_steps(self) -> Bunch:
        """The steps as a dict that also allows attribute access."""
        return Bunch(**dict(self.steps))

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, ind):
        """A sub-pipeline for a slice (sharing the estimators), a step for an int or name."""
        if isinstance(ind, slice):
            if ind.step not in (1, None):
                raise ValueError("Pipeline slicing only supports a step of 1.")
            return type(self)(self.steps[ind], memory=self.memory, verbose=self.verbose)
        if isinstance(ind, str):
            return self.named_steps[ind]
        return self.steps[ind][1]

    @property
    def _estimator_type(self):
        return get_estimator_type(self._final_estimator)

    @property
    def classes_(self):
        """The class labels of the final step (AttributeError if it has none)."""
        return self._step_attribute(-1, "classes_")

    @property
    def n_features_in_(self) -> int:
        """Number of features seen by the first step in fit."""
        return self._step_attribute(0, "n_features_in_")

    @property
    def feature_names_in_(self):
        """Feature names seen by the first step in fit (DataFrames with string columns)."""
        return self._step_attribute(0, "feature_names_in_")

    def _step_attribute(self, index: int, name: str):
        try:
            return getattr(self.steps[index][1], name)
        except (IndexError, TypeError):  # no steps (yet): hasattr() must say False
            raise AttributeError(f"'Pipeline' object has no attribute {name!r}") from None

    def __sklearn_is_fitted__(self) -> bool:
        """Fitted when the last non-passthrough step is (as in scikit-learn)."""
        for _, est in reversed(self.steps):
            if not _is_skip(est):
                return _is_fitted(est)
        return True

    def __sklearn_tags__(self):
        from sklearn.utils import get_tags

        tags = super().__sklearn_tags__()
        last = self._final_estimator
        if not _is_skip(last):
            final = get_tags(last)
            tags.estimator_type = final.estimator_type
            tags.classifier_tags = final.classifier_tags
            tags.regressor_tags = final.regressor_tags
            tags.transformer_tags = final.transformer_tags
            tags.target_tags = final.target_tags
        return tags

    # -- fitting -------------------------------------------------------------------

    def _log_message(self, idx: int):
        if not self.verbose:
            return None
        return f"(step {idx + 1} of {len(self.steps)}) Processing {self.steps[idx][0]}"

    def _route_params(self, params: dict) -> dict:
        """``{"clf__sample_weight": w}`` -> ``{"clf": {"sample_weight": w}}``."""
        routed = defaultdict(dict)
        names = {name for name, _ in self.steps}
        for key, value in params.items():
            step, sep, param = key.partition("__")
            if not sep or step not in names:
                raise ValueError(
                    f"Pipeline.fit does not accept the {key} parameter. You can pass "
                    "parameters to specific steps of your pipeline using the "
                    "stepname__parameter format, e.g. `Pipeline.fit(X, y, "
                    "clf__sample_weight=sample_weight)`.")
            routed[step][param] = value
        return routed

    def _fit(self, X, y, routed):
        """Fit and apply every transformer but the final step; returns the transformed X."""
        self._validate_steps()
        Xt = X
        for idx, (name, trans) in enumerate(self.steps[:-1]):
            with _print_elapsed_time("Pipeline", self._log_message(idx)):
                if _is_skip(trans):
                    continue
                if hasattr(trans, "fit_transform"):
                    Xt = trans.fit_transform(Xt, y, **routed[name])
                else:
                    Xt = trans.fit(Xt, y, **routed[name]).transform(Xt)
        return Xt

    def fit(self, X, y=None, **params):
        """Fit the transformers one after the other, then the final estimator.

        ``params`` are routed by name: ``clf__sample_weight=w`` goes to ``clf.fit``.
        """
        routed = self._route_params(params)
        Xt = self._fit(X, y, routed)
        with _print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            last = self._final_estimator
            if not _is_skip(last):
                last.fit(Xt, y, **routed[self.steps[-1][0]])
        return self

    def _can_fit_transform(self):
        last = self._final_estimator
        return _is_skip(last) or hasattr(last, "transform") or hasattr(last, "fit_transform")

    @available_if(_can_fit_transform)
    def fit_transform(self, X, y=None, **params):
        """Fit all steps and return the final step's transform of the training data."""
        routed = self._route_params(params)
        Xt = self._fit(X, y, routed)
        last = self._final_estimator
        with _print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            if _is_skip(last):
                return Xt
            p = routed[self.steps[-1][0]]
            if hasattr(last, "fit_transform"):
                return last.fit_transform(Xt, y, **p)
            return last.fit(Xt, y, **p).transform(Xt)

    @available_if(_final_has("fit_predict"))
    def fit_predict(self, X, y=None, **params):
        """Fit the transformers, then ``fit_predict`` of the final step."""
        routed = self._route_params(params)
        Xt = self._fit(X, y, routed)
        with _print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            return self.steps[-1][1].fit_predict(Xt, y, **routed[self.steps[-1][0]])

    # -- using the fitted pipeline ---------------------------------------------------

    def _transform_until_final(self, X, method: str):
        check_is_fitted(self, method=method)
        Xt = X
        for _, _, trans in self._iter(with_final=False):
            Xt = trans.transform(Xt)
        return Xt

    @available_if(_final_has("predict"))
    def predict(self, X, **params):
        """Transform X through the steps, then ``predict`` of the final step."""
        return self.steps[-1][1].predict(self._transform_until_final(X, "predict"), **params)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Transform X through the steps, then ``predict_proba`` of the final step."""
        Xt = self._transform_until_final(X, "predict_proba")
        return self.steps[-1][1].predict_proba(Xt, **params)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Transform X through the steps, then ``predict_log_proba`` of the final step."""
        Xt = self._transform_until_final(X, "predict_log_proba")
        return self.steps[-1][1].predict_log_proba(Xt, **params)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X):
        """Transform X through the steps, then ``decision_function`` of the final step."""
        Xt = self._transform_until_final(X, "decision_function")
        return self.steps[-1][1].decision_function(Xt)

    @available_if(_final_has("score_samples"))
    def score_samples(self, X):
        """Transform X through the steps, then ``score_samples`` of the final step."""
        Xt = self._transform_until_final(X, "score_samples")
        return self.steps[-1][1].score_samples(Xt)

    def _can_transform(self):
        return _is_skip(self._final_estimator) or hasattr(self._final_estimator, "transform")

    @available_if(_can_transform)
    def transform(self, X):
        """Apply every transformer, the final step included."""
        check_is_fitted(self, method="transform")
        Xt = X
        for _, _, trans in self._iter():
            Xt = trans.transform(Xt)
        return Xt

    def _can_inverse_transform(self):
        return all(hasattr(t, "inverse_transform") for _, _, t in self._iter())

    @available_if(_can_inverse_transform)
    def inverse_transform(self, X):
        """Apply ``inverse_transform`` of every step, last to first."""
        check_is_fitted(self, method="inverse_transform")
        Xt = X
        for _, _, trans in reversed(list(self._iter())):
            Xt = trans.inverse_transform(Xt)
        return Xt

    @available_if(_final_has("score"))
    def score(self, X, y=None, sample_weight=None, **params):
        """Transform X through the steps, then ``score`` of the final step."""
        Xt = self._transform_until_final(X, "score")
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        return self.steps[-1][1].score(Xt, y, **params)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Feature names after every transformer (each must have get_feature_names_out)."""
        names = input_features
        for _, name, trans in self._iter():
            if not hasattr(trans, "get_feature_names_out"):
                raise AttributeError(
                    f"Estimator {name} does not provide get_feature_names_out. Did you mean "
                    "to call pipeline[:-1].get_feature_names_out()?")
            names = trans.get_feature_names_out(names)
        if names is None:
            names = _default_feature_names(self.steps[0][1] if self.steps else self)
        return np.asarray(names, dtype=object)


def make_pipeline(*steps, memory=None, verbose: bool = False) -> Pipeline:
    """A :class:`Pipeline` whose step names are the lower-cased class names.

    Examples
    --------
    >>> from scratchml.pipeline import make_pipeline
    >>> from scratchml.preprocessing import StandardScaler
    >>> from scratchml.neighbors import NearestCentroid
    >>> [name for name, _ in make_pipeline(StandardScaler(), NearestCentroid()).steps]
    ['standardscaler', 'nearestcentroid']
    """
    return Pipeline(_name_estimators(steps), memory=memory, verbose=verbose)


__all__ = ["FeatureUnion", "Pipeline", "make_pipeline", "make_union"]
