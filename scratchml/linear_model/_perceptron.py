"""The perceptron: SGD on the perceptron loss with a constant step (see ``_sgd``)."""

from __future__ import annotations

from ..utils._params import store_params
from ._sgd import SGDClassifier


class Perceptron(SGDClassifier):
    """The perceptron (Rosenblatt 1958): SGD on max(0, −y (x·w + b)) with constant η.

    Equivalent to ``SGDClassifier(loss="perceptron", learning_rate="constant",
    eta0=eta0, penalty=None)``: w ← w + η y x on every misclassified sample.

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet", None}, default=None
    alpha, l1_ratio, fit_intercept, max_iter, tol, shuffle, verbose, n_iter_no_change,
    class_weight, warm_start : as in :class:`SGDClassifier`.
    eta0 : float, default=1.0
    random_state : int, Generator or None, default=0

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import Perceptron
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> Perceptron().fit(X, [0, 0, 1, 1]).predict([[-3.0], [3.0]])
    array([0, 1])
    """

    loss = "perceptron"
    learning_rate = "constant"
    power_t = 0.5
    epsilon = 0.1
    average = False

    def __init__(self, *, penalty=None, alpha=0.0001, l1_ratio=0.15, fit_intercept=True,
                 max_iter=1000, tol=1e-3, shuffle=True, verbose=0, eta0=1.0, random_state=0,
                 n_iter_no_change=5, class_weight=None, warm_start=False):
        store_params(self, locals())
