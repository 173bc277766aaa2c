"""Contract settings for the hyperparameter tuners of scratchml.model_selection.

Each tuner gets a fresh GaussianNB and a two-candidate space (built
anew per test, since a tuner's estimator parameter is shared by reference), and
3-fold CV so the 60-row contract data fits quickly. The random tuners get a
fixed random_state: refits on lists and on arrays must draw the same candidates.
"""

from contract_overrides import Fresh
from scratchml.naive_bayes import GaussianNB

REQUIRED_ARG = ("its estimator and search space are required, as in scikit-learn, so it cannot "
                "be built without arguments")

OVERRIDES = {
    "GridSearchCV": {
        "params": Fresh(lambda: {"estimator": GaussianNB(),
                                  "param_grid": {"var_smoothing": [1e-9, 1e-2]}, "cv": 3}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG},
    },
    "RandomizedSearchCV": {
        "params": Fresh(lambda: {"estimator": GaussianNB(),
                                  "param_distributions": {"var_smoothing": [1e-9, 1e-3, 1e-1]},
                                  "n_iter": 2, "cv": 3, "random_state": 0}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG},
    },
    "HalvingGridSearchCV": {
        "params": Fresh(lambda: {"estimator": GaussianNB(),
                                  "param_grid": {"var_smoothing": [1e-9, 1e-3, 1e-1]}, "cv": 3}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG},
    },
    "HalvingRandomSearchCV": {
        "params": Fresh(lambda: {"estimator": GaussianNB(),
                                  "param_distributions": {"var_smoothing": [1e-9, 1e-3, 1e-1]},
                                  "n_candidates": 3, "cv": 3, "random_state": 0}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG},
    },
    "BayesSearchCV": {
        # Lists only: a parameter that is a distribution object is not plain data for
        # scratchml.save (distributions are tested in tests/test_bayes*.py).
        "params": Fresh(lambda: {"estimator": GaussianNB(),
                                  "search_spaces": {"var_smoothing": [1e-9, 1e-3, 1e-1, 1.0]},
                                  "n_iter": 3, "n_initial_points": 2, "cv": 3,
                                  "random_state": 0}),
        "skip": {"test_init_stores_params_unchanged": REQUIRED_ARG},
    },
}
