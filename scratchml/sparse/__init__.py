"""A small compressed-sparse-row matrix written with NumPy only.

:class:`CSRMatrix` stores the nonzeros of a 2-D matrix row by row (the layout
SciPy and scikit-learn call CSR); :func:`issparse` recognises it and, by duck
typing, SciPy's sparse matrices and arrays without importing SciPy.
:func:`row_norms` gives the Euclidean norm of every row of a dense or sparse
matrix. Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "CSRMatrix": "_csr",
    "issparse": "_csr",
    "row_norms": "_csr_ops",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
