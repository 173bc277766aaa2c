"""Random forests (Breiman 2001) and extremely randomized trees (Geurts et al. 2006).

A random forest averages B CART trees, each grown on a bootstrap sample with only
``max_features`` features tried per split; extra trees also draw each feature's
threshold uniformly at random and, by default, use the whole training set. Averaging
de-correlated trees keeps their low bias while dividing the variance:
Var(mean) = ρσ² + (1 − ρ)σ²/B for trees of variance σ² and correlation ρ.
Samples a tree did not draw are its *out-of-bag* set: predicting each sample with
those trees only gives a free validation estimate (``oob_score_``).
"""

from __future__ import annotations

import numpy as np

from ..base import ClassifierMixin, RegressorMixin
from ..tree import DecisionTreeClassifier, DecisionTreeRegressor
from ..tree._base import validate_X_y_weights
from ..tree._classes import class_weight_vector
from ..utils._params import store_params, with_params_doc
from ..utils.validation import check_classification_targets
from ._common import OOBClassifierMixin, OOBRegressorMixin
from ._forest_base import BaseForest

_DOC_PARAMS = """
    n_estimators : int, default=100
        Number of trees.
    criterion, max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf,
    max_features, max_leaf_nodes, min_impurity_decrease, ccp_alpha
        Parameters of every tree (see :class:`scratchml.tree.DecisionTreeClassifier`).
    bootstrap : bool
        Grow each tree on a bootstrap sample (drawn counts become sample weights).
    oob_score : bool, default=False
        Compute the out-of-bag score ``oob_score_`` (needs ``bootstrap=True``).
    n_jobs : int or None, default=None
        Threads building trees and predicting; None uses the configured default
        (every core). Results do not depend on it.
    random_state : int, Generator or None, default=None
    verbose : int, default=0
        Print progress while building trees when > 0.
    warm_start : bool, default=False
        Keep the fitted trees and only add new ones up to ``n_estimators``.
    max_samples : int, float or None, default=None
        Bootstrap sample size (None: n_samples).
"""


_with_params = with_params_doc(_DOC_PARAMS)


class _ForestClassifier(ClassifierMixin, OOBClassifierMixin, BaseForest):
    _tree_class = DecisionTreeClassifier

    def fit(self, X, y, sample_weight=None):
        """Grow the trees on X (NaN allowed) and class labels y."""
        X, y, w = validate_X_y_weights(self, X, y, sample_weight)
        self.classes_, codes = check_classification_targets(y, self)
        self.n_classes_ = len(self.classes_)
        if self.class_weight not in (None, "balanced_subsample"):
            w = w * class_weight_vector(self.class_weight, self.classes_, codes,
                                        type(self).__name__)
        return self._fit_forest(X, codes, w, self.n_classes_)

    def predict_proba(self, X) -> np.ndarray:
        """Mean over trees of the leaf class fractions, shape (n_samples, n_classes)."""
        return self._averaged(X, "predict_proba")

    def predict_log_proba(self, X) -> np.ndarray:
        """Natural log of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self._averaged(X, "predict_log_proba"))

    def predict(self, X) -> np.ndarray:
        """The class of largest mean probability."""
        proba = self._averaged(X, "predict")
        return self.classes_[np.argmax(proba, axis=1)]


class _ForestRegressor(RegressorMixin, OOBRegressorMixin, BaseForest):
    _tree_class = DecisionTreeRegressor
    class_weight = None

    def fit(self, X, y, sample_weight=None):
        """Grow the trees on X (NaN allowed) and real targets y."""
        X, y, w = validate_X_y_weights(self, X, y, sample_weight)
        return self._fit_forest(X, np.asarray(y, dtype=np.float64), w, 0)

    def predict(self, X) -> np.ndarray:
        """Mean of the trees' predictions."""
        return self._averaged(X, "predict")[:, 0]


@_with_params
class RandomForestClassifier(_ForestClassifier):
    """Random forest classifier: bootstrap-bagged CART trees with random feature subsets.

    Predicts the class of largest mean leaf probability over the trees.

    Parameters
    ----------
    {params}
    class_weight : dict, "balanced", "balanced_subsample" or None, default=None

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    classes_ : ndarray
    n_classes_ : int
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> from scratchml.ensemble import RandomForestClassifier
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> rf = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, [0, 0, 1, 1])
    >>> rf.predict([[0.1], [2.9]]).tolist()
    [0, 1]
    """

    def __init__(self, n_estimators: int = 100, criterion: str = "gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf: float = 0.0,
                 max_features="sqrt", max_leaf_nodes=None, min_impurity_decrease: float = 0.0,
                 bootstrap: bool = True, oob_score: bool = False, n_jobs=None,
                 random_state=None, verbose: int = 0, warm_start: bool = False,
                 class_weight=None, ccp_alpha: float = 0.0, max_samples=None):
        store_params(self, locals())


@_with_params
class ExtraTreesClassifier(_ForestClassifier):
    """Extremely randomized trees classifier: random thresholds, no bootstrap by default.

    Parameters
    ----------
    {params}
    class_weight : dict, "balanced", "balanced_subsample" or None, default=None

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    classes_ : ndarray
    feature_importances_ : ndarray of shape (n_features,)

    Examples
    --------
    >>> from scratchml.ensemble import ExtraTreesClassifier
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> et = ExtraTreesClassifier(n_estimators=10, random_state=0).fit(X, [0, 0, 1, 1])
    >>> et.predict([[0.1], [2.9]]).tolist()
    [0, 1]
    """

    _splitter = "random"

    def __init__(self, n_estimators: int = 100, criterion: str = "gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf: float = 0.0,
                 max_features="sqrt", max_leaf_nodes=None, min_impurity_decrease: float = 0.0,
                 bootstrap: bool = False, oob_score: bool = False, n_jobs=None,
                 random_state=None, verbose: int = 0, warm_start: bool = False,
                 class_weight=None, ccp_alpha: float = 0.0, max_samples=None):
        store_params(self, locals())


@_with_params
class RandomForestRegressor(_ForestRegressor):
    """Random forest regressor: the mean of bootstrap-bagged CART regression trees.

    Parameters
    ----------
    {params}
    Attributes
    ----------
    estimators_ : list of DecisionTreeRegressor
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float
        R² of the out-of-bag predictions ``oob_prediction_``.

    Examples
    --------
    >>> from scratchml.ensemble import RandomForestRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> rf = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, [0, 0, 1, 1])
    >>> bool(rf.predict([[3.0]])[0] > 0.5)
    True
    """

    def __init__(self, n_estimators: int = 100, criterion: str = "squared_error",
                 max_depth=None, min_samples_split=2, min_samples_leaf=1,
                 min_weight_fraction_leaf: float = 0.0, max_features=1.0, max_leaf_nodes=None,
                 min_impurity_decrease: float = 0.0, bootstrap: bool = True,
                 oob_score: bool = False, n_jobs=None, random_state=None, verbose: int = 0,
                 warm_start: bool = False, ccp_alpha: float = 0.0, max_samples=None):
        store_params(self, locals())


@_with_params
class ExtraTreesRegressor(_ForestRegressor):
    """Extremely randomized trees regressor.

    Parameters
    ----------
    {params}
    Attributes
    ----------
    estimators_ : list of DecisionTreeRegressor
    feature_importances_ : ndarray of shape (n_features,)

    Examples
    --------
    >>> from scratchml.ensemble import ExtraTreesRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> et = ExtraTreesRegressor(n_estimators=10, random_state=0).fit(X, [0, 0, 1, 1])
    >>> bool(et.predict([[3.0]])[0] > 0.5)
    True
    """

    _splitter = "random"

    def __init__(self, n_estimators: int = 100, criterion: str = "squared_error",
                 max_depth=None, min_samples_split=2, min_samples_leaf=1,
                 min_weight_fraction_leaf: float = 0.0, max_features=1.0, max_leaf_nodes=None,
                 min_impurity_decrease: float = 0.0, bootstrap: bool = False,
                 oob_score: bool = False, n_jobs=None, random_state=None, verbose: int = 0,
                 warm_start: bool = False, ccp_alpha: float = 0.0, max_samples=None):
        store_params(self, locals())
