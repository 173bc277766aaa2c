"""Voting ensembles: ``VotingClassifier`` (hard or soft) and ``VotingRegressor``.

Each estimator is fitted on the whole training set; predictions are combined
with weights w_j (default 1):

* hard voting: the class with the largest total weight of votes,
  argmax_c sum_j w_j [pred_j(x) = c] (ties go to the smallest class);
* soft voting: the class of largest weighted mean probability,
  p(c | x) = sum_j w_j p_j(c | x) / sum_j w_j;
* regression: the weighted mean of the predictions.
"""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin, clone
from ..model_selection._parallel import run_tasks
from ..utils.validation import check_classification_targets, check_is_fitted


def _check_estimators(owner, estimators, weights=None):
    """Names and estimators, 'drop' entries removed; weights aligned with them."""
    name = type(owner).__name__
    if not estimators:
        raise ValueError(f"{name} needs estimators: pass a non-empty list of (name, estimator) "
                         "pairs, e.g. estimators=[('nb', GaussianNB()), ('knn', "
                         "KNeighborsClassifier())].")
    try:
        names, ests = zip(*estimators)
    except (TypeError, ValueError):
        raise ValueError(f"estimators of {name} must be a list of (name, estimator) pairs; "
                         f"got {estimators!r}.") from None
    if len(set(names)) != len(names):
        raise ValueError(f"estimators of {name} have duplicate names {list(names)}; give each "
                         "one a unique name.")
    for n in names:
        if not isinstance(n, str) or "__" in n:
            raise ValueError(f"estimator name {n!r} of {name} must be a string without '__'.")
    if weights is not None and len(weights) != len(names):
        raise ValueError(f"weights has {len(weights)} values but {name} has {len(names)} "
                         "estimators; give one weight per estimator.")
    keep = [i for i, e in enumerate(ests) if not (isinstance(e, str) and e == "drop")]
    if not keep:
        raise ValueError(f"All estimators of {name} are 'drop'; at least one is required.")
    for i in keep:
        if not hasattr(ests[i], "fit"):
            raise ValueError(f"estimator {names[i]!r} of {name} has no fit method: pass an "
                             f"estimator or 'drop', not {ests[i]!r}.")
    w = None if weights is None else np.asarray([weights[i] for i in keep], dtype=np.float64)
    return [names[i] for i in keep], [ests[i] for i in keep], w


def _fit_one(est, X, y):
    return est.fit(X, y)


class _BaseVoting(TransformerMixin, BaseEstimator):
    def _fit_estimators(self, X, y):
        names, ests, w = _check_estimators(self, self.estimators, self.weights)
        tasks = [(clone(e), X, y) for e in ests]
        if self.verbose:
            for i, n in enumerate(names, 1):
                print(f"[{type(self).__name__}] ({i} of {len(names)}) fitting {n}", flush=True)
        self.estimators_ = run_tasks(_fit_one, tasks, self.n_jobs)
        self.named_estimators_ = dict(zip(names, self.estimators_))
        self.weights_ = np.ones(len(names)) if w is None else w
        return self

    def _check(self, X, method):
        check_is_fitted(self, method=method)
        return self._validate_data(X, reset=False, ensure_all_finite=False)

    def _predictions(self, X):
        return np.column_stack([e.predict(X) for e in self.estimators_])


class VotingClassifier(ClassifierMixin, _BaseVoting):
    """Majority (hard) or averaged-probability (soft) vote of classifiers.

    hard: y = argmax_c sum_j w_j [pred_j(x) = c]; soft: y = argmax_c sum_j w_j p_j(c|x).

    Parameters
    ----------
    estimators : list of (str, estimator)
        Classifiers (cloned and refitted); 'drop' removes one.
    voting : {'hard', 'soft'}, default='hard'
    weights : array-like of shape (n_estimators,) or None
        Weight of each estimator's vote or probabilities (uniform when None).
    n_jobs : int or None
        Estimators fitted in parallel (see ``scratchml.model_selection``).
    flatten_transform : bool, default=True
        Soft voting: ``transform`` returns (n_samples, n_estimators * n_classes)
        instead of (n_estimators, n_samples, n_classes).
    verbose : bool, default=False

    Attributes
    ----------
    estimators_ : list of fitted estimators
    named_estimators_ : dict of name -> fitted estimator
    classes_ : ndarray of shape (n_classes,)

    Examples
    --------
    >>> from scratchml.ensemble import VotingClassifier
    >>> from scratchml.naive_bayes import GaussianNB
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> X = [[0.0], [1.0], [2.0], [3.0]]; y = [0, 0, 1, 1]
    >>> vote = VotingClassifier([("nb", GaussianNB()), ("knn", KNeighborsClassifier(1))],
    ...                         voting="soft").fit(X, y)
    >>> vote.predict([[0.2], [2.8]])
    array([0, 1])
    """

    def __init__(self, estimators=None, *, voting: str = "hard", weights=None,
                 n_jobs: int | None = None, flatten_transform: bool = True,
                 verbose: bool = False):
        self.estimators = estimators
        self.voting = voting
        self.weights = weights
        self.n_jobs = n_jobs
        self.flatten_transform = flatten_transform
        self.verbose = verbose

    def fit(self, X, y):
        """Fit every estimator on (X, y) (labels encoded as 0..n_classes-1)."""
        if self.voting not in ("hard", "soft"):
            raise ValueError(f"voting={self.voting!r} is invalid; use 'hard' or 'soft'.")
        X, y = self._validate_data(X, y, ensure_all_finite=False)
        self.classes_, y_enc = check_classification_targets(y, estimator=self)
        return self._fit_estimators(X, y_enc)

    def _collect_probas(self, X):
        return np.asarray([e.predict_proba(X) for e in self.estimators_])

    def predict(self, X) -> np.ndarray:
        """The class with the most (weighted) votes, or the largest mean probability."""
        X = self._check(X, "predict")
        if self.voting == "soft":
            return self.classes_[np.argmax(self._avg_proba(X), axis=1)]
        votes = self._predictions(X).astype(np.intp)
        scores = np.zeros((X.shape[0], len(self.classes_)))
        for j, w in enumerate(self.weights_):
            scores[np.arange(X.shape[0]), votes[:, j]] += w
        return self.classes_[np.argmax(scores, axis=1)]

    def _avg_proba(self, X):
        return np.average(self._collect_probas(X), axis=0, weights=self.weights_)

    @property
    def predict_proba(self):
        """Weighted mean of the estimators' probabilities (soft voting only)."""
        if self.voting != "soft":
            raise AttributeError("predict_proba is not available when voting='hard'; "
                                 "use voting='soft'.")
        return self._predict_proba

    def _predict_proba(self, X) -> np.ndarray:
        return self._avg_proba(self._check(X, "predict_proba"))

    def transform(self, X) -> np.ndarray:
        """Each estimator's probabilities (soft) or predicted class index (hard)."""
        X = self._check(X, "transform")
        if self.voting == "soft":
            probas = self._collect_probas(X)
            return np.hstack(list(probas)) if self.flatten_transform else probas
        return self._predictions(X)


class VotingRegressor(RegressorMixin, _BaseVoting):
    """Weighted mean of regressors' predictions: y = sum_j w_j f_j(x) / sum_j w_j.

    Parameters
    ----------
    estimators : list of (str, estimator)
        Regressors (cloned and refitted); 'drop' removes one.
    weights : array-like of shape (n_estimators,) or None
    n_jobs : int or None
    verbose : bool, default=False

    Attributes
    ----------
    estimators_ : list of fitted estimators
    named_estimators_ : dict of name -> fitted estimator

    Examples
    --------
    >>> from scratchml.ensemble import VotingRegressor
    >>> from scratchml.neighbors import KNeighborsRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0]]; y = [0.0, 1.0, 2.0, 3.0]
    >>> VotingRegressor([("a", KNeighborsRegressor(1)), ("b", KNeighborsRegressor(2))],
    ...                 weights=[3, 1]).fit(X, y).predict([[0.0]])
    array([0.125])
    """

    def __init__(self, estimators=None, *, weights=None, n_jobs: int | None = None,
                 verbose: bool = False):
        self.estimators = estimators
        self.weights = weights
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X, y):
        """Fit every estimator on (X, y)."""
        X, y = self._validate_data(X, y, ensure_all_finite=False, y_numeric=True)
        return self._fit_estimators(X, y)

    def predict(self, X) -> np.ndarray:
        """Weighted mean of the estimators' predictions."""
        return np.average(self._predictions(self._check(X, "predict")), axis=1,
                          weights=self.weights_)

    def transform(self, X) -> np.ndarray:
        """Each estimator's predictions, shape (n_samples, n_estimators)."""
        return self._predictions(self._check(X, "transform"))
