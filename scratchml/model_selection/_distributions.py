"""Search spaces: distributions to sample hyperparameters from, without SciPy.

Each distribution has ``rvs(size=None, random_state=None)`` (a scalar when
``size`` is None, else an array), like SciPy's frozen distributions, so
scikit-learn and SciPy distributions can be mixed with these in a search
space (any object with ``rvs`` is accepted). The Bayesian optimizer also needs
to map a value to the unit interval and back (``to_unit`` / ``from_unit``):

* ``uniform(low, high)``:      u = (x − low) / (high − low)
* ``loguniform(low, high)``:   u = (log x − log low) / (log high − log low)
* ``randint(low, high)``:      integers low..high−1, warped like ``uniform``
* ``normal(mean, std)``:       u = Φ((x − mean) / std) (the normal CDF)
* ``choice(options)``:         categorical; one-hot encoded by the optimizer.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..utils.validation import check_random_state


def _check_bounds(name: str, low, high, *, positive: bool = False) -> tuple[float, float]:
    for label, v in (("low", low), ("high", high)):
        if not isinstance(v, numbers.Real) or isinstance(v, bool) or not math.isfinite(v):
            raise ValueError(f"{name}: {label}={v!r} must be a finite real number.")
    if positive and low <= 0:
        raise ValueError(f"{name}: low={low!r} must be > 0 (a log scale needs positive bounds); "
                         "use uniform for ranges that include 0.")
    if not low < high:
        raise ValueError(f"{name}: low={low!r} must be smaller than high={high!r}; "
                         "swap them or widen the range.")
    return low, high


class _Distribution:
    """Shared ``rvs`` and repr; subclasses define ``_draw(rng, size)``."""

    kind = "real"

    def rvs(self, size=None, random_state=None):
        """Draw ``size`` values (one scalar when ``size`` is None)."""
        rng = check_random_state(random_state)
        out = self._draw(rng, 1 if size is None else size)
        return out.reshape(-1)[0].item() if size is None else out

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and repr(self) == repr(other)

    __hash__ = None


class uniform(_Distribution):
    """Continuous uniform distribution on [low, high).

    Note: the bounds are ``(low, high)``, not SciPy's ``(loc, scale)``.

    Parameters
    ----------
    low, high : float
        Bounds, ``low < high``.

    Examples
    --------
    >>> from scratchml.model_selection import uniform
    >>> 0.0 <= uniform(0, 2).rvs(random_state=0) < 2
    True
    """

    def __init__(self, low: float = 0.0, high: float = 1.0):
        self.low, self.high = _check_bounds("uniform", low, high)

    def _draw(self, rng, size):
        return rng.uniform(self.low, self.high, size)

    def to_unit(self, x):
        return (np.asarray(x, dtype=float) - self.low) / (self.high - self.low)

    def from_unit(self, u):
        return np.clip(self.low + np.clip(u, 0, 1) * (self.high - self.low), self.low,
                       self.high)


class loguniform(_Distribution):
    """Log-uniform ("reciprocal") distribution: log x uniform on [log low, log high).

    Parameters
    ----------
    low, high : float
        Bounds, ``0 < low < high``.

    Examples
    --------
    >>> from scratchml.model_selection import loguniform
    >>> 1e-3 <= loguniform(1e-3, 1e3).rvs(random_state=0) < 1e3
    True
    """

    def __init__(self, low: float, high: float):
        self.low, self.high = _check_bounds("loguniform", low, high, positive=True)

    def _draw(self, rng, size):
        return np.exp(rng.uniform(math.log(self.low), math.log(self.high), size))

    def to_unit(self, x):
        lo, hi = math.log(self.low), math.log(self.high)
        return (np.log(np.asarray(x, dtype=float)) - lo) / (hi - lo)

    def from_unit(self, u):
        lo, hi = math.log(self.low), math.log(self.high)
        # Clip: exp(log(high)) can exceed high by one ulp.
        return np.clip(np.exp(lo + np.clip(u, 0, 1) * (hi - lo)), self.low, self.high)


class randint(_Distribution):
    """Uniform integers in ``low, ..., high − 1`` (SciPy's convention).

    Parameters
    ----------
    low, high : int
        ``low < high``; ``high`` is excluded.

    Examples
    --------
    >>> from scratchml.model_selection import randint
    >>> randint(1, 4).rvs(random_state=0) in (1, 2, 3)
    True
    """

    kind = "integer"

    def __init__(self, low: int, high: int):
        for label, v in (("low", low), ("high", high)):
            if not isinstance(v, numbers.Integral) or isinstance(v, bool):
                raise ValueError(f"randint: {label}={v!r} must be an integer.")
        if not low < high:
            raise ValueError(f"randint: low={low!r} must be smaller than high={high!r} "
                             "(high is excluded).")
        self.low, self.high = int(low), int(high)

    def _draw(self, rng, size):
        return rng.integers(self.low, self.high, size)

    def to_unit(self, x):
        return (np.asarray(x, dtype=float) - self.low + 0.5) / (self.high - self.low)

    def from_unit(self, u):
        v = self.low + np.floor(np.clip(u, 0, 1) * (self.high - self.low))
        return np.minimum(v, self.high - 1).astype(np.int64)


def _erfc(x):
    """Complementary error function (Numerical Recipes' erfcc, |rel. error| < 1.2e-7)."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = (-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (
        0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (
            1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    r = t * np.exp(poly)
    return np.where(x >= 0, r, 2.0 - r)


def norm_cdf(x):
    """Standard normal CDF Φ(x) = erfc(−x/√2)/2."""
    return 0.5 * _erfc(-np.asarray(x, dtype=float) / math.sqrt(2.0))


def _norm_ppf(p):
    """Inverse of :func:`norm_cdf` by bisection (vectorized, 60 halvings)."""
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    lo, hi = np.full_like(p, -8.0), np.full_like(p, 8.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = norm_cdf(mid) < p
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return 0.5 * (lo + hi)


class normal(_Distribution):
    """Normal distribution N(mean, std²).

    Parameters
    ----------
    mean : float
    std : float
        Must be > 0.

    Examples
    --------
    >>> from scratchml.model_selection import normal
    >>> normal(0, 1).rvs(size=3, random_state=0).shape
    (3,)
    """

    def __init__(self, mean: float = 0.0, std: float = 1.0):
        _check_bounds("normal", mean, mean + 1.0)
        if not isinstance(std, numbers.Real) or not (math.isfinite(std) and std > 0):
            raise ValueError(f"normal: std={std!r} must be a finite number > 0.")
        self.mean, self.std = mean, std

    def _draw(self, rng, size):
        return rng.normal(self.mean, self.std, size)

    def to_unit(self, x):
        return norm_cdf((np.asarray(x, dtype=float) - self.mean) / self.std)

    def from_unit(self, u):
        return self.mean + self.std * _norm_ppf(u)


class choice(_Distribution):
    """Categorical distribution over ``options`` (probabilities ``p``, uniform by default).

    Parameters
    ----------
    options : sequence
        The values, any Python objects (strings, None, numbers...).
    p : sequence of float or None
        Their probabilities (sum 1).

    Examples
    --------
    >>> from scratchml.model_selection import choice
    >>> choice(["a", "b"]).rvs(random_state=0) in ("a", "b")
    True
    """

    kind = "categorical"

    def __init__(self, options, p=None):
        options = list(options)
        if not options:
            raise ValueError("choice: options is empty; give at least one value.")
        if p is not None:
            p = [float(v) for v in p]
            if len(p) != len(options) or min(p) < 0 or abs(sum(p) - 1) > 1e-8:
                raise ValueError(f"choice: p={p!r} must hold {len(options)} non-negative "
                                 "probabilities that sum to 1.")
        self.options, self.p = options, p

    def _draw(self, rng, size):
        idx = rng.choice(len(self.options), size=size, p=self.p)
        out = np.empty(np.shape(idx), dtype=object)
        out.flat[:] = [self.options[i] for i in np.ravel(idx)]
        return out

    def rvs(self, size=None, random_state=None):
        """Draw ``size`` options (one option when ``size`` is None)."""
        rng = check_random_state(random_state)
        if size is None:
            return self.options[int(rng.choice(len(self.options), p=self.p))]
        return self._draw(rng, size)
