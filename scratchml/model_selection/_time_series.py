"""TimeSeriesSplit: forward-chaining splits for data ordered in time.

Shuffling ordered data would let a model train on the future and test on the
past; here every test block comes after its training window (and after an
optional gap), exactly as scikit-learn's TimeSeriesSplit.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._split import _BaseKFold
from ._utils import _num_samples


class TimeSeriesSplit(_BaseKFold):
    """Forward-chaining splits for ordered data: always train on the past, test on the future.

    With n samples, k splits, test size t (default ⌊n/(k+1)⌋) and gap g, split
    i ∈ {0..k−1} tests [s_i, s_i + t) with s_i = n − (k − i)·t and trains on
    [0, s_i − g) (only the last ``max_train_size`` of those when set).

    Parameters
    ----------
    n_splits : int, default=5
    max_train_size : int or None, default=None
        Largest training window.
    test_size : int or None, default=None
    gap : int, default=0
        Samples left out between the end of the training set and the test set.

    Examples
    --------
    >>> from scratchml.model_selection import TimeSeriesSplit
    >>> [(tr.tolist(), te.tolist()) for tr, te in TimeSeriesSplit(2).split(range(4))]
    [([0, 1], [2]), ([0, 1, 2], [3])]
    """

    def __init__(self, n_splits: int = 5, *, max_train_size: int | None = None,
                 test_size: int | None = None, gap: int = 0):
        super().__init__(n_splits, shuffle=False, random_state=None)
        self.max_train_size = max_train_size
        self.test_size = test_size
        self.gap = gap

    def _repr_params(self) -> dict:
        params = super()._repr_params()
        params.pop("shuffle", None)
        params.pop("random_state", None)
        return params

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays, test sets moving forward in time."""
        if groups is not None:
            warnings.warn("The groups parameter is ignored by TimeSeriesSplit", UserWarning,
                          stacklevel=2)
        n_samples = _num_samples(X)
        k, gap = self.n_splits, self.gap
        test_size = self.test_size if self.test_size is not None else n_samples // (k + 1)
        if k + 1 > n_samples:
            raise ValueError(
                f"Cannot have number of folds={k + 1} greater than the number of "
                f"samples={n_samples}. Use n_splits <= {n_samples - 1}."
            )
        if n_samples - gap - test_size * k <= 0:
            raise ValueError(
                f"Too many splits={k} for number of samples={n_samples} with "
                f"test_size={test_size} and gap={gap}. Reduce n_splits, test_size or gap."
            )
        indices = np.arange(n_samples)
        for test_start in range(n_samples - k * test_size, n_samples, test_size):
            train_end = test_start - gap
            train_start = 0
            if self.max_train_size and self.max_train_size < train_end:
                train_start = train_end - self.max_train_size
            yield indices[train_start:train_end], indices[test_start:test_start + test_size]
