"""Optimizers (SGD, Adam, AdamW, RMSprop, Adagrad) and gradient clipping, as in PyTorch.

Why they are fast: at construction every parameter group is *flattened*: the
parameters' values become views into one contiguous array, their gradient
buffers views into a second one, and every state (moments, momentum) is one
array of the same length. A step is then a dozen in-place NumPy calls on one
long vector (``np.multiply(m, β₁, out=m)``...) whatever the number of layers.
If some parameter got no gradient, the step falls back to updating parameter
by parameter through views of the same buffers, skipping that one.

Because of the flattening, assign new values in place (``p.data[...] = v`` or
``module.load_state_dict``) after creating an optimizer, not ``p.data = v``.
"""

from __future__ import annotations

import math
import os

import numpy as np

from ._tensor import Tensor

_POOL: list = [None, 0]


def _n_threads() -> int:
    """scratchml's n_jobs, capped by OMP/OPENBLAS/MKL_NUM_THREADS when one is set."""
    from .._config import effective_n_jobs

    n = effective_n_jobs()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        value = os.environ.get(var, "")
        if value.isdigit() and int(value) > 0:
            n = min(n, int(value))
    return n


def _pool(threads: int):
    """A thread pool kept for the process (recreated if the thread count changes)."""
    if _POOL[1] != threads:
        from concurrent.futures import ThreadPoolExecutor

        _POOL[0], _POOL[1] = ThreadPoolExecutor(threads), threads
    return _POOL[0]


class Optimizer:
    """Base class: parameter groups, flat buffers, ``zero_grad``, ``step``, ``state_dict``."""

    _parallel_min = 1 << 16  # below this many values, threads cost more than they save

    def __init__(self, params, defaults: dict):
        params = list(params)
        if not params:
            raise ValueError(
                f"{type(self).__name__} got an empty parameter list: pass the parameters to "
                "optimize, e.g. model.parameters() of a model that has some."
            )
        self.defaults = defaults
        self.param_groups: list[dict] = []
        self._flat: list[tuple] = []
        self.state: list[dict] = []
        for group in params if isinstance(params[0], dict) else [{"params": params}]:
            self.add_param_group(group)

    def add_param_group(self, group: dict) -> None:
        """Add a group (its own hyperparameters), flattening its parameters."""
        params, seen = [], set()
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__} can only optimize Tensors, got "
                                f"{type(p).__name__}.")
            if id(p) not in seen:
                seen.add(id(p))
                params.append(p)
        if not params:
            raise ValueError(f"{type(self).__name__}: a parameter group has no parameters.")
        dtypes = {p.data.dtype for p in params}
        if len(dtypes) > 1:
            raise ValueError(f"{type(self).__name__}: parameters of one group must share a "
                             f"dtype, got {sorted(map(str, dtypes))}.")
        merged = {**self.defaults, **group, "params": params}
        for key in ("lr", "weight_decay"):
            if key in merged and merged[key] < 0:
                raise ValueError(f"{type(self).__name__}: {key}={merged[key]} must be >= 0.")
        sizes = np.cumsum([0] + [p.data.size for p in params])
        flat = np.empty(sizes[-1], dtype=params[0].data.dtype)
        gflat = np.zeros_like(flat)
        slices = []
        for p, a, b in zip(params, sizes[:-1], sizes[1:]):
            sl = slice(int(a), int(b))
            view, gview = flat[sl].reshape(p.data.shape), gflat[sl].reshape(p.data.shape)
            np.copyto(view, p.data)
            p.data = view
            if p.grad is not None:
                np.copyto(gview, p.grad)
                p.grad = gview
            p._gbuf = gview
            slices.append(sl)
        self.param_groups.append(merged)
        self._flat.append((flat, gflat, slices))
        self.state.append({"step": 0})

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients (buffers are kept and reused by the next backward)."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.fill(0)

    def step(self) -> None:
        """Update every parameter that has a gradient."""
        for group, (flat, gflat, slices), st in zip(self.param_groups, self._flat, self.state):
            complete = True
            for p in group["params"]:
                g = p.grad
                if g is None:
                    complete = False
                elif g is not p._gbuf:  # a gradient assigned by hand
                    np.copyto(p._gbuf, g)
                    p.grad = p._gbuf
            st["step"] += 1
            if complete:
                self._update_all(flat, gflat, st, group)
            else:
                for p, sl in zip(group["params"], slices):
                    if p.grad is not None:
                        self._update(flat[sl], gflat[sl], st, group, sl)

    def _update_all(self, flat, gflat, st, group) -> None:
        """One update of the whole flat vector; split over threads when it is large.

        NumPy releases the GIL inside element-wise loops, so slices of a long vector
        update in parallel (as PyTorch's element-wise kernels do); the first step runs
        serially because it creates the state buffers.
        """
        n = flat.size
        threads = 1 if n < self._parallel_min or st["step"] == 1 else _n_threads()
        if threads < 2:
            self._update(flat, gflat, st, group, slice(None))
            return
        bounds = np.linspace(0, n, threads + 1).astype(int)
        slices = [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]
        list(_pool(threads).map(
            lambda sl: self._update(flat[sl], gflat[sl], st, group, sl), slices))

    def flat_buffers(self, group: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(values, gradients) of a group as two 1-D arrays, parameters in group order.

        Writing into them updates the parameters and their gradient buffers.
        """
        flat, gflat, _ = self._flat[group]
        return flat, gflat

    def _buffer(self, st: dict, name: str, like: np.ndarray, sl: slice, fill: float = 0.0):
        """A flat state array, created on first use, seen through ``sl``."""
        buf = st.get(name)
        if buf is None:
            size = like.base.size if like.base is not None else like.size
            buf = st[name] = np.full(size, fill, dtype=like.dtype)
        return buf[sl]

    def _update(self, w, g, st, group, sl):
        raise NotImplementedError

    def state_dict(self) -> dict:
        """Copies of the state arrays and the hyperparameters (not the parameters)."""
        return {
            "state": [{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
                      for s in self.state],
            "param_groups": [{k: v for k, v in g.items() if k != "params"}
                             for g in self.param_groups],
        }

    def load_state_dict(self, state: dict) -> None:
        if len(state["state"]) != len(self.state):
            raise ValueError("load_state_dict: the number of parameter groups differs.")
        for mine, theirs, group, hyper in zip(self.state, state["state"], self.param_groups,
                                              state["param_groups"]):
            mine.clear()
            mine.update({k: (v.copy() if isinstance(v, np.ndarray) else v)
                         for k, v in theirs.items()})
            group.update(hyper)


class SGD(Optimizer):
    """Stochastic gradient descent with momentum, dampening, Nesterov and weight decay.

    g ← ∇ + λw;  b ← μb + (1 − τ)g (b = g at the first step);
    w ← w − lr · (g + μb if nesterov else b), or w − lr·g without momentum.

    Examples
    --------
    >>> from scratchml.nn import SGD, Linear
    >>> opt = SGD(Linear(2, 1, generator=0).parameters(), lr=0.1, momentum=0.9)
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: nesterov=True needs momentum > 0 and dampening = 0.")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    def _update(self, w, g, st, group, sl):
        lr, mu, wd = group["lr"], group["momentum"], group["weight_decay"]
        if wd:
            g = g + wd * w
        if mu:
            buf = self._buffer(st, "momentum_buffer", w, sl)
            if st["step"] == 1:
                buf[...] = g
            else:
                buf *= mu
                buf += (1 - group["dampening"]) * g
            g = g + mu * buf if group["nesterov"] else buf
        w -= lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015); ``weight_decay`` adds λw to the gradient (L2).

    m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
    w ← w − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)   (PyTorch's form).
    Computed in place on the flat buffers, with rescaled moments (see ``_update``).
    """

    _decoupled = False

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay))

    def _update(self, w, g, st, group, sl):
        lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        if wd and self._decoupled:
            w *= 1 - lr * wd
        elif wd:
            g = g + wd * w
        # Moments kept divided by (1 − β): m̃ = m/(1 − β₁), ṽ = v/(1 − β₂). Then
        # m̃ ← β₁m̃ + g and ṽ ← β₂ṽ + g², and with c = √((1 − β₂)/(1 − β₂ᵗ)) the step is
        # w ← w − lr(1 − β₁)/((1 − β₁ᵗ)c) · m̃ / (√ṽ + ε/c): 10 array passes instead of 13.
        m = self._buffer(st, "exp_avg_scaled", w, sl)
        v = self._buffer(st, "exp_avg_sq_scaled", w, sl)
        tmp = self._buffer(st, "_work", w, sl)
        t = st["step"]
        c = math.sqrt((1 - b2) / (1 - b2**t))
        m *= b1
        m += g
        v *= b2
        np.multiply(g, g, out=tmp)
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += eps / c
        np.divide(m, tmp, out=tmp)
        tmp *= -lr * (1 - b1) / ((1 - b1**t) * c)
        w += tmp


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019): w ← w(1 − lr·λ) first."""

    _decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)


class RMSprop(Optimizer):
    """RMSprop: v ← αv + (1 − α)g²;  w ← w − lr · g / (√v + ε) (optionally centred / momentum)."""

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    def _update(self, w, g, st, group, sl):
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * w
        v = self._buffer(st, "square_avg", w, sl)
        v *= alpha
        v += (1 - alpha) * g * g
        if group["centered"]:
            ga = self._buffer(st, "grad_avg", w, sl)
            ga *= alpha
            ga += (1 - alpha) * g
            avg = np.sqrt(v - ga * ga) + eps
        else:
            avg = np.sqrt(v) + eps
        if group["momentum"]:
            buf = self._buffer(st, "momentum_buffer", w, sl)
            buf *= group["momentum"]
            buf += g / avg
            w -= lr * buf
        else:
            w -= lr * (g / avg)


class Adagrad(Optimizer):
    """Adagrad: s ← s + g²;  w ← w − lr/(1 + (t − 1)·decay) · g / (√s + ε)."""

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps))

    def _update(self, w, g, st, group, sl):
        if group["weight_decay"]:
            g = g + group["weight_decay"] * w
        s = self._buffer(st, "sum", w, sl, fill=group["initial_accumulator_value"])
        s += g * g
        clr = group["lr"] / (1 + (st["step"] - 1) * group["lr_decay"])
        w -= clr * (g / (np.sqrt(s) + group["eps"]))


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0) -> float:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    total = ‖(‖g₁‖, ‖g₂‖, ...)‖; if total > max_norm every g is multiplied by
    max_norm / (total + 1e-6), as PyTorch. Returns the norm before clipping.
    """
    grads = [p.grad for p in (parameters if not isinstance(parameters, Tensor) else [parameters])
             if p.grad is not None]
    if not grads:
        return 0.0
    if norm_type == math.inf:
        total = max(float(np.abs(g).max()) for g in grads)
    else:
        total = float(np.sum([np.sum(np.abs(g) ** norm_type) for g in grads]) ** (1 / norm_type))
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for g in grads:
            g *= coef
    return total
