"""Tensor: a NumPy array that remembers how it was computed, for reverse-mode autodiff.

Every operation builds its output with :func:`_result`, handing it the parents
and a ``backward(g)`` closure that maps the gradient of the output, ``g = ∂L/∂out``,
to the gradients of the parents (``None`` for a parent that needs none). The local
derivative is written right next to the forward computation, micrograd-style::

    out = exp(a)            backward: ∂L/∂a = g · out
    out = a @ b             backward: ∂L/∂a = g @ bᵀ,  ∂L/∂b = aᵀ @ g

:meth:`Tensor.backward` visits the graph once in reverse topological order and
sums the gradients reaching each node (a value used twice receives both). Why it
is fast on small networks: tensors use ``__slots__``; nothing runs per element in
Python; a parent that does not require a gradient is never given one (the input
batch of a network never gets ``g @ W``); leaf gradients live in buffers that are
allocated once and then filled or accumulated in place (``np.add(..., out=...)``);
and the big operations (``linear`` + ReLU, softmax cross-entropy) are fused in
:mod:`._functional`. There is no topological sort to build or cache: every tensor
carries its creation number, and creation order already is a topological order.
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np

# no_grad and is_grad_enabled moved to _grad_mode.py; scratchml.nn loads them from
# this module, so it still provides them.
from ._grad_mode import _GRAD_ENABLED, is_grad_enabled, no_grad  # noqa: F401

DEFAULT_DTYPE = np.float32
_COUNTER = itertools.count()  # creation order of tensors: a topological order of any graph


def _freed(g):
    raise RuntimeError(
        "Trying to backward through the graph a second time: its intermediate results "
        "were freed by the first backward(). Run the forward pass again, or call "
        "backward(retain_graph=True) the first time."
    )


class Tensor:
    """An n-dimensional array with an optional gradient.

    Parameters
    ----------
    data : array-like or Tensor
        A floating NumPy array keeps its dtype; anything else (lists, scalars,
        integer arrays) becomes float32, the default.
    requires_grad : bool, default=False
        Record operations on this tensor so that ``backward`` can reach it.
    dtype : dtype, optional
        Convert to this dtype (e.g. ``np.float64`` for gradient checks).

    Attributes
    ----------
    data : ndarray
        The values.
    grad : ndarray or None
        ∂L/∂self after ``L.backward()`` (leaf tensors only), same shape as ``data``.

    Examples
    --------
    >>> from scratchml.nn import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad
    array([2., 4., 6.], dtype=float32)
    """

    __slots__ = ("data", "grad", "requires_grad", "_parents", "_backward", "_op", "_gbuf",
                 "_seq")
    # Makes ``ndarray + Tensor`` call Tensor.__radd__ instead of broadcasting over it.
    __array_priority__ = 1000

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        if isinstance(data, Tensor):
            data = data.data
        if dtype is not None:
            arr = np.asarray(data, dtype=dtype)
        elif isinstance(data, np.ndarray) and data.dtype.kind == "f":
            arr = data  # a floating array keeps its precision (and its memory)
        else:
            arr = np.asarray(data, dtype=DEFAULT_DTYPE)
        self.data = arr
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._backward = None
        self._op = ""
        self._gbuf = None
        self._seq = next(_COUNTER)

    # -- small conveniences ---------------------------------------------------------
    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    dtype = property(lambda self: self.data.dtype)
    size = property(lambda self: self.data.size)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        flag = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({np.array2string(self.data, precision=4)}{flag})"

    def numpy(self) -> np.ndarray:
        """The values as a NumPy array (shared, not copied)."""
        return self.data

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}.")
        return float(self.data.reshape(-1)[0])

    def detach(self) -> Tensor:
        """The same values, cut from the graph (shares memory)."""
        return Tensor(self.data)

    def astype(self, dtype) -> Tensor:
        return _result(self.data.astype(dtype), (self,), lambda g: (g.astype(self.dtype),), "cast")

    # -- the backward pass -------------------------------------------------------
    def backward(self, gradient=None, retain_graph: bool = False) -> None:
        """Accumulate ∂self/∂leaf into ``leaf.grad`` for every leaf that requires grad.

        ``gradient`` (∂L/∂self) may be omitted only for a one-element tensor.
        Without ``retain_graph`` the graph is freed, and a second ``backward``
        through it raises.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() on a tensor that does not require grad: no input of this "
                "computation has requires_grad=True (or it ran under no_grad())."
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() without a gradient argument needs a scalar, but this tensor "
                    f"has shape {self.shape}. Reduce it first (e.g. .sum() or .mean()) or "
                    "pass gradient= with the same shape."
                )
            gradient = np.ones_like(self.data)
        else:
            gradient = np.asarray(getattr(gradient, "data", gradient), dtype=self.dtype)
            if gradient.shape != self.shape:
                raise ValueError(
                    f"backward(gradient=...) has shape {gradient.shape}, but the tensor has "
                    f"shape {self.shape}; they must match."
                )
        # Children are always created after their parents, so visiting nodes from the
        # newest to the oldest (a max-heap on the creation number) is a reverse
        # topological order: a node is reached only after every node that used it
        # has passed its gradient on. No separate sort, no recursion.
        grads = {id(self): gradient}
        heap = [(-self._seq, id(self), self)]
        while heap:
            node = heapq.heappop(heap)[2]
            g = grads.pop(id(node))
            fn = node._backward
            if fn is None:  # a leaf: keep its gradient
                node._accumulate(g)
                continue
            parent_grads = fn(g)
            if not retain_graph:
                node._backward = _freed
            for parent, pg in zip(node._parents, parent_grads):
                if pg is None or not parent.requires_grad:
                    continue
                key = id(parent)
                prev = grads.get(key)
                if prev is None:
                    grads[key] = pg
                    heapq.heappush(heap, (-parent._seq, key, parent))
                else:
                    # Out of place: pg may be the very array another parent also received.
                    grads[key] = prev + pg

    def _accumulate(self, g: np.ndarray) -> None:
        """grad += g, in a buffer allocated once per leaf (reused after zero_grad)."""
        if self.grad is None:
            buf = self._gbuf
            if buf is None or buf.shape != self.data.shape or buf.dtype != self.data.dtype:
                buf = self._gbuf = np.empty_like(self.data)
            np.copyto(buf, g)
            self.grad = buf
        else:
            np.add(self.grad, g, out=self.grad, casting="unsafe")

    # -- operators (implemented below and in _ops.py) ----------------------------
    def __add__(self, other):
        return add(self, other)

    def __radd__(self, other):
        return add(self, other)

    def __sub__(self, other):
        return sub(self, other)

    def __rsub__(self, other):
        return sub(_as_tensor(other, self), self)

    def __mul__(self, other):
        return mul(self, other)

    def __rmul__(self, other):
        return mul(self, other)

    def __truediv__(self, other):
        return div(self, other)

    def __rtruediv__(self, other):
        return div(_as_tensor(other, self), self)

    def __pow__(self, other):
        return pow(self, other)

    def __rpow__(self, other):
        return pow(_as_tensor(other, self), self)

    def __neg__(self):
        return neg(self)

    def __matmul__(self, other):
        return matmul(self, other)

    def __rmatmul__(self, other):
        return matmul(_as_tensor(other, self), self)

    T = property(lambda self: self.transpose())


def _result(data: np.ndarray, parents: tuple, backward, op: str) -> Tensor:
    """Wrap an op's output; record parents and backward only if a gradient can flow."""
    out = Tensor.__new__(Tensor)
    out.data = data
    out.grad = None
    out._gbuf = None
    out._op = op
    out._seq = next(_COUNTER)
    if _GRAD_ENABLED[0]:
        for p in parents:
            if p.requires_grad:
                out.requires_grad = True
                out._parents = parents
                out._backward = backward
                return out
    out.requires_grad = False
    out._parents = ()
    out._backward = None
    return out


def _as_tensor(x, like: Tensor) -> Tensor:
    """A constant tensor for a scalar or array operand, in ``like``'s dtype."""
    if isinstance(x, Tensor):
        return x
    return Tensor(np.asarray(x, dtype=like.data.dtype))


def unbroadcast(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``g`` over the axes that broadcasting added or stretched, back to ``shape``."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and g.shape[i + lead] != 1
    )
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g.reshape(shape)


# -- arithmetic ---------------------------------------------------------------------


def add(a, b) -> Tensor:
    """a + b (broadcasting); ∂/∂a = g, ∂/∂b = g, each summed back to its shape."""
    a = _as_tensor(a, b) if not isinstance(a, Tensor) else a
    b = _as_tensor(b, a)

    def backward(g):
        return (unbroadcast(g, a.data.shape) if a.requires_grad else None,
                unbroadcast(g, b.data.shape) if b.requires_grad else None)

    return _result(a.data + b.data, (a, b), backward, "add")


def sub(a, b) -> Tensor:
    """a − b; ∂/∂a = g, ∂/∂b = −g."""
    a = _as_tensor(a, b) if not isinstance(a, Tensor) else a
    b = _as_tensor(b, a)

    def backward(g):
        return (unbroadcast(g, a.data.shape) if a.requires_grad else None,
                unbroadcast(-g, b.data.shape) if b.requires_grad else None)

    return _result(a.data - b.data, (a, b), backward, "sub")


def mul(a, b) -> Tensor:
    """a · b; ∂/∂a = g · b, ∂/∂b = g · a."""
    a = _as_tensor(a, b) if not isinstance(a, Tensor) else a
    b = _as_tensor(b, a)

    def backward(g):
        return (unbroadcast(g * b.data, a.data.shape) if a.requires_grad else None,
                unbroadcast(g * a.data, b.data.shape) if b.requires_grad else None)

    return _result(a.data * b.data, (a, b), backward, "mul")


def div(a, b) -> Tensor:
    """a / b; ∂/∂a = g / b, ∂/∂b = −g · a / b²."""
    a = _as_tensor(a, b) if not isinstance(a, Tensor) else a
    b = _as_tensor(b, a)

    def backward(g):
        return (unbroadcast(g / b.data, a.data.shape) if a.requires_grad else None,
                unbroadcast(-g * a.data / (b.data * b.data), b.data.shape)
                if b.requires_grad else None)

    return _result(a.data / b.data, (a, b), backward, "div")


def pow(a, b) -> Tensor:  # noqa: A001 (the operator's name)
    """a ** b; ∂/∂a = g · b · a^(b−1), ∂/∂b = g · a^b · log a."""
    a = _as_tensor(a, b) if not isinstance(a, Tensor) else a
    b = _as_tensor(b, a)
    out = a.data ** b.data

    def backward(g):
        ga = gb = None
        if a.requires_grad:
            ga = unbroadcast(g * b.data * a.data ** (b.data - 1), a.data.shape)
        if b.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.where(a.data > 0, np.log(np.where(a.data > 0, a.data, 1)), 0)
            gb = unbroadcast(g * out * logs, b.data.shape)
        return ga, gb

    return _result(out, (a, b), backward, "pow")


def neg(a: Tensor) -> Tensor:
    """−a; ∂/∂a = −g."""
    return _result(-a.data, (a,), lambda g: (-g,), "neg")


def matmul(a, b) -> Tensor:
    """a @ b with NumPy's rules (batched over leading axes, 1-D operands promoted).

    ∂/∂a = g @ bᵀ, ∂/∂b = aᵀ @ g, summed over broadcast batch axes.
    """
    a = _as_tensor(a, b) if not isinstance(a, Tensor) else a
    b = _as_tensor(b, a)
    A, B = a.data, b.data
    if A.ndim == 0 or B.ndim == 0 or A.shape[-1] != B.shape[-2 if B.ndim > 1 else 0]:
        raise ValueError(
            f"matmul: shapes {A.shape} and {B.shape} are not aligned: the last dimension "
            f"of the left operand must equal the {'first' if B.ndim == 1 else 'second-to-last'} "
            "dimension of the right one. Transpose or reshape one operand."
        )
    out = A @ B

    def backward(g):
        # Promote 1-D operands to matrices so one formula covers every case.
        A2 = A[None, :] if A.ndim == 1 else A
        B2 = B[:, None] if B.ndim == 1 else B
        g2 = g
        if A.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if B.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        ga = gb = None
        if a.requires_grad:
            ga = unbroadcast(g2 @ B2.swapaxes(-1, -2), A2.shape).reshape(A.shape)
        if b.requires_grad:
            gb = unbroadcast(A2.swapaxes(-1, -2) @ g2, B2.shape).reshape(B.shape)
        return ga, gb

    return _result(out, (a, b), backward, "matmul")


# Attach the remaining operations as Tensor methods (x.sum(), x.relu(), x[idx]...).
from . import _ops  # noqa: E402, F401
