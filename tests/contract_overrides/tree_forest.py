"""Contract-suite settings for trees, forests, bagging and AdaBoost."""

_NAN = ("accepts NaN in X by design: missing values go to the side of each split "
        "chosen during fit (scikit-learn >= 1.3 semantics)")
_SMALL = {"n_estimators": 5, "random_state": 0}

OVERRIDES = {
    "DecisionTreeClassifier": {"skip": {"test_nan_input_gives_documented_error": _NAN}},
    "DecisionTreeRegressor": {"skip": {"test_nan_input_gives_documented_error": _NAN}},
    "RandomForestClassifier": {"params": _SMALL,
                               "skip": {"test_nan_input_gives_documented_error": _NAN}},
    "RandomForestRegressor": {"params": _SMALL,
                              "skip": {"test_nan_input_gives_documented_error": _NAN}},
    "ExtraTreesClassifier": {"params": _SMALL,
                             "skip": {"test_nan_input_gives_documented_error": _NAN}},
    "ExtraTreesRegressor": {"params": _SMALL,
                            "skip": {"test_nan_input_gives_documented_error": _NAN}},
    "BaggingClassifier": {"params": _SMALL},
    "BaggingRegressor": {"params": _SMALL},
    "AdaBoostClassifier": {"params": {"n_estimators": 10, "random_state": 0}},
    "AdaBoostRegressor": {"params": {"n_estimators": 10, "random_state": 0}},
}
