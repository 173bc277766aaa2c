"""The search core shared by every tuner: ask for candidates, cross-validate, tell the scores.

A *strategy* proposes candidates (``ask(n)`` -> list of ``(params, extra)``)
and learns from their mean cross-validated scores (``tell``). The core runs
each candidate × fold as one task through
:class:`~scratchml.model_selection._parallel.TaskRunner` (serial, threads,
processes or any executor, Dask included: X, y, the folds and the estimator
are shipped once), reusing :func:`~._validation._fit_and_score` for every fit,
and stops when the strategy is exhausted, ``max_time`` seconds have passed,
the best mean score reaches ``target_score``, or a callback returns True.

Every task is deterministic and results are collected in task order, so
``cv_results_`` is the same whichever executor runs the tasks.
"""

from __future__ import annotations

import numbers
import time

import numpy as np

from ..base import BaseEstimator, clone
from ..utils.validation import check_is_fitted
from ._parallel import TaskRunner
from ._results import build_results
from ._scoring import resolve_scoring
from ._split import check_cv
from ._utils import _is_classifier, _num_samples
from ._validation import (
    _check_error_score,
    _fit_and_score,
    _insert_error_scores,
    _warn_or_raise_about_fit_failures,
)


def _search_task(X, y, splits, estimator, scorers, fit_params, options, split_idx, params,
                 train_subset):
    """One fit: a clone of ``estimator`` with ``params`` on split ``split_idx`` (module level:
    picklable). ``train_subset`` (successive halving) replaces the split's training rows."""
    train, test = splits[split_idx]
    if train_subset is not None:
        train = train_subset
    return_train_score, error_score = options
    return _fit_and_score(clone(estimator), X, y, scorers, train, test, fit_params, params,
                          return_train_score, False, error_score)


def check_param_names(estimator, names, where: str) -> None:
    """Raise ValueError for a parameter the estimator does not have, listing the valid ones."""
    valid = estimator.get_params(deep=True)
    bad = sorted(set(names) - set(valid))
    if bad:
        raise ValueError(f"Invalid parameter {bad[0]!r} in {where} for estimator "
                         f"{type(estimator).__name__}. Valid parameters are: {sorted(valid)}.")


def _first_error_line(trace: str) -> str:
    lines = [ln for ln in trace.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


class _Delegated:
    """A method of the refitted best estimator, present only when the estimator has it."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        target = obj.__dict__.get("best_estimator_", obj.estimator)
        if not hasattr(target, self.name):
            raise AttributeError(f"{type(target).__name__} has no {self.name!r}, so neither "
                                 f"has this {type(obj).__name__}.")
        name = self.name

        def method(X, *args, **kwargs):
            obj._check_refitted(name)
            obj._check_n_features(X)
            return getattr(obj.best_estimator_, name)(X, *args, **kwargs)

        method.__name__ = name
        return method


class BaseSearchCV(BaseEstimator):
    """Base of the tuners: the fit loop, cv_results_, refit and delegation to the best model.

    Subclasses define ``_make_strategy(ctx)`` returning an object with
    ``ask(n)``, ``tell(asked, scores)`` and ``batch_size``.
    """

    _persist_private = ("_results", "_param_masks")

    # -- the search --------------------------------------------------------------

    def _check_common(self):
        _check_error_score(self.error_score)
        for name in ("max_time", "target_score"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, numbers.Real) or isinstance(v, bool)):
                raise ValueError(f"{name}={v!r} must be None or a number.")
        if self.max_time is not None and self.max_time <= 0:
            raise ValueError(f"max_time={self.max_time!r} must be > 0 seconds (or None).")

    def _clear_fitted(self) -> None:
        for key in [k for k in vars(self) if k.endswith("_") and not k.startswith("__")]:
            delattr(self, key)
        for key in self._persist_private:
            self.__dict__.pop(key, None)

    def _refit_metric(self, scorers) -> str:
        if not isinstance(scorers, dict):
            return "score"
        refit = self.refit
        if refit is False or callable(refit):
            # Nothing names a metric: time budgets, targets and the Bayesian
            # optimizer follow the first one.
            return next(iter(scorers))
        if not isinstance(refit, str) or refit not in scorers:
            raise ValueError(f"For multi-metric scoring, the parameter refit must be set to a "
                             f"scorer key or a callable to refit an estimator with the best "
                             f"parameter setting on the whole data and make the best_* "
                             f"attributes available for that metric. If this is not needed, "
                             f"refit should be set to False explicitly. {refit!r} was passed; "
                             f"scorer keys are {sorted(scorers)}.")
        return refit

    def fit(self, X, y=None, *, groups=None, **fit_params):
        """Run the search, then (``refit``) fit the best candidate on all of X, y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like or None
        groups : array-like or None
            Group labels for group splitters.
        **fit_params :
            Passed to the estimator's ``fit``; per-sample arrays are split with the rows.

        Returns
        -------
        self
        """
        self._clear_fitted()
        self._check_common()
        estimator = self.estimator
        scorers = resolve_scoring(estimator, self.scoring)
        multimetric = isinstance(scorers, dict)
        refit_metric = self._refit_metric(scorers)
        n_samples = _num_samples(X)
        if n_samples == 0:
            raise ValueError(f"Found array with 0 sample(s) (shape={np.shape(X)}): X has no "
                             f"samples; {type(self).__name__} needs data to cross-validate.")
        k = 5 if self.cv is None else self.cv
        if isinstance(k, numbers.Integral) and not isinstance(k, bool) and k > n_samples:
            raise ValueError(f"cv={self.cv} ({k} folds) is larger than the number of samples "
                             f"({n_samples}); every fold needs at least one test sample. "
                             "Use cv <= n_samples.")
        classifier = _is_classifier(estimator)
        cv = check_cv(self.cv, y, classifier=classifier)
        splits = list(cv.split(X, y, groups))
        n_splits = len(splits)
        rng = np.random.default_rng(self._seed())
        ctx = {"n_samples": n_samples, "n_splits": n_splits, "rng": rng, "splits": splits,
               "y": y, "classifier": classifier}
        strategy = self._make_strategy(ctx)
        options = (self.return_train_score, self.error_score)
        shared = (X, y, splits, estimator, scorers, fit_params, options)
        callbacks = self._callbacks()
        params, extras, per_candidate = [], [], []
        best, start, stop_reason = -np.inf, time.perf_counter(), "exhausted"
        with TaskRunner(self.n_jobs, self.executor, shared) as runner:
            batch_size = strategy.batch_size(runner.n_workers, self._stops_early())
            while True:
                asked = strategy.ask(batch_size)
                if not asked:
                    break
                tasks = [(j, p, extra.get("_train_subsets", [None] * n_splits)[j])
                         for p, extra in asked for j in range(n_splits)]
                out = runner.map(_search_task, tasks)
                means = []
                for i, (p, extra) in enumerate(asked):
                    folds = out[i * n_splits:(i + 1) * n_splits]
                    score = _mean_score(folds, refit_metric)
                    means.append(score)
                    params.append(p)
                    extras.append({k: v for k, v in extra.items() if not k.startswith("_")})
                    per_candidate.append(folds)
                    best = max(best, score) if np.isfinite(score) else best
                    if self._notify(callbacks, len(params) - 1, p, score, best, folds, start):
                        stop_reason = "callback"
                strategy.tell(asked, np.asarray(means, dtype=float))
                if self.verbose > 0:
                    print(f"[{type(self).__name__}] {len(params)} candidates x {n_splits} folds "
                          f"done, best mean score {best:.5g}, "
                          f"{time.perf_counter() - start:.2f}s")
                if stop_reason != "exhausted":
                    break
                if self.max_time is not None and time.perf_counter() - start >= self.max_time:
                    stop_reason = "max_time"
                    break
                if self.target_score is not None and best >= self.target_score:
                    stop_reason = "target_score"
                    break
        flat = [r for folds in per_candidate for r in folds]
        _warn_or_raise_about_fit_failures(flat, self.error_score)
        if callable(self.scoring):
            _insert_error_scores(flat, self.error_score)
        self._store_results(params, extras, per_candidate, n_splits)
        self.errors_ = ["\n".join(sorted({_first_error_line(r["fit_error"]) for r in folds
                                          if r["fit_error"] is not None}))
                        for folds in per_candidate]
        self.stop_reason_ = stop_reason
        self.n_splits_ = n_splits
        self.multimetric_ = multimetric
        self._finish(X, y, fit_params, refit_metric)
        return self

    def _finish(self, X, y, fit_params, refit_metric) -> None:
        results = self.cv_results_
        if self.refit is not False:
            if callable(self.refit):
                index = self.refit(results)
                if not isinstance(index, numbers.Integral):
                    raise TypeError("best_index_ returned is not an integer")
                if not 0 <= index < len(results["params"]):
                    raise IndexError("best_index_ index out of range")
            else:
                index = self._best_index(results, refit_metric)
            self.best_index_ = int(index)
            if not callable(self.refit):
                self.best_score_ = float(results[f"mean_test_{refit_metric}"][self.best_index_])
            self.best_params_ = dict(results["params"][self.best_index_])
            best = clone(self.estimator).set_params(**clone(self.best_params_, safe=False))
            start = time.perf_counter()
            best.fit(X, **fit_params) if y is None else best.fit(X, y, **fit_params)
            self.refit_time_ = time.perf_counter() - start
            self.best_estimator_ = best
        elif not self.multimetric_:
            index = self._best_index(results, refit_metric)
            self.best_index_ = int(index)
            self.best_score_ = float(results[f"mean_test_{refit_metric}"][index])
            self.best_params_ = dict(results["params"][index])
        n_features = getattr(getattr(self, "best_estimator_", None), "n_features_in_", None)
        if n_features is None and len(np.shape(X)) == 2:
            n_features = int(np.shape(X)[1])
        if n_features is not None:
            self.n_features_in_ = int(n_features)

    def _best_index(self, results, refit_metric) -> int:
        return int(np.argmin(results[f"rank_test_{refit_metric}"]))

    def _seed(self):
        """Seed of the strategy's Generator: random_state when the tuner has one."""
        rs = getattr(self, "random_state", None)
        if isinstance(rs, np.random.Generator):
            return rs.integers(2**63)
        if isinstance(rs, np.random.RandomState):
            return int(rs.randint(0, 2**31 - 1))
        return rs

    def _stops_early(self) -> bool:
        return (self.max_time is not None or self.target_score is not None
                or bool(self.callbacks))

    def _callbacks(self) -> list:
        cbs = self.callbacks
        if cbs is None:
            return []
        cbs = list(cbs) if isinstance(cbs, (list, tuple)) else [cbs]
        for cb in cbs:
            if not (callable(cb) or hasattr(cb, "on_candidate_done")):
                raise ValueError(f"callbacks: {cb!r} is neither callable nor has an "
                                 "on_candidate_done(info) method.")
        return cbs

    def _notify(self, callbacks, index, params, score, best, folds, start) -> bool:
        """Call every callback with the candidate's summary; True when one asks to stop."""
        info = {"index": index, "params": params, "mean_test_score": score,
                "best_score": best, "elapsed": time.perf_counter() - start,
                "test_scores": [r["test_scores"] for r in folds],
                "error": next((r["fit_error"] for r in folds if r["fit_error"]), None)}
        if self.verbose > 1:
            print(f"[{type(self).__name__}] candidate {index}: {params}; "
                  f"mean score={score:.5g}")
        stop = False
        for cb in callbacks:
            fn = getattr(cb, "on_candidate_done", cb)
            stop = bool(fn(info)) or stop
        return stop

    def _store_results(self, params, extras, per_candidate, n_splits) -> None:
        plain, masks = build_results(params, extras, per_candidate, n_splits,
                                     self.return_train_score)
        self._results, self._param_masks = plain, masks

    @property
    def cv_results_(self) -> dict:
        """The results table: a dict of arrays with scikit-learn's keys (one row per candidate)."""
        if "_results" not in self.__dict__:
            raise AttributeError(f"This {type(self).__name__} has no cv_results_ before fit.")
        out = {}
        for key, value in self._results.items():
            if key in self._param_masks:
                value = np.ma.MaskedArray(value, mask=self._param_masks[key])
            out[key] = value
        return out

    # -- using the best model ----------------------------------------------------------

    def _check_refitted(self, method: str) -> None:
        check_is_fitted(self, method=method)
        if "best_estimator_" not in self.__dict__:
            raise AttributeError(f"This {type(self).__name__} was fitted with refit=False: "
                                 f"{method!r} needs refit=True (or a metric name).")

    def _check_n_features(self, X) -> None:
        shape = np.shape(X) if hasattr(X, "shape") else np.shape(np.asarray(X, dtype=object))
        expected = getattr(self, "n_features_in_", None)
        if expected is not None and len(shape) == 2 and shape[1] != expected:
            raise ValueError(f"X has {shape[1]} features, but {type(self).__name__} was fitted "
                             f"with {expected} features. Pass data with the same columns as "
                             "in fit.")

    predict = _Delegated("predict")
    predict_proba = _Delegated("predict_proba")
    predict_log_proba = _Delegated("predict_log_proba")
    decision_function = _Delegated("decision_function")
    score_samples = _Delegated("score_samples")
    transform = _Delegated("transform")
    inverse_transform = _Delegated("inverse_transform")

    @property
    def _estimator_type(self):
        return getattr(self.estimator, "_estimator_type", None)

    @property
    def classes_(self):
        self._check_refitted("classes_")
        return self.best_estimator_.classes_

    @property
    def scorer_(self):
        """The scorer(s) used (rebuilt from ``scoring``; not stored, so models persist)."""
        check_is_fitted(self, method="scorer_")
        return resolve_scoring(self.estimator, self.scoring)

    def score(self, X, y=None) -> float:
        """Score of the best estimator on (X, y) with the refit metric."""
        self._check_refitted("score")
        scorer = self.scorer_
        if isinstance(scorer, dict):
            scorer = scorer[self.refit]
        return scorer(self.best_estimator_, X) if y is None else scorer(self.best_estimator_,
                                                                        X, y)


def _mean_score(folds, metric: str) -> float:
    scores = [r["test_scores"] for r in folds]
    values = [s[metric] if isinstance(s, dict) else s for s in scores]
    return float(np.mean(np.asarray(values, dtype=float)))
