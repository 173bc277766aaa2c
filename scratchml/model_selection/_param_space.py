"""ParameterGrid and ParameterSampler: the candidate lists of grid and random search."""

from __future__ import annotations

import itertools
import math
import operator
import warnings
from collections.abc import Iterable, Mapping, Sequence
from functools import reduce

import numpy as np

from ..utils.validation import check_random_state


def _as_grid_list(param_grid, name: str = "param_grid") -> list[dict]:
    if isinstance(param_grid, Mapping):
        param_grid = [param_grid]
    if not isinstance(param_grid, Iterable) or isinstance(param_grid, (str, bytes)):
        raise TypeError(f"{name} must be a dict or a list of dicts, got {param_grid!r}.")
    grids = list(param_grid)
    for grid in grids:
        if not isinstance(grid, Mapping):
            raise TypeError(f"{name} must be a dict or a list of dicts, got an item {grid!r}.")
    return [dict(g) for g in grids]


class ParameterGrid:
    """Every combination of the listed parameter values (the Cartesian product).

    A grid ``{"a": [1, 2], "b": ["x", "y"]}`` gives 2 × 2 = 4 dicts; a list of
    grids gives the concatenation of each one's product. Keys are iterated in
    sorted order, the last key varying fastest (scikit-learn's order).

    Parameters
    ----------
    param_grid : dict of str -> sequence, or list of such dicts

    Examples
    --------
    >>> from scratchml.model_selection import ParameterGrid
    >>> list(ParameterGrid({"a": [1, 2], "b": [True]}))
    [{'a': 1, 'b': True}, {'a': 2, 'b': True}]
    >>> len(ParameterGrid([{"a": [1, 2]}, {"c": [0, 1, 2]}]))
    5
    """

    def __init__(self, param_grid):
        grids = _as_grid_list(param_grid)
        for grid in grids:
            for key, values in grid.items():
                if isinstance(values, np.ndarray) and values.ndim > 1:
                    raise ValueError(f"Parameter array for {key!r} should be one-dimensional, "
                                     f"got shape {values.shape}.")
                if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence,
                                                                                np.ndarray)):
                    raise TypeError(f"Parameter grid for parameter {key!r} needs to be a list "
                                    f"or a numpy array, but got {values!r} "
                                    f"(of type {type(values).__name__}) instead. Single "
                                    "values need to be wrapped in a list with one element.")
                if len(values) == 0:
                    raise ValueError(f"Parameter grid for parameter {key!r} need to be a "
                                     f"non-empty sequence, got: {values!r}")
        self.param_grid = grids

    def __iter__(self):
        for grid in self.param_grid:
            items = sorted(grid.items())
            if not items:
                yield {}
                continue
            keys, values = zip(*items)
            for combo in itertools.product(*values):
                yield dict(zip(keys, combo))

    def __len__(self) -> int:
        product = lambda seq: reduce(operator.mul, seq, 1)  # noqa: E731
        return sum(product(len(v) for v in g.values()) for g in self.param_grid)

    def __getitem__(self, ind: int) -> dict:
        """The ``ind``-th combination, computed without iterating (mixed-radix digits)."""
        for grid in self.param_grid:
            items = sorted(grid.items())
            total = math.prod(len(v) for _, v in items)
            if ind < total:
                out = {}
                for key, values in reversed(items):
                    ind, digit = divmod(ind, len(values))
                    out[key] = values[digit]
                return {key: out[key] for key, _ in items}
            ind -= total
        raise IndexError("ParameterGrid index out of range")


def _check_distributions(param_distributions) -> list[dict]:
    grids = _as_grid_list(param_distributions, "param_distributions")
    for grid in grids:
        for key, dist in grid.items():
            if hasattr(dist, "rvs"):
                continue
            if isinstance(dist, (str, bytes)) or not isinstance(dist, (Sequence, np.ndarray)):
                raise TypeError(f"Parameter distribution for {key!r} must be a list, an array "
                                f"or an object with an rvs method, got {dist!r}.")
            if len(dist) == 0:
                raise ValueError(f"Parameter distribution for {key!r} is an empty list; give "
                                 "at least one value.")
    return grids


class ParameterSampler:
    """``n_iter`` random draws from parameter distributions.

    Each value is drawn with ``dist.rvs(random_state=rng)`` when the entry has an
    ``rvs`` method (scratchml, SciPy or scikit-learn distributions), uniformly
    from the list otherwise. Draw i uses its own child generator spawned from
    ``random_state`` (deterministic per candidate: the first k draws of a longer
    sampler are the k draws of a shorter one). When every entry is a list, the draws are made
    without replacement from the grid they span (fewer than ``n_iter`` if the
    grid is smaller, with a warning). With a list of dicts, each draw first
    picks one dict uniformly.

    Parameters
    ----------
    param_distributions : dict or list of dicts
    n_iter : int
    random_state : None, int or numpy Generator

    Examples
    --------
    >>> from scratchml.model_selection import ParameterSampler, loguniform
    >>> draws = list(ParameterSampler({"C": loguniform(1e-2, 1e2)}, n_iter=3, random_state=0))
    >>> len(draws), sorted(draws[0])
    (3, ['C'])
    """

    def __init__(self, param_distributions, n_iter: int, *, random_state=None):
        self.param_distributions = _check_distributions(param_distributions)
        if not isinstance(n_iter, int) or isinstance(n_iter, bool) or n_iter < 1:
            raise ValueError(f"n_iter={n_iter!r} must be a positive integer.")
        self.n_iter = n_iter
        self.random_state = random_state

    def _all_lists(self) -> bool:
        return all(not hasattr(v, "rvs") for g in self.param_distributions for v in g.values())

    def __iter__(self):
        rng = check_random_state(self.random_state)
        if self._all_lists():
            grid = ParameterGrid(self.param_distributions)
            n = len(grid)
            if n < self.n_iter:
                warnings.warn(f"The total space of parameters {n} is smaller than n_iter="
                              f"{self.n_iter}. Running {n} iterations. For exhaustive "
                              "searches, use GridSearchCV.", UserWarning, stacklevel=2)
            for i in rng.choice(n, size=min(n, self.n_iter), replace=False):
                yield grid[int(i)]
            return
        # Candidate i draws from its own child generator (spawn key i), so it depends
        # only on random_state and i: a longer search extends a shorter one.
        for child in rng.spawn(self.n_iter):
            rng = child
            grid = self.param_distributions[int(rng.integers(len(self.param_distributions)))]
            params = {}
            for key, dist in sorted(grid.items()):
                if hasattr(dist, "rvs"):
                    params[key] = dist.rvs(random_state=rng)
                else:
                    params[key] = dist[int(rng.integers(len(dist)))]
            yield params

    def __len__(self) -> int:
        if self._all_lists():
            return min(self.n_iter, len(ParameterGrid(self.param_distributions)))
        return self.n_iter
