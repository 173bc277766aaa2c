"""Contract settings for scratchml.naive_bayes: the count models need non-negative data."""

import numpy as np


def _counts(seed):
    """Small Poisson counts, 4 columns, binary y whose classes differ in their rates."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 60)
    y[:2] = [0, 1]
    rates = np.where(y[:, None] == 1, [1.0, 3.0, 0.5, 2.0], [3.0, 1.0, 2.0, 0.5])
    return rng.poisson(rates).astype(float), y


def _categories(seed):
    """Category indices 0..3 (small non-negative ints), every category seen in every column."""
    X, y = _counts(seed)
    X = np.minimum(X, 3)
    X[:4] = np.arange(4)[:, None]
    return X, y


OVERRIDES = {
    "MultinomialNB": {"data": _counts},
    "ComplementNB": {"data": _counts},
    "CategoricalNB": {"data": _categories},
}
