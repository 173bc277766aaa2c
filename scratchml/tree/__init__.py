"""Decision trees (CART): classification and regression trees, their text export.

A fitted tree's ``tree_`` is a :class:`scratchml.tree._tree.Tree` of flat node arrays.

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "DecisionTreeClassifier": "_classes",
    "DecisionTreeRegressor": "_classes",
    "export_text": "_export",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
