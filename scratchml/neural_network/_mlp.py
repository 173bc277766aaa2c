"""MLPClassifier and MLPRegressor: scikit-learn's multi-layer perceptrons on scratchml.nn."""

from __future__ import annotations

import numpy as np

from ..base import ClassifierMixin, RegressorMixin
from ..nn._losses import binary_cross_entropy_with_logits, cross_entropy, mse_loss
from ..utils.validation import check_classification_targets
from ._base import _DTYPE, BaseMLP, _forward_numpy

_PARAMS_DOC = """
    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Width of each hidden layer.
    activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
    solver : {"adam", "sgd"}, default="adam"
        ``"lbfgs"`` is not implemented.
    alpha : float, default=1e-4
        L2 penalty α / (2 n_batch) · Σ‖W‖² (biases are not penalized).
    batch_size : int or "auto", default="auto"
        ``min(200, n_samples)`` for "auto".
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Schedule for ``solver="sgd"``.
    learning_rate_init, power_t : float, default=0.001, 0.5
    max_iter : int, default=200
        Number of epochs at most.
    shuffle : bool, default=True
    random_state : int, Generator or None
        Seeds the weight initialization, shuffling and validation split.
    tol : float, default=1e-4
    verbose : bool, default=False
        Print the loss of each epoch.
    warm_start : bool, default=False
        Continue from the previous fit's weights.
    momentum, nesterovs_momentum : float, bool
        For ``solver="sgd"`` (PyTorch's form of momentum).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when its score stalls.
    validation_fraction : float, default=0.1
    beta_1, beta_2, epsilon : float
        Adam's parameters (PyTorch's form: ε is added after the bias correction).
    n_iter_no_change : int, default=10

    Attributes
    ----------
    coefs_, intercepts_ : list of ndarray
        Weight matrix (n_in, n_out) and bias of each layer (float32).
    loss_, loss_curve_ : float, list of float
        Training loss (penalty included) of the last and of every epoch.
    best_loss_ : float
    validation_scores_, best_validation_score_ : list, float or None
        With ``early_stopping``; the weights kept are those of the best epoch.
    n_iter_, t_ : int
        Epochs run and training samples seen.
    n_layers_, n_outputs_, out_activation_ : int, int, str
"""


class MLPClassifier(ClassifierMixin, BaseMLP):
    """Multi-layer perceptron classifier trained by backpropagation on ``scratchml.nn``.

    Hidden layers h_{k+1} = act(h_k W_k + b_k); the output is a softmax over the
    classes (one logistic unit for two classes), trained on the cross-entropy
    −(1/n) Σ log p(yᵢ | xᵢ) plus the L2 penalty, by Adam or SGD on minibatches.
    """ + _PARAMS_DOC + """
    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.neural_network import MLPClassifier
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 10)
    >>> y = np.array([0, 1, 1, 0] * 10)
    >>> clf = MLPClassifier((16,), learning_rate_init=0.05, max_iter=300, random_state=0)
    >>> clf.fit(X, y).score(X, y)
    1.0
    """

    def fit(self, X, y):
        """Train from scratch (or from the last weights with ``warm_start``) on X, y."""
        X, y = self._validate_data(X, y, reset=not (self.warm_start and hasattr(self, "coefs_")))
        classes, Y = check_classification_targets(y, estimator=self)
        if self.warm_start and hasattr(self, "classes_"):
            if not np.array_equal(classes, self.classes_):
                raise ValueError(f"warm_start: y has classes {classes}, but the previous fit "
                                 f"saw {self.classes_}.")
        self._set_classes(classes)
        return self._fit(X, self._encode_y(Y), incremental=False)

    def partial_fit(self, X, y, classes=None):
        """One epoch over X, y; the first call needs ``classes`` (all labels)."""
        first = not hasattr(self, "coefs_")
        X, y = self._validate_data(X, y, reset=first)
        if first:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit: "
                                 "the list of all labels that y may contain.")
            self._set_classes(np.unique(np.asarray(classes)))
        idx = np.searchsorted(self.classes_, y)
        idx = np.clip(idx, 0, len(self.classes_) - 1)
        if np.any(self.classes_[idx] != y):
            raise ValueError(f"y contains labels not in classes {self.classes_.tolist()}.")
        return self._fit(X, self._encode_y(idx), incremental=True)

    def _set_classes(self, classes) -> None:
        self.classes_ = classes
        self.n_outputs_ = 1 if len(classes) == 2 else len(classes)
        self.out_activation_ = "logistic" if len(classes) == 2 else "softmax"
        self.n_layers_ = len(self._check_params()) + 2

    def _encode_y(self, idx):
        return idx.astype(_DTYPE)[:, None] if self.n_outputs_ == 1 else idx.astype(np.intp)

    def _fused_ok(self) -> bool:
        return self.n_outputs_ > 1 and self.activation in ("relu", "identity")

    def _loss(self, logits, yb):
        if self.n_outputs_ == 1:
            return binary_cross_entropy_with_logits(logits, yb)
        return cross_entropy(logits, yb)

    def _validation_score(self, X, Y) -> float:
        logits = self._val_logits(X)
        pred = (logits[:, 0] > 0) if self.n_outputs_ == 1 else logits.argmax(axis=1)
        return float(np.mean(pred == (Y[:, 0] if self.n_outputs_ == 1 else Y)))

    def _val_logits(self, X):
        return _forward_numpy(X, self.coefs_, self.intercepts_, self.activation)

    def predict_proba(self, X) -> np.ndarray:
        """P(class | x), columns in the order of ``classes_``."""
        z = self._logits(X, "predict_proba").astype(np.float64)
        if z.shape[1] == 1:
            p = 1 / (1 + np.exp(-z[:, 0]))
            return np.column_stack([1 - p, p])
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X) -> np.ndarray:
        return np.log(np.clip(self.predict_proba(X), 1e-300, None))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row."""
        z = self._logits(X)
        if z.shape[1] == 1:
            return self.classes_[(z[:, 0] > 0).astype(np.intp)]
        return self.classes_[z.argmax(axis=1)]


class MLPRegressor(RegressorMixin, BaseMLP):
    """Multi-layer perceptron regressor trained by backpropagation on ``scratchml.nn``.

    Linear output layer, loss ½ · (1/n) Σᵢ ‖yᵢ − f(xᵢ)‖² plus the L2 penalty.
    """ + _PARAMS_DOC + """
    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.neural_network import MLPRegressor
    >>> X = np.linspace(-1, 1, 50)[:, None]
    >>> reg = MLPRegressor((32,), learning_rate_init=0.01, max_iter=500, random_state=0)
    >>> reg.fit(X, X[:, 0] ** 2).score(X, X[:, 0] ** 2) > 0.9
    True
    """

    def fit(self, X, y):
        """Train from scratch (or from the last weights with ``warm_start``) on X, y."""
        X, y = self._validate_data(X, y, reset=not (self.warm_start and hasattr(self, "coefs_")),
                                   multi_output=True, y_numeric=True)
        return self._fit(X, self._prepare_y(y), incremental=False)

    def partial_fit(self, X, y):
        """One epoch over X, y (continuing from the current weights)."""
        first = not hasattr(self, "coefs_")
        X, y = self._validate_data(X, y, reset=first, multi_output=True, y_numeric=True)
        return self._fit(X, self._prepare_y(y), incremental=True)

    def _prepare_y(self, y):
        Y = np.asarray(y, dtype=_DTYPE)
        Y = Y.reshape(len(Y), -1)
        self.n_outputs_ = Y.shape[1]
        self.out_activation_ = "identity"
        self.n_layers_ = len(self._check_params()) + 2
        return np.ascontiguousarray(Y)

    def _loss(self, pred, yb):
        return mse_loss(pred, yb, reduction="sum") * (0.5 / len(yb))

    def _validation_score(self, X, Y) -> float:
        pred = _forward_numpy(X, self.coefs_, self.intercepts_, self.activation)
        ss_res = ((Y - pred) ** 2).sum(axis=0)
        ss_tot = ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)
        return float(np.mean(1 - ss_res / np.where(ss_tot > 0, ss_tot, 1)))

    def predict(self, X) -> np.ndarray:
        """f(X): shape (n,) for one output (as scikit-learn), else (n, n_outputs)."""
        z = self._logits(X).astype(np.float64)
        return z[:, 0] if z.shape[1] == 1 else z
