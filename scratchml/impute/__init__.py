"""Imputation of missing values: per-column statistics, nearest neighbours, indicators.

Names load lazily from their module on first access (PEP 562).
"""

import importlib

_MODULES = {
    "SimpleImputer": "_simple",
    "KNNImputer": "_knn",
    "MissingIndicator": "_base",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
