"""Scaling, encoding, polynomial features, discretization and outlier clipping.

Names load lazily from their module on first access (PEP 562), so importing one
transformer does not import the others.
"""

import importlib

_MODULES = {
    "StandardScaler": "_scalers",
    "MinMaxScaler": "_scalers",
    "MaxAbsScaler": "_scalers",
    "RobustScaler": "_scalers",
    "Normalizer": "_scalers",
    "OneHotEncoder": "_encoders",
    "OrdinalEncoder": "_encoders",
    "LabelEncoder": "_label",
    "LabelBinarizer": "_label",
    "PolynomialFeatures": "_polynomial",
    "KBinsDiscretizer": "_discretization",
    "FunctionTransformer": "_function_transformer",
    "OutlierClipper": "_outliers",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
