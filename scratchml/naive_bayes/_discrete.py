"""Naive Bayes for counts and binary features: multinomial, complement and Bernoulli.

All three keep per-class feature totals F_cj = Σ_{i in c} w_i x_ij (``feature_count_``)
and classify with a linear function of x, jll = x @ log θ.T + b, so prediction is one GEMM.
Both products also take a sparse X (a :class:`scratchml.sparse.CSRMatrix`): F = Y.T @ X
is computed as (X.T @ Y).T with X's lazy transpose, so only the stored counts are visited.
"""

from __future__ import annotations

import numpy as np

from ..utils._params import store_params
from ._base import _check_negative
from ._discrete_base import _BaseDiscreteNB


def _class_totals(X, Y: np.ndarray) -> np.ndarray:
    """F = Y.T @ X, shape (n_classes, n_features), for a dense or CSR X."""
    if isinstance(X, np.ndarray):
        return Y.T @ X
    return (X.T @ Y).T  # X.T is a view: one pass over X's stored entries


def _log_ratio(smoothed_fc: np.ndarray, smoothed_cc: np.ndarray) -> np.ndarray:
    """log θ_cj = log(smoothed F_cj) − log(smoothed total of class c); log 0 = −inf."""
    with np.errstate(divide="ignore"):
        return np.log(smoothed_fc) - np.log(smoothed_cc)[:, None]


class _BaseCountNB(_BaseDiscreteNB):
    """The three models of this module: sparse X, statistics F_cj and N_c by one GEMM."""

    _accept_sparse = True
    _nonnegative = True  # counts or frequencies; BernoulliNB thresholds any value

    def _count(self, X, Y) -> None:
        if self._nonnegative:
            _check_negative(self, X)
        self.feature_count_ += _class_totals(X, Y)
        self.class_count_ += Y.sum(axis=0)


class MultinomialNB(_BaseCountNB):
    """Multinomial naive Bayes, for word counts and other non-negative frequencies.

    θ_cj = (F_cj + α) / (Σ_j F_cj + α n_features), and
    log P(c | x) ∝ log P(c) + Σ_j x_j log θ_cj.
    X may be sparse (a :class:`scratchml.sparse.CSRMatrix`, or SciPy's), e.g. the
    output of ``CountVectorizer``: only the stored counts are visited.

    Parameters
    ----------
    alpha : float or array-like of shape (n_features,), default=1.0
        Additive (Laplace/Lidstone) smoothing; 0 means none.
    force_alpha : bool, default=True
        Keep alpha as given; False raises a tiny alpha to 1e-10 with a warning.
    fit_prior : bool, default=True
        Learn class priors from the data; False uses a uniform prior.
    class_prior : array-like of shape (n_classes,), default=None
        Fixed priors (override ``fit_prior``).

    Attributes
    ----------
    classes_, class_count_, class_log_prior_ : ndarray of shape (n_classes,)
    feature_count_, feature_log_prob_ : ndarray of shape (n_classes, n_features)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.naive_bayes import MultinomialNB
    >>> X = np.array([[3, 0, 1], [2, 0, 0], [0, 4, 1], [0, 3, 2]])
    >>> MultinomialNB().fit(X, [0, 0, 1, 1]).predict([[4, 1, 0]])
    array([0])
    """

    def __init__(self, *, alpha=1.0, force_alpha: bool = True, fit_prior: bool = True,
                 class_prior=None):
        store_params(self, locals())

    def _update_feature_log_prob(self, alpha) -> None:
        smoothed_fc = self.feature_count_ + alpha
        self.feature_log_prob_ = _log_ratio(smoothed_fc, smoothed_fc.sum(axis=1))

    def _joint_log_likelihood(self, X) -> np.ndarray:
        return X @ self.feature_log_prob_.T + self.class_log_prior_


class ComplementNB(_BaseCountNB):
    """Complement naive Bayes (Rennie et al., 2003), suited to imbalanced text classes.

    Each class is described by the counts of all *other* classes:
    θ̃_cj = (Σ_{k≠c} F_kj + α) / Σ_j (Σ_{k≠c} F_kj + α), weights w_cj = log θ̃_cj
    (divided by Σ_j w_cj when ``norm``), and the class is argmin of x·w_c,
    i.e. jll = −x @ w.T (the prior only enters with a single class, as in scikit-learn).
    X may be sparse, as for :class:`MultinomialNB`.

    Parameters
    ----------
    alpha, force_alpha, fit_prior, class_prior : as in :class:`MultinomialNB`
    norm : bool, default=False
        Normalise the weights (the paper's second normalisation).

    Attributes
    ----------
    classes_, class_count_, class_log_prior_, feature_count_, feature_log_prob_,
    n_features_in_ : as in :class:`MultinomialNB` (here from the complement weights w_cj).
    feature_all_ : ndarray of shape (n_features,)
        Σ_c F_cj, the total count of each feature.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.naive_bayes import ComplementNB
    >>> X = np.array([[3, 0, 1], [2, 0, 0], [0, 4, 1], [0, 3, 2]])
    >>> ComplementNB().fit(X, [0, 0, 1, 1]).predict([[0, 2, 1]])
    array([1])
    """

    def __init__(self, *, alpha=1.0, force_alpha: bool = True, fit_prior: bool = True,
                 class_prior=None, norm: bool = False):
        store_params(self, locals())

    def _count(self, X, Y) -> None:
        super()._count(X, Y)
        self.feature_all_ = self.feature_count_.sum(axis=0)

    def _update_feature_log_prob(self, alpha) -> None:
        comp_count = self.feature_all_ + alpha - self.feature_count_
        with np.errstate(divide="ignore", invalid="ignore"):
            logged = np.log(comp_count / comp_count.sum(axis=1, keepdims=True))
            if self.norm:
                total = logged.sum(axis=1, keepdims=True)
                # total is 0 only with a single feature (log 1 = 0): scikit-learn
                # divides 0 by 0 and predicts NaN; that feature's weight is 1.
                self.feature_log_prob_ = np.divide(
                    logged, total, out=np.ones_like(logged), where=total != 0
                )
            else:
                self.feature_log_prob_ = -logged

    def _joint_log_likelihood(self, X) -> np.ndarray:
        jll = X @ self.feature_log_prob_.T
        if len(self.classes_) == 1:
            jll += self.class_log_prior_
        return jll


class BernoulliNB(_BaseCountNB):
    """Bernoulli naive Bayes, for binary (or binarised) features.

    p_cj = (F_cj + α) / (N_c + 2α) is the chance feature j is on in class c, and
    log P(c | x) ∝ log P(c) + Σ_j [x_j log p_cj + (1 − x_j) log(1 − p_cj)],
    which is linear in x: x @ (log p − log(1 − p)).T + Σ_j log(1 − p_cj).
    X may be sparse; ``binarize`` then thresholds the stored values (zeros stay off),
    so it must be ≥ 0.

    Parameters
    ----------
    alpha, force_alpha, fit_prior, class_prior : as in :class:`MultinomialNB`
    binarize : float or None, default=0.0
        Threshold: x > binarize counts as on. None: X is already binary.

    Attributes
    ----------
    classes_, class_count_, class_log_prior_, feature_count_, feature_log_prob_,
    n_features_in_ : as in :class:`MultinomialNB` (here log p_cj).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.naive_bayes import BernoulliNB
    >>> X = np.array([[1, 0, 1], [1, 0, 0], [0, 1, 1], [0, 1, 0]])
    >>> BernoulliNB().fit(X, [0, 0, 1, 1]).predict([[1, 0, 0]])
    array([0])
    """

    _nonnegative = False

    def __init__(self, *, alpha=1.0, force_alpha: bool = True, binarize=0.0,
                 fit_prior: bool = True, class_prior=None):
        store_params(self, locals())

    def _binarize(self, X):
        if self.binarize is None:
            return X
        threshold = self.binarize
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
            raise ValueError(f"binarize must be a float threshold or None, got {self.binarize!r}.")
        if isinstance(X, np.ndarray):
            return (X > threshold).astype(np.float64)
        if threshold < 0:  # every unstored zero would turn on: the result is dense
            raise ValueError(
                f"binarize={threshold!r} < 0 would set every zero of the sparse X to 1; use a "
                "threshold >= 0, or pass X.toarray() if it fits in memory."
            )
        # Zeros stay zero (0 > threshold is false), so only the stored values change.
        on = (X.data > threshold).astype(np.float64)
        return type(X)((on, X.indices, X.indptr), shape=X.shape)

    def _check_X(self, X):
        return self._binarize(super()._check_X(X))

    def _check_X_y(self, X, y, reset: bool = True):
        X, y = super()._check_X_y(X, y, reset=reset)
        return self._binarize(X), y

    def _update_feature_log_prob(self, alpha) -> None:
        self.feature_log_prob_ = _log_ratio(self.feature_count_ + alpha,
                                            self.class_count_ + alpha * 2)

    def _joint_log_likelihood(self, X) -> np.ndarray:
        with np.errstate(divide="ignore"):
            neg_prob = np.log(1 - np.exp(self.feature_log_prob_))
        jll = X @ (self.feature_log_prob_ - neg_prob).T
        jll += self.class_log_prior_ + neg_prob.sum(axis=1)
        return jll
