"""scratchml: readable from-scratch machine learning with the scikit-learn API.

Importing the package is cheap: submodules (``scratchml.cluster``,
``scratchml.metrics``, ...) load on first attribute access (PEP 562), and
nothing beyond NumPy is imported until an estimator needs it.
"""

import importlib

from ._config import config_context, get_config, set_config  # noqa: F401 (re-exported)

__version__ = "0.1.0"

# Public submodules, loaded lazily on first access.
_SUBMODULES = {
    "base",
    "cluster",
    "compose",
    "datasets",
    "decomposition",
    "ensemble",
    "exceptions",
    "feature_extraction",
    "feature_selection",
    "impute",
    "inspection",
    "linear_model",
    "metrics",
    "model_selection",
    "monitoring",
    "naive_bayes",
    "neighbors",
    "neural_network",
    "nn",
    "persistence",
    "pipeline",
    "plotting",
    "preprocessing",
    "sparse",
    "stats",
    "svm",
    "tree",
    "utils",
}

# Top-level functions that live in a submodule: name -> module.
_LAZY_FUNCTIONS = {
    "save": "persistence",
    "load": "persistence",
    "clone": "base",
    "show_config": "_show_config",
}

__all__ = sorted(
    ["__version__", "config_context", "get_config", "set_config", *_LAZY_FUNCTIONS, *_SUBMODULES]
)


def __getattr__(name: str):
    if name in _SUBMODULES:
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(
                f"scratchml.{name} is planned but not part of scratchml {__version__} yet."
            ) from None
    if name in _LAZY_FUNCTIONS:
        module = importlib.import_module(f"{__name__}.{_LAZY_FUNCTIONS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'scratchml' has no attribute {name!r}")


def __dir__():
    return __all__
