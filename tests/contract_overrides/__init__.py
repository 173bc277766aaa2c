"""Per-family settings for the contract suite (tests/test_contract.py).

Each module here defines ``OVERRIDES = {"ClassName": {...}}`` with any of:

* ``"params"``: constructor arguments that make the estimator fit the small
  contract data quickly (e.g. ``{"max_iter": 50}``);
* ``"data"``: ``callable(seed) -> (X, y)`` for estimators that need special
  input (categorical columns, a target only, non-negative values...);
  X must have 4 columns so the wrong-feature-count check can drop one;
* ``"skip"``: ``{"test_function_name": "reason"}`` for checks that do not
  apply, always with the reason (e.g. an imputer accepts NaN by design).

One module per estimator family, so that families never edit the same file.
"""

from collections.abc import Mapping

# The checks of tests/test_contract.py that fit the estimator on the suite's data
# (families whose estimators cannot take that data skip these, with a reason).
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
)


class Fresh(Mapping):
    """Keyword arguments rebuilt by ``factory()`` each time they are unpacked.

    For meta-estimators: the estimators they are given are fitted in place (as in
    scikit-learn), so each contract test must get new ones.
    """

    def __init__(self, factory):
        self.factory = factory

    def __getitem__(self, key):
        return self.factory()[key]

    def __iter__(self):
        return iter(self.factory())

    def __len__(self):
        return len(self.factory())
