"""Losses of histogram gradient boosting: value, gradient, hessian, starting point.

Raw predictions F (one column per tree of an iteration) are updated by Newton
steps: a tree fits the gradients g_i = dL/dF_i and hessians h_i = d^2L/dF_i^2,
and a leaf predicts -sum g / (sum h + l2). As in scikit-learn:

* ``squared_error``: L = (y - F)^2 / 2, g = F - y, h = 1, F_0 = mean(y);
* ``absolute_error``: L = |y - F|, g = sign(F - y), h = 1, F_0 = median(y); after
  a tree is grown, each leaf's value is replaced by learning_rate times the median
  of its residuals y - F (the loss is not smooth, so Newton's step is not used);
* ``log_loss``, binary: F = logit p, L = log(1 + e^F) - y F, g = p - y, h = p (1 - p),
  F_0 = logit(mean y);
* ``log_loss``, K classes: p = softmax(F), L = logsumexp(F) - F_y,
  g_k = p_k - [y = k], h_k = p_k (1 - p_k), F_0,k = log(mean [y = k]) centred.

Gradients and hessians are float32, as in scikit-learn: they are only summed in
histograms (in float64), and half the bytes make the histogram pass faster.
Arrays of raw predictions have shape (n_trees_per_iteration, n_samples).
"""

from __future__ import annotations

import numpy as np

_EPS = np.finfo(np.float64).eps


def _expit(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _log1pexp(x):
    return np.logaddexp(0.0, x)


def _softmax(raw):
    z = raw - raw.max(axis=0, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=0, keepdims=True)
    return z


class Loss:
    """One loss: ``baseline``, ``loss``, ``gradients``; ``constant_hessian`` says h = 1."""

    constant_hessian = True
    needs_leaf_update = False

    def __init__(self, n_trees: int = 1):
        self.n_trees = n_trees


class SquaredError(Loss):
    def baseline(self, y):
        return np.array([np.mean(y)])

    def loss(self, y, raw):
        return float(0.5 * np.mean((y - raw[0]) ** 2))

    def gradients(self, y, raw, g, h):
        np.subtract(raw[0], y, out=g[0], casting="unsafe")


class AbsoluteError(Loss):
    needs_leaf_update = True

    def baseline(self, y):
        return np.array([np.median(y)])

    def loss(self, y, raw):
        return float(np.mean(np.abs(y - raw[0])))

    def gradients(self, y, raw, g, h):
        np.sign(raw[0] - y, out=g[0], casting="unsafe")

    def leaf_value(self, residuals):
        return float(np.median(residuals))


class BinaryLogLoss(Loss):
    constant_hessian = False

    def baseline(self, y):
        p = np.clip(np.mean(y), _EPS, 1 - _EPS)
        return np.array([np.log(p / (1 - p))])

    def loss(self, y, raw):
        return float(np.mean(_log1pexp(raw[0]) - y * raw[0]))

    def gradients(self, y, raw, g, h):
        p = _expit(raw[0])
        np.subtract(p, y, out=g[0], casting="unsafe")
        np.multiply(p, 1 - p, out=h[0], casting="unsafe")

    def proba(self, raw):
        p = _expit(raw[0])
        return np.column_stack([1 - p, p])


class MultinomialLogLoss(Loss):
    constant_hessian = False

    def baseline(self, y):
        p = np.bincount(y, minlength=self.n_trees) / len(y)
        out = np.log(np.clip(p, _EPS, 1 - _EPS))
        return out - out.mean()

    def loss(self, y, raw):
        m = raw.max(axis=0)
        lse = m + np.log(np.exp(raw - m).sum(axis=0))
        return float(np.mean(lse - raw[y, np.arange(len(y))]))

    def gradients(self, y, raw, g, h):
        p = _softmax(raw)
        np.multiply(p, 1 - p, out=h, casting="unsafe")
        p[y, np.arange(len(y))] -= 1.0
        g[...] = p

    def proba(self, raw):
        return _softmax(raw).T


def make_loss(name: str, n_classes: int | None) -> Loss:
    """The loss object for ``loss=name`` (``n_classes`` None for regression)."""
    if name == "squared_error":
        return SquaredError()
    if name == "absolute_error":
        return AbsoluteError()
    if n_classes == 2:
        return BinaryLogLoss()
    return MultinomialLogLoss(n_classes)
