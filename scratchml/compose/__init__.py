"""Composite transformers: ColumnTransformer (a transformer per column subset) and
TransformedTargetRegressor (a regressor fitted on a transformed target).

Names load lazily from their module on first access (PEP 562).
"""

import importlib

_MODULES = {
    "ColumnTransformer": "_column_transformer",
    "make_column_transformer": "_column_transformer",
    "make_column_selector": "_columns",
    "TransformedTargetRegressor": "_target",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
