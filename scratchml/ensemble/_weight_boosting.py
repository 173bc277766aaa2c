"""AdaBoost: SAMME for classification (Zhu et al. 2009), AdaBoost.R2 for regression
(Drucker 1997).

SAMME. Start from weights w_i = 1/n. Round m fits a weak learner h_m with weights w,
measures its weighted error e_m = Σ w_i [h_m(x_i) ≠ y_i] / Σ w_i, gives it the vote
α_m = η (log((1 − e_m)/e_m) + log(K − 1)) and multiplies the weights of the samples
it got wrong by exp(α_m). The ensemble predicts argmax_k Σ_m α_m [h_m(x) = k].

AdaBoost.R2. Round m fits h_m on a weighted bootstrap sample, scales its absolute
errors to L_i in [0, 1] (linear, square or exponential loss), computes the mean loss
ē = Σ w_i L_i, β = ē / (1 − ē), the vote η log(1/β), and multiplies w_i by
β^(η (1 − L_i)). The ensemble predicts the weighted median of the learners.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from ..utils._params import store_params
from ..utils.validation import (
    check_classification_targets,
    check_is_fitted,
    check_random_state,
    check_sample_weight,
)
from ._common import check_n_estimators


class _BaseAdaBoost(BaseEstimator):
    def _check(self):
        est = type(self).__name__
        ne, lr = self.n_estimators, self.learning_rate
        check_n_estimators(ne, est)
        if not isinstance(lr, numbers.Real) or isinstance(lr, bool) or not lr > 0:
            raise ValueError(f"learning_rate={lr!r} is invalid for {est}: use a float > 0.")

    def _member(self, rng):
        member = clone(self.estimator if self.estimator is not None else self._default())
        if "random_state" in member.get_params(deep=False):
            member.set_params(random_state=int(rng.integers(0, 2**31)))
        return member

    @property
    def feature_importances_(self) -> np.ndarray:
        """Importances of the learners, averaged with their votes as weights."""
        check_is_fitted(self, "estimators_", method="feature_importances_")
        weights = self.estimator_weights_[: len(self.estimators_)]
        imp = sum(wt * m.feature_importances_ for wt, m in zip(weights, self.estimators_))
        total = np.sum(weights)
        return imp / total if total > 0 else imp


class AdaBoostClassifier(ClassifierMixin, _BaseAdaBoost):
    """AdaBoost classifier with the multi-class SAMME algorithm.

    Parameters
    ----------
    estimator : classifier, default=None
        Weak learner accepting ``sample_weight`` (None: a depth-1 decision tree).
    n_estimators : int, default=50
        Most boosting rounds (fewer if a learner is perfect).
    learning_rate : float, default=1.0
        Shrinks each learner's vote α_m.
    random_state : int, Generator or None, default=None
        Seeds the learners' own randomness.

    Attributes
    ----------
    estimators_ : list of classifiers
    estimator_weights_ : ndarray
        Votes α_m.
    estimator_errors_ : ndarray
        Weighted errors e_m.
    classes_ : ndarray
    feature_importances_ : ndarray

    Examples
    --------
    >>> from scratchml.ensemble import AdaBoostClassifier
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> ada = AdaBoostClassifier(n_estimators=5, random_state=0).fit(X, [0, 0, 1, 1])
    >>> ada.predict([[0.2], [2.8]]).tolist()
    [0, 1]
    """

    def __init__(self, estimator=None, n_estimators: int = 50, learning_rate: float = 1.0,
                 random_state=None):
        store_params(self, locals())

    def _default(self):
        from ..tree import DecisionTreeClassifier

        return DecisionTreeClassifier(max_depth=1)

    def fit(self, X, y, sample_weight=None) -> AdaBoostClassifier:
        """Run up to ``n_estimators`` SAMME rounds."""
        self._check()
        X, y = self._validate_data(X, y)
        self.classes_, codes = check_classification_targets(y, self)
        K = self.n_classes_ = len(self.classes_)
        w = check_sample_weight(sample_weight, len(X), estimator=self)
        w = w / w.sum()
        rng = check_random_state(self.random_state)
        members, alphas, errors = [], [], []
        for _ in range(self.n_estimators):
            member = self._member(rng).fit(X, codes, sample_weight=w)
            wrong = member.predict(X) != codes
            err = float(np.sum(w[wrong]) / np.sum(w))
            if err <= 0:  # perfect learner: it decides alone
                members.append(member)
                alphas.append(1.0)
                errors.append(0.0)
                break
            if err >= 1.0 - 1.0 / K:
                if not members:
                    raise ValueError(f"{type(self).__name__}: the first weak learner is no "
                                     f"better than chance (error {err:.3f} >= {1 - 1 / K:.3f});"
                                     " use a stronger estimator.")
                break
            alpha = self.learning_rate * (np.log((1.0 - err) / err) + np.log(K - 1.0))
            members.append(member)
            alphas.append(alpha)
            errors.append(err)
            w = w * np.exp(alpha * wrong * (w > 0))
            w /= w.sum()
        self.estimators_ = members
        self.estimator_weights_ = np.asarray(alphas)
        self.estimator_errors_ = np.asarray(errors)
        return self

    def decision_function(self, X) -> np.ndarray:
        """Σ_m α_m (1 if h_m(x) = k else −1/(K−1)) / Σ α; binary: one column, > 0 for class 1."""
        return self._decision(X, "decision_function")

    def _decision(self, X, method: str) -> np.ndarray:
        check_is_fitted(self, "estimators_", method=method)
        X = self._validate_data(X, reset=False)
        K = self.n_classes_
        score = np.zeros((len(X), K))
        for member, alpha in zip(self.estimators_, self.estimator_weights_):
            hit = member.predict(X)[:, None] == np.arange(K)
            score += np.where(hit, alpha, -alpha / (K - 1))
        score /= self.estimator_weights_.sum()
        if K == 2:
            return score[:, 1] - score[:, 0]
        return score

    def predict_proba(self, X) -> np.ndarray:
        """Softmax of decision_function / (K − 1), scikit-learn's SAMME probabilities."""
        d = self._decision(X, "predict_proba")
        if self.n_classes_ == 2:
            d = np.column_stack([-d, d]) / 2.0
        z = d / (self.n_classes_ - 1)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """Class with the largest weighted vote."""
        d = self._decision(X, "predict")
        if self.n_classes_ == 2:
            return self.classes_[(d > 0).astype(np.intp)]
        return self.classes_[np.argmax(d, axis=1)]


class AdaBoostRegressor(RegressorMixin, _BaseAdaBoost):
    """AdaBoost.R2 regressor: boosting by weighted resampling, weighted-median prediction.

    Parameters
    ----------
    estimator : regressor, default=None
        The learner (None: a depth-3 decision tree).
    n_estimators : int, default=50
    learning_rate : float, default=1.0
    loss : {"linear", "square", "exponential"}, default="linear"
        L_i = e_i, e_i², or 1 − exp(−e_i), with e_i = |h(x_i) − y_i| / max_j |h(x_j) − y_j|.
    random_state : int, Generator or None, default=None
        Seeds the weighted bootstrap samples and the learners.

    Attributes
    ----------
    estimators_ : list of regressors
    estimator_weights_ : ndarray
    estimator_errors_ : ndarray
    feature_importances_ : ndarray

    Examples
    --------
    >>> from scratchml.ensemble import AdaBoostRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> ada = AdaBoostRegressor(n_estimators=5, random_state=0).fit(X, [0.0, 0.0, 1.0, 1.0])
    >>> ada.predict([[0.0], [3.0]]).tolist()
    [0.0, 1.0]
    """

    def __init__(self, estimator=None, n_estimators: int = 50, learning_rate: float = 1.0,
                 loss: str = "linear", random_state=None):
        store_params(self, locals())

    def _default(self):
        from ..tree import DecisionTreeRegressor

        return DecisionTreeRegressor(max_depth=3)

    def fit(self, X, y, sample_weight=None) -> AdaBoostRegressor:
        """Run up to ``n_estimators`` AdaBoost.R2 rounds."""
        self._check()
        if self.loss not in ("linear", "square", "exponential"):
            raise ValueError(f"loss={self.loss!r} is invalid for {type(self).__name__}; use "
                             "'linear', 'square' or 'exponential'.")
        X, y = self._validate_data(X, y, y_numeric=True)
        n = len(X)
        w = check_sample_weight(sample_weight, n, estimator=self)
        w = w / w.sum()
        rng = check_random_state(self.random_state)
        members, alphas, errors = [], [], []
        for _ in range(self.n_estimators):
            rows = np.searchsorted(np.cumsum(w), rng.random(n) * w.sum(), side="right")
            rows = np.minimum(rows, n - 1)
            member = self._member(rng).fit(X[rows], y[rows])
            err = np.abs(member.predict(X) - y)
            top = err.max()
            if top > 0:
                err = err / top
            if self.loss == "square":
                err = err**2
            elif self.loss == "exponential":
                err = 1.0 - np.exp(-err)
            mean_err = float(np.sum(w * err))
            if mean_err <= 0:
                members.append(member)
                alphas.append(1.0)
                errors.append(0.0)
                break
            if mean_err >= 0.5:
                if not members:  # keep one learner so that predict works
                    members.append(member)
                    alphas.append(1.0)
                    errors.append(mean_err)
                break
            beta = mean_err / (1.0 - mean_err)
            members.append(member)
            alphas.append(self.learning_rate * np.log(1.0 / beta))
            errors.append(mean_err)
            w = w * beta ** ((1.0 - err) * self.learning_rate)
            w /= w.sum()
        self.estimators_ = members
        self.estimator_weights_ = np.asarray(alphas)
        self.estimator_errors_ = np.asarray(errors)
        return self

    def predict(self, X) -> np.ndarray:
        """Weighted median of the learners' predictions (weights = their votes)."""
        check_is_fitted(self, "estimators_", method="predict")
        X = self._validate_data(X, reset=False)
        preds = np.column_stack([m.predict(X) for m in self.estimators_])
        order = np.argsort(preds, axis=1, kind="stable")
        cum = np.cumsum(self.estimator_weights_[order], axis=1)
        k = np.argmax(cum >= 0.5 * cum[:, -1:], axis=1)
        return preds[np.arange(len(X)), order[np.arange(len(X)), k]]
