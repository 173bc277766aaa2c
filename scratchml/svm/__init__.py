"""Support vector machines: SVC, SVR, OneClassSVM (SMO, libsvm's algorithm) and LinearSVC
(dual coordinate descent, liblinear's algorithm).

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "SVC": "_svc",
    "SVR": "_svr",
    "OneClassSVM": "_svr",
    "LinearSVC": "_linear",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
