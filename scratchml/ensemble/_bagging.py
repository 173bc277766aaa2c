"""Bagging (Breiman 1996): any estimator, fitted on random subsets of rows and columns.

Each member sees ``max_samples`` rows (drawn with replacement when ``bootstrap``) and
``max_features`` columns (with replacement when ``bootstrap_features``); predictions
are averaged (class probabilities, or votes for classifiers without
``predict_proba``; mean for regressors). When the member accepts ``sample_weight``
the drawn rows are passed as counts (weights) on the whole data, as scikit-learn does.
All seeds are drawn before any member is fitted, so ``n_jobs`` never changes the result.
"""

from __future__ import annotations

import inspect
import numbers
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .._config import effective_n_jobs
from ..base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from ..utils._params import store_params, with_params_doc
from ..utils.validation import (
    check_classification_targets,
    check_is_fitted,
    check_random_state,
    check_sample_weight,
)
from ._common import OOBClassifierMixin, OOBRegressorMixin, check_n_estimators


def _count(name, value, n, est, default_all):
    if value is None and default_all:
        return n
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and 1 <= value <= n:
        return int(value)
    if (isinstance(value, numbers.Real) and not isinstance(value, (bool, numbers.Integral))
            and 0.0 < value <= 1.0):
        return max(1, int(value * n))
    raise ValueError(f"{name}={value!r} is invalid for {est}: use an int in [1, {n}] or a "
                     "float in (0, 1].")


class _BaseBagging(BaseEstimator):
    # BaggingClassifier and BaggingRegressor take the same parameters: one signature.
    def __init__(self, estimator=None, n_estimators: int = 10, max_samples=None,
                 max_features=1.0, bootstrap: bool = True, bootstrap_features: bool = False,
                 oob_score: bool = False, warm_start: bool = False, n_jobs=None,
                 random_state=None, verbose: int = 0):
        store_params(self, locals())

    def _default(self):
        from ..tree import DecisionTreeClassifier, DecisionTreeRegressor

        return DecisionTreeClassifier() if self._is_clf else DecisionTreeRegressor()

    def _fit_members(self, X, y, w):
        est = type(self).__name__
        n, p = X.shape
        ne = self.n_estimators
        check_n_estimators(ne, est)
        if self.oob_score and not self.bootstrap:
            raise ValueError(f"oob_score=True needs bootstrap=True in {est}.")
        n_rows = _count("max_samples", self.max_samples, n, est, True)
        n_cols = _count("max_features", self.max_features, p, est, False)
        base = self.estimator if self.estimator is not None else self._default()
        takes_weight = "sample_weight" in inspect.signature(base.fit).parameters
        rng = check_random_state(self.random_state)
        seeds = rng.integers(0, 2**63, size=(ne, 2))  # draws, member's random_state
        keep = list(self.estimators_) if self.warm_start and hasattr(self, "estimators_") else []
        keep_feats = list(self.estimators_features_) if keep else []

        def draws(i):
            r = np.random.default_rng(int(seeds[i, 0]))
            feats = (r.integers(0, p, n_cols) if self.bootstrap_features
                     else r.permutation(p)[:n_cols])
            rows = r.integers(0, n, n_rows) if self.bootstrap else r.permutation(n)[:n_rows]
            return np.sort(feats), np.bincount(rows, minlength=n)

        def fit_one(i):
            feats, counts = draws(i)
            member = clone(base)
            if "random_state" in member.get_params(deep=False):
                member.set_params(random_state=int(seeds[i, 1] % (2**31)))
            Xs = X[:, feats]
            if takes_weight:
                member.fit(Xs, y, sample_weight=w * counts)
            else:
                rows = np.repeat(np.arange(n), counts)
                member.fit(Xs[rows], y[rows])
            return member, feats

        todo = range(len(keep), ne)
        n_threads = max(1, min(effective_n_jobs(self.n_jobs), len(todo)))
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            results = []
            for j, res in enumerate(pool.map(fit_one, todo)):
                results.append(res)
                if self.verbose and (j + 1) % max(1, len(todo) // 10) == 0:
                    print(f"[{est}] fitted {j + 1}/{len(todo)} estimators", flush=True)
        self.estimators_ = keep + [m for m, _ in results]
        self.estimators_features_ = keep_feats + [f for _, f in results]
        self.n_features_in_ = p
        if self.oob_score:
            seen_total = np.zeros((n, self._width()))
            n_pred = np.zeros(n)
            for i, (member, feats) in enumerate(zip(self.estimators_, self.estimators_features_)):
                oob = np.flatnonzero(draws(i)[1] == 0)
                if oob.size:
                    seen_total[oob] += self._member_output(member, X[oob][:, feats])
                    n_pred[oob] += 1
            seen = n_pred > 0
            with np.errstate(invalid="ignore", divide="ignore"):
                self._store_oob(seen_total / n_pred[:, None], y, seen)
        return self

    def _check_X(self, X, method):
        check_is_fitted(self, "estimators_", method=method)
        return self._validate_data(X, reset=False)

    def _mean_output(self, X, method):
        X = self._check_X(X, method)
        total = np.zeros((len(X), self._width()))
        for member, feats in zip(self.estimators_, self.estimators_features_):
            total += self._member_output(member, X[:, feats])
        return total / len(self.estimators_)


_PARAMS = """
    estimator : estimator, default=None
        The member to bag (None: a decision tree).
    n_estimators : int, default=10
    max_samples : int, float or None, default=None
        Rows per member (None or 1.0: n_samples).
    max_features : int or float, default=1.0
        Columns per member.
    bootstrap : bool, default=True
        Draw rows with replacement.
    bootstrap_features : bool, default=False
        Draw columns with replacement.
    oob_score : bool, default=False
        Compute the out-of-bag score ``oob_score_``.
    warm_start : bool, default=False
        Keep fitted members and add new ones up to ``n_estimators``.
    n_jobs : int or None, default=None
        Threads fitting members (results do not depend on it).
    random_state : int, Generator or None, default=None
    verbose : int, default=0
"""


_with_params = with_params_doc(_PARAMS)


@_with_params
class BaggingClassifier(ClassifierMixin, OOBClassifierMixin, _BaseBagging):
    """Bagging classifier: the mean of the members' class probabilities (or votes).

    Parameters
    ----------
    {params}
    Attributes
    ----------
    estimators_ : list of estimators
    estimators_features_ : list of ndarray
        Columns each member was fitted on.
    classes_ : ndarray
    oob_score_ : float
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> from scratchml.ensemble import BaggingClassifier
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> bag = BaggingClassifier(random_state=0).fit(X, [0, 0, 1, 1])
    >>> bag.predict([[0.0], [3.0]]).tolist()
    [0, 1]
    """

    _is_clf = True

    def fit(self, X, y, sample_weight=None) -> BaggingClassifier:
        """Fit every member on its random rows and columns."""
        X, y = self._validate_data(X, y)
        self.classes_, codes = check_classification_targets(y, self)
        self.n_classes_ = len(self.classes_)
        w = check_sample_weight(sample_weight, len(X), estimator=self)
        return self._fit_members(X, codes, w)

    def _width(self):
        return self.n_classes_

    def _member_output(self, member, X):
        """Member's probabilities in the columns of classes_ (votes without predict_proba)."""
        out = np.zeros((len(X), self.n_classes_))
        cols = np.asarray(member.classes_, dtype=np.intp)
        if hasattr(member, "predict_proba"):
            out[:, cols] = member.predict_proba(X)
        else:
            out[np.arange(len(X)), np.asarray(member.predict(X), dtype=np.intp)] = 1.0
        return out

    def predict_proba(self, X) -> np.ndarray:
        """Mean of the members' class probabilities."""
        return self._mean_output(X, "predict_proba")

    def predict(self, X) -> np.ndarray:
        """Class of largest mean probability."""
        proba = self._mean_output(X, "predict")
        return self.classes_[np.argmax(proba, axis=1)]


@_with_params
class BaggingRegressor(RegressorMixin, OOBRegressorMixin, _BaseBagging):
    """Bagging regressor: the mean of the members' predictions.

    Parameters
    ----------
    {params}
    Attributes
    ----------
    estimators_ : list of estimators
    estimators_features_ : list of ndarray
    oob_score_ : float
    oob_prediction_ : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from scratchml.ensemble import BaggingRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> bag = BaggingRegressor(random_state=0).fit(X, [0.0, 0.0, 1.0, 1.0])
    >>> bool(bag.predict([[3.0]])[0] > 0.5)
    True
    """

    _is_clf = False

    def fit(self, X, y, sample_weight=None) -> BaggingRegressor:
        """Fit every member on its random rows and columns."""
        X, y = self._validate_data(X, y, y_numeric=True)
        w = check_sample_weight(sample_weight, len(X), estimator=self)
        return self._fit_members(X, y, w)

    def _width(self):
        return 1

    def _member_output(self, member, X):
        return np.asarray(member.predict(X), dtype=np.float64).reshape(-1, 1)

    def predict(self, X) -> np.ndarray:
        """Mean of the members' predictions."""
        return self._mean_output(X, "predict")[:, 0]
