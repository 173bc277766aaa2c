"""GridSearchCV and RandomizedSearchCV: fixed candidate lists on the search core."""

from __future__ import annotations

import numbers

import numpy as np

from ..utils._params import store_params
from ._param_space import ParameterGrid, ParameterSampler
from ._search_core import BaseSearchCV, check_param_names


class _ListStrategy:
    """Ask for a fixed list of candidates in order; scores do not change what comes next."""

    def __init__(self, candidates: list[dict]):
        self.candidates = candidates
        self.next = 0

    def batch_size(self, n_workers: int, stops_early: bool) -> int:
        # One batch when nothing can stop the search early (least overhead); otherwise
        # one candidate per worker, so time budgets and targets are checked often.
        return n_workers if stops_early else max(len(self.candidates), 1)

    def ask(self, n: int) -> list:
        batch = self.candidates[self.next:self.next + n]
        self.next += len(batch)
        return [(p, {}) for p in batch]

    def tell(self, asked, scores) -> None:
        pass


_COMMON_DOC = """
    scoring : None, str, callable, list of str or dict name -> scorer, default=None
        None uses the estimator's ``score``; several metrics make ``cv_results_``
        hold a column set per metric (``refit`` then names the one to select on).
    n_jobs : int or None, default=None
        None/1: serial; > 1 or -1: candidates × folds run in parallel.
    executor : None, "threads", "processes" or a concurrent.futures.Executor
        Where parallel tasks run (None: ``scratchml.get_config()["executor"]``,
        threads by default). A Dask client's ``get_executor()`` works: X and y
        are scattered once. Results never depend on the executor.
    refit : bool, str or callable, default=True
        Refit the best candidate on all the data (``best_estimator_``); with
        several metrics, the metric name; a callable ``cv_results_ -> index``.
    cv : None, int, splitter or iterable, default=None (5-fold)
    verbose : int, default=0
        1: a line per batch of candidates; 2: a line per candidate.
    error_score : 'raise' or number, default=nan
        Score given to a fold whose fit fails; the failure's last line is kept in
        ``errors_``. 'raise' re-raises.
    return_train_score : bool, default=False
    callbacks : callable, object with ``on_candidate_done(info)``, or a list
        Called after each candidate with a dict (index, params, mean_test_score,
        best_score, elapsed, test_scores, error); returning True stops the search.
    max_time : float or None
        Stop asking for candidates after this many seconds.
    target_score : float or None
        Stop once a candidate's mean test score reaches it.
""".strip()

_ATTRS_DOC = """
    Attributes
    ----------
    cv_results_ : dict of arrays
        scikit-learn's keys: ``params``, ``param_<name>`` (masked arrays),
        ``split<i>_test_<m>``, ``mean_/std_/rank_test_<m>``, ``mean_/std_fit_time``,
        ``mean_/std_score_time`` (and ``*_train_*`` with ``return_train_score``).
    best_estimator_, best_params_, best_score_, best_index_, n_splits_, refit_time_ :
        As in scikit-learn.
    errors_ : list of str
        Per candidate, the last line of each distinct fit failure ('' if none).
    stop_reason_ : str
        'exhausted', 'max_time', 'target_score' or 'callback'.
""".strip()


class GridSearchCV(BaseSearchCV):
    __doc__ = f"""Exhaustive search over a grid of parameter values, with cross-validation.

    Every candidate θ of ``ParameterGrid(param_grid)`` is scored by k-fold CV,
    s̄(θ) = (1/k) Σ_j score(f̂_θ,−j, X_j, y_j), and the best one,
    θ* = argmax s̄(θ), is refitted on all the data.

    Parameters
    ----------
    estimator : estimator object
    param_grid : dict or list of dicts
        Parameter names (``step__param`` for nested ones) to lists of values.
    pre_dispatch :
        Accepted for scikit-learn compatibility; ignored (a batch is submitted at once).
    {_COMMON_DOC}
    {_ATTRS_DOC}

    Examples
    --------
    >>> from scratchml.model_selection import GridSearchCV
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> X = [[0], [1], [2], [3], [10], [11], [12], [13]]
    >>> y = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> search = GridSearchCV(KNeighborsClassifier(), {{"n_neighbors": [1, 3]}}, cv=2)
    >>> search.fit(X, y).best_params_
    {{'n_neighbors': 1}}
    """

    def __init__(self, estimator, param_grid, *, scoring=None, n_jobs=None, executor=None,
                 refit=True, cv=None, verbose: int = 0, pre_dispatch="2*n_jobs",
                 error_score=np.nan, return_train_score: bool = False, callbacks=None,
                 max_time: float | None = None, target_score: float | None = None):
        store_params(self, locals())

    def _make_strategy(self, ctx):
        grid = ParameterGrid(self.param_grid)
        candidates = list(grid)
        if not candidates or not any(candidates):
            raise ValueError(f"param_grid={self.param_grid!r} is empty: give at least one "
                             "parameter name with a non-empty list of values, e.g. "
                             "{'n_neighbors': [1, 3, 5]}.")
        check_param_names(self.estimator, {k for c in candidates for k in c}, "param_grid")
        if self.verbose > 0:
            print(f"Fitting {ctx['n_splits']} folds for each of {len(candidates)} candidates, "
                  f"totalling {len(candidates) * ctx['n_splits']} fits")
        return _ListStrategy(candidates)


class RandomizedSearchCV(BaseSearchCV):
    __doc__ = f"""Search over ``n_iter`` random draws from parameter distributions.

    Candidates come from ``ParameterSampler(param_distributions, n_iter,
    random_state)``: lists are sampled uniformly, distributions (``uniform``,
    ``loguniform``, ``randint``, ``normal``, ``choice`` or any object with
    ``rvs``, SciPy's included) through their ``rvs``. The draws depend only on
    ``random_state``, so the search is reproducible on any executor.

    Parameters
    ----------
    estimator : estimator object
    param_distributions : dict or list of dicts
    n_iter : int, default=10
    random_state : None, int or numpy Generator
    pre_dispatch :
        Accepted for scikit-learn compatibility; ignored.
    {_COMMON_DOC}
    {_ATTRS_DOC}

    Examples
    --------
    >>> from scratchml.model_selection import RandomizedSearchCV, randint
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> X = [[0], [1], [2], [3], [10], [11], [12], [13]]
    >>> y = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> search = RandomizedSearchCV(KNeighborsClassifier(), {{"n_neighbors": randint(1, 4)}},
    ...                             n_iter=3, cv=2, random_state=0).fit(X, y)
    >>> len(search.cv_results_["params"])
    3
    """

    def __init__(self, estimator, param_distributions, *, n_iter: int = 10, scoring=None,
                 n_jobs=None, executor=None, refit=True, cv=None, verbose: int = 0,
                 pre_dispatch="2*n_jobs", random_state=None, error_score=np.nan,
                 return_train_score: bool = False, callbacks=None,
                 max_time: float | None = None, target_score: float | None = None):
        store_params(self, locals())

    def _make_strategy(self, ctx):
        if not isinstance(self.n_iter, numbers.Integral) or self.n_iter < 1:
            raise ValueError(f"n_iter={self.n_iter!r} must be a positive integer.")
        sampler = ParameterSampler(self.param_distributions, int(self.n_iter),
                                   random_state=ctx["rng"])
        names = {k for g in sampler.param_distributions for k in g}
        if not names:
            raise ValueError("param_distributions is empty: give at least one parameter.")
        check_param_names(self.estimator, names, "param_distributions")
        return _ListStrategy(list(sampler))
