"""Histogram-based gradient boosting: ``GradientBoostingClassifier`` and ``...Regressor``.

The algorithm of LightGBM (Ke et al., 2017) and scikit-learn's
``HistGradientBoosting*``: features are binned once into at most 255 bins plus
a bin for missing values (``_hgb_binning``), each tree is grown leaf by leaf from
per-node gradient/hessian histograms (``_hgb_grower``, kernels in
``_hist_kernels``), and the boosting loop adds one tree per iteration and output
(``_hgb_base``). ``HistGradientBoostingClassifier`` / ``...Regressor`` are the
same classes under scikit-learn's names.
"""

from __future__ import annotations

import numpy as np

from ..base import ClassifierMixin, RegressorMixin
from ..linear_model._base import class_weight_vector
from ..utils._params import store_params
from ..utils.validation import check_classification_targets, check_sample_weight
from ._hgb_base import BaseHistGradientBoosting
from ._hgb_loss import make_loss

_COMMON_DOC = """
    Parameters
    ----------
    learning_rate : float, default=0.1
        Shrinkage of every leaf value; must be > 0.
    max_iter : int, default=100
        Boosting iterations (one tree per iteration, or per class for multiclass).
    max_leaf_nodes : int or None, default=31
        Leaves per tree at most (best-first growth); None for no limit.
    max_depth : int or None, default=None
        Depth of a tree at most (edges from the root); None for no limit.
    min_samples_leaf : int, default=20
        Samples per leaf at least.
    l2_regularization : float, default=0.0
        l2 added to the hessian sum in leaf values and gains.
    max_bins : int, default=255
        Bins per feature for non-missing values (2..255); missing values get their own.
    early_stopping : 'auto' or bool, default='auto'
        'auto' stops early when there are more than 10,000 samples.
    scoring : 'loss', default='loss'
        Score used for early stopping: minus the loss.
    validation_fraction : float, int or None, default=0.1
        Held-out fraction (or count) for early stopping; None scores the training data.
    n_iter_no_change : int, default=10
        Stop when the last this-many scores do not beat the one before them by ``tol``.
    tol : float, default=1e-7
    verbose : int, default=0
        Print one line per iteration when > 0.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the subsample the bins are fitted on and the validation split.
    n_jobs : int or None, default=None
        Threads of the native histogram kernel (results do not depend on it).

    Attributes
    ----------
    n_iter_ : int
        Iterations done (fewer than ``max_iter`` after early stopping).
    n_trees_per_iteration_ : int
    train_score_, validation_score_ : ndarray of shape (n_iter_ + 1,)
        Scores (minus the loss) before the first and after every iteration; empty
        without early stopping (``validation_score_`` also when
        ``validation_fraction`` is None).
    do_early_stopping_ : bool
    trees_ : dict of ndarray
        Every tree's nodes, concatenated (``feature``, ``threshold``,
        ``missing_left``, ``left``, ``right``, ``value``, ``is_leaf``).
    tree_roots_ : ndarray of shape (n_iter_, n_trees_per_iteration_)
        Index in ``trees_`` of each tree's root.
    n_features_in_ : int
"""


class GradientBoostingRegressor(RegressorMixin, BaseHistGradientBoosting):
    __doc__ = ("""Histogram-based gradient boosting for regression.

    F_0 = mean (squared error) or median (absolute error) of y; each iteration
    adds learning_rate x a tree fitted by Newton steps on the loss's gradients
    (absolute error: leaves set to the median residual). NaN in X is allowed.
    """ + _COMMON_DOC + """
    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.ensemble import GradientBoostingRegressor
    >>> X = np.arange(100.0).reshape(-1, 1); y = (X[:, 0] > 50).astype(float)
    >>> GradientBoostingRegressor(max_iter=50).fit(X, y).predict([[10.0], [90.0]]).round(2)
    array([0., 1.])
    """)

    _allowed_losses = ("squared_error", "absolute_error")

    def __init__(self, loss: str = "squared_error", *, learning_rate: float = 0.1,
                 max_iter: int = 100, max_leaf_nodes: int | None = 31,
                 max_depth: int | None = None, min_samples_leaf: int = 20,
                 l2_regularization: float = 0.0, max_bins: int = 255,
                 early_stopping="auto", scoring: str = "loss",
                 validation_fraction: float | int | None = 0.1, n_iter_no_change: int = 10,
                 tol: float = 1e-7, verbose: int = 0, random_state=None,
                 n_jobs: int | None = None):
        store_params(self, locals())

    def fit(self, X, y, sample_weight=None):
        """Fit the boosted trees to (X, y); NaN in X is a missing value.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample; None weighs all equally. It
            multiplies the sample's gradient and hessian, and weighs the initial
            prediction (weighted mean or median), the bin quantiles and the
            early-stopping losses; ``min_samples_leaf`` still counts samples.
            With ``absolute_error``, a weighted median whose cumulative weight
            lands exactly on half the total is the mean of the two values around
            it (scikit-learn takes the lower one), so that unit weights give
            NumPy's median and integer weights the median of the repeated rows.

        Returns
        -------
        self : GradientBoostingRegressor
        """
        X, y = self._validate_data(X, y, ensure_all_finite="allow-nan", y_numeric=True)
        sw = _check_weights(self, sample_weight, X.shape[0])
        return self._fit(X, y.astype(np.float64), None, sw)

    def predict(self, X) -> np.ndarray:
        """Predicted targets F(x)."""
        return self._raw_predict(self._check_X(X, "predict"))[0]

    def staged_predict(self, X):
        """Yield the predictions after each iteration."""
        X = self._check_X(X, "staged_predict")
        for raw in self._staged_raw(X):
            yield raw[0]


class GradientBoostingClassifier(ClassifierMixin, BaseHistGradientBoosting):
    __doc__ = ("""Histogram-based gradient boosting for classification (log loss).

    Binary: F = logit P(y = classes_[1]), p = 1 / (1 + e^-F). K > 2 classes: one
    tree per class and iteration, p = softmax(F_1, ..., F_K). Trees fit Newton
    steps on the log loss's gradients and hessians. NaN in X is allowed.
    """ + _COMMON_DOC.replace("""

    Attributes""", """
    class_weight : dict, 'balanced' or None, default=None
        Weight of each class, multiplying ``sample_weight``: ``{label: weight}``
        (classes not named weigh 1) or 'balanced', n_samples / (n_classes *
        count of the class) from the training y (before the validation split).

    Attributes""") + """
    classes_ : ndarray of shape (n_classes,)

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.ensemble import GradientBoostingClassifier
    >>> X = np.arange(100.0).reshape(-1, 1); y = (X[:, 0] > 50).astype(int)
    >>> GradientBoostingClassifier(max_iter=20).fit(X, y).predict([[10.0], [90.0]])
    array([0, 1])
    >>> w = np.where(y == 1, 2.0, 1.0)  # each class-1 sample counts twice
    >>> clf = GradientBoostingClassifier(max_iter=20, class_weight="balanced")
    >>> clf.fit(X, y, sample_weight=w).predict([[10.0], [90.0]])
    array([0, 1])
    """)

    _allowed_losses = ("log_loss",)

    def __init__(self, loss: str = "log_loss", *, learning_rate: float = 0.1,
                 max_iter: int = 100, max_leaf_nodes: int | None = 31,
                 max_depth: int | None = None, min_samples_leaf: int = 20,
                 l2_regularization: float = 0.0, max_bins: int = 255,
                 early_stopping="auto", scoring: str = "loss",
                 validation_fraction: float | int | None = 0.1, n_iter_no_change: int = 10,
                 tol: float = 1e-7, verbose: int = 0, random_state=None,
                 n_jobs: int | None = None, class_weight=None):
        store_params(self, locals())

    def fit(self, X, y, sample_weight=None):
        """Fit the boosted trees to (X, y); NaN in X is a missing value.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample (multiplied by ``class_weight``'s);
            None weighs all equally. It multiplies the sample's gradient and
            hessian, and weighs the initial class frequencies, the bin quantiles
            and the early-stopping losses; ``min_samples_leaf`` still counts samples.

        Returns
        -------
        self : GradientBoostingClassifier
        """
        X, y = self._validate_data(X, y, ensure_all_finite="allow-nan")
        sw = _check_weights(self, sample_weight, X.shape[0])
        self.classes_, y_enc = check_classification_targets(y, estimator=self)
        if self.class_weight is not None:
            per_class = class_weight_vector(self.class_weight, self.classes_, y_enc, self)
            sw = per_class[y_enc] if sw is None else sw * per_class[y_enc]
        return self._fit(X, y_enc, len(self.classes_), sw)

    def decision_function(self, X) -> np.ndarray:
        """Raw scores: shape (n_samples,) for two classes, else (n_samples, n_classes)."""
        raw = self._raw_predict(self._check_X(X, "decision_function"))
        return raw[0] if raw.shape[0] == 1 else raw.T

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes)."""
        raw = self._raw_predict(self._check_X(X, "predict_proba"))
        return make_loss(self.loss, len(self.classes_)).proba(raw)

    def predict(self, X) -> np.ndarray:
        """The most probable class of each sample."""
        raw = self._raw_predict(self._check_X(X, "predict"))
        return self.classes_[self._argmax(raw)]

    @staticmethod
    def _argmax(raw):
        return (raw[0] > 0).astype(np.intp) if raw.shape[0] == 1 else np.argmax(raw, axis=0)

    def staged_predict(self, X):
        """Yield the predicted classes after each iteration."""
        X = self._check_X(X, "staged_predict")
        for raw in self._staged_raw(X):
            yield self.classes_[self._argmax(raw)]

    def staged_predict_proba(self, X):
        """Yield the class probabilities after each iteration."""
        X = self._check_X(X, "staged_predict_proba")
        loss = make_loss(self.loss, len(self.classes_))
        for raw in self._staged_raw(X):
            yield loss.proba(raw)

    def staged_decision_function(self, X):
        """Yield the raw scores after each iteration."""
        X = self._check_X(X, "staged_decision_function")
        for raw in self._staged_raw(X):
            yield raw[0] if raw.shape[0] == 1 else raw.T


def _check_weights(est, sample_weight, n):
    """Validated float64 weights (None stays None: the unweighted code runs)."""
    if sample_weight is None:
        return None
    sw = check_sample_weight(sample_weight, n, estimator=est)
    if not np.all(np.isfinite(sw)):
        raise ValueError(f"sample_weight contains NaN or infinity in {type(est).__name__}; "
                         "pass finite non-negative weights.")
    if not np.sum(sw) > 0:
        raise ValueError(f"sample_weight sums to zero in {type(est).__name__}; give some "
                         "samples a positive weight.")
    return sw


HistGradientBoostingClassifier = GradientBoostingClassifier
HistGradientBoostingRegressor = GradientBoostingRegressor
