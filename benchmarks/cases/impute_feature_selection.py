"""Imputation and feature selection against scikit-learn.

``simple_imputer[mean|median]``: ``SimpleImputer(strategy=...)``, fit then transform,
on X of 1,000,000 x 20 float64 values with 10% NaN (quick: 200,000 x 20).
``variance_threshold`` and ``select_k_best[f_classif]``: ``VarianceThreshold().fit(X)``
and ``SelectKBest(f_classif, k=5).fit(X, y)`` then ``transform(X)``, on X of
1,000,000 x 20 without NaN (quick: 200,000 x 20) and 3 classes.
``knn_imputer``: ``KNNImputer()`` fit then transform on 5,000 x 10 values with 10% NaN
(quick: 2,000 x 10).

Compare: the largest absolute difference between the two outputs (imputers), or
between the two score vectors and the number of differing support entries (selectors).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_FEATURES = 20


@functools.lru_cache(maxsize=1)
def make_data(n: int, d: int, missing: float, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * rng.uniform(0.5, 20.0, d) + rng.uniform(-10, 10, d)
    y = rng.integers(0, 3, n)
    X[:, :3] += y[:, None] * np.array([0.05, 0.2, 1.0])  # a few informative features
    if missing:
        X[rng.random((n, d)) < missing] = np.nan
    return {"X": X, "y": y}


def _module(library: str, name: str):
    import importlib

    root = "scratchml" if library == "scratchml" else "sklearn"
    return importlib.import_module(f"{root}.{name}")


def _imputer_fit(library: str, cls: str, **params):
    def fit(data):
        return getattr(_module(library, "impute"), cls)(**params).fit(data["X"])

    return fit


def _selector_fit(library: str, cls: str, **params):
    def fit(data):
        module = _module(library, "feature_selection")
        if cls == "SelectKBest":
            return module.SelectKBest(module.f_classif, **params).fit(data["X"], data["y"])
        return getattr(module, cls)(**params).fit(data["X"])

    return fit


def _transform(model, data):
    return model.transform(data["X"])


def no_missing_left(output, data) -> float:
    return float(not np.isnan(output).any())


def compare_arrays(ours, ref, data) -> dict:
    return {"max |diff|": float(np.max(np.abs(ours - ref))) if ours.size else 0.0}


def _pair(name, library_params, description, params, quick_params, kind, cls, **est_params):
    factory = _imputer_fit if kind == "impute" else _selector_fit
    register(Case(
        name=name,
        family="impute_feature_selection",
        description=description,
        data=make_data,
        params=params,
        quick_params=quick_params,
        ours=Side("scratchml", fit=factory("scratchml", cls, **est_params), predict=_transform),
        ref=Side("scikit-learn", fit=factory("sklearn", cls, **est_params), predict=_transform,
                 requires=("sklearn",)),
        score=no_missing_left if kind == "impute" else None,
        score_name="1 if no NaN is left",
        compare=compare_arrays,
    ))


_BIG = dict(n=1_000_000, d=N_FEATURES, missing=0.1, seed=0)
_BIG_QUICK = dict(n=200_000, d=N_FEATURES, missing=0.1, seed=0)
for _strategy in ("mean", "median"):  # same data set: consecutive cases share the cache
    _pair(f"simple_imputer[{_strategy}]", None,
          f"SimpleImputer(strategy={_strategy!r}) fit + transform, X 1,000,000 x 20 with 10% "
          "NaN (quick: 200,000 rows)", _BIG, _BIG_QUICK, "impute", "SimpleImputer",
          strategy=_strategy)

_CLEAN = dict(n=1_000_000, d=N_FEATURES, missing=0.0, seed=0)
_CLEAN_QUICK = dict(n=200_000, d=N_FEATURES, missing=0.0, seed=0)
_pair("variance_threshold", None,
      "VarianceThreshold() fit + transform, X 1,000,000 x 20 (quick: 200,000 rows)",
      _CLEAN, _CLEAN_QUICK, "select", "VarianceThreshold")
_pair("select_k_best[f_classif]", None,
      "SelectKBest(f_classif, k=5) fit + transform, X 1,000,000 x 20, 3 classes "
      "(quick: 200,000 rows)", _CLEAN, _CLEAN_QUICK, "select", "SelectKBest", k=5)

_pair("knn_imputer", None,
      "KNNImputer() fit + transform, X 5,000 x 10 with 10% NaN (quick: 2,000 rows)",
      dict(n=5_000, d=10, missing=0.1, seed=0), dict(n=2_000, d=10, missing=0.1, seed=0),
      "impute", "KNNImputer")
