"""Contract settings for histogram gradient boosting, voting and stacking.

Voting and stacking need estimators (and stacking an explicit final estimator,
so the suite does not depend on scratchml.linear_model); the base estimators
reject NaN themselves, which is what the NaN check sees.
"""

from scratchml.naive_bayes import GaussianNB
from scratchml.neighbors import KNeighborsClassifier, KNeighborsRegressor

_NAN = ("histogram gradient boosting accepts NaN by design (missing values get their own "
        "bin and go to the better side of each split); tests/test_hist_gradient_boosting.py "
        "checks that NaN is handled")

OVERRIDES = {
    "GradientBoostingClassifier": {"params": {"max_iter": 10},
                                   "skip": {"test_nan_input_gives_documented_error": _NAN}},
    "GradientBoostingRegressor": {"params": {"max_iter": 10},
                                  "skip": {"test_nan_input_gives_documented_error": _NAN}},
    "VotingClassifier": {"params": {
        "estimators": [("nb", GaussianNB()), ("knn", KNeighborsClassifier(3))],
        "voting": "soft"}},
    "VotingRegressor": {"params": {
        "estimators": [("a", KNeighborsRegressor(3)), ("b", KNeighborsRegressor(5))]}},
    "StackingClassifier": {"params": {
        "estimators": [("nb", GaussianNB()), ("knn", KNeighborsClassifier(3))],
        "final_estimator": GaussianNB(), "cv": 3}},
    "StackingRegressor": {"params": {
        "estimators": [("a", KNeighborsRegressor(3)), ("b", KNeighborsRegressor(5))],
        "final_estimator": KNeighborsRegressor(5), "cv": 3}},
}
