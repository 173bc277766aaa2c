"""Logistic regression: binary and multinomial, L2 / L1 / elastic-net / no penalty."""

from __future__ import annotations

import warnings

import numpy as np

from ..base import BaseEstimator, ClassifierMixin
from ..exceptions import ConvergenceWarning
from ..utils._params import store_params
from ..utils.validation import (
    check_classification_targets,
    check_is_fitted,
    check_random_state,
)
from ._base import (
    LinearClassifierMixin,
    check_option,
    check_scalar,
    class_weight_vector,
    validate_sample_weight,
)
from ._logistic_loss import (
    LogisticObjective,
    expit,
    log_softmax,
    solve_lbfgs,
    solve_newton_cd,
    solve_saga,
)
from ._sparse_ops import is_csr

PENALTIES = ("l2", "l1", "elasticnet", None)
SOLVERS = ("lbfgs", "newton-cd", "saga")


class LogisticRegression(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    """Logistic regression (binary, or multinomial for more than two classes).

    Minimises scikit-learn's objective, divided by S = Σ s_i:

        (1/S) Σ s_i ℓ_i(W) + 1/(C S) [ρ ||W||₁ + (1 − ρ)/2 ||W||²],

    ℓ_i the log-loss of sample i: log(1 + e^{z}) − y z with z = x·w + b (two classes),
    or logsumexp(z) − z_{y} with z = x Wᵀ + b (K classes, one row of W per class).
    ρ = 0 for ``penalty="l2"``, 1 for ``"l1"``, ``l1_ratio`` for ``"elasticnet"``; no
    penalty for None. The minimiser is the same as that of C Σ s_i ℓ_i + penalty.

    Solvers: ``"lbfgs"`` (scratchml's own L-BFGS with a strong-Wolfe line search;
    smooth penalties only; stops when max|∇F| ≤ ``tol``), ``"newton-cd"`` (proximal
    Newton with coordinate descent, as glmnet; every penalty; stops when the
    optimality violation is ≤ ``tol``) and ``"saga"`` (SAGA with the L1 proximal map;
    every penalty; stops, as scikit-learn's, when an epoch changes W by at most
    ``tol`` · max|W|; samples in ``random_state`` order).

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet", None}, default="l2"
    C : float, default=1.0
        Inverse penalty strength (> 0).
    l1_ratio : float or None, default=None
        ρ in [0, 1] for ``penalty="elasticnet"``.
    tol : float, default=1e-4
    fit_intercept : bool, default=True
    class_weight : dict, "balanced" or None, default=None
        Multiplies each sample's weight by its class weight ("balanced": n / (K n_k)).
    random_state : int, Generator or None, default=None
        Seeds the sample order of ``"saga"`` (the other solvers are deterministic).
    solver : {"lbfgs", "newton-cd", "saga"}, default="lbfgs"
        Sparse X (a :class:`scratchml.sparse.CSRMatrix` or SciPy matrix) needs
        ``"lbfgs"``: its loss and gradient only use X W and Xᵀ G.
    max_iter : int, default=100
    verbose : int, default=0
    warm_start : bool, default=False
        Start from the previous solution when the shapes match.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : ndarray of shape (1,)

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.linear_model import LogisticRegression
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> LogisticRegression().fit(X, [0, 0, 1, 1]).predict([[0.2], [2.9]])
    array([0, 1])
    """

    def __init__(self, penalty="l2", *, C: float = 1.0, l1_ratio: float | None = None,
                 tol: float = 1e-4, fit_intercept: bool = True, class_weight=None,
                 random_state=None, solver: str = "lbfgs", max_iter: int = 100,
                 verbose: int = 0, warm_start: bool = False):
        store_params(self, locals())

    def _penalty_weights(self, S):
        """(l1, l2) weights of the penalty in the 1/S-scaled objective."""
        if self.penalty is None:
            return 0.0, 0.0
        rho = {"l2": 0.0, "l1": 1.0}.get(self.penalty, self.l1_ratio)
        return rho / (self.C * S), (1.0 - rho) / (self.C * S)

    def _check_params(self):
        check_option(self.penalty, "penalty", PENALTIES, self)
        check_option(self.solver, "solver", SOLVERS, self)
        if not (isinstance(self.C, (int, float, np.number)) and not isinstance(self.C, bool)
                and self.C > 0):
            raise ValueError(
                f"C={self.C!r} is not valid for LogisticRegression: it must be a positive "
                "number (C is the inverse of the penalty strength; use penalty=None for none)."
            )
        check_scalar(self.tol, "tol", low=0, estimator=self)
        check_scalar(self.max_iter, "max_iter", low=1, integer=True, estimator=self)
        if self.penalty == "elasticnet":
            if self.l1_ratio is None:
                raise ValueError("penalty='elasticnet' needs l1_ratio, a number in [0, 1].")
            check_scalar(self.l1_ratio, "l1_ratio", low=0, high=1, estimator=self)
        if self.penalty in ("l1", "elasticnet") and self.solver == "lbfgs":
            raise ValueError(
                f"solver='lbfgs' supports penalty='l2' or None, got penalty={self.penalty!r}; "
                "use solver='saga' or 'newton-cd' for the L1 and elastic-net penalties."
            )

    def fit(self, X, y, sample_weight=None) -> LogisticRegression:
        """Fit the model on X (n_samples, n_features) and class labels y."""
        self._check_params()
        X, y = self._validate_data(X, y, accept_sparse=True)
        if is_csr(X) and self.solver != "lbfgs":
            raise ValueError(
                f"solver={self.solver!r} of LogisticRegression needs dense X, got a sparse "
                "matrix; use solver='lbfgs' (penalty='l2' or None) for sparse input, or "
                "X.toarray() if it fits in memory."
            )
        X = X.astype(np.float64, copy=False)
        classes, y_enc = check_classification_targets(y, self)
        sw = validate_sample_weight(sample_weight, len(y_enc), self)
        sw = np.ones(len(y_enc)) if sw is None else sw
        sw = sw * class_weight_vector(self.class_weight, classes, y_enc, self)[y_enc]
        k = 1 if len(classes) == 2 else len(classes)
        l1, l2 = self._penalty_weights(sw.sum())
        obj = LogisticObjective(X, y_enc.astype(np.float64) if k == 1 else y_enc, sw, k,
                                self.fit_intercept, l2)
        W0 = np.zeros(obj.shape())
        if self.warm_start and hasattr(self, "coef_") and np.shape(self.coef_) == (k, X.shape[1]):
            W0[:, :X.shape[1]] = self.coef_
            if self.fit_intercept:
                W0[:, -1] = self.intercept_
        if self.solver == "lbfgs":
            W, n_iter, converged = solve_lbfgs(obj, W0, self.max_iter, self.tol)
        elif self.solver == "saga":
            W, n_iter, converged = solve_saga(obj, W0, l1, self.max_iter, self.tol,
                                              check_random_state(self.random_state))
        else:
            W, n_iter, converged = solve_newton_cd(obj, W0, l1, self.max_iter, self.tol)
        if not converged:
            warnings.warn(
                f"LogisticRegression (solver={self.solver!r}) did not converge within "
                f"max_iter={self.max_iter} iterations to tol={self.tol}: increase max_iter, "
                "scale the features (e.g. StandardScaler), or raise tol.",
                ConvergenceWarning,
                stacklevel=2,
            )
        if self.verbose > 0:
            print(f"LogisticRegression: {n_iter} iterations, converged={converged}")
        if k > 1 and self.fit_intercept:
            # Softmax is unchanged by adding one constant to every intercept and they are
            # not penalised: report the representative with Σ b_k = 0 (as scikit-learn).
            W[:, -1] -= W[:, -1].mean()
        self.classes_ = classes
        self.coef_ = W[:, :X.shape[1]].copy()
        self.intercept_ = W[:, -1].copy() if self.fit_intercept else np.zeros(k)
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        return self

    def predict_proba(self, X):
        """Class probabilities: σ(score) for two classes, softmax(scores) for more."""
        check_is_fitted(self, method="predict_proba")
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p = expit(scores)
            return np.column_stack([1.0 - p, p])
        return np.exp(log_softmax(scores))

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably."""
        check_is_fitted(self, method="predict_log_proba")
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return np.column_stack([-np.logaddexp(0, scores), -np.logaddexp(0, -scores)])
        return log_softmax(scores)
