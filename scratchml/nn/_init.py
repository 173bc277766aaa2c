"""Weight initializers, in place, seeded by a ``numpy.random.Generator``.

For a weight of fan-in f_in and fan-out f_out (a conv kernel counts its
receptive field in both):

* Kaiming/He (He et al., 2015), for ReLU nets: std = gain / √f_in, gain = √2;
  uniform bound = √3 · std.
* Xavier/Glorot (Glorot & Bengio, 2010): std = gain · √(2 / (f_in + f_out));
  uniform bound = √3 · std.
"""

from __future__ import annotations

import math

import numpy as np

from ..utils.validation import check_random_state
from ._tensor import Tensor


def _fans(shape: tuple) -> tuple[int, int]:
    if len(shape) < 2:
        raise ValueError(f"fan-in/fan-out need a weight with at least 2 dimensions, got {shape}.")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _fill(tensor: Tensor, values: np.ndarray) -> Tensor:
    tensor.data[...] = values
    return tensor


def uniform_(tensor: Tensor, low: float = 0.0, high: float = 1.0, generator=None) -> Tensor:
    """Fill with U(low, high)."""
    rng = check_random_state(generator)
    return _fill(tensor, rng.uniform(low, high, tensor.data.shape))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fill with N(mean, std²)."""
    rng = check_random_state(generator)
    return _fill(tensor, rng.normal(mean, std, tensor.data.shape))


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    tensor.data[...] = 0
    return tensor


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    tensor.data[...] = 1
    return tensor


def kaiming_uniform_(tensor: Tensor, gain: float = math.sqrt(2), generator=None) -> Tensor:
    """He uniform: U(−b, b), b = gain · √(3 / fan_in).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.nn import Tensor, init
    >>> w = init.kaiming_uniform_(Tensor(np.zeros((4, 3))), generator=0)
    >>> bool(np.all(np.abs(w.data) <= np.sqrt(2) * np.sqrt(3 / 3)))
    True
    """
    fan_in, _ = _fans(tensor.data.shape)
    bound = gain * math.sqrt(3.0 / fan_in)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, gain: float = math.sqrt(2), generator=None) -> Tensor:
    """He normal: N(0, gain² / fan_in)."""
    fan_in, _ = _fans(tensor.data.shape)
    return normal_(tensor, 0.0, gain / math.sqrt(fan_in), generator)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot uniform: U(−b, b), b = gain · √(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor.data.shape)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot normal: N(0, gain² · 2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor.data.shape)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)
