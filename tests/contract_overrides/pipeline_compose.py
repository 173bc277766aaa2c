"""Contract settings for the meta-estimators: Pipeline, FeatureUnion, ColumnTransformer,
TransformedTargetRegressor, and the make_column_selector callable.

The meta-estimators fit the estimators they are given in place (as scikit-learn's
do), so their constructor arguments are built afresh for every test (``Fresh``):
a shared, already fitted StandardScaler would make an "unfitted" pipeline look fitted.
"""

from contract_overrides import FIT_CHECKS as _FIT_CHECKS
from contract_overrides import Fresh
from scratchml.neighbors import NearestCentroid
from scratchml.preprocessing import StandardScaler

REQUIRED_ARG = ("its first argument is required, as in scikit-learn, so it cannot be built "
                "without arguments")
FROM_FIRST_STEP = ("X is validated by the step that receives it, which names itself in the "
                   "error (e.g. 'X has 3 features, but StandardScaler ...'), as in scikit-learn")
FIT_CHECKS = (*_FIT_CHECKS, "test_score_if_supervised")

OVERRIDES = {
    "Pipeline": {
        "params": Fresh(lambda: {"steps": [("scale", StandardScaler()),
                                            ("clf", NearestCentroid())]}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG,
                 "test_wrong_feature_count_raises": FROM_FIRST_STEP},
    },
    "FeatureUnion": {
        "params": Fresh(lambda: {"transformer_list": [
            ("scale", StandardScaler()), ("center", StandardScaler(with_std=False))]}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG},
    },
    "ColumnTransformer": {
        # One transformer sees every column, so NaN/string errors name the original column.
        "params": Fresh(lambda: {"transformers": [
            ("all", StandardScaler(), [0, 1, 2, 3]),
            ("first", StandardScaler(with_std=False), [0, 1])]}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG},
    },
    "TransformedTargetRegressor": {"skip": {"test_wrong_feature_count_raises": (
        "X is validated by the wrapped regressor, which names itself in the error, as in "
        "scikit-learn")}},
    "make_column_selector": {
        "skip": {name: "a column-selecting callable for ColumnTransformer, not an estimator "
                       "(a BaseEstimator only for its parameters and persistence)"
                 for name in FIT_CHECKS},
    },
}
