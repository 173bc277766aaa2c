"""Fused layers: linear (+ ReLU), conv2d and max_pool2d by im2col.

Fusing is what makes a small network fast in NumPy: ``linear`` is one GEMM, an
in-place bias add and an in-place ReLU, and its backward needs one mask, two
GEMMs and one column sum — the same work as a hand-written network, with one
graph node instead of three.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._tensor import Tensor, _result


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None,
           activation: str | None = None) -> Tensor:
    """y = act(x Wᵀ + b) with W of shape (out_features, in_features), as PyTorch.

    Backward, with G = g · act'(y) (for ReLU: g where y > 0):
    ∂/∂x = G W,  ∂/∂W = Gᵀ x,  ∂/∂b = Σ_rows G.

    Parameters
    ----------
    x : Tensor of shape (..., in_features)
    weight : Tensor of shape (out_features, in_features)
    bias : Tensor of shape (out_features,), optional
    activation : None or "relu"
        Applied in place to the output (fused: one graph node).

    Returns
    -------
    Tensor of shape (..., out_features)

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.nn import Tensor, linear
    >>> y = linear(Tensor(np.ones((2, 3))), Tensor(np.ones((4, 3))), activation="relu")
    >>> y.shape
    (2, 4)
    """
    X, W = x.data, weight.data
    if X.shape[-1] != W.shape[1]:
        raise ValueError(
            f"linear: input has {X.shape[-1]} features (shape {X.shape}) but the weight "
            f"expects {W.shape[1]} (weight shape {W.shape})."
        )
    out = X @ W.T
    if bias is not None:
        out += bias.data
    if activation == "relu":
        np.maximum(out, 0, out=out)
    elif activation is not None:
        raise ValueError(f"linear: activation={activation!r} is not one of None, 'relu'.")
    parents = (x, weight) if bias is None else (x, weight, bias)

    def backward(g):
        if activation == "relu":
            g = g * (out > 0)
        if X.ndim == 2:
            G, X2 = g, X
        else:
            G, X2 = g.reshape(-1, W.shape[0]), X.reshape(-1, W.shape[1])
        gx = (G @ W).reshape(X.shape) if x.requires_grad else None
        gw = None
        if weight.requires_grad:
            buf = weight._gbuf
            if weight.grad is None and weight._backward is None and buf is not None \
                    and buf.shape == W.shape and buf.dtype == G.dtype:
                # A leaf with an idle gradient buffer: the GEMM writes straight into it
                # (saves a copy of the largest gradient; the engine would only store it).
                np.matmul(G.T, X2, out=buf)
                weight.grad = buf
            else:
                gw = G.T @ X2
        if bias is None:
            return gx, gw
        return gx, gw, (G.sum(axis=0) if bias.requires_grad else None)

    return _result(out, parents, backward, "linear")


def _windows(X: np.ndarray, kh: int, kw: int, stride: int, Ho: int, Wo: int) -> np.ndarray:
    """View of every kh×kw patch: shape (N, C, Ho, Wo, kh, kw), no copy."""
    win = sliding_window_view(X, (kh, kw), axis=(2, 3))
    return win[:, :, : (Ho - 1) * stride + 1 : stride, : (Wo - 1) * stride + 1 : stride]


def _col2im(patches: np.ndarray, shape: tuple, stride: int) -> np.ndarray:
    """Sum patch gradients (N, C, Ho, Wo, kh, kw) back onto an image of ``shape``.

    One vectorized add per kernel offset (kh·kw of them), each over all patches.
    """
    N, C, Ho, Wo, kh, kw = patches.shape
    out = np.zeros(shape, dtype=patches.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i : i + stride * (Ho - 1) + 1 : stride,
                j : j + stride * (Wo - 1) + 1 : stride] += patches[:, :, :, :, i, j]
    return out


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride: int = 1,
           padding: int = 0) -> Tensor:
    """2-D cross-correlation, NCHW, weight (F, C, kh, kw), by im2col + one GEMM.

    With cols the (N·Ho·Wo, C·kh·kw) matrix of patches: out = cols Wᵀ + b;
    ∂/∂W = Gᵀ cols, ∂/∂b = Σ G, ∂/∂x = col2im(G W).

    Parameters
    ----------
    x : Tensor of shape (N, C, H, W)
    weight : Tensor of shape (F, C, kh, kw)
    bias : Tensor of shape (F,), optional
    stride, padding : int
        Step between patches; zeros added on each side of H and W.

    Returns
    -------
    Tensor of shape (N, F, (H + 2p − kh) // s + 1, (W + 2p − kw) // s + 1)
    """
    X, Wt = x.data, weight.data
    N, C, H, Wd = X.shape
    F, Cw, kh, kw = Wt.shape
    if C != Cw:
        raise ValueError(f"conv2d: input has {C} channels (shape {X.shape}) but the weight "
                         f"expects {Cw} (weight shape {Wt.shape}).")
    p, s = int(padding), int(stride)
    Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p))) if p else X
    Ho, Wo = (H + 2 * p - kh) // s + 1, (Wd + 2 * p - kw) // s + 1
    if Ho < 1 or Wo < 1:
        raise ValueError(f"conv2d: kernel {kh}x{kw} is larger than the padded input "
                         f"{H + 2 * p}x{Wd + 2 * p}.")
    cols = _windows(Xp, kh, kw, s, Ho, Wo).transpose(0, 2, 3, 1, 4, 5).reshape(N * Ho * Wo, -1)
    Wm = Wt.reshape(F, -1)
    out2 = cols @ Wm.T
    if bias is not None:
        out2 += bias.data
    out = out2.reshape(N, Ho, Wo, F).transpose(0, 3, 1, 2)
    parents = (x, weight) if bias is None else (x, weight, bias)

    def backward(g):
        G = g.transpose(0, 2, 3, 1).reshape(-1, F)
        gx = None
        if x.requires_grad:
            patches = (G @ Wm).reshape(N, Ho, Wo, C, kh, kw).transpose(0, 3, 1, 2, 4, 5)
            gx = _col2im(patches, Xp.shape, s)
            if p:
                gx = gx[:, :, p : p + H, p : p + Wd]
        gw = (G.T @ cols).reshape(Wt.shape) if weight.requires_grad else None
        if bias is None:
            return gx, gw
        return gx, gw, (G.sum(axis=0) if bias.requires_grad else None)

    return _result(out, parents, backward, "conv2d")


def max_pool2d(x: Tensor, kernel_size: int, stride: int | None = None) -> Tensor:
    """Max over each kernel_size² window; the gradient goes to the first maximum (as PyTorch)."""
    X = x.data
    k = int(kernel_size)
    s = k if stride is None else int(stride)
    N, C, H, W = X.shape
    Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
    win = _windows(X, k, k, s, Ho, Wo).reshape(N, C, Ho, Wo, k * k)
    arg = win.argmax(axis=-1)
    out = np.take_along_axis(win, arg[..., None], axis=-1)[..., 0]

    def backward(g):
        patches = np.zeros((N, C, Ho, Wo, k * k), dtype=g.dtype)
        np.put_along_axis(patches, arg[..., None], g[..., None], axis=-1)
        return (_col2im(patches.reshape(N, C, Ho, Wo, k, k), X.shape, s),)

    return _result(out, (x,), backward, "max_pool2d")


def flatten(x: Tensor, start_dim: int = 1) -> Tensor:
    """Merge the axes from ``start_dim`` on into one."""
    return x.reshape(x.data.shape[:start_dim] + (-1,))
