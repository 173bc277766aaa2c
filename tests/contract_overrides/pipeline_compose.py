"""Contract settings for the meta-estimators: Pipeline, FeatureUnion, ColumnTransformer,
TransformedTargetRegressor, and the make_column_selector callable.

The meta-estimators fit the estimators they are given in place (as scikit-learn's
do), so their constructor arguments are built afresh for every test (``_Fresh``):
a shared, already fitted StandardScaler would make an "unfitted" pipeline look fitted.
"""

from collections.abc import Mapping

from scratchml.neighbors import NearestCentroid
from scratchml.preprocessing import StandardScaler


class _Fresh(Mapping):
    """Keyword arguments rebuilt by ``factory()`` each time they are unpacked."""

    def __init__(self, factory):
        self.factory = factory

    def __getitem__(self, key):
        return self.factory()[key]

    def __iter__(self):
        return iter(self.factory())

    def __len__(self):
        return len(self.factory())


REQUIRED_ARG = ("its first argument is required, as in scikit-learn, so it cannot be built "
                "without arguments")
FROM_FIRST_STEP = ("X is validated by the step that receives it, which names itself in the "
                   "error (e.g. 'X has 3 features, but StandardScaler ...'), as in scikit-learn")
FIT_CHECKS = (
    "test_fit_returns_self_and_does_not_mutate_input",
    "test_clone_of_fitted_is_unfitted",
    "test_unfitted_use_raises_not_fitted",
    "test_wrong_feature_count_raises",
    "test_nan_input_gives_documented_error",
    "test_empty_and_string_input_errors",
    "test_same_random_state_same_result",
    "test_save_load_and_pickle_round_trips",
    "test_accepts_lists_and_float32",
    "test_score_if_supervised",
)

OVERRIDES = {
    "Pipeline": {
        "params": _Fresh(lambda: {"steps": [("scale", StandardScaler()),
                                            ("clf", NearestCentroid())]}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG,
                 "test_wrong_feature_count_raises": FROM_FIRST_STEP},
    },
    "FeatureUnion": {
        "params": _Fresh(lambda: {"transformer_list": [
            ("scale", StandardScaler()), ("center", StandardScaler(with_std=False))]}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG},
    },
    "ColumnTransformer": {
        # One transformer sees every column, so NaN/string errors name the original column.
        "params": _Fresh(lambda: {"transformers": [
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
