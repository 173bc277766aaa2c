"""Element-wise functions, reductions and shape operations, each with its local gradient.

Every function takes and returns :class:`Tensor` and reads like its formula; the
``backward`` closure beside the forward maps g = ∂L/∂out to ∂L/∂input.
"""

from __future__ import annotations

import builtins

import numpy as np

from ._tensor import Tensor, _as_tensor, _result, unbroadcast

# -- element-wise -----------------------------------------------------------------


def exp(x: Tensor) -> Tensor:
    """eˣ; ∂/∂x = g · eˣ."""
    out = np.exp(x.data)
    return _result(out, (x,), lambda g: (g * out,), "exp")


def log(x: Tensor) -> Tensor:
    """ln x; ∂/∂x = g / x."""
    return _result(np.log(x.data), (x,), lambda g: (g / x.data,), "log")


def sqrt(x: Tensor) -> Tensor:
    """√x; ∂/∂x = g / (2√x)."""
    out = np.sqrt(x.data)
    return _result(out, (x,), lambda g: (g / (2 * out),), "sqrt")


def abs(x: Tensor) -> Tensor:  # noqa: A001
    """|x|; ∂/∂x = g · sign(x) (0 at 0, as PyTorch)."""
    return _result(np.abs(x.data), (x,), lambda g: (g * np.sign(x.data),), "abs")


def tanh(x: Tensor) -> Tensor:
    """tanh x; ∂/∂x = g · (1 − tanh² x)."""
    out = np.tanh(x.data)
    return _result(out, (x,), lambda g: (g * (1 - out * out),), "tanh")


def sigmoid(x: Tensor) -> Tensor:
    """σ(x) = 1 / (1 + e⁻ˣ), computed without overflow; ∂/∂x = g · σ (1 − σ)."""
    z = np.exp(-np.abs(x.data))
    out = np.where(x.data >= 0, 1 / (1 + z), z / (1 + z))
    return _result(out, (x,), lambda g: (g * out * (1 - out),), "sigmoid")


def relu(x: Tensor) -> Tensor:
    """max(x, 0); ∂/∂x = g where x > 0, else 0."""
    out = np.maximum(x.data, 0)
    return _result(out, (x,), lambda g: (np.where(out > 0, g, 0).astype(g.dtype, copy=False),),
                   "relu")


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x if x > 0 else a·x; ∂/∂x = g or a·g."""
    pos = x.data > 0
    out = np.where(pos, x.data, negative_slope * x.data)
    return _result(out, (x,), lambda g: (np.where(pos, g, negative_slope * g),), "leaky_relu")


_C = np.sqrt(2 / np.pi)


def gelu(x: Tensor) -> Tensor:
    """GELU, tanh form: ½ x (1 + tanh(√(2/π)(x + 0.044715 x³))) (PyTorch's approximate='tanh').

    With u = √(2/π)(x + 0.044715x³) and t = tanh u:
    ∂/∂x = g · [½(1 + t) + ½ x (1 − t²) √(2/π)(1 + 3·0.044715 x²)].
    """
    X = x.data
    t = np.tanh(_C * (X + 0.044715 * X**3))
    out = 0.5 * X * (1 + t)

    def backward(g):
        return (g * (0.5 * (1 + t) + 0.5 * X * (1 - t * t) * _C * (1 + 3 * 0.044715 * X * X)),)

    return _result(out, (x,), backward, "gelu")


def clip(x: Tensor, min=None, max=None) -> Tensor:  # noqa: A002
    """x clamped to [min, max]; ∂/∂x = g inside the interval, 0 where clamped."""
    out = np.clip(x.data, min, max)
    inside = out == x.data
    return _result(out, (x,), lambda g: (np.where(inside, g, 0).astype(g.dtype),), "clip")


def maximum(a, b) -> Tensor:
    """Element-wise max; the gradient goes to the larger input, halved on ties (as PyTorch)."""
    a = _as_tensor(a, b) if not isinstance(a, Tensor) else a
    b = _as_tensor(b, a)
    out = np.maximum(a.data, b.data)

    def backward(g):
        wa = (a.data > b.data) + 0.5 * (a.data == b.data)
        return (unbroadcast(g * wa, a.data.shape) if a.requires_grad else None,
                unbroadcast(g * (1 - wa), b.data.shape) if b.requires_grad else None)

    return _result(out, (a, b), backward, "maximum")


def where(condition, a, b) -> Tensor:
    """a where condition else b; the gradient follows the chosen branch."""
    cond = np.asarray(getattr(condition, "data", condition), dtype=bool)
    a = _as_tensor(a, b) if not isinstance(a, Tensor) else a
    b = _as_tensor(b, a)

    def backward(g):
        return (unbroadcast(np.where(cond, g, 0), a.data.shape) if a.requires_grad else None,
                unbroadcast(np.where(cond, 0, g), b.data.shape) if b.requires_grad else None)

    return _result(np.where(cond, a.data, b.data), (a, b), backward, "where")


# -- reductions -----------------------------------------------------------------------


def _expand(g: np.ndarray, shape: tuple, axis, keepdims: bool) -> np.ndarray:
    """Put back the reduced axes of g so that it broadcasts against the input."""
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    elif axis is None and not keepdims:
        g = np.reshape(g, (1,) * len(shape))
    return g


def sum(x: Tensor, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Σ over ``axis``; ∂/∂x = g broadcast back over the summed axes."""
    shape = x.data.shape

    def backward(g):
        return (np.broadcast_to(_expand(g, shape, axis, keepdims), shape),)

    return _result(np.asarray(x.data.sum(axis=axis, keepdims=keepdims)), (x,), backward, "sum")


def mean(x: Tensor, axis=None, keepdims: bool = False) -> Tensor:
    """Mean over ``axis``; ∂/∂x = g / n broadcast back (n = number of values averaged)."""
    shape = x.data.shape
    out = np.asarray(x.data.mean(axis=axis, keepdims=keepdims))
    n = x.data.size // builtins.max(out.size, 1)

    def backward(g):
        return (np.broadcast_to(_expand(g, shape, axis, keepdims) / n, shape),)

    return _result(out, (x,), backward, "mean")


def var(x: Tensor, axis=None, keepdims: bool = False, ddof: int = 0) -> Tensor:
    """Σ(x − x̄)² / (n − ddof); ∂/∂x = g · 2(x − x̄) / (n − ddof)."""
    shape = x.data.shape
    centered = x.data - x.data.mean(axis=axis, keepdims=True)
    out = np.asarray((centered * centered).sum(axis=axis, keepdims=keepdims))
    n = x.data.size // builtins.max(out.size, 1)
    out = out / (n - ddof)

    def backward(g):
        return (_expand(g, shape, axis, keepdims) * (2 / (n - ddof)) * centered,)

    return _result(out, (x,), backward, "var")


def _extremum(x: Tensor, axis, keepdims: bool, fn, name: str) -> Tensor:
    out = np.asarray(fn(x.data, axis=axis, keepdims=True))

    def backward(g):
        # Ties share the gradient equally (PyTorch's amax/amin).
        hit = x.data == out
        return (hit * (_expand(g, x.data.shape, axis, keepdims)
                       / hit.sum(axis=axis, keepdims=True)),)

    shown = out if keepdims else (out.reshape(()) if axis is None else out.squeeze(axis))
    return _result(shown, (x,), backward, name)


def max(x: Tensor, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Largest value over ``axis``; the gradient goes to the maximal entries."""
    return _extremum(x, axis, keepdims, np.max, "max")


def min(x: Tensor, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Smallest value over ``axis``; the gradient goes to the minimal entries."""
    return _extremum(x, axis, keepdims, np.min, "min")


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """s = eˣ / Σ eˣ (shifted by the max, so it never overflows); ∂/∂x = s (g − Σ g s)."""
    e = np.exp(x.data - x.data.max(axis=axis, keepdims=True))
    s = e / e.sum(axis=axis, keepdims=True)
    return _result(s, (x,), lambda g: (s * (g - (g * s).sum(axis=axis, keepdims=True)),),
                   "softmax")


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """x − logΣeˣ (log-sum-exp shifted by the max); ∂/∂x = g − softmax · Σ g."""
    shifted = x.data - x.data.max(axis=axis, keepdims=True)
    out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))

    def backward(g):
        return (g - np.exp(out) * g.sum(axis=axis, keepdims=True),)

    return _result(out, (x,), backward, "log_softmax")


# -- shapes and indexing -------------------------------------------------------------


def reshape(x: Tensor, *shape) -> Tensor:
    """Same values, new shape; ∂/∂x = g reshaped back."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    old = x.data.shape
    return _result(x.data.reshape(shape), (x,), lambda g: (g.reshape(old),), "reshape")


def transpose(x: Tensor, *axes) -> Tensor:
    """Permute axes (reverse them by default); ∂/∂x = g permuted back."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    axes = axes or tuple(reversed(range(x.data.ndim)))
    inverse = tuple(np.argsort(axes))
    return _result(x.data.transpose(axes), (x,), lambda g: (g.transpose(inverse),), "transpose")


permute = transpose


def getitem(x: Tensor, index) -> Tensor:
    """x[index] (slices, integer arrays, masks); ∂/∂x scatters g back, adding repeats."""
    if isinstance(index, Tensor):
        index = index.data.astype(np.intp)
    shape, dtype = x.data.shape, x.data.dtype

    def backward(g):
        full = np.zeros(shape, dtype=dtype)
        np.add.at(full, index, g)  # a row picked twice (embeddings) gets both gradients
        return (full,)

    return _result(x.data[index], (x,), backward, "getitem")


def concatenate(tensors, axis: int = 0) -> Tensor:
    """Join along an existing axis; ∂/∂xᵢ = the slice of g that xᵢ filled."""
    tensors = tuple(tensors)
    bounds = np.cumsum([t.data.shape[axis] for t in tensors])[:-1]

    def backward(g):
        return tuple(np.split(g, bounds, axis=axis))

    return _result(np.concatenate([t.data for t in tensors], axis=axis), tensors, backward,
                   "concatenate")


def stack(tensors, axis: int = 0) -> Tensor:
    """Join along a new axis; ∂/∂xᵢ = g taken at index i of that axis."""
    tensors = tuple(tensors)

    def backward(g):
        return tuple(np.take(g, i, axis=axis) for i in range(len(tensors)))

    return _result(np.stack([t.data for t in tensors], axis=axis), tensors, backward, "stack")


def dropout(x: Tensor, p: float = 0.5, training: bool = True, generator=None) -> Tensor:
    """Zero each value with probability p and scale the rest by 1/(1 − p) (inverted dropout).

    ∂/∂x = g · mask / (1 − p). ``generator`` is a ``numpy.random.Generator``.
    """
    if not 0 <= p < 1:
        raise ValueError(f"dropout probability p={p} must be in [0, 1).")
    if not training or p == 0:
        return x
    rng = generator if generator is not None else np.random.default_rng()
    scale = (rng.random(x.data.shape) >= p).astype(x.data.dtype) / np.asarray(1 - p, x.dtype)
    return _result(x.data * scale, (x,), lambda g: (g * scale,), "dropout")


for _name, _fn in {
    "exp": exp, "log": log, "sqrt": sqrt, "abs": abs, "tanh": tanh, "sigmoid": sigmoid,
    "relu": relu, "leaky_relu": leaky_relu, "gelu": gelu, "clip": clip, "sum": sum,
    "mean": mean, "var": var, "max": max, "min": min, "softmax": softmax,
    "log_softmax": log_softmax, "reshape": reshape, "transpose": transpose,
    "permute": permute, "maximum": maximum, "__getitem__": getitem,
}.items():
    setattr(Tensor, _name, _fn)
Tensor.__abs__ = abs
