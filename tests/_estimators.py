"""Discovery of every public scratchml estimator, and data to fit each one.

The contract tests (test_contract.py) run on whatever this finds, so an
estimator added to any public module's ``__all__`` is checked automatically.
"""

import importlib
import inspect
import pkgutil

import numpy as np

import scratchml
from scratchml.base import BaseEstimator


def _load_overrides() -> dict[str, dict]:
    """Merge ``OVERRIDES`` from every module of tests/contract_overrides/."""
    import contract_overrides

    merged: dict[str, dict] = {}
    for info in pkgutil.iter_modules(contract_overrides.__path__):
        module = importlib.import_module(f"contract_overrides.{info.name}")
        for name, settings in getattr(module, "OVERRIDES", {}).items():
            if name in merged:
                raise RuntimeError(f"contract overrides for {name} defined twice")
            merged[name] = settings
    return merged


OVERRIDES = _load_overrides()
# Parameters that make an estimator fit the small contract data sets quickly.
FAST_PARAMS: dict[str, dict] = {k: v["params"] for k, v in OVERRIDES.items() if "params" in v}


def skip_reason(cls, test_name: str) -> str | None:
    """Why ``test_name`` does not apply to ``cls`` (None: it applies)."""
    return OVERRIDES.get(cls.__name__, {}).get("skip", {}).get(test_name)


IMPORT_ERRORS: dict[str, str] = {}


def all_estimators() -> list[type]:
    """Every BaseEstimator subclass named in a public module's ``__all__``.

    A module or name that fails to import is recorded in ``IMPORT_ERRORS``
    (test_contract.py fails on it) instead of hiding every other estimator.
    """
    found = {}
    for info in pkgutil.walk_packages(
        scratchml.__path__, prefix="scratchml.", onerror=lambda name: None
    ):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception as exc:  # reported by test_every_public_module_imports
            IMPORT_ERRORS[info.name] = f"{type(exc).__name__}: {exc}"
            continue
        for name in getattr(module, "__all__", []):
            try:
                obj = getattr(module, name)
            except Exception as exc:
                IMPORT_ERRORS[f"{info.name}.{name}"] = f"{type(exc).__name__}: {exc}"
                continue
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and obj is not BaseEstimator
                and not inspect.isabstract(obj)
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def make(cls):
    return cls(**FAST_PARAMS.get(cls.__name__, {}))


def kind(est) -> str:
    t = getattr(est, "_estimator_type", None)
    if t in ("classifier", "regressor", "clusterer"):
        return t
    return "transformer" if hasattr(est, "transform") else "other"


def data_for(est, n: int = 60, p: int = 4, seed: int = 0):
    """(X, y) suited to the estimator; y is None for unsupervised ones."""
    custom = OVERRIDES.get(type(est).__name__, {}).get("data")
    if custom is not None:
        return custom(seed)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    k = kind(est)
    if k == "classifier":
        y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
        X[y == 1] += 1.5  # separable enough for any classifier to learn
        return X, y
    if k == "regressor":
        return X, X @ rng.standard_normal(p) + 0.1 * rng.standard_normal(n)
    return X, None


OUTPUT_METHODS = ("predict", "predict_proba", "decision_function", "transform", "score_samples")


def outputs(est, X) -> dict:
    """Every prediction-like output the fitted estimator offers on X."""
    return {m: getattr(est, m)(X) for m in OUTPUT_METHODS if hasattr(est, m)}
