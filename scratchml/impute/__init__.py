"""Imputation of missing values: per-column statistics, nearest neighbours, indicators.

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "SimpleImputer": "_simple",
    "KNNImputer": "_knn",
    "MissingIndicator": "_base",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
