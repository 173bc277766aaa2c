"""Feature selection: univariate tests, variance and correlation filters, model-based.

Names load lazily from their module on first access (PEP 562).
"""

import importlib

_MODULES = {
    "SelectorMixin": "_base",
    "VarianceThreshold": "_variance_threshold",
    "SelectKBest": "_univariate",
    "SelectPercentile": "_univariate",
    "SelectFromModel": "_from_model",
    "CorrelationFilter": "_correlation",
    "f_classif": "_score_functions",
    "f_regression": "_score_functions",
    "r_regression": "_score_functions",
    "chi2": "_score_functions",
    "mutual_info_classif": "_mutual_info",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
