"""Contract settings for the categorical encoders (scratchml/preprocessing/_encoders.py,
_label.py).

OneHotEncoder and OrdinalEncoder take categorical X: a few small integer codes per
column (as floats, so the suite's list and float32 variants still apply). Strings
and NaN are valid categories for them, so the two checks that expect those to be
rejected do not apply; tests/test_preprocessing_encoders.py checks instead that
they are encoded as scikit-learn does, and that empty input raises "no samples".

LabelEncoder and LabelBinarizer encode a target y (``fit(y)``), a 1-D array: the
checks built on the columns of a 2-D X do not apply to them.
"""

import numpy as np


def _categorical_X(seed):
    rng = np.random.default_rng(seed)
    # 4 columns with 2, 3, 4 and 5 categories; 60 rows see every category.
    X = np.column_stack([rng.permutation(np.arange(60) % k) for k in (2, 3, 4, 5)])
    return X.astype(np.float64), None


def _labels(seed):
    rng = np.random.default_rng(seed)
    return rng.permutation(np.arange(60) % 3).astype(np.float64), None


_CATEGORICAL_SKIPS = {
    "test_nan_input_gives_documented_error":
        "NaN is a category for encoders, as in scikit-learn (tested against it in "
        "tests/test_preprocessing_encoders.py)",
    "test_empty_and_string_input_errors":
        "strings are what encoders encode; the 'no samples' error is tested in "
        "tests/test_preprocessing_encoders.py",
}

_TARGET_SKIPS = {
    "test_fit_returns_self_and_does_not_mutate_input":
        "encodes a 1-D target y and has no n_features_in_ (tested in "
        "tests/test_preprocessing_encoders.py)",
    "test_wrong_feature_count_raises": "encodes a 1-D target y: there are no features",
    "test_nan_input_gives_documented_error": "encodes a 1-D target y: there are no columns",
    "test_empty_and_string_input_errors":
        "encodes a 1-D target y, where strings are labels; the 'no samples' error is "
        "tested in tests/test_preprocessing_encoders.py",
}

OVERRIDES = {
    "OneHotEncoder": {"data": _categorical_X, "skip": _CATEGORICAL_SKIPS},
    "OrdinalEncoder": {"data": _categorical_X, "skip": _CATEGORICAL_SKIPS},
    "LabelEncoder": {"data": _labels, "skip": _TARGET_SKIPS},
    "LabelBinarizer": {"data": _labels, "skip": _TARGET_SKIPS},
}
