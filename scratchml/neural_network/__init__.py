"""Neural-network estimators (scikit-learn's API) built on :mod:`scratchml.nn`."""

from ..utils._lazy import lazy_attributes

__getattr__, __dir__, __all__ = lazy_attributes(
    __name__, {"MLPClassifier": "_mlp", "MLPRegressor": "_mlp"}, globals()
)
