"""Nearest-neighbour models: nearest centroid, k-nearest search, classification, regression.

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "NearestCentroid": "_nearest_centroid",
    "NearestNeighbors": "_knn",
    "KNeighborsClassifier": "_knn",
    "KNeighborsRegressor": "_knn",
    "RadiusNeighborsClassifier": "_knn",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
