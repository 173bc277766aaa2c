"""Composite transformers: ColumnTransformer (a transformer per column subset) and
TransformedTargetRegressor (a regressor fitted on a transformed target).

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "ColumnTransformer": "_column_transformer",
    "make_column_transformer": "_column_transformer",
    "make_column_selector": "_columns",
    "TransformedTargetRegressor": "_target",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
