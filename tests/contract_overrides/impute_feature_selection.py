"""Contract settings for scratchml.impute and scratchml.feature_selection."""

import numpy as np

from scratchml.neighbors import NearestCentroid


def _with_missing(seed):
    """Standard normal data with ~15% NaN (never a whole column): something to impute."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((60, 4))
    X[rng.random(X.shape) < 0.15] = np.nan
    X[0] = rng.standard_normal(4)  # every column keeps observed values
    return X, None


def _classification(seed):
    """The supervised selectors score features against class labels."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((60, 4))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    X[y == 1] += 1.5
    return X, y


_NAN_IS_DATA = {
    "test_nan_input_gives_documented_error": "NaN is the default missing-value marker: "
    "imputers and MissingIndicator accept it by design (infinity is still rejected)",
}

OVERRIDES = {
    "SimpleImputer": {"data": _with_missing, "skip": _NAN_IS_DATA},
    "KNNImputer": {"data": _with_missing, "skip": _NAN_IS_DATA},
    "MissingIndicator": {"data": _with_missing, "skip": _NAN_IS_DATA},
    "VarianceThreshold": {
        "skip": {
            "test_nan_input_gives_documented_error": "VarianceThreshold ignores missing values "
            "(NaN-aware variance), as scikit-learn's does",
        },
    },
    # The score function is named by a string so that the fitted selector can be saved
    # (a function parameter cannot be); k / percentile keep fewer than the 4 features.
    "SelectKBest": {"params": {"score_func": "f_classif", "k": 2}, "data": _classification},
    "SelectPercentile": {
        "params": {"score_func": "f_classif", "percentile": 50},
        "data": _classification,
    },
    # No scratchml estimator has coef_ or feature_importances_ yet (linear models and
    # trees arrive later); NearestCentroid's centroids_ (one row per class) serve as the
    # importances, their L1 norm across classes per feature.
    "SelectFromModel": {
        "params": {"estimator": NearestCentroid(), "importance_getter": "centroids_"},
        "data": _classification,
        "skip": {
            "test_init_stores_params_unchanged": "estimator is a required argument without "
            "a default, as in scikit-learn's SelectFromModel",
        },
    },
}
