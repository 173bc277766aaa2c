"""Scaling, encoding, polynomial features, discretization and outlier clipping.

Names load lazily from their module on first access (PEP 562), so importing one
transformer does not import the others.
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "StandardScaler": "_scalers",
    "MinMaxScaler": "_scalers",
    "MaxAbsScaler": "_scalers",
    "RobustScaler": "_scalers_robust",
    "Normalizer": "_scalers_robust",
    "OneHotEncoder": "_encoders",
    "OrdinalEncoder": "_ordinal_encoder",
    "LabelEncoder": "_label",
    "LabelBinarizer": "_label",
    "PolynomialFeatures": "_polynomial",
    "KBinsDiscretizer": "_discretization",
    "FunctionTransformer": "_function_transformer",
    "OutlierClipper": "_outliers",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
