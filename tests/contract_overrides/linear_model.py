"""Contract settings for scratchml.linear_model.

The SGD estimators shuffle the samples every epoch: a fixed ``random_state`` makes
two fits on the same data (lists vs arrays) comparable, as the contract expects.
"""

OVERRIDES = {
    "SGDClassifier": {"params": {"random_state": 0}},
    "SGDRegressor": {"params": {"random_state": 0}},
}
