"""Stochastic gradient descent for linear models: SGDClassifier and SGDRegressor.

Minimises the regularised empirical risk (1/n) Σ s_i L(y_i, x_i·w + b) +
α [(1 − ρ)/2 ||w||² + ρ ||w||₁] one sample at a time (the update is in the
``sgd_epoch`` kernel of ``_kernels``). Epochs repeat, reshuffled, until the average
objective of an epoch has not improved by ``tol`` for ``n_iter_no_change`` epochs
(``learning_rate="adaptive"`` first divides η by 5 each time), or ``max_iter``.
Multi-class classification is one-versus-all: one binary problem per class.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator, ClassifierMixin, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..utils._params import store_params
from ..utils.validation import check_classification_targets, check_is_fitted, check_random_state
from . import _kernels
from ._base import (
    LinearClassifierMixin,
    LinearPredictMixin,
    check_option,
    check_scalar,
    class_weight_vector,
    validate_sample_weight,
)
from ._logistic_loss import expit
from ._sparse_ops import is_csr

CLASSIFIER_LOSSES = ("hinge", "log_loss", "modified_huber", "perceptron", "squared_error",
                     "huber", "epsilon_insensitive")
REGRESSOR_LOSSES = ("squared_error", "huber", "epsilon_insensitive")
LEARNING_RATES = ("optimal", "constant", "invscaling", "adaptive")


class _BaseSGD(BaseEstimator):
    """Parameter checks and the epoch loop shared by the SGD estimators."""

    _losses: tuple = ()

    def _check_params(self):
        check_option(self.loss, "loss", self._losses, self)
        check_option(self.penalty, "penalty", ("l2", "l1", "elasticnet", None), self)
        check_scalar(self.alpha, "alpha", low=0, estimator=self)
        check_scalar(self.l1_ratio, "l1_ratio", low=0, high=1, estimator=self)
        check_scalar(self.max_iter, "max_iter", low=1, integer=True, estimator=self)
        if self.tol is not None:
            check_scalar(self.tol, "tol", estimator=self)
        check_option(self.learning_rate, "learning_rate", LEARNING_RATES, self)
        if self.learning_rate == "optimal":
            check_scalar(self.alpha, "alpha", low=0, low_open=True, estimator=self)
        else:
            check_scalar(self.eta0, "eta0", low=0, low_open=True, estimator=self)
        check_scalar(self.power_t, "power_t", estimator=self)
        check_scalar(self.epsilon, "epsilon", low=0, estimator=self)
        check_scalar(self.n_iter_no_change, "n_iter_no_change", low=1, integer=True,
                     estimator=self)
        if not isinstance(self.average, bool):
            check_scalar(self.average, "average", low=0, integer=True, estimator=self)

    def _optimal_init(self):
        """t₀ such that η at t = 1 is the initial step of Bottou's heuristic (as sklearn)."""
        if self.learning_rate != "optimal":
            return 0.0
        code = _kernels.LOSSES[self.loss]
        typw = np.sqrt(1.0 / np.sqrt(self.alpha))
        _, d = _kernels.loss_and_derivative(code, -typw, 1.0, self.epsilon)
        return 1.0 / ((typw / max(1.0, d)) * self.alpha)

    def _epochs(self, X, y, sw, w, avg_w, b, avg_b, rng, n_epochs, check_stop):
        """Run up to ``n_epochs`` epochs on one binary/regression problem, in place.

        Returns (b, avg_b, epochs_run, t) with t the update counter after the last epoch.
        """
        if is_csr(X):
            # The sparse kernel takes the CSR arrays; index arrays as intp, like `order`.
            sparse_fn, _ = get_kernel("sgd_epoch_sparse")
            arrays = (X.data, X.indices.astype(np.intp, copy=False),
                      X.indptr.astype(np.intp, copy=False))

            def fn(w, avg_w, q, X, *rest):
                return sparse_fn(w, avg_w, q, *arrays, *rest)
        else:
            fn, _ = get_kernel("sgd_epoch")
        n = X.shape[0]
        q = np.zeros_like(w)
        u = 0.0
        average = int(self.average)  # True → 1: average from the first update
        eta = float(self.eta0)
        best, no_improve = np.inf, 0
        t = self.t_
        epoch = 0
        for epoch in range(1, n_epochs + 1):
            order = rng.permutation(n) if self.shuffle else np.arange(n)
            b, avg_b, t, u, objective = fn(
                w, avg_w, q, X, y, sw, order.astype(np.intp), _kernels.LOSSES[self.loss],
                float(self.epsilon), float(self.alpha), float(self.l1_ratio),
                _kernels.PENALTY_CODES[self.penalty], _kernels.SCHEDULES[self.learning_rate],
                eta, float(self.power_t), self._optimal_init(), t, bool(self.fit_intercept),
                average, b, avg_b, u)
            if not (np.isfinite(b) and np.all(np.isfinite(w))):
                raise ValueError(
                    f"{type(self).__name__}: floating-point overflow at epoch {epoch}. Scale the "
                    "features (StandardScaler), or lower eta0 / alpha."
                )
            if self.verbose > 0:
                print(f"-- Epoch {epoch}: average objective {objective / n:.6f}")
            if not check_stop or self.tol is None:
                continue
            objective /= n
            no_improve = no_improve + 1 if objective > best - self.tol else 0
            best = min(best, objective)
            if no_improve >= self.n_iter_no_change:
                if self.learning_rate == "adaptive" and eta > 1e-6:
                    eta /= 5.0
                    no_improve = 0
                else:
                    break
        return b, avg_b, epoch, t

    def _solve(self, X, y, sw, k, rng, n_epochs, check_stop, reset):
        """Fit (or continue) the k binary problems (k = 1 for regression / two classes)."""
        p = X.shape[1]
        if reset or not hasattr(self, "standard_coef_"):
            self.standard_coef_ = np.zeros((k, p), dtype=X.dtype)
            self.standard_intercept_ = np.zeros(k)
            self.average_coef_ = np.zeros((k, p), dtype=X.dtype)
            self.average_intercept_ = np.zeros(k)
            self.t_ = 1.0
        t_start, t_end, epochs = self.t_, self.t_, 0
        for c in range(k):
            self.t_ = t_start
            yc, swc = y[c], sw[c]
            w = np.ascontiguousarray(self.standard_coef_[c], dtype=X.dtype)
            avg_w = np.ascontiguousarray(self.average_coef_[c], dtype=X.dtype)
            b, avg_b, ran, t_end = self._epochs(
                X, yc, swc, w, avg_w, float(self.standard_intercept_[c]),
                float(self.average_intercept_[c]), rng, n_epochs, check_stop)
            self.standard_coef_[c], self.average_coef_[c] = w, avg_w
            self.standard_intercept_[c], self.average_intercept_[c] = b, avg_b
            epochs = max(epochs, ran)
        self.t_ = float(t_end)
        use_avg = self.average is not False and 0 < int(self.average) <= self.t_ - 1
        src = (self.average_coef_, self.average_intercept_) if use_avg else (
            self.standard_coef_, self.standard_intercept_)
        self.coef_, self.intercept_ = src[0].copy(), src[1].copy()
        if check_stop and self.tol is not None and epochs == n_epochs and n_epochs > 1:
            warnings.warn(
                f"{type(self).__name__} stopped at max_iter={self.max_iter} epochs before "
                f"converging (tol={self.tol}); increase max_iter or scale the features.",
                ConvergenceWarning,
                stacklevel=3,
            )
        return epochs


class SGDClassifier(LinearClassifierMixin, ClassifierMixin, _BaseSGD):
    """Linear classifier trained by stochastic gradient descent (one-versus-all).

    Per sample: w ← (1 − (1 − ρ) η α) w − η s ∂L/∂p x, with the loss L(y, p) of
    ``loss`` (y ∈ {−1, +1}, p = x·w + b), e.g. hinge max(0, 1 − y p) (a linear SVM) or
    log_loss log(1 + e^{−y p}) (logistic regression); η from ``learning_rate``:
    "optimal" 1/(α (t₀ + t)), "constant" η₀, "invscaling" η₀ / t^power_t,
    "adaptive" η₀ divided by 5 when the objective stalls. ``average`` returns the
    averaged iterate (ASGD).

    Sparse X (a :class:`scratchml.sparse.CSRMatrix` or SciPy matrix) runs the
    ``"sgd_epoch_sparse"`` kernel: O(nnz) per sample, same updates as on dense X.

    Parameters
    ----------
    loss : str, default="hinge"
        "hinge", "log_loss", "modified_huber", "perceptron", or a regression loss.
    penalty : {"l2", "l1", "elasticnet", None}, default="l2"
    alpha : float, default=1e-4
    l1_ratio : float, default=0.15
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum number of epochs.
    tol : float or None, default=1e-3
        Stop when an epoch's objective has not improved by tol for n_iter_no_change epochs.
    shuffle : bool, default=True
    verbose : int, default=0
    epsilon : float, default=0.1
        Threshold of the huber and epsilon-insensitive losses.
    random_state : int, Generator or None, default=None
    learning_rate : {"optimal", "constant", "invscaling", "adaptive"}, default="optimal"
    eta0 : float, default=0.01
    power_t : float, default=0.5
    n_iter_no_change : int, default=5
    class_weight : dict, "balanced" or None, default=None
    warm_start : bool, default=False
    average : bool or int, default=False
        Average the iterates (from update number ``average`` if an int).

    Attributes
    ----------
    classes_, coef_ (n_classes or 1, n_features), intercept_, n_iter_ (epochs), t_ (updates + 1)

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import SGDClassifier
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> SGDClassifier(random_state=0).fit(X, [0, 0, 1, 1]).predict([[-3.0], [3.0]])
    array([0, 1])
    """

    _losses = CLASSIFIER_LOSSES

    def __init__(self, loss="hinge", *, penalty="l2", alpha=0.0001, l1_ratio=0.15,
                 fit_intercept=True, max_iter=1000, tol=1e-3, shuffle=True, verbose=0,
                 epsilon=0.1, random_state=None, learning_rate="optimal", eta0=0.01,
                 power_t=0.5, n_iter_no_change=5, class_weight=None, warm_start=False,
                 average=False):
        store_params(self, locals())

    def _targets(self, y_enc, sw):
        """±1 targets and weights (class weights included) of each one-vs-all problem."""
        cw = class_weight_vector(self.class_weight, self.classes_, y_enc, self)
        if len(self.classes_) == 2:
            ys = [np.where(y_enc == 1, 1.0, -1.0)]
            ws = [sw * cw[y_enc]]
        else:
            ys = [np.where(y_enc == c, 1.0, -1.0) for c in range(len(self.classes_))]
            ws = [sw * np.where(y_enc == c, cw[c], 1.0) for c in range(len(self.classes_))]
        return ys, ws

    def _fit(self, X, y, sample_weight, *, classes, n_epochs, check_stop, reset):
        self._check_params()
        X, y = self._validate_data(X, y, reset=reset, accept_sparse=True)
        if classes is not None:
            self.classes_ = np.unique(np.asarray(classes))
            unknown = np.setdiff1d(np.unique(y), self.classes_)
            if unknown.size:
                raise ValueError(f"y has labels {unknown.tolist()} not in classes "
                                 f"{self.classes_.tolist()} given to the first partial_fit.")
            y_enc = np.searchsorted(self.classes_, y)
            if len(self.classes_) < 2:
                raise ValueError("classes has 1 class; a classifier needs at least 2.")
        else:
            self.classes_, y_enc = check_classification_targets(y, self)
        sw = validate_sample_weight(sample_weight, len(y), self)
        sw = np.ones(len(y)) if sw is None else sw
        ys, ws = self._targets(y_enc, sw)
        rng = check_random_state(self.random_state)
        k = 1 if len(self.classes_) == 2 else len(self.classes_)
        self.n_iter_ = self._solve(X, ys, ws, k, rng, n_epochs, check_stop, reset)
        return self

    def fit(self, X, y, sample_weight=None) -> SGDClassifier:
        """Fit by SGD for up to ``max_iter`` epochs (from the previous fit if warm_start)."""
        return self._fit(X, y, sample_weight, classes=None, n_epochs=self.max_iter,
                         check_stop=True, reset=not (self.warm_start and hasattr(self, "coef_")))

    def partial_fit(self, X, y, classes=None, sample_weight=None) -> SGDClassifier:
        """One epoch over (X, y), continuing from the current state; the first call needs
        ``classes`` (every label that will ever appear)."""
        first = not hasattr(self, "coef_")
        if first and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        return self._fit(X, y, sample_weight, classes=classes if first else self.classes_,
                         n_epochs=1, check_stop=False, reset=first)

    @property
    def predict_proba(self):
        """Probabilities, for loss="log_loss" (σ of the score) or "modified_huber"."""
        if self.loss not in ("log_loss", "modified_huber"):
            raise AttributeError(f"predict_proba is not available for loss={self.loss!r}; "
                                 "use loss='log_loss' or 'modified_huber'.")
        return self._predict_proba

    def _predict_proba(self, X):
        check_is_fitted(self, method="predict_proba")
        scores = self.decision_function(X)
        if self.loss == "log_loss":
            prob = expit(scores)
        else:
            prob = (np.clip(scores, -1, 1) + 1) / 2
        if prob.ndim == 1:
            return np.column_stack([1 - prob, prob])
        total = prob.sum(axis=1, keepdims=True)
        # All-zero rows (modified_huber far from every class): uniform, as scikit-learn.
        return np.where(total > 0, prob / np.where(total > 0, total, 1), 1 / prob.shape[1])


class SGDRegressor(LinearPredictMixin, RegressorMixin, _BaseSGD):
    """Linear regression trained by stochastic gradient descent.

    Same updates as :class:`SGDClassifier` with a regression loss: squared_error
    ½(p − y)², huber (quadratic within ``epsilon``, linear beyond), or
    epsilon_insensitive max(0, |p − y| − ε); default schedule η₀ / t^0.25.

    Sparse X (CSRMatrix or SciPy) is accepted, with the same updates as dense X.

    Parameters
    ----------
    loss : {"squared_error", "huber", "epsilon_insensitive"}, default="squared_error"
    penalty, alpha, l1_ratio, fit_intercept, max_iter, tol, shuffle, verbose, epsilon,
    random_state, learning_rate ("invscaling"), eta0 (0.01), power_t (0.25),
    n_iter_no_change, warm_start, average : as in :class:`SGDClassifier`.

    Attributes
    ----------
    coef_ (n_features,), intercept_ (1,), n_iter_, t_

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import SGDRegressor
    >>> X = np.linspace(-1, 1, 200)[:, None]
    >>> SGDRegressor(alpha=0.0, random_state=0).fit(X, 2 * X[:, 0]).coef_.round()
    array([2.])
    """

    _losses = REGRESSOR_LOSSES

    def __init__(self, loss="squared_error", *, penalty="l2", alpha=0.0001, l1_ratio=0.15,
                 fit_intercept=True, max_iter=1000, tol=1e-3, shuffle=True, verbose=0,
                 epsilon=0.1, random_state=None, learning_rate="invscaling", eta0=0.01,
                 power_t=0.25, n_iter_no_change=5, warm_start=False, average=False):
        store_params(self, locals())

    def _fit(self, X, y, sample_weight, n_epochs, check_stop, reset):
        self._check_params()
        X, y = self._validate_data(X, y, y_numeric=True, reset=reset, accept_sparse=True)
        sw = validate_sample_weight(sample_weight, len(y), self)
        sw = np.ones(len(y)) if sw is None else sw
        rng = check_random_state(self.random_state)
        self.n_iter_ = self._solve(X, [y], [sw], 1, rng, n_epochs, check_stop, reset)
        self.coef_ = self.coef_[0]
        return self

    def fit(self, X, y, sample_weight=None) -> SGDRegressor:
        """Fit by SGD for up to ``max_iter`` epochs (from the previous fit if warm_start)."""
        return self._fit(X, y, sample_weight, self.max_iter, True,
                         not (self.warm_start and hasattr(self, "coef_")))

    def partial_fit(self, X, y, sample_weight=None) -> SGDRegressor:
        """One epoch over (X, y), continuing from the current state."""
        return self._fit(X, y, sample_weight, 1, False, not hasattr(self, "coef_"))
