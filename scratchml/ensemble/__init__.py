"""Ensembles: random forests and extra trees, bagging, AdaBoost, histogram
gradient boosting, voting and stacking.

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    # Tree ensembles built on scratchml.tree (forests, bagging, AdaBoost).
    **dict.fromkeys(["RandomForestClassifier", "RandomForestRegressor",
                     "ExtraTreesClassifier", "ExtraTreesRegressor"], "_forest"),
    **dict.fromkeys(["BaggingClassifier", "BaggingRegressor"], "_bagging"),
    **dict.fromkeys(["AdaBoostClassifier", "AdaBoostRegressor"], "_weight_boosting"),
    # Histogram gradient boosting, voting and stacking.
    **dict.fromkeys(["GradientBoostingClassifier", "GradientBoostingRegressor",
                     "HistGradientBoostingClassifier", "HistGradientBoostingRegressor"], "_hgb"),
    **dict.fromkeys(["VotingClassifier", "VotingRegressor"], "_voting"),
    **dict.fromkeys(["StackingClassifier", "StackingRegressor"], "_stacking"),
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
