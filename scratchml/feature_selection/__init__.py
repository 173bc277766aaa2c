"""Feature selection: univariate tests, variance and correlation filters, model-based.

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "SelectorMixin": "_base",
    "VarianceThreshold": "_variance_threshold",
    "SelectKBest": "_univariate",
    "SelectPercentile": "_univariate",
    "SelectFromModel": "_from_model",
    "CorrelationFilter": "_correlation",
    "f_classif": "_score_functions",
    "f_regression": "_score_functions",
    "r_regression": "_score_functions",
    "chi2": "_score_functions",
    "mutual_info_classif": "_mutual_info",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
