"""A fused minibatch step for the softmax MLP: forward, loss and backward in NumPy.

The autodiff engine builds a small graph per batch (tensors, closures, a heap walk);
for a multi-layer perceptron the same computation is a fixed sequence of GEMMs, so
this step runs it directly on preallocated buffers and writes the gradients straight
into the optimizer's flat gradient buffer. It reproduces, operation for operation,
what ``linear`` (+ ReLU) and ``cross_entropy`` compute in ``scratchml.nn`` (same
GEMM shapes, same reductions, same float32 arithmetic), so the weights match the
graph path; the optimizer step itself is the engine's.

With Z the logits of a batch of m rows and P = softmax(Z):
G_L = (P − onehot(y)) / m, and going down, for layer k with input h_k:
∂W_k = G_kᵀ h_k, ∂b_k = Σ_rows G_k, G_{k−1} = (G_k W_k) ⊙ [h_k > 0].
"""

from __future__ import annotations

import numpy as np


class FusedSoftmaxMLP:
    """Buffers and the step of one network (layers from ``BaseMLP._layers``).

    Parameters
    ----------
    layers : list of Linear
        Weight (out, in) and bias of each layer, whose ``_gbuf`` are views of the
        optimizer's flat gradient buffer.
    batch_size : int
        The largest batch the buffers hold.
    relu : bool
        ReLU (True) or identity (False) on the hidden layers.

    Examples
    --------
    Used by ``BaseMLP._fit``: ``step = FusedSoftmaxMLP(layers, 200, True)``, then
    ``loss = step(xb, yb)`` fills every ``weight.grad``/``bias.grad``.
    """

    def __init__(self, layers, batch_size: int, relu: bool):
        self.layers = layers
        self.relu = relu
        dtype = layers[0].weight.data.dtype
        self.dtype = dtype
        self.outs = [np.empty((batch_size, layer.weight.data.shape[0]), dtype=dtype)
                     for layer in layers]
        # Gradient w.r.t. each hidden activation (the first layer's input needs none).
        self.gouts = [np.empty((batch_size, layer.weight.data.shape[1]), dtype=dtype)
                      for layer in layers[1:]]
        n_out = layers[-1].weight.data.shape[0]
        self.zmax = np.empty((batch_size, 1), dtype=dtype)
        self.total = np.empty((batch_size, 1), dtype=dtype)
        self.mask = np.empty((batch_size, max(o.shape[1] for o in self.outs)), dtype=bool)
        self.n_out = n_out
        for layer in layers:
            for p in (layer.weight, layer.bias):
                if p._gbuf is None or p._gbuf.shape != p.data.shape:
                    raise RuntimeError("FusedSoftmaxMLP needs the optimizer's gradient buffers.")

    def flat_targets(self, Y: np.ndarray, batch_size: int) -> np.ndarray:
        """Index of each row's true-class logit in its batch's flattened logits.

        Computed once per epoch for the shuffled labels: row i sits at row
        i mod batch_size of its batch, so its logit is at that row · C + yᵢ.
        """
        return (np.arange(len(Y)) % batch_size) * self.n_out + Y

    def __call__(self, xb: np.ndarray, flat_y: np.ndarray) -> float:
        """Fill the parameters' gradients for batch xb (flat_y from flat_targets).

        Returns the batch's mean cross-entropy (float32 arithmetic, as the graph's).
        """
        m = len(xb)
        layers = self.layers
        last = len(layers) - 1
        h = xb
        hs = []
        for i, layer in enumerate(layers):
            out = self.outs[i][:m]
            np.matmul(h, layer.weight.data.T, out=out)
            out += layer.bias.data
            if i < last and self.relu:
                np.maximum(out, 0, out=out)
            hs.append(h)
            h = out
        # Softmax cross-entropy, as nn.cross_entropy: per = log Σ exp(z − max) − (z_y − max).
        Z = h
        zmax = self.zmax[:m]
        if self.n_out <= 16:
            # Row maxima column by column: a few whole-column ufuncs are much faster
            # than a reduction over short rows, and the maximum is exact either way.
            z1 = zmax[:, 0]
            np.maximum(Z[:, 0], Z[:, 1], out=z1)
            for c in range(2, self.n_out):
                np.maximum(z1, Z[:, c], out=z1)
        else:
            np.max(Z, axis=1, keepdims=True, out=zmax)
        Z -= zmax  # Z now holds the shifted logits (not needed unshifted any more)
        Zf = Z.reshape(-1)  # a view: the batch slice of the buffer is contiguous
        picked = Zf.take(flat_y)
        np.exp(Z, out=Z)
        total = self.total[:m]
        np.sum(Z, axis=1, keepdims=True, out=total)
        per = np.log(total[:, 0])
        per -= picked
        loss = float(np.asarray(per.sum() / m, dtype=self.dtype))
        # ∂/∂Z = (softmax − onehot) / m, in place in Z.
        Z /= total
        Zf[flat_y] -= 1
        Z *= np.asarray(np.ones((), dtype=self.dtype) / m)
        G = Z
        for i in range(last, -1, -1):
            layer = layers[i]
            W = layer.weight.data
            if i < last and self.relu:
                mask = self.mask[:m, :G.shape[1]]
                np.greater(self.outs[i][:m], 0, out=mask)
                np.multiply(G, mask, out=G)
            gx = None
            if i > 0:
                gx = self.gouts[i - 1][:m]
                np.matmul(G, W, out=gx)
            np.matmul(G.T, hs[i], out=layer.weight._gbuf)
            layer.weight.grad = layer.weight._gbuf
            np.sum(G, axis=0, out=layer.bias._gbuf)
            layer.bias.grad = layer.bias._gbuf
            G = gx
        return loss
