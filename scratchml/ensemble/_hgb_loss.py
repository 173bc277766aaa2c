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

Sample weights w_i (scikit-learn's semantics): the loss is the weighted mean
sum w_i L_i / sum w_i, each g_i and h_i is multiplied by w_i (computed in float64,
then stored as float32; a "constant" hessian becomes h_i = w_i), and F_0 is the
weighted mean / median / class frequency. ``sw=None`` keeps the unweighted code.
"""

from __future__ import annotations

import numpy as np

_EPS = np.finfo(np.float64).eps


def _expit(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _log1pexp(x):
    return np.logaddexp(0.0, x)


def _total_weight(sw):
    total = np.sum(sw)
    if not total > 0:
        raise ValueError("sample_weight sums to zero on the samples being fitted or scored; "
                         "give some of them a positive weight.")
    return total


def _weighted_mean(values, sw):
    """np.mean, or sum w_i v_i / sum w_i (np.average's arithmetic: bitwise np.mean at w = 1)."""
    if sw is None:
        return np.mean(values)
    return np.sum(values * sw) / _total_weight(sw)


def weighted_median(values, sw):
    """Median of ``values`` under weights ``sw`` (zero weights ignored).

    The value where the cumulative weight reaches half the total; when it lands
    exactly on a boundary between two values, their mean (NumPy's median for unit
    weights, and integer weights give the median of the repeated values).
    """
    keep = sw > 0
    if not keep.any():
        raise ValueError("sample_weight is zero on every sample of a leaf or of the "
                         "training set; give some of them a positive weight.")
    values, sw = values[keep], sw[keep]
    order = np.argsort(values, kind="stable")
    s, cdf = values[order], np.cumsum(sw[order])
    rank = cdf[-1] * 0.5
    i = min(int(np.searchsorted(cdf, rank, side="left")), len(s) - 1)
    if cdf[i] == rank and i + 1 < len(s):
        return float((s[i] + s[i + 1]) * 0.5)
    return float(s[i])


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
    def baseline(self, y, sw=None):
        return np.array([_weighted_mean(y, sw)])

    def loss(self, y, raw, sw=None):
        return float(0.5 * _weighted_mean((y - raw[0]) ** 2, sw))

    def gradients(self, y, raw, g, h, sw=None):
        # Weighted: h = sw was filled once by the caller (it does not change).
        if sw is None:
            np.subtract(raw[0], y, out=g[0], casting="unsafe")
        else:
            np.multiply(raw[0] - y, sw, out=g[0], casting="unsafe")


class AbsoluteError(Loss):
    needs_leaf_update = True

    def baseline(self, y, sw=None):
        return np.array([np.median(y) if sw is None else weighted_median(y, sw)])

    def loss(self, y, raw, sw=None):
        return float(_weighted_mean(np.abs(y - raw[0]), sw))

    def gradients(self, y, raw, g, h, sw=None):
        if sw is None:
            np.sign(raw[0] - y, out=g[0], casting="unsafe")
        else:
            np.multiply(np.sign(raw[0] - y), sw, out=g[0], casting="unsafe")

    def leaf_value(self, residuals, sw=None):
        return float(np.median(residuals)) if sw is None else weighted_median(residuals, sw)


class BinaryLogLoss(Loss):
    constant_hessian = False

    def baseline(self, y, sw=None):
        p = np.clip(_weighted_mean(y, sw), _EPS, 1 - _EPS)
        return np.array([np.log(p / (1 - p))])

    def loss(self, y, raw, sw=None):
        return float(_weighted_mean(_log1pexp(raw[0]) - y * raw[0], sw))

    def gradients(self, y, raw, g, h, sw=None):
        p = _expit(raw[0])
        if sw is None:
            np.subtract(p, y, out=g[0], casting="unsafe")
            np.multiply(p, 1 - p, out=h[0], casting="unsafe")
        else:
            np.multiply(p - y, sw, out=g[0], casting="unsafe")
            np.multiply(p * (1 - p), sw, out=h[0], casting="unsafe")

    def proba(self, raw):
        p = _expit(raw[0])
        return np.column_stack([1 - p, p])


class MultinomialLogLoss(Loss):
    constant_hessian = False

    def baseline(self, y, sw=None):
        if sw is None:
            p = np.bincount(y, minlength=self.n_trees) / len(y)
        else:
            p = np.bincount(y, weights=sw, minlength=self.n_trees) / _total_weight(sw)
        out = np.log(np.clip(p, _EPS, 1 - _EPS))
        return out - out.mean()

    def loss(self, y, raw, sw=None):
        m = raw.max(axis=0)
        lse = m + np.log(np.exp(raw - m).sum(axis=0))
        return float(_weighted_mean(lse - raw[y, np.arange(len(y))], sw))

    def gradients(self, y, raw, g, h, sw=None):
        p = _softmax(raw)
        if sw is None:
            np.multiply(p, 1 - p, out=h, casting="unsafe")
            p[y, np.arange(len(y))] -= 1.0
            g[...] = p
        else:
            np.multiply(p * (1 - p), sw, out=h, casting="unsafe")
            p[y, np.arange(len(y))] -= 1.0
            np.multiply(p, sw, out=g, casting="unsafe")

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
