"""SVC: the C-support vector classifier, one-vs-one like libsvm."""

from __future__ import annotations

import numpy as np

from ..base import ClassifierMixin
from ..utils.validation import check_classification_targets, check_random_state
from ._base import _BaseLibSVM, _check_number, sample_weights, validate_fit_input
from ._platt import MIN_PROB, pairwise_coupling, sigmoid_predict, sigmoid_train


def _ovr_decision_function(predictions, confidences, n_classes):
    """scikit-learn's one-vs-rest view of one-vs-one results: votes + squashed confidence."""
    n = predictions.shape[0]
    votes = np.zeros((n, n_classes))
    conf = np.zeros((n, n_classes))
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            conf[:, i] -= confidences[:, k]
            conf[:, j] += confidences[:, k]
            votes[predictions[:, k] == 0, i] += 1
            votes[predictions[:, k] == 1, j] += 1
            k += 1
    return votes + conf / (3 * (np.abs(conf) + 1))


class SVC(ClassifierMixin, _BaseLibSVM):
    """C-support vector classification with a kernel, solved by SMO (libsvm's algorithm).

    For two classes with labels y_i in {+1, -1} the dual problem is

        min_a 1/2 sum_ij a_i a_j y_i y_j K(x_i, x_j) - sum_i a_i,
        s.t.  sum_i y_i a_i = 0,  0 <= a_i <= C_i  (C_i = C * class weight * sample weight),

    and the decision function is f(x) = sum_i y_i a_i K(x_i, x) + b. Samples with
    a_i > 0 are the support vectors. With k classes, one such problem is solved for
    every pair of classes (i < j, in class order) and prediction is a vote, exactly
    as libsvm does. See :mod:`scratchml.svm._smo` for the solver (Fan, Chen & Lin
    2005) and :mod:`scratchml.svm._platt` for ``probability=True``.

    Parameters
    ----------
    C : float, default=1.0
        Box constraint (inverse regularization strength); must be > 0.
    kernel : {"linear", "poly", "rbf", "sigmoid", "precomputed"} or callable, default="rbf"
        A callable ``k(X, Y)`` must return the (len(X), len(Y)) Gram matrix.
    degree : int, default=3
        Degree of the polynomial kernel.
    gamma : {"scale", "auto"} or float, default="scale"
        Kernel coefficient: "scale" is 1 / (n_features * X.var()), "auto" 1 / n_features.
    coef0 : float, default=0.0
        Constant term of the poly and sigmoid kernels.
    shrinking : bool, default=True
        Use libsvm's shrinking heuristic.
    probability : bool, default=False
        Fit Platt scaling with an internal 5-fold cross-validation (slower fit).
    tol : float, default=1e-3
        Stop when the maximal KKT violation m(a) - M(a) is below ``tol``.
    cache_size : float, default=200
        Kernel cache size in MB.
    class_weight : dict, "balanced" or None, default=None
        Multiplies C per class; "balanced" uses n_samples / (n_classes * count).
    verbose : int, default=0
        Print one line per solved problem when > 0.
    max_iter : int, default=-1
        Iteration limit of each solver run; -1 means libsvm's own cap.
    decision_function_shape : {"ovr", "ovo"}, default="ovr"
        Shape of ``decision_function`` with more than two classes.
    break_ties : bool, default=False
        With "ovr" and more than two classes, predict the argmax of the decision function
        instead of the vote winner.
    random_state : int, Generator or None, default=None
        Seeds the folds of the probability cross-validation.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    support_ : ndarray of shape (n_SV,)
        Indices of the support vectors, grouped by class in class order.
    support_vectors_ : ndarray of shape (n_SV, n_features)
    n_support_ : ndarray of shape (n_classes,)
    dual_coef_ : ndarray of shape (n_classes - 1, n_SV)
        y_i a_i in libsvm's layout: the coefficient of a support vector of class c in
        the problem (c, c') is in row c' - 1 if c < c', else in row c'.
    intercept_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
    coef_ : ndarray of shape (n_classes * (n_classes - 1) / 2, n_features)
        Primal weights, only for the linear kernel.
    class_weight_ : ndarray of shape (n_classes,)
    fit_status_ : int
        0 when every problem converged, 1 if ``max_iter`` stopped one.
    n_iter_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
    probA_, probB_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
        Platt's parameters, when ``probability=True``.
    shape_fit_ : tuple
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.svm import SVC
    >>> X = np.array([[-2.0, -1], [-1, -1], [1, 1], [2, 1]])
    >>> clf = SVC(kernel="linear").fit(X, [0, 0, 1, 1])
    >>> clf.predict([[-0.8, -1], [3, 2]])
    array([0, 1])
    """

    def __init__(self, *, C: float = 1.0, kernel="rbf", degree: int = 3, gamma="scale",
                 coef0: float = 0.0, shrinking: bool = True, probability: bool = False,
                 tol: float = 1e-3, cache_size: float = 200, class_weight=None,
                 verbose: int = 0, max_iter: int = -1, decision_function_shape: str = "ovr",
                 break_ties: bool = False, random_state=None):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.shrinking = shrinking
        self.probability = probability
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.verbose = verbose
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.break_ties = break_ties
        self.random_state = random_state

    def _check_params(self):
        self._check_common_params()
        _check_number("C", self.C, low=0.0, low_open=True)
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(f"decision_function_shape={self.decision_function_shape!r} is not "
                             "supported; use 'ovr' or 'ovo'.")
        if self.break_ties and self.decision_function_shape == "ovo":
            raise ValueError("break_ties=True needs decision_function_shape='ovr'.")

    def _class_weights(self, classes, y_enc) -> np.ndarray:
        k = len(classes)
        if self.class_weight is None:
            return np.ones(k)
        if isinstance(self.class_weight, str):
            if self.class_weight != "balanced":
                raise ValueError(f"class_weight={self.class_weight!r} is not supported; use "
                                 "None, 'balanced' or a dict {label: weight}.")
            return len(y_enc) / (k * np.bincount(y_enc, minlength=k))
        if not isinstance(self.class_weight, dict):
            raise ValueError("class_weight must be None, 'balanced' or a dict {label: weight}.")
        known = set(classes.tolist())
        unknown = [c for c in self.class_weight if c not in known]
        if unknown:
            raise ValueError(f"class_weight has labels {unknown} that are not in y "
                             f"(classes: {classes.tolist()}).")
        return np.array([float(self.class_weight.get(c, 1.0)) for c in classes.tolist()])

    def fit(self, X, y, sample_weight=None) -> SVC:
        """Fit one SVM per pair of classes; returns self."""
        self._check_params()
        X, y = validate_fit_input(self, X, y)
        self.classes_, y_enc = check_classification_targets(y, self)
        k = len(self.classes_)
        self.class_weight_ = self._class_weights(self.classes_, y_enc)
        C_sample = self.C * self.class_weight_[y_enc] * sample_weights(sample_weight, len(y), self)
        M = self._fit_kernel(X)
        rng = check_random_state(self.random_state)
        pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
        coef, rho, n_iter, status = {}, [], [], []
        probA, probB = [], []
        for i, j in pairs:
            # libsvm's variable order: the samples of class i, then those of class j.
            idx = np.concatenate([np.flatnonzero(y_enc == i), np.flatnonzero(y_enc == j)])
            idx = idx[C_sample[idx] > 0]  # zero-weight samples cannot be support vectors
            ypm = np.where(y_enc[idx] == i, 1.0, -1.0)
            if not (np.any(ypm > 0) and np.any(ypm < 0)):
                raise ValueError(
                    f"classes {self.classes_[i]!r} and {self.classes_[j]!r}: every sample of "
                    "one of them has zero sample_weight or class_weight; give each class "
                    "some positive weight.")
            if self.probability:
                A, B = sigmoid_train(self._cv_decisions(M, idx, ypm, C_sample, rng), ypm)
                probA.append(A)
                probB.append(B)
            a, r, it, st = self._solve(M, idx, ypm, -np.ones(len(idx)), C_sample[idx],
                                       np.zeros(len(idx)))
            coef[i, j] = (idx, ypm * a)
            rho.append(r)
            n_iter.append(it)
            status.append(st)
        self._set_support(X, y_enc, pairs, coef, np.array(rho))
        self.n_iter_ = np.array(n_iter, dtype=np.intp)
        self.fit_status_ = int(max(status))
        self.probA_ = np.array(probA)
        self.probB_ = np.array(probB)
        self.shape_fit_ = X.shape
        self._warn_status()
        return self

    def _set_support(self, X, y_enc, pairs, coef, rho):
        k = len(self.classes_)
        is_sv = np.zeros(len(y_enc), dtype=bool)
        for idx, c in coef.values():
            is_sv[idx[c != 0]] = True
        self.support_ = np.concatenate(
            [np.flatnonzero(is_sv & (y_enc == c)) for c in range(k)]).astype(np.intp)
        self.n_support_ = np.array([np.sum(is_sv & (y_enc == c)) for c in range(k)],
                                   dtype=np.int32)
        position = np.full(len(y_enc), -1)
        position[self.support_] = np.arange(len(self.support_))
        dual = np.zeros((k - 1, len(self.support_)))
        for i, j in pairs:
            idx, c = coef[i, j]
            keep = c != 0
            idx, c = idx[keep], c[keep]
            in_i = y_enc[idx] == i
            dual[j - 1, position[idx[in_i]]] = c[in_i]
            dual[i, position[idx[~in_i]]] = c[~in_i]
        self.support_vectors_ = self._support_vectors_of(X, self.support_)
        self.dual_coef_ = dual
        self.intercept_ = -rho
        if k == 2:  # scikit-learn's public convention: positive means classes_[1]
            self.dual_coef_ = -self.dual_coef_
            self.intercept_ = -self.intercept_

    def _cv_decisions(self, M, idx, ypm, C_sample, rng) -> np.ndarray:
        """Out-of-fold decision values of a pair's problem (libsvm's 5-fold CV)."""
        n = len(idx)
        perm = rng.permutation(n)
        dec = np.zeros(n)
        for f in range(5):
            test = perm[f * n // 5:(f + 1) * n // 5]
            train = np.concatenate([perm[:f * n // 5], perm[(f + 1) * n // 5:]])
            pos, neg = train[ypm[train] > 0], train[ypm[train] < 0]
            if len(pos) == 0 or len(neg) == 0:
                dec[test] = 0.0 if len(train) == 0 else (1.0 if len(neg) == 0 else -1.0)
                continue
            train = np.concatenate([pos, neg])
            a, r, _, _ = self._solve(M, idx[train], ypm[train], -np.ones(len(train)),
                                     C_sample[idx[train]], np.zeros(len(train)))
            sv = a > 0
            K = self._train_kernel(M, idx[test], idx[train][sv])
            dec[test] = K @ (ypm[train][sv] * a[sv]) - r
        return dec

    def _train_kernel(self, M, rows, cols) -> np.ndarray:
        from ._kernel_fn import KERNEL_CODES, kernel_block

        if self._kernel_code() == 4:
            return M[np.ix_(rows, cols)]
        return kernel_block(KERNEL_CODES[self.kernel], M[rows], M[cols], self._gamma,
                            self.coef0, self.degree)

    # -- prediction ------------------------------------------------------------------

    def _ovo_decision(self, X) -> np.ndarray:
        """libsvm's pairwise decision values (positive: the lower class of the pair)."""
        k = len(self.classes_)
        bounds = np.concatenate([[0], np.cumsum(self.n_support_)])
        out = np.empty((X.shape[0], k * (k - 1) // 2))
        dual = -self.dual_coef_ if k == 2 else self.dual_coef_
        inter = -self.intercept_ if k == 2 else self.intercept_
        for rows, K in self._kernel_chunks(X):
            p = 0
            for i in range(k):
                si = slice(bounds[i], bounds[i + 1])
                for j in range(i + 1, k):
                    sj = slice(bounds[j], bounds[j + 1])
                    out[rows, p] = (K[:, si] @ dual[j - 1, si] + K[:, sj] @ dual[i, sj]
                                    + inter[p])
                    p += 1
        return out

    def decision_function(self, X) -> np.ndarray:
        """Signed distances: (n,) for two classes (positive: classes_[1]), else per pair
        ("ovo") or scikit-learn's one-vs-rest transform of them ("ovr")."""
        X = self._validate_for_predict(X, "decision_function")
        dec = self._ovo_decision(X)
        if len(self.classes_) == 2:
            return -dec[:, 0]
        if self.decision_function_shape == "ovr":
            return _ovr_decision_function(dec < 0, -dec, len(self.classes_))
        return dec

    def predict(self, X) -> np.ndarray:
        """Class of each row: the one-vs-one vote winner (lowest class on ties)."""
        X = self._validate_for_predict(X, "predict")
        dec = self._ovo_decision(X)
        k = len(self.classes_)
        if self.break_ties and k > 2:
            return self.classes_[np.argmax(_ovr_decision_function(dec < 0, -dec, k), axis=1)]
        votes = np.zeros((X.shape[0], k), dtype=np.intp)
        p = 0
        for i in range(k):
            for j in range(i + 1, k):
                win = dec[:, p] > 0
                votes[win, i] += 1
                votes[~win, j] += 1
                p += 1
        return self.classes_[np.argmax(votes, axis=1)]

    @property
    def predict_proba(self):
        """Class probabilities (Platt scaling + pairwise coupling); needs probability=True."""
        if not self.probability:
            raise AttributeError("predict_proba is not available when probability=False; "
                                 "fit with SVC(probability=True).")
        return self._predict_proba

    @property
    def predict_log_proba(self):
        """Logarithm of :meth:`predict_proba`; needs probability=True."""
        if not self.probability:
            raise AttributeError("predict_log_proba is not available when probability=False; "
                                 "fit with SVC(probability=True).")
        return lambda X: np.log(self._predict_proba(X))

    def _predict_proba(self, X) -> np.ndarray:
        X = self._validate_for_predict(X, "predict_proba")
        if len(self.probA_) == 0:
            raise AttributeError("predict_proba needs a model fitted with probability=True; "
                                 "refit after set_params(probability=True).")
        dec = self._ovo_decision(X)
        k = len(self.classes_)
        r = np.zeros((X.shape[0], k, k))
        p = 0
        for i in range(k):
            for j in range(i + 1, k):
                rij = np.clip(sigmoid_predict(dec[:, p], self.probA_[p], self.probB_[p]),
                              MIN_PROB, 1 - MIN_PROB)
                r[:, i, j], r[:, j, i] = rij, 1 - rij
                p += 1
        if k == 2:
            return np.column_stack([r[:, 0, 1], r[:, 1, 0]])
        return pairwise_coupling(r)

    @property
    def coef_(self) -> np.ndarray:
        """Primal weights w of each pairwise problem (linear kernel only)."""
        if self.kernel != "linear":
            raise AttributeError("coef_ is only available when kernel='linear'.")
        k = len(self.classes_)
        if k == 2:
            return self.dual_coef_ @ self.support_vectors_
        bounds = np.concatenate([[0], np.cumsum(self.n_support_)])
        rows = []
        for i in range(k):
            si = slice(bounds[i], bounds[i + 1])
            for j in range(i + 1, k):
                sj = slice(bounds[j], bounds[j + 1])
                rows.append(self.dual_coef_[j - 1, si] @ self.support_vectors_[si]
                            + self.dual_coef_[i, sj] @ self.support_vectors_[sj])
        return np.array(rows)
