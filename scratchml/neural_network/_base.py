"""The training loop shared by MLPClassifier and MLPRegressor, on scratchml.nn.

A multi-layer perceptron computes, layer by layer, h_{k+1} = act(h_k W_k + b_k)
and an output layer without activation (its loss includes the softmax or
logistic link). Training minimizes

    L = loss(y, f(X)) + α / (2 n_batch) · Σ_k ‖W_k‖²

by minibatch SGD or Adam, with scikit-learn's stopping rules: stop when the
training loss (or, with ``early_stopping``, the validation score) has not
improved by ``tol`` for ``n_iter_no_change`` epochs. The softmax classifier with
ReLU/identity layers trains by a fused NumPy step (``_fused.py``) bit-for-bit equal
to the autodiff graph; other configurations build the graph per batch.
"""

from __future__ import annotations

import numbers
import time
import warnings

import numpy as np

from ..base import BaseEstimator
from ..exceptions import ConvergenceWarning
from ..nn._functional import linear
from ..nn._modules import Linear, Parameter
from ..nn._ops import sigmoid, tanh
from ..nn._optim import SGD, Adam
from ..nn._tensor import Tensor
from ..utils.validation import check_is_fitted, check_random_state
from ._fused import FusedSoftmaxMLP

_ACTIVATIONS = ("identity", "logistic", "tanh", "relu")
_DTYPE = np.float32  # the engine's default: half the memory traffic of float64


def _forward_numpy(X: np.ndarray, coefs, intercepts, activation: str) -> np.ndarray:
    """Plain NumPy forward pass (no graph) through the fitted layers; returns logits."""
    h = X.astype(_DTYPE, copy=False)
    for i, (W, b) in enumerate(zip(coefs, intercepts)):
        h = h @ W
        h += b
        if i < len(coefs) - 1:
            if activation == "relu":
                np.maximum(h, 0, out=h)
            elif activation == "tanh":
                np.tanh(h, out=h)
            elif activation == "logistic":
                h = 1 / (1 + np.exp(-h))
    return h


class BaseMLP(BaseEstimator):
    """Parameters, validation and the stochastic training loop (see the subclasses)."""

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

    def __getstate__(self):
        # The engine objects share memory with coefs_ (views of one flat buffer), which
        # pickling would silently break; they are rebuilt from coefs_ when needed.
        state = super().__getstate__()
        state.pop("_layers", None)
        state.pop("_optimizer", None)
        return state

    # -- checks ----------------------------------------------------------------------
    def _check_params(self) -> tuple[int, ...]:
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, numbers.Integral) else tuple(sizes)
        if any(not isinstance(s, numbers.Integral) or s < 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes={self.hidden_layer_sizes!r} must be positive "
                             "integers, e.g. (100,) or (64, 32).")
        choices = {"activation": _ACTIVATIONS, "solver": ("sgd", "adam"),
                   "learning_rate": ("constant", "invscaling", "adaptive")}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                extra = " (lbfgs is not implemented)" if getattr(self, name) == "lbfgs" else ""
                raise ValueError(f"{name}={getattr(self, name)!r} is not one of "
                                 f"{allowed}{extra}.")
        positive = {"learning_rate_init": self.learning_rate_init, "max_iter": self.max_iter,
                    "n_iter_no_change": self.n_iter_no_change}
        for name, value in positive.items():
            if not value > 0:
                raise ValueError(f"{name}={value!r} must be > 0.")
        for name in ("alpha", "tol", "momentum", "power_t"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}={getattr(self, name)!r} must be >= 0.")
        if not 0 < self.validation_fraction < 1:
            raise ValueError(f"validation_fraction={self.validation_fraction!r} must be in (0, 1).")
        for name in ("beta_1", "beta_2"):
            if not 0 <= getattr(self, name) < 1:
                raise ValueError(f"{name}={getattr(self, name)!r} must be in [0, 1).")
        if self.batch_size != "auto" and not (
            isinstance(self.batch_size, numbers.Integral) and self.batch_size >= 1
        ):
            raise ValueError(f"batch_size={self.batch_size!r} must be 'auto' or an int >= 1.")
        return sizes

    # -- the network -------------------------------------------------------------------
    def _build(self, n_in: int, n_out: int, sizes: tuple, rng) -> None:
        """Glorot-uniform layers as scikit-learn (bound √(6/(fan_in+fan_out)), 2 for logistic)."""
        factor = 2.0 if self.activation == "logistic" else 6.0
        dims = [n_in, *sizes, n_out]
        layers = []
        for fan_in, fan_out in zip(dims[:-1], dims[1:]):
            bound = np.sqrt(factor / (fan_in + fan_out))
            layer = Linear(fan_in, fan_out, generator=0)  # replaced just below
            layer.weight = Parameter(rng.uniform(-bound, bound, (fan_in, fan_out)).T,
                                     dtype=_DTYPE)
            layer.bias = Parameter(rng.uniform(-bound, bound, fan_out), dtype=_DTYPE)
            layers.append(layer)
        self._layers = layers
        self._make_optimizer()

    def _restore(self) -> None:
        """Rebuild the engine layers from coefs_/intercepts_ (after load or clone of state)."""
        layers = []
        for W, b in zip(self.coefs_, self.intercepts_):
            layer = Linear(1, 1, generator=0)
            layer.weight = Parameter(np.array(W.T, dtype=_DTYPE))
            layer.bias = Parameter(np.array(b, dtype=_DTYPE))
            layers.append(layer)
        self._layers = layers
        self._make_optimizer()

    def _make_optimizer(self) -> None:
        # Weights first, then biases: in the optimizer's flat buffer the weights are one
        # leading block, so the L2 penalty (weights only) is one slice operation.
        params = [layer.weight for layer in self._layers] + [layer.bias for layer in self._layers]
        if self.solver == "adam":
            self._optimizer = Adam(params, lr=self.learning_rate_init,
                                   betas=(self.beta_1, self.beta_2), eps=self.epsilon)
        else:
            self._optimizer = SGD(params, lr=self.learning_rate_init, momentum=self.momentum,
                                  nesterov=self.nesterovs_momentum and self.momentum > 0)
        # coefs_ are views of the flat parameter buffer: training updates them in place.
        self.coefs_ = [layer.weight.data.T for layer in self._layers]
        self.intercepts_ = [layer.bias.data for layer in self._layers]
        self._current_lr = float(self.learning_rate_init)

    def _forward(self, X):
        h = X
        last = len(self._layers) - 1
        for i, layer in enumerate(self._layers):
            if i < last and self.activation == "relu":
                h = linear(h, layer.weight, layer.bias, "relu")
                continue
            h = linear(h, layer.weight, layer.bias)
            if i < last and self.activation == "tanh":
                h = tanh(h)
            elif i < last and self.activation == "logistic":
                h = sigmoid(h)
        return h

    # -- training ----------------------------------------------------------------------
    def _fit(self, X, Y, incremental: bool):
        """Epochs of minibatch training; Y is encoded (class indices, 0/1 column or floats)."""
        sizes = self._check_params()
        first = not (incremental or self.warm_start) or not hasattr(self, "coefs_")
        rng = check_random_state(self.random_state)
        X = np.ascontiguousarray(X, dtype=_DTYPE)
        if first:
            self._build(X.shape[1], self.n_outputs_, sizes, rng)
            self.n_iter_, self.t_ = 0, 0
            self.loss_curve_ = []
            # scikit-learn's convention: best_loss_ tracks the training loss only
            # without early stopping (None with it).
            self.best_loss_ = None if self.early_stopping else np.inf
            self._no_improvement = 0
            self.validation_scores_ = [] if self.early_stopping else None
            self.best_validation_score_ = -np.inf if self.early_stopping else None
        elif not hasattr(self, "_layers"):
            self._restore()
        self._no_improvement = getattr(self, "_no_improvement", 0)
        early = self.early_stopping and not incremental
        if early:
            order = rng.permutation(len(X))
            n_val = max(1, int(round(self.validation_fraction * len(X))))
            if len(X) - n_val < 1:
                raise ValueError(f"early_stopping needs more than {len(X)} samples: "
                                 "validation_fraction leaves none for training.")
            X_val, Y_val = X[order[:n_val]], Y[order[:n_val]]
            X, Y = X[order[n_val:]], Y[order[n_val:]]
            best_params = None
        n = len(X)
        bs = min(200, n) if self.batch_size == "auto" else min(self.batch_size, n)
        opt = self._optimizer
        n_weights = sum(layer.weight.data.size for layer in self._layers)
        flat, gflat = opt.flat_buffers()
        w_flat, gw_flat = flat[:n_weights], gflat[:n_weights]
        work = np.empty_like(w_flat)
        epochs = 1 if incremental else self.max_iter
        # The softmax/ReLU network trains by a fused NumPy step (same arithmetic as
        # the graph, without building one per batch); other setups use the graph.
        fused = (FusedSoftmaxMLP(self._layers, bs, self.activation == "relu")
                 if self._fused_ok() else None)
        Xs, Ys = (np.empty_like(X), np.empty_like(Y)) if self.shuffle else (X, Y)
        start = time.perf_counter()
        for _ in range(epochs):
            if self.shuffle:
                perm = rng.permutation(n)
                np.take(X, perm, axis=0, out=Xs)
                np.take(Y, perm, axis=0, out=Ys)
            total = 0.0
            if fused is not None:
                flat_y = fused.flat_targets(Ys, bs)
            for lo in range(0, n, bs):
                xb, yb = Xs[lo:lo + bs], Ys[lo:lo + bs]
                m = len(xb)
                if fused is not None:
                    batch_loss = fused(xb, flat_y[lo:lo + bs])
                else:
                    loss = self._loss(self._forward(Tensor(xb)), yb)
                    opt.zero_grad()
                    loss.backward()
                    batch_loss = float(loss.data)
                if self.alpha:  # L = loss + α/(2m)‖W‖²,  ∂L/∂W += (α/m) W
                    batch_loss += 0.5 * self.alpha / m * float(np.dot(w_flat, w_flat))
                    np.multiply(w_flat, self.alpha / m, out=work)
                    gw_flat += work
                opt.step()
                total += batch_loss * m
            self.n_iter_ += 1
            self.t_ += n
            loss_epoch = total / n
            self.loss_curve_.append(loss_epoch)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {loss_epoch:.8f} "
                      f"({time.perf_counter() - start:.2f}s)")
            if self.learning_rate == "invscaling" and self.solver == "sgd":
                self._set_lr(self.learning_rate_init / (self.t_ + 1) ** self.power_t)
            if incremental:
                continue
            if early:
                score = self._validation_score(X_val, Y_val)
                self.validation_scores_.append(score)
                if self.verbose:
                    print(f"Validation score: {score:.6f}")
                if score > self.best_validation_score_:
                    best_params = flat.copy()
                improved = score > self.best_validation_score_ + self.tol
                self.best_validation_score_ = max(self.best_validation_score_, score)
            else:
                best = np.inf if self.best_loss_ is None else self.best_loss_
                improved = loss_epoch < best - self.tol
                self.best_loss_ = min(best, loss_epoch)
            self._no_improvement = 0 if improved else self._no_improvement + 1
            if self._no_improvement > self.n_iter_no_change:
                if self.learning_rate == "adaptive" and self.solver == "sgd" \
                        and self._current_lr > 1e-6:
                    self._set_lr(self._current_lr / 5)
                    self._no_improvement = 0
                    continue
                if self.verbose:
                    print(f"Training stopped: no improvement of more than tol={self.tol} for "
                          f"{self.n_iter_no_change} consecutive epochs.")
                break
        else:
            if not incremental:
                warnings.warn(
                    f"{type(self).__name__}: stochastic optimizer did not converge in "
                    f"max_iter={self.max_iter} epochs; increase max_iter.",
                    ConvergenceWarning, stacklevel=3)
        if early and best_params is not None:
            flat[...] = best_params
        self.loss_ = self.loss_curve_[-1]
        return self

    def _fused_ok(self) -> bool:
        """Whether the fused NumPy step (FusedSoftmaxMLP) computes this network's loss."""
        return False

    def _set_lr(self, lr: float) -> None:
        self._current_lr = lr
        for group in self._optimizer.param_groups:
            group["lr"] = lr

    def _logits(self, X, method: str = "predict") -> np.ndarray:
        check_is_fitted(self, method=method)
        X = self._validate_data(X, reset=False)
        return _forward_numpy(X, self.coefs_, self.intercepts_, self.activation)
