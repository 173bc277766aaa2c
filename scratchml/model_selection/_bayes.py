"""BayesSearchCV: Bayesian optimization of hyperparameters with a Gaussian-process surrogate.

Loop (one ask/tell round per batch):

1. the first ``n_initial_points`` candidates are random draws from the space;
2. then a GP (:mod:`._gp`) is fitted to the encoded candidates z ∈ [0, 1]^D and
   their mean CV scores, and the next candidate maximizes expected improvement
   over the best score: EI is evaluated at many random points (plus
   perturbations of the best ones so far), and the best few are refined by a
   shrinking random local search;
3. with ``n_points`` > 1, a batch is proposed by the *constant liar*: each chosen
   point is added to the GP's data with the mean observed score as a fake
   value, so the next EI maximum lies elsewhere, and the batch runs in parallel.

Encoding: ``uniform``/``randint`` scale linearly to [0, 1], ``loguniform``
on a log scale, ``normal`` through its CDF, SciPy frozen distributions through
their ``cdf``/``ppf``; a list (or ``choice``) is categorical and one-hot encoded.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..utils._params import store_params
from ._distributions import choice
from ._gp import GaussianProcess, expected_improvement
from ._search import _ATTRS_DOC, _COMMON_DOC
from ._search_core import BaseSearchCV, check_param_names
from ._tpe import tpe_propose


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


class _Space:
    """The search space: encode parameter dicts as points of [0, 1]^D and back."""

    def __init__(self, search_spaces):
        if not isinstance(search_spaces, dict) or not search_spaces:
            raise ValueError(f"search_spaces={search_spaces!r} must be a non-empty dict of "
                             "parameter name -> distribution or list of values.")
        self.names = sorted(search_spaces)
        self.dims, self.slices, start = [], [], 0
        for name in self.names:
            dim = search_spaces[name]
            if isinstance(dim, (list, tuple, np.ndarray)):
                dim = choice(list(dim))
            if isinstance(dim, choice):
                width = len(dim.options)
            elif hasattr(dim, "to_unit") or (hasattr(dim, "cdf") and hasattr(dim, "ppf")):
                width = 1
            else:
                raise ValueError(f"search_spaces[{name!r}]={dim!r} cannot be searched: use a "
                                 "list of values, a scratchml distribution, or a SciPy "
                                 "frozen distribution (with cdf and ppf).")
            self.dims.append(dim)
            self.slices.append(slice(start, start + width))
            start += width
        self.n_dims = start
        self.continuous = np.zeros(self.n_dims, dtype=bool)
        for dim, sl in zip(self.dims, self.slices):
            self.continuous[sl] = not isinstance(dim, choice)

    def sample(self, n: int, rng) -> np.ndarray:
        Z = rng.uniform(size=(n, self.n_dims))
        for dim, sl in zip(self.dims, self.slices):
            if isinstance(dim, choice):
                Z[:, sl] = np.eye(sl.stop - sl.start)[rng.integers(sl.stop - sl.start, size=n)]
        return Z

    def decode(self, z: np.ndarray) -> dict:
        out = {}
        for name, dim, sl in zip(self.names, self.dims, self.slices):
            if isinstance(dim, choice):
                out[name] = dim.options[int(np.argmax(z[sl]))]
            elif hasattr(dim, "from_unit"):
                out[name] = _plain(np.asarray(dim.from_unit(z[sl][0])).reshape(-1)[0])
            else:
                value = _plain(dim.ppf(np.clip(z[sl][0], 1e-9, 1 - 1e-9)))
                # A discrete SciPy distribution (randint...) gives whole floats: make ints.
                out[name] = int(round(value)) if self._discrete(dim) else value
        return out

    @staticmethod
    def _discrete(dim) -> bool:
        return np.issubdtype(np.asarray(dim.rvs(size=1, random_state=0)).dtype, np.integer)

    def encode(self, params: dict) -> np.ndarray:
        z = np.zeros(self.n_dims)
        for name, dim, sl in zip(self.names, self.dims, self.slices):
            v = params[name]
            if isinstance(dim, choice):
                z[sl.start + next(i for i, o in enumerate(dim.options) if o is v or o == v)] = 1
            elif hasattr(dim, "to_unit"):
                z[sl] = dim.to_unit(v)
            else:
                z[sl] = dim.cdf(v)
        return z


class _BayesStrategy:
    def __init__(self, space, n_iter, n_initial_points, n_points, xi, rng, surrogate="gp"):
        self.space, self.n_iter, self.n_points, self.xi, self.rng = (
            space, n_iter, n_points, xi, rng)
        self.surrogate = surrogate
        self.n_initial = min(n_initial_points, n_iter)
        self.Z, self.y, self.asked = [], [], 0
        self.theta = None

    def batch_size(self, n_workers, stops_early):
        return self.n_points

    def ask(self, n):
        n = min(n, self.n_iter - self.asked)
        if n <= 0:
            return []
        if self.asked < self.n_initial:
            n = min(n, self.n_initial - self.asked)
            Z = self.space.sample(n, self.rng)
        else:
            Z = self._propose(n)
        self.asked += n
        params = [self.space.decode(z) for z in Z]
        return [(p, {}) for p in params]

    def tell(self, asked, scores):
        for (p, _), s in zip(asked, scores):
            self.Z.append(self.space.encode(p))
            self.y.append(s)

    def _observed(self):
        y = np.asarray(self.y, dtype=float)
        finite = np.isfinite(y)
        # A failed candidate counts as the worst score seen, so the optimizer avoids it.
        fill = y[finite].min() if finite.any() else 0.0
        return np.asarray(self.Z), np.where(finite, y, fill)

    def _propose(self, n):
        Z, y = self._observed()
        if self.surrogate == "tpe":
            chosen = []
            for _ in range(n):  # constant liar, as for the GP
                chosen.append(tpe_propose(self.space, Z, y, self.rng))
                Z, y = np.vstack([Z, chosen[-1]]), np.append(y, y.mean())
            return np.asarray(chosen)
        # Warm start from the previous round's hyperparameters; one random restart
        # guards against a poor local maximum of the likelihood.
        gp = GaussianProcess(n_restarts=1, rng=self.rng, theta0=self.theta).fit(Z, y)
        self.theta = gp.theta
        chosen = []
        for _ in range(n):
            z = self._maximize_ei(gp, y.max(), Z)
            chosen.append(z)
            # Constant liar: pretend z scored the mean, condition, propose the next one.
            Z = np.vstack([Z, z])
            y = np.append(y, y.mean())
            gp.condition_on(Z, y)
        return np.asarray(chosen)

    def _maximize_ei(self, gp, best, seen_Z):
        space, rng = self.space, self.rng
        xi = self.xi * gp.y_std
        cand = space.sample(2000, rng)
        # Also look near the best points seen so far.
        top = np.asarray(self.Z)[np.argsort(self._observed()[1])[-5:]]
        near = np.repeat(top, 40, axis=0)
        near[:, space.continuous] += rng.normal(0, 0.05, (len(near), space.continuous.sum()))
        cand = np.clip(np.vstack([cand, near]), 0, 1)
        ei = expected_improvement(*gp.predict(cand), best, xi)
        # Local refinement of the 5 best: a random walk with shrinking steps on the
        # continuous coordinates that keeps only moves raising EI (all 5 at once).
        top5 = np.argsort(ei)[-5:]
        Zs, zs_ei = cand[top5].copy(), ei[top5].copy()
        cont = space.continuous
        for step in np.geomspace(0.1, 0.002, 25):
            trial = Zs.copy()
            trial[:, cont] = np.clip(trial[:, cont] + rng.normal(0, step, (5, cont.sum())), 0, 1)
            t_ei = expected_improvement(*gp.predict(trial), best, xi)
            better = t_ei > zs_ei
            Zs[better], zs_ei[better] = trial[better], t_ei[better]
        best_z = Zs[int(np.argmax(zs_ei))]
        # Snap to a representable point so the GP sees what was evaluated; in a
        # discrete space, prefer the best-EI point not evaluated (or proposed) yet.
        seen = {tuple(np.round(z, 9)) for z in seen_Z}
        snapped = space.encode(space.decode(best_z))
        if tuple(np.round(snapped, 9)) in seen:
            for i in np.argsort(ei)[::-1][:500]:
                other = space.encode(space.decode(cand[i]))
                if tuple(np.round(other, 9)) not in seen:
                    return other
        return snapped


class BayesSearchCV(BaseSearchCV):
    __doc__ = f"""Bayesian optimization of hyperparameters: a GP surrogate + expected improvement.

    See the module docstring of ``scratchml.model_selection._bayes`` for the
    algorithm. Each candidate's mean CV score is the objective maximized.

    Parameters
    ----------
    estimator : estimator object
    search_spaces : dict
        Parameter name -> list of values (categorical) or distribution
        (``uniform``, ``loguniform``, ``randint``, ``normal``, ``choice``, or a
        SciPy frozen distribution).
    n_iter : int, default=30
        Number of candidates evaluated in all.
    n_initial_points : int, default=10
        Random candidates before the surrogate takes over.
    n_points : int, default=1
        Candidates proposed per round (constant liar); set it to the number
        of parallel workers.
    xi : float, default=0.01
        Exploration margin of EI, in units of the scores' standard deviation.
    surrogate : {"gp", "tpe"}, default="gp"
        The Gaussian process with expected improvement, or the cheaper
        tree-structured Parzen estimator (:mod:`._tpe`).
    random_state : None, int or Generator
    {_COMMON_DOC}
    {_ATTRS_DOC}

    Examples
    --------
    >>> from scratchml.model_selection import BayesSearchCV, randint
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> X = [[0], [1], [2], [3], [10], [11], [12], [13]]
    >>> y = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> s = BayesSearchCV(KNeighborsClassifier(), {{"n_neighbors": randint(1, 4)}}, n_iter=4,
    ...                   n_initial_points=2, cv=2, random_state=0).fit(X, y)
    >>> len(s.cv_results_["params"])
    4
    """

    def __init__(self, estimator, search_spaces, *, n_iter: int = 30,
                 n_initial_points: int = 10, n_points: int = 1, xi: float = 0.01,
                 surrogate: str = "gp", scoring=None, n_jobs=None, executor=None,
                 refit=True, cv=None,
                 verbose: int = 0, random_state=None, error_score=np.nan,
                 return_train_score: bool = False, callbacks=None,
                 max_time: float | None = None, target_score: float | None = None):
        store_params(self, locals())

    def _make_strategy(self, ctx):
        for name in ("n_iter", "n_initial_points", "n_points"):
            v = getattr(self, name)
            if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v < 1:
                raise ValueError(f"{name}={v!r} must be a positive integer.")
        if not isinstance(self.xi, numbers.Real) or self.xi < 0:
            raise ValueError(f"xi={self.xi!r} must be a number >= 0.")
        if self.surrogate not in ("gp", "tpe"):
            raise ValueError(f"surrogate={self.surrogate!r} is not supported; use 'gp' or 'tpe'.")
        space = _Space(self.search_spaces)
        check_param_names(self.estimator, space.names, "search_spaces")
        return _BayesStrategy(space, int(self.n_iter), int(self.n_initial_points),
                              int(self.n_points), float(self.xi), ctx["rng"], self.surrogate)
