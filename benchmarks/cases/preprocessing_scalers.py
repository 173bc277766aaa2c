"""Preprocessing: the five scalers, fit and transform, against scikit-learn.

``<Scaler>``: scratchml's ``StandardScaler``, ``MinMaxScaler``, ``MaxAbsScaler``,
``RobustScaler`` and ``Normalizer`` against scikit-learn's, with default parameters,
on X of 1,000,000 x 20 float64 values (quick: 200,000 x 20) from a normal
distribution with per-column scales and offsets. The fit phase times ``fit(X)``,
the predict phase ``transform(X)`` (both return a new array: ``copy=True``).

Compare: the largest absolute difference between the two transformed arrays (the
same formulas: it should be 0 or a few ulps).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_FEATURES = 20
SCALERS = ("StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "Normalizer")


@functools.lru_cache(maxsize=1)
def make_data(n: int, d: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * rng.uniform(0.1, 100.0, d) + rng.uniform(-50, 50, d)
    return {"X": X}


def _fit(library: str, name: str):
    def fit(data):
        if library == "scratchml":
            import scratchml.preprocessing as module
        else:
            import sklearn.preprocessing as module
        return getattr(module, name)().fit(data["X"])

    return fit


def _transform(model, data):
    return model.transform(data["X"])


def compare(ours, ref, data) -> dict:
    return {"max |diff|": float(np.max(np.abs(ours - ref)))}


for _name in SCALERS:  # one data set for all: consecutive cases share the cache
    register(Case(
        name=f"scaler[{_name}]",
        family="preprocessing",
        description=f"{_name}().fit(X) and .transform(X), X {1_000_000:,} x {N_FEATURES} "
                    "float64 (quick: 200,000 rows)",
        data=make_data,
        params=dict(n=1_000_000, d=N_FEATURES, seed=0),
        quick_params=dict(n=200_000, d=N_FEATURES, seed=0),
        ours=Side("scratchml", fit=_fit("scratchml", _name), predict=_transform),
        ref=Side("scikit-learn", fit=_fit("sklearn", _name), predict=_transform,
                 requires=("sklearn",)),
        compare=compare,
    ))
