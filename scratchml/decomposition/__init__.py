"""Matrix decompositions: principal component analysis and truncated SVD.

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "PCA": "_pca",
    "TruncatedSVD": "_truncated_svd",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
