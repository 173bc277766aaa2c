"""Model inspection: which features a fitted model relies on.

``permutation_importance`` measures how much a model's score drops when one
feature's values are shuffled. Names load lazily on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {"permutation_importance": "_permutation_importance"}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
