"""scratchml.nn: a small reverse-mode autodiff engine on NumPy tensors.

Readable like micrograd (each operation's local gradient sits next to its
forward), fast enough to train real networks: float32 by default, fused layers
(linear + ReLU, softmax cross-entropy), in-place optimizers on flat buffers.

* :class:`Tensor`, :class:`no_grad`, ops (``exp``, ``relu``, ``softmax``, ``conv2d``...)
* modules: :class:`Module`, :class:`Linear`, :class:`Sequential`, :class:`Conv2d`, ...
* losses: :func:`cross_entropy`, :func:`mse_loss`, :func:`binary_cross_entropy_with_logits`,
  :func:`huber_loss`
* optimizers: :class:`SGD`, :class:`Adam`, :class:`AdamW`, :class:`RMSprop`,
  :class:`Adagrad`, :func:`clip_grad_norm_`; schedulers: :class:`StepLR`,
  :class:`ExponentialLR`, :class:`CosineAnnealingLR`, :class:`ReduceLROnPlateau`
* :func:`minibatches`, initializers in :mod:`scratchml.nn.init`

Every name loads on first use (PEP 562), so ``import scratchml.nn`` is instant.
"""

from ..utils._lazy import lazy_attributes

_LAZY = {
    **dict.fromkeys(["linear", "conv2d", "max_pool2d", "flatten"], "_functional"),
    **dict.fromkeys(["mse_loss", "huber_loss", "binary_cross_entropy_with_logits",
                     "cross_entropy"], "_losses"),
    **dict.fromkeys(["Module", "Parameter", "Linear", "Sequential", "ReLU", "Tanh", "Sigmoid",
                     "GELU", "Dropout", "Flatten", "BatchNorm1d", "LayerNorm", "Embedding",
                     "Conv2d", "MaxPool2d"], "_modules"),
    **dict.fromkeys(["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad",
                     "clip_grad_norm_"], "_optim"),
    **dict.fromkeys(["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR",
                     "ReduceLROnPlateau"], "_sched"),
    "minibatches": "_data",
    "init": "_init_module",
}
_LAZY.update(dict.fromkeys([
    "Tensor", "no_grad", "is_grad_enabled", "add", "sub", "mul", "div", "pow", "neg", "matmul",
], "_tensor"))
_LAZY.update(dict.fromkeys([
    "abs", "clip", "concatenate", "dropout", "exp", "gelu", "getitem", "leaky_relu", "log",
    "log_softmax", "max", "maximum", "mean", "min", "permute", "relu", "reshape", "sigmoid",
    "softmax", "sqrt", "stack", "sum", "tanh", "transpose", "var", "where",
], "_ops"))
__getattr__, __dir__, __all__ = lazy_attributes(__name__, _LAZY, globals())
