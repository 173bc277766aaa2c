"""Contract settings for scratchml.neural_network: a small, quick network."""

_FAST = {"hidden_layer_sizes": (16,), "max_iter": 60, "learning_rate_init": 0.01, "random_state": 0}

OVERRIDES = {
    "MLPClassifier": {"params": dict(_FAST)},
    "MLPRegressor": {"params": dict(_FAST)},
}
