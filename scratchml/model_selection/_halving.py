"""Successive halving: many candidates on few resources, the best on more.

Iteration i evaluates the remaining candidates with r_i = min_resources · factor^i
resources (training samples, or an integer parameter such as ``n_estimators``)
and keeps the best ⌈n_i / factor⌉ of them, so each round costs about the same
while the survivors get factor times more resources. The schedule is
scikit-learn's (``n_required_iterations = 1 + ⌊log_factor n_candidates⌋``,
``aggressive_elimination`` to reach one candidate when resources run out first);
the API here is stable, not experimental.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..utils._params import store_params
from ._param_space import ParameterSampler
from ._search import _ATTRS_DOC, _COMMON_DOC, GridSearchCV, RandomizedSearchCV
from ._search_core import check_param_names


class _HalvingStrategy:
    def __init__(self, candidates, schedule, resource, ctx):
        self.candidates = list(candidates)
        self.schedule = schedule  # list of n_resources per iteration
        self.resource = resource
        self.ctx = ctx
        self.itr = 0
        self.n_candidates, self.n_resources = [], []

    def batch_size(self, n_workers, stops_early):
        return 0  # whole iterations only

    def _subsets(self, n_resources: int):
        if self.resource != "n_samples":
            return None
        rng = np.random.default_rng([self.ctx["seed"], self.itr])
        y = self.ctx["y"]
        stratify = self.ctx["classifier"] and y is not None and np.ndim(y) == 1
        labels = np.unique(np.asarray(y), return_inverse=True)[1] if stratify else None
        out = []
        for train, _ in self.ctx["splits"]:
            train = rng.permutation(np.asarray(train))
            keep = min(n_resources, len(train))
            if stratify:
                # Stratified: the i-th of a class's n_c rows gets position (i + ½) / n_c;
                # the `keep` smallest positions take every class in proportion.
                lab = labels[train]
                order = np.argsort(lab, kind="stable")
                counts = np.bincount(lab)
                rank = np.empty(len(train))
                rank[order] = np.arange(len(train)) - np.repeat(np.cumsum(counts) - counts,
                                                                counts)
                train = train[np.argsort((rank + 0.5) / counts[lab], kind="stable")]
            out.append(np.sort(train[:keep]))
        return out

    def ask(self, n):
        if self.itr >= len(self.schedule) or not self.candidates:
            return []
        r = self.schedule[self.itr]
        self.n_candidates.append(len(self.candidates))
        self.n_resources.append(r)
        extra = {"iter": self.itr, "n_resources": r}
        if self.resource == "n_samples":
            extra["_train_subsets"] = self._subsets(r)
            return [(dict(p), extra) for p in self.candidates]
        return [({**p, self.resource: r}, extra) for p in self.candidates]

    def tell(self, asked, scores):
        k = math.ceil(len(self.candidates) / self.ctx["factor"])
        # NaN scores sort first, so they are dropped first (scikit-learn's _top_k).
        order = np.roll(np.argsort(scores), np.count_nonzero(np.isnan(scores)))
        self.candidates = [self.candidates[i] for i in order[-k:]]
        self.itr += 1


class _HalvingMixin:
    """Resource schedule, halving attributes and best-candidate rule shared by both tuners."""

    def _check_halving(self, ctx, n_candidates_hint):
        f = self.factor
        if not isinstance(f, numbers.Real) or isinstance(f, bool) or not f > 1:
            raise ValueError(f"factor={f!r} must be a number > 1 (the fraction 1/factor of "
                             "candidates is kept each round); try factor=3.")
        if not isinstance(self.resource, str):
            raise ValueError(f"resource={self.resource!r} must be 'n_samples' or the name of "
                             "an integer parameter of the estimator.")
        if self.resource != "n_samples":
            check_param_names(self.estimator, [self.resource], "resource")
        if isinstance(self.scoring, (list, tuple, set, dict)):
            raise ValueError("successive halving selects on one metric: scoring must be None, "
                             "a name or a callable.")
        n = ctx["n_samples"]
        if self.max_resources == "auto":
            if self.resource != "n_samples":
                raise ValueError("max_resources='auto' needs resource='n_samples'; give an "
                                 f"integer max_resources for resource={self.resource!r}.")
            max_r = n
        elif isinstance(self.max_resources, numbers.Integral) and self.max_resources > 0:
            max_r = int(self.max_resources)
        else:
            raise ValueError(f"max_resources={self.max_resources!r} must be 'auto' or a "
                             "positive integer.")
        if self.min_resources in ("smallest", "exhaust"):
            if self.resource == "n_samples":
                min_r = ctx["n_splits"] * 2
                if ctx["classifier"] and ctx["y"] is not None:
                    min_r *= len(np.unique(np.asarray(ctx["y"])))
            else:
                min_r = 1
        elif isinstance(self.min_resources, numbers.Integral) and self.min_resources > 0:
            min_r = int(self.min_resources)
        else:
            raise ValueError(f"min_resources={self.min_resources!r} must be 'exhaust', "
                             "'smallest' or a positive integer.")
        n_cand = n_candidates_hint(max_r, min_r)
        n_required = 1 + math.floor(math.log(max(n_cand, 1), f))
        if self.min_resources == "exhaust":
            min_r = max(min_r, max_r // f ** (n_required - 1))
            min_r = int(min_r)
        if min_r > max_r:
            raise ValueError(f"min_resources_={min_r} is greater than max_resources_={max_r}; "
                             "lower min_resources or use more data.")
        n_possible = 1 + math.floor(math.log(max(max_r // min_r, 1), f))
        n_iter = n_required if self.aggressive_elimination else min(n_possible, n_required)
        schedule = []
        for itr in range(n_iter):
            power = max(0, itr - n_required + n_possible) if self.aggressive_elimination else itr
            schedule.append(int(min(f ** power * min_r, max_r)))
        self._halving_info = dict(min_resources_=min_r, max_resources_=max_r,
                                  n_required_iterations_=n_required,
                                  n_possible_iterations_=n_possible, n_iterations_=n_iter)
        ctx["factor"] = f
        ctx["seed"] = int(ctx["rng"].integers(2**31))
        return schedule, n_cand

    def fit(self, X, y=None, *, groups=None, **fit_params):
        """Run successive halving (see the class docstring); returns self."""
        super().fit(X, y, groups=groups, **fit_params)
        for key, value in self._halving_info.items():
            setattr(self, key, value)
        self.n_candidates_ = list(self._strategy.n_candidates)
        self.n_resources_ = list(self._strategy.n_resources)
        self.n_remaining_candidates_ = len(self._strategy.candidates)
        del self._halving_info, self._strategy
        return self

    def _best_index(self, results, refit_metric) -> int:
        last = np.flatnonzero(results["iter"] == np.max(results["iter"]))
        scores = results[f"mean_test_{refit_metric}"][last]
        return int(last[0 if np.isnan(scores).all() else np.nanargmax(scores)])


_HALVING_DOC = """
    factor : float, default=3
        Keep the best 1/factor of the candidates each round (> 1).
    resource : str, default='n_samples'
        'n_samples' (training rows, subsampled per split) or an integer parameter.
    max_resources : 'auto' or int, default='auto'
    min_resources : 'exhaust', 'smallest' or int
        'smallest': 2·n_splits (·n_classes for classifiers) samples, or 1;
        'exhaust': as large as lets the last round use max_resources.
    aggressive_elimination : bool, default=False
        Run enough rounds to end with one candidate even when resources run out first.
    random_state : None or int
        Seeds the subsampling of rows (and the candidate draws).
""".strip()


class HalvingGridSearchCV(_HalvingMixin, GridSearchCV):
    __doc__ = f"""Successive halving over a parameter grid.

    Parameters
    ----------
    estimator, param_grid :
        As in :class:`GridSearchCV`.
    {_HALVING_DOC}
    {_COMMON_DOC}
    {_ATTRS_DOC}
    n_resources_, n_candidates_ : list of int
        Resources and candidates of each iteration; ``cv_results_`` gains ``iter``
        and ``n_resources`` columns.

    Examples
    --------
    >>> from scratchml.model_selection import HalvingGridSearchCV
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> import numpy as np
    >>> X = np.arange(60.0)[:, None]
    >>> y = (X[:, 0] > 30).astype(int)
    >>> s = HalvingGridSearchCV(KNeighborsClassifier(), {{"n_neighbors": [1, 3, 5]}}, cv=2,
    ...                         random_state=0).fit(X, y)
    >>> s.n_candidates_
    [3, 1]
    """

    def __init__(self, estimator, param_grid, *, factor=3, resource="n_samples",
                 max_resources="auto", min_resources="exhaust",
                 aggressive_elimination: bool = False, cv=5, scoring=None, refit=True,
                 error_score=np.nan, return_train_score: bool = True, random_state=None,
                 n_jobs=None, executor=None, verbose: int = 0, callbacks=None,
                 max_time=None, target_score=None):
        store_params(self, locals())

    def _make_strategy(self, ctx):
        candidates = list(GridSearchCV._make_strategy(self, ctx).candidates)
        schedule, _ = self._check_halving(ctx, lambda max_r, min_r: len(candidates))
        self._strategy = _HalvingStrategy(candidates, schedule, self.resource, ctx)
        return self._strategy


class HalvingRandomSearchCV(_HalvingMixin, RandomizedSearchCV):
    __doc__ = f"""Successive halving over random draws from parameter distributions.

    Parameters
    ----------
    estimator, param_distributions :
        As in :class:`RandomizedSearchCV`.
    n_candidates : 'exhaust' or int, default='exhaust'
        Candidates of the first round; 'exhaust' draws max_resources // min_resources.
    {_HALVING_DOC}
    {_COMMON_DOC}
    {_ATTRS_DOC}

    Examples
    --------
    >>> from scratchml.model_selection import HalvingRandomSearchCV, randint
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> import numpy as np
    >>> X = np.arange(60.0)[:, None]
    >>> y = (X[:, 0] > 30).astype(int)
    >>> s = HalvingRandomSearchCV(KNeighborsClassifier(), {{"n_neighbors": randint(1, 6)}},
    ...                           n_candidates=4, cv=2, random_state=0).fit(X, y)
    >>> s.n_candidates_
    [4, 2]
    """

    def __init__(self, estimator, param_distributions, *, n_candidates="exhaust", factor=3,
                 resource="n_samples", max_resources="auto", min_resources="smallest",
                 aggressive_elimination: bool = False, cv=5, scoring=None, refit=True,
                 error_score=np.nan, return_train_score: bool = True, random_state=None,
                 n_jobs=None, executor=None, verbose: int = 0, callbacks=None,
                 max_time=None, target_score=None):
        store_params(self, locals())

    def _make_strategy(self, ctx):
        nc = self.n_candidates
        if not (nc == "exhaust" or (isinstance(nc, numbers.Integral) and nc > 0)):
            raise ValueError(f"n_candidates={nc!r} must be 'exhaust' or a positive integer.")

        def hint(max_r, min_r):
            return max(max_r // min_r, 1) if nc == "exhaust" else int(nc)

        schedule, n_cand = self._check_halving(ctx, hint)
        sampler = ParameterSampler(self.param_distributions, n_cand, random_state=ctx["rng"])
        names = {k for g in sampler.param_distributions for k in g}
        if not names:
            raise ValueError("param_distributions is empty: give at least one parameter.")
        check_param_names(self.estimator, names, "param_distributions")
        self._strategy = _HalvingStrategy(list(sampler), schedule, self.resource, ctx)
        return self._strategy

