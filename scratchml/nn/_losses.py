"""Loss functions, each one fused node with a closed-form gradient.

``reduction`` is ``"mean"`` (default), ``"sum"`` or ``"none"`` as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from ._tensor import Tensor, _as_tensor, _result

_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction={reduction!r} is not one of {_REDUCTIONS}.")


def _reduce(per_sample: np.ndarray, reduction: str, denom: float):
    if reduction == "none":
        return per_sample
    total = per_sample.sum()
    return np.asarray(total / denom if reduction == "mean" else total, dtype=per_sample.dtype)


def _upstream(g: np.ndarray, reduction: str, denom: float, ndim: int) -> np.ndarray:
    """The factor each sample's gradient is scaled by: g/denom, g, or g per sample."""
    if reduction == "none":
        return g.reshape(g.shape + (1,) * (ndim - g.ndim))
    return g / denom if reduction == "mean" else g


def _pair(pred, target):
    pred = _as_tensor(pred, target) if not isinstance(pred, Tensor) else pred
    target = _as_tensor(target, pred)
    if pred.data.shape != target.data.shape:
        raise ValueError(f"loss: prediction shape {pred.data.shape} and target shape "
                         f"{target.data.shape} differ; reshape one of them.")
    return pred, target


def mse_loss(pred, target, reduction: str = "mean") -> Tensor:
    """mean((p − y)²); ∂/∂p = 2(p − y) g / n."""
    _check_reduction(reduction)
    pred, target = _pair(pred, target)
    d = pred.data - target.data
    n = d.size

    def backward(g):
        gp = 2 * d * _upstream(g, reduction, n, d.ndim)
        return (gp if pred.requires_grad else None, -gp if target.requires_grad else None)

    return _result(_reduce(d * d, reduction, n), (pred, target), backward, "mse_loss")


def huber_loss(pred, target, delta: float = 1.0, reduction: str = "mean") -> Tensor:
    """½d² if |d| ≤ δ else δ(|d| − ½δ), d = p − y; ∂/∂p = d or δ·sign(d)."""
    _check_reduction(reduction)
    pred, target = _pair(pred, target)
    d = pred.data - target.data
    small = np.abs(d) <= delta
    per = np.where(small, 0.5 * d * d, delta * (np.abs(d) - 0.5 * delta))

    def backward(g):
        gp = np.where(small, d, delta * np.sign(d)) * _upstream(g, reduction, d.size, d.ndim)
        return (gp if pred.requires_grad else None, -gp if target.requires_grad else None)

    return _result(_reduce(per, reduction, d.size), (pred, target), backward, "huber_loss")


def binary_cross_entropy_with_logits(logits, target, reduction: str = "mean") -> Tensor:
    """−[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z y + log(1 + e^−|z|).

    ∂/∂z = (σ(z) − y) g / n. Stable for any z.
    """
    _check_reduction(reduction)
    logits, target = _pair(logits, target)
    z, y = logits.data, target.data
    per = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))

    def backward(g):
        e = np.exp(-np.abs(z))
        sig = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
        gz = (sig - y) * _upstream(g, reduction, z.size, z.ndim)
        return gz, (-z * _upstream(g, reduction, z.size, z.ndim)
                    if target.requires_grad else None)

    return _result(_reduce(per, reduction, z.size), (logits, target), backward, "bce_logits")


def _check_labels(target, n: int, n_classes: int) -> np.ndarray:
    t = np.asarray(getattr(target, "data", target))
    if t.shape != (n,):
        raise ValueError(f"cross_entropy: target has shape {t.shape}; expected ({n},) integer "
                         "class labels, one per row of the logits.")
    if t.dtype.kind == "f":
        if not np.all(t == np.round(t)):
            raise ValueError("cross_entropy: target must hold integer class labels.")
    elif t.dtype.kind not in "iu":
        raise ValueError(f"cross_entropy: target dtype {t.dtype} is not an integer type.")
    t = t.astype(np.intp, copy=False)
    if n and (t.min() < 0 or t.max() >= n_classes):
        bad = t[(t < 0) | (t >= n_classes)]
        raise ValueError(
            f"cross_entropy: target contains label {int(bad[0])} ({bad.size} out of range), "
            f"but the logits have {n_classes} classes: labels must be in 0..{n_classes - 1}."
        )
    return t


def cross_entropy(logits: Tensor, target, weight=None, label_smoothing: float = 0.0,
                  reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy from logits (N, C) and integer labels (N,), as PyTorch.

    With p = softmax(z), class weights w (default 1) and smoothing ε:
    ℓᵢ = −(1 − ε) w_{yᵢ} log p_{i,yᵢ} − (ε / C) Σ_c w_c log p_{ic}, averaged with
    weights Σᵢ w_{yᵢ} for ``"mean"``. The fused gradient, without weights and
    smoothing, is the famous (p − onehot(y)) / N; in general
    ∂ℓᵢ/∂z_i = (1 − ε) w_{yᵢ} (p_i − onehot(yᵢ)) + (ε / C)(p_i Σ_c w_c − w).

    Parameters
    ----------
    logits : Tensor of shape (N, C)
    target : array of N integer labels in 0..C−1
    weight : array of shape (C,), optional
        Per-class weights.
    label_smoothing : float in [0, 1]
    reduction : "mean", "sum" or "none"

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.nn import Tensor, cross_entropy
    >>> z = Tensor(np.zeros((2, 4)), requires_grad=True)
    >>> loss = cross_entropy(z, np.array([1, 3]))
    >>> round(loss.item(), 4)  # log 4
    1.3863
    """
    _check_reduction(reduction)
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"label_smoothing={label_smoothing} must be in [0, 1].")
    Z = logits.data
    if Z.ndim != 2:
        raise ValueError(f"cross_entropy expects logits of shape (N, C), got {Z.shape}.")
    n, C = Z.shape
    t = _check_labels(target, n, C)
    rows = np.arange(n)
    shifted = Z - Z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    log_total = np.log(total)
    eps = float(label_smoothing)
    if weight is None and not eps:  # the common case: only log p of the true class is needed
        w_row, denom = None, n
        per = log_total[:, 0] - shifted[rows, t]
    else:
        logp = shifted - log_total
        w = (np.ones(C, dtype=Z.dtype) if weight is None
             else np.asarray(getattr(weight, "data", weight), dtype=Z.dtype))
        w_row = w[t]
        denom = float(w_row.sum()) if weight is not None else n
        per = -(1 - eps) * w_row * logp[rows, t] - (eps / C) * (logp * w).sum(axis=1)

    def backward(g):
        p = e / total  # softmax, from the forward's exponentials
        if w_row is None:
            p[rows, t] -= 1
            G = p
        else:
            G = (1 - eps) * w_row[:, None] * p
            G[rows, t] -= (1 - eps) * w_row
            if eps:
                G += (eps / C) * (p * w.sum() - w)
        G *= _upstream(g, reduction, denom, 2)
        return (G,)

    return _result(_reduce(per, reduction, denom), (logits,), backward, "cross_entropy")
