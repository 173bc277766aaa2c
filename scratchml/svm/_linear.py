"""LinearSVC: a linear SVM trained by dual coordinate descent (liblinear's algorithm)."""

from __future__ import annotations

import warnings

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator, ClassifierMixin
from ..exceptions import ConvergenceWarning
from ..sparse import CSRMatrix
from ..utils.validation import check_classification_targets, check_is_fitted, check_random_state
from ._base import _check_number, sample_weights
from ._primal import linear_svc_primal_newton


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classification, one-vs-rest, by dual coordinate descent.

    Each binary problem is

        min_w 1/2 ||w||^2 + sum_i C_i loss(y_i w.[x_i, s]),

    with the hinge or squared hinge loss and, when ``fit_intercept``, a constant
    feature s = ``intercept_scaling`` appended to every sample, so that the intercept
    s w_last is regularized like the other weights (liblinear's convention). It is
    solved in the dual by the coordinate descent of Hsieh et al. (2008) (see
    :mod:`scratchml.svm._liblinear`) or, for the squared hinge, in the primal by a
    finite Newton method (see :mod:`scratchml.svm._primal`). With k > 2 classes,
    class c is trained against the rest; prediction is the argmax of the k decision
    values.

    Sparse X (a :class:`scratchml.sparse.CSRMatrix` or SciPy matrix) is accepted:
    the dual solver loops over each row's stored entries (kernel
    ``"linear_svc_cd_sparse"``), the primal one solves its Newton systems by conjugate
    gradient with products X v and Xᵀ u.

    Parameters
    ----------
    penalty : {"l2"}, default="l2"
    loss : {"squared_hinge", "hinge"}, default="squared_hinge"
    dual : "auto", True or False, default="auto"
        True: dual coordinate descent. False: primal Newton (squared hinge only; see
        :mod:`scratchml.svm._primal`). "auto", as in scikit-learn: primal when
        n_samples >= n_features and the loss is the squared hinge, else dual.
    tol : float, default=1e-4
        Stop when the range of projected gradients over a pass is below ``tol``.
    C : float, default=1.0
        Must be > 0.
    multi_class : {"ovr"}, default="ovr"
    fit_intercept : bool, default=True
    intercept_scaling : float, default=1.0
        Value of the synthetic constant feature; must be > 0.
    class_weight : dict, "balanced" or None, default=None
        Multiplies C of the positive class of each problem (of both classes when binary).
    verbose : int, default=0
    random_state : int, Generator or None, default=None
        Seeds the order in which coordinates are visited (dual solver).
    max_iter : int, default=1000
        Maximum number of passes over the data.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
        Largest number of passes (dual) or Newton steps (primal) over the binary problems.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.svm import LinearSVC
    >>> X = np.array([[-2.0, -1], [-1, -1], [1, 1], [2, 1]])
    >>> LinearSVC(random_state=0).fit(X, [0, 0, 1, 1]).predict([[-1.5, -1], [1.5, 1]])
    array([0, 1])
    """

    def __init__(self, penalty: str = "l2", loss: str = "squared_hinge", *, dual="auto",
                 tol: float = 1e-4, C: float = 1.0, multi_class: str = "ovr",
                 fit_intercept: bool = True, intercept_scaling: float = 1.0,
                 class_weight=None, verbose: int = 0, random_state=None,
                 max_iter: int = 1000):
        self.penalty = penalty
        self.loss = loss
        self.dual = dual
        self.tol = tol
        self.C = C
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter

    def _check_params(self):
        if self.penalty != "l2":
            raise ValueError(f"penalty={self.penalty!r} is not supported; use 'l2'.")
        if self.loss not in ("squared_hinge", "hinge"):
            raise ValueError(f"loss={self.loss!r} is not supported; use 'squared_hinge' or "
                             "'hinge'.")
        if not (self.dual == "auto" or isinstance(self.dual, (bool, np.bool_))):
            raise ValueError(f"dual={self.dual!r} is not supported; use 'auto', True or False.")
        if self.dual is False and self.loss == "hinge":
            raise ValueError("loss='hinge' is not supported with dual=False (the hinge loss is "
                             "not differentiable); use dual=True or loss='squared_hinge'.")
        if self.multi_class != "ovr":
            raise ValueError(f"multi_class={self.multi_class!r} is not supported; use 'ovr'.")
        _check_number("C", self.C, low=0.0, low_open=True)
        _check_number("tol", self.tol, low=0.0, low_open=True)
        _check_number("max_iter", self.max_iter, low=0, low_open=True, integer=True)
        _check_number("intercept_scaling", self.intercept_scaling, low=0.0, low_open=True)

    def fit(self, X, y, sample_weight=None) -> LinearSVC:
        """Fit one binary problem (two classes) or one per class (one-vs-rest)."""
        self._check_params()
        X, y = self._validate_data(X, y, dtype=np.float64, accept_sparse=True)
        sparse = isinstance(X, CSRMatrix)
        self.classes_, y_enc = check_classification_targets(y, self)
        k = len(self.classes_)
        from ._svc import SVC

        cw = SVC(class_weight=self.class_weight)._class_weights(self.classes_, y_enc)
        sw = sample_weights(sample_weight, len(y), self)
        if sparse:
            Xa = _append_constant(X, self.intercept_scaling) if self.fit_intercept else X
        elif self.fit_intercept:
            Xa = np.empty((X.shape[0], X.shape[1] + 1))
            Xa[:, :-1] = X
            Xa[:, -1] = self.intercept_scaling
        else:
            Xa = np.ascontiguousarray(X)
        rng = check_random_state(self.random_state)
        if self.dual == "auto":
            use_dual = X.shape[0] < X.shape[1] or self.loss == "hinge"
        else:
            use_dual = bool(self.dual)
        cd, _ = get_kernel("linear_svc_cd_sparse" if sparse else "linear_svc_cd")
        if sparse:
            cd = _sparse_cd(cd)
        problems = [1] if k == 2 else range(k)
        W, n_iter = [], 0
        for c in problems:
            ypm = np.where(y_enc == c, 1.0, -1.0)
            # liblinear: weighted C for the positive class; both classes' when binary.
            C = self.C * sw * (cw[y_enc] if k == 2 else np.where(y_enc == c, cw[c], 1.0))
            # no copy in the usual case
            keep = slice(None) if np.all(C > 0) else np.flatnonzero(C > 0)
            seed = int(rng.integers(1, 2**63))
            if use_dual:
                w, _, it = cd(Xa[keep] if sparse else np.ascontiguousarray(Xa[keep]),
                              ypm[keep], C[keep],
                              self.loss == "squared_hinge", float(self.tol), int(self.max_iter),
                              seed)
            else:
                w, it = linear_svc_primal_newton(Xa[keep], ypm[keep], C[keep],
                                                 float(self.tol), int(self.max_iter))
            if self.verbose:
                print(f"[LinearSVC] class {self.classes_[c]!r}: {it} "
                      f"{'passes' if use_dual else 'Newton steps'}")
            W.append(w)
            n_iter = max(n_iter, it)
        W = np.array(W)
        if self.fit_intercept:
            self.coef_ = np.ascontiguousarray(W[:, :-1])
            self.intercept_ = W[:, -1] * self.intercept_scaling
        else:
            self.coef_ = W
            self.intercept_ = np.zeros(len(W))
        self.n_iter_ = int(n_iter)
        if n_iter >= self.max_iter:
            warnings.warn(
                f"LinearSVC: the solver stopped at max_iter={self.max_iter} iterations "
                "before meeting tol; raise max_iter or scale the features.",
                ConvergenceWarning, stacklevel=2)
        return self

    def decision_function(self, X) -> np.ndarray:
        """w.x + b: (n,) for two classes (positive: classes_[1]), else (n, n_classes)."""
        check_is_fitted(self, method="decision_function")
        X = self._validate_data(X, reset=False, dtype=np.float64, accept_sparse=True)
        dec = X @ self.coef_.T + self.intercept_
        return dec[:, 0] if dec.shape[1] == 1 else dec

    def predict(self, X) -> np.ndarray:
        """Class with the largest decision value."""
        check_is_fitted(self, method="predict")
        dec = self.decision_function(X)
        if dec.ndim == 1:
            return self.classes_[(dec > 0).astype(np.intp)]
        return self.classes_[np.argmax(dec, axis=1)]


def _append_constant(X, value):
    """[X | value] for a CSRMatrix X: one stored entry appended to the end of every row."""
    n, p = X.shape
    ends = X.indptr[1:].astype(np.intp)
    data = np.insert(X.data, ends, value)
    indices = np.insert(X.indices.astype(np.intp), ends, p)
    indptr = X.indptr.astype(np.intp) + np.arange(n + 1)
    return CSRMatrix((data, indices, indptr), shape=(n, p + 1))


def _sparse_cd(kernel):
    """Adapt ``linear_svc_cd_sparse`` to ``linear_svc_cd``'s (X, ...) call."""

    def cd(X, *rest):
        return kernel(np.ascontiguousarray(X.data, dtype=np.float64),
                      X.indices.astype(np.intp), X.indptr.astype(np.intp), X.shape[1], *rest)

    return cd
