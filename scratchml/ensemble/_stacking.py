"""Stacked generalization (Wolpert, 1992): ``StackingClassifier`` and ``StackingRegressor``.

Base estimators f_1..f_m produce *meta-features*; a final estimator g learns
from them. To keep g from learning the base estimators' overfit to their own
training data, its training meta-features are out-of-fold predictions:

    z_i = (f_1^{(-k(i))}(x_i), ..., f_m^{(-k(i))}(x_i)),

where f_j^{(-k)} was fitted without fold k, the fold holding sample i
(``cross_val_predict``). The base estimators are then refitted on all the data,
and predict(x) = g(f_1(x), ..., f_m(x)) (with x appended when ``passthrough``).
"""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin, clone
from ..model_selection import check_cv, cross_val_predict
from ..model_selection._parallel import run_tasks
from ..utils.validation import check_classification_targets, check_is_fitted
from ._voting import _check_estimators, _fit_one

_AUTO_ORDER = ("predict_proba", "decision_function", "predict")


class _BaseStacking(TransformerMixin, BaseEstimator):
    _classifier = False

    def _fit_stack(self, X, y):
        names, ests, _ = _check_estimators(self, self.estimators)
        methods = self._stack_methods(names, ests)
        cv = check_cv(self.cv, y, classifier=self._classifier)
        if self.verbose:
            print(f"[{type(self).__name__}] fitting {len(ests)} estimators and their "
                  f"out-of-fold predictions", flush=True)
        self.estimators_ = run_tasks(_fit_one, [(clone(e), X, y) for e in ests], self.n_jobs)
        self.named_estimators_ = dict(zip(names, self.estimators_))
        self.stack_method_ = methods
        preds = [cross_val_predict(clone(e), X, y, cv=cv, method=m, n_jobs=self.n_jobs)
                 for e, m in zip(ests, methods)]
        meta = self._concatenate(X, preds)
        self.final_estimator_ = clone(self._default_final() if self.final_estimator is None
                                      else self.final_estimator)
        self.final_estimator_.fit(meta, y)
        return self

    def _stack_methods(self, names, ests):
        sm = self.stack_method
        allowed = ("auto",) + _AUTO_ORDER if self._classifier else ("auto", "predict")
        if sm not in allowed:
            raise ValueError(f"stack_method={sm!r} is invalid in {type(self).__name__}; use "
                             f"one of {list(allowed)}.")
        if not self._classifier:
            return ["predict"] * len(ests)
        out = []
        for n, e in zip(names, ests):
            choices = _AUTO_ORDER if sm == "auto" else (sm,)
            found = [m for m in choices if hasattr(e, m)]
            if not found:
                raise ValueError(f"estimator {n!r} has no {' / '.join(choices)} method, "
                                 f"needed by stack_method={sm!r}.")
            out.append(found[0])
        return out

    def _concatenate(self, X, preds):
        cols = []
        for p, m in zip(preds, self.stack_method_):
            p = np.asarray(p, dtype=np.float64)
            if p.ndim == 1:
                cols.append(p[:, None])
            elif m == "predict_proba" and p.shape[1] == 2:
                cols.append(p[:, 1:])  # the two columns of a binary problem are collinear
            else:
                cols.append(p)
        if self.passthrough:
            cols.append(np.asarray(X, dtype=np.float64))
        return np.hstack(cols)

    def _check(self, X, method):
        check_is_fitted(self, method=method)
        return self._validate_data(X, reset=False, ensure_all_finite=False)

    def _meta(self, X):
        return self._concatenate(X, [getattr(e, m)(X) for e, m in
                                     zip(self.estimators_, self.stack_method_)])

    def transform(self, X) -> np.ndarray:
        """The meta-features of X: the base estimators' outputs (and X with passthrough)."""
        return self._meta(self._check(X, "transform"))


_PARAMS_DOC = """
    Parameters
    ----------
    estimators : list of (str, estimator)
        Base estimators (cloned); 'drop' removes one.
    final_estimator : estimator or None
        Learns from the meta-features; None uses {default}.
    cv : None, int, splitter or iterable, default=None
        Folds of the out-of-fold predictions (``check_cv``: 5 folds, stratified
        for classifiers).
    {stack_method}n_jobs : int or None
        Base estimators and folds fitted in parallel.
    passthrough : bool, default=False
        Append the original features to the meta-features.
    verbose : int, default=0

    Attributes
    ----------
    estimators_ : list of fitted base estimators (on all the data)
    named_estimators_ : dict of name -> fitted estimator
    final_estimator_ : fitted final estimator
    stack_method_ : list of str
        The method used for each base estimator.
"""


class StackingClassifier(ClassifierMixin, _BaseStacking):
    __doc__ = ("""Stack classifiers: a final classifier learns from their out-of-fold outputs.
    """ + _PARAMS_DOC.format(
        default="scratchml.linear_model.LogisticRegression()",
        stack_method=("stack_method : {'auto', 'predict_proba', 'decision_function', "
                      "'predict'}, default='auto'\n        Output used as meta-features; 'auto' "
                      "takes the first available in that order.\n    "),
    ) + """classes_ : ndarray of shape (n_classes,)

    Examples
    --------
    >>> from scratchml.ensemble import StackingClassifier
    >>> from scratchml.naive_bayes import GaussianNB
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> X = [[0.0], [0.5], [1.0], [1.5], [3.0], [3.5], [4.0], [4.5]]; y = [0] * 4 + [1] * 4
    >>> stack = StackingClassifier([("knn", KNeighborsClassifier(1))],
    ...                            final_estimator=GaussianNB(), cv=2).fit(X, y)
    >>> stack.predict([[0.2], [4.2]])
    array([0, 1])
    """)

    _classifier = True

    def __init__(self, estimators=None, final_estimator=None, *, cv=None,
                 stack_method: str = "auto", n_jobs: int | None = None,
                 passthrough: bool = False, verbose: int = 0):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.stack_method = stack_method
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose

    @staticmethod
    def _default_final():
        from ..linear_model import LogisticRegression

        return LogisticRegression()

    def fit(self, X, y):
        """Fit the base estimators, their out-of-fold outputs, then the final estimator."""
        X, y = self._validate_data(X, y, ensure_all_finite=False)
        self.classes_, y_enc = check_classification_targets(y, estimator=self)
        return self._fit_stack(X, y_enc)

    def predict(self, X) -> np.ndarray:
        """The final estimator's class for the meta-features of X."""
        meta = self._meta(self._check(X, "predict"))
        pred = self.final_estimator_.predict(meta)
        return self.classes_[np.asarray(pred, dtype=np.intp)]

    @property
    def predict_proba(self):
        """The final estimator's class probabilities (if it has predict_proba)."""
        if self.final_estimator is not None and not hasattr(self.final_estimator,
                                                            "predict_proba"):
            raise AttributeError("the final estimator has no predict_proba")
        return self._predict_proba

    def _predict_proba(self, X) -> np.ndarray:
        meta = self._meta(self._check(X, "predict_proba"))
        return self.final_estimator_.predict_proba(meta)

    @property
    def decision_function(self):
        """The final estimator's decision function (if it has one)."""
        final = self.final_estimator
        if final is not None and not hasattr(final, "decision_function"):
            raise AttributeError("the final estimator has no decision_function")
        return self._decision_function

    def _decision_function(self, X) -> np.ndarray:
        meta = self._meta(self._check(X, "decision_function"))
        return self.final_estimator_.decision_function(meta)


class StackingRegressor(RegressorMixin, _BaseStacking):
    __doc__ = ("""Stack regressors: a final regressor learns from their out-of-fold predictions.
    """ + _PARAMS_DOC.format(default="scratchml.linear_model.RidgeCV()", stack_method="") + """
    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.ensemble import StackingRegressor
    >>> from scratchml.model_selection import KFold
    >>> from scratchml.neighbors import KNeighborsRegressor
    >>> X = np.arange(12.0).reshape(-1, 1); y = 2 * X[:, 0]
    >>> stack = StackingRegressor([("knn", KNeighborsRegressor(2))],
    ...                           final_estimator=KNeighborsRegressor(2),
    ...                           cv=KFold(3, shuffle=True, random_state=0)).fit(X, y)
    >>> stack.transform([[5.5]]), stack.predict([[5.5]])
    (array([[11.]]), array([11.]))
    """)

    def __init__(self, estimators=None, final_estimator=None, *, cv=None,
                 n_jobs: int | None = None, passthrough: bool = False, verbose: int = 0):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose

    stack_method = "predict"

    @staticmethod
    def _default_final():
        from ..linear_model import RidgeCV

        return RidgeCV()

    def fit(self, X, y):
        """Fit the base estimators, their out-of-fold predictions, then the final estimator."""
        X, y = self._validate_data(X, y, ensure_all_finite=False, y_numeric=True)
        return self._fit_stack(X, y)

    def predict(self, X) -> np.ndarray:
        """The final estimator's prediction for the meta-features of X."""
        meta = self._meta(self._check(X, "predict"))
        return self.final_estimator_.predict(meta)
