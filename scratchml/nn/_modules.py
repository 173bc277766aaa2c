"""Modules: containers of parameters with a ``forward``, as in PyTorch.

Assigning a :class:`Parameter` or a :class:`Module` to an attribute registers it,
so ``parameters()``, ``state_dict()`` and ``train()``/``eval()`` find it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ..utils.validation import check_random_state
from . import _init as init
from . import _ops
from ._functional import conv2d, flatten, linear, max_pool2d
from ._tensor import DEFAULT_DTYPE, Tensor


class Parameter(Tensor):
    """A tensor that is a module's learnable parameter (``requires_grad=True``)."""

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True, dtype=None):
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)


class Module:
    """Base class of layers and networks.

    Examples
    --------
    >>> from scratchml.nn import Linear, ReLU, Sequential
    >>> net = Sequential(Linear(4, 8, generator=0), ReLU(), Linear(8, 2, generator=1))
    >>> [name for name, _ in net.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    """

    def __init__(self):
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__}.__init__ must call super().__init__() "
                               "before assigning attributes.")
        if name in self._buffers:  # ``self.running_mean *= m`` re-assigns the buffer
            self._buffers[name] = value
            object.__setattr__(self, name, value)
            return
        for registry in (self._parameters, self._modules):
            registry.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def register_buffer(self, name: str, value: np.ndarray) -> None:
        """Keep a non-learnable array (e.g. running statistics) in the state_dict."""
        self._buffers[name] = value
        object.__setattr__(self, name, value)

    def forward(self, *args):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter), each shared parameter once."""
        seen = set()
        for name, p in self._named("_parameters", prefix):
            if id(p) not in seen:
                seen.add(id(p))
                yield name, p

    def _named(self, kind: str, prefix: str):
        for name, value in getattr(self, kind).items():
            yield prefix + name, value
        for name, module in self._modules.items():
            yield from module._named(kind, f"{prefix}{name}.")

    def parameters(self) -> list[Parameter]:
        return [p for _, p in self.named_parameters()]

    def modules(self) -> Iterator[Module]:
        yield self
        for m in self._modules.values():
            yield from m.modules()

    def train(self, mode: bool = True) -> Module:
        """Training mode (dropout active, batch norm uses batch statistics)."""
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter and buffer, keyed by dotted name."""
        state = {name: p.data.copy() for name, p in self._named("_parameters", "")}
        state.update((name, np.array(b, copy=True)) for name, b in self._named("_buffers", ""))
        return state

    def load_state_dict(self, state: dict, strict: bool = True) -> None:
        """Copy values in place (so optimizers keep pointing at the same arrays)."""
        targets = {name: p.data for name, p in self._named("_parameters", "")}
        targets.update(self._named("_buffers", ""))
        missing = sorted(set(targets) - set(state))
        unexpected = sorted(set(state) - set(targets))
        if strict and (missing or unexpected):
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys "
                           f"{unexpected}.")
        for name, value in state.items():
            if name not in targets:
                continue
            value = np.asarray(value)
            if value.shape != targets[name].shape:
                raise ValueError(f"load_state_dict: {name!r} has shape {value.shape}, the "
                                 f"module expects {targets[name].shape}.")
            np.copyto(targets[name], value)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({k}): " + repr(m).replace("\n", "\n  ")
                        for k, m in self._modules.items())
        return f"{type(self).__name__}({self.extra_repr()}{inner}{chr(10) if inner else ''})"

    def extra_repr(self) -> str:
        return ""


class Linear(Module):
    """y = x Wᵀ + b, W of shape (out_features, in_features).

    Initialized as PyTorch: W, b ~ U(−1/√in, 1/√in).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 dtype=DEFAULT_DTYPE, generator=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        rng = check_random_state(generator)
        bound = 1 / math.sqrt(in_features)
        self.weight = Parameter(rng.uniform(-bound, bound, (out_features, in_features)),
                                dtype=dtype)
        self.bias = (Parameter(rng.uniform(-bound, bound, out_features), dtype=dtype)
                     if bias else None)

    def forward(self, x: Tensor, activation: str | None = None) -> Tensor:
        return linear(x, self.weight, self.bias, activation)

    def extra_repr(self) -> str:
        return f"{self.in_features}, {self.out_features}"


class Sequential(Module):
    """Apply modules in order; a Linear followed by ReLU runs as one fused node."""

    def __init__(self, *layers: Module):
        super().__init__()
        for i, layer in enumerate(layers):
            setattr(self, str(i), layer)

    def __getitem__(self, i: int) -> Module:
        return list(self._modules.values())[i]

    def __len__(self) -> int:
        return len(self._modules)

    def forward(self, x: Tensor) -> Tensor:
        layers = list(self._modules.values())
        i = 0
        while i < len(layers):
            layer = layers[i]
            if type(layer) is Linear and i + 1 < len(layers) and type(layers[i + 1]) is ReLU:
                x = layer.forward(x, activation="relu")
                i += 2
                continue
            x = layer(x)
            i += 1
        return x


class ReLU(Module):
    """max(x, 0)."""

    def forward(self, x):
        return _ops.relu(x)


class Tanh(Module):
    """tanh x."""

    def forward(self, x):
        return _ops.tanh(x)


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ)."""

    def forward(self, x):
        return _ops.sigmoid(x)


class GELU(Module):
    """GELU (tanh approximation)."""

    def forward(self, x):
        return _ops.gelu(x)


class Dropout(Module):
    """Inverted dropout with probability ``p`` in training mode; identity in eval mode."""

    def __init__(self, p: float = 0.5, generator=None):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"Dropout p={p} must be in [0, 1).")
        self.p = p
        self.rng = check_random_state(generator)

    def forward(self, x):
        return _ops.dropout(x, self.p, self.training, self.rng)


class Flatten(Module):
    """Merge all axes from ``start_dim`` on."""

    def __init__(self, start_dim: int = 1):
        super().__init__()
        self.start_dim = start_dim

    def forward(self, x):
        return flatten(x, self.start_dim)


class BatchNorm1d(Module):
    """y = γ (x − μ_B) / √(σ²_B + ε) + β over the batch axis of (N, C) input.

    Training uses the batch statistics and updates running ones with
    ``momentum`` (running var is the unbiased batch variance, as PyTorch);
    eval mode uses the running statistics.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, *,
                 dtype=DEFAULT_DTYPE):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = Parameter(np.ones(num_features), dtype=dtype)
        self.bias = Parameter(np.zeros(num_features), dtype=dtype)
        self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
        self.register_buffer("running_var", np.ones(num_features, dtype=dtype))

    def forward(self, x):
        if self.training:
            mu = _ops.mean(x, axis=0, keepdims=True)
            var = _ops.var(x, axis=0, keepdims=True)
            n = x.data.shape[0]
            m = self.momentum
            self.running_mean *= 1 - m
            self.running_mean += m * mu.data.ravel()
            self.running_var *= 1 - m
            self.running_var += m * var.data.ravel() * (n / max(n - 1, 1))
        else:
            mu, var = Tensor(self.running_mean), Tensor(self.running_var)
        return (x - mu) / _ops.sqrt(var + self.eps) * self.weight + self.bias


class LayerNorm(Module):
    """y = γ (x − μ) / √(σ² + ε) + β, statistics over the last axis of each sample."""

    def __init__(self, normalized_shape: int, eps: float = 1e-5, *, dtype=DEFAULT_DTYPE):
        super().__init__()
        self.eps = eps
        self.weight = Parameter(np.ones(normalized_shape), dtype=dtype)
        self.bias = Parameter(np.zeros(normalized_shape), dtype=dtype)

    def forward(self, x):
        mu = _ops.mean(x, axis=-1, keepdims=True)
        var = _ops.var(x, axis=-1, keepdims=True)
        return (x - mu) / _ops.sqrt(var + self.eps) * self.weight + self.bias


class Embedding(Module):
    """Row lookup: ``forward(indices)`` returns weight[indices]; weight ~ N(0, 1)."""

    def __init__(self, num_embeddings: int, embedding_dim: int, *, dtype=DEFAULT_DTYPE,
                 generator=None):
        super().__init__()
        self.weight = Parameter(np.zeros((num_embeddings, embedding_dim)), dtype=dtype)
        init.normal_(self.weight, generator=generator)

    def forward(self, indices):
        idx = np.asarray(getattr(indices, "data", indices))
        if idx.dtype.kind not in "iu":
            idx = idx.astype(np.intp)
        return self.weight[idx]


class Conv2d(Module):
    """2-D convolution (cross-correlation), NCHW; init U(±1/√(C·k²)) as PyTorch."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0, bias: bool = True, *, dtype=DEFAULT_DTYPE, generator=None):
        super().__init__()
        self.stride, self.padding = stride, padding
        rng = check_random_state(generator)
        bound = 1 / math.sqrt(in_channels * kernel_size * kernel_size)
        shape = (out_channels, in_channels, kernel_size, kernel_size)
        self.weight = Parameter(rng.uniform(-bound, bound, shape), dtype=dtype)
        self.bias = (Parameter(rng.uniform(-bound, bound, out_channels), dtype=dtype)
                     if bias else None)

    def forward(self, x):
        return conv2d(x, self.weight, self.bias, self.stride, self.padding)


class MaxPool2d(Module):
    """Max over kernel_size² windows (stride defaults to kernel_size)."""

    def __init__(self, kernel_size: int, stride: int | None = None):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride

    def forward(self, x):
        return max_pool2d(x, self.kernel_size, self.stride)
