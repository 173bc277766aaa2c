"""CART decision trees: DecisionTreeClassifier and DecisionTreeRegressor.

A tree partitions feature space by axis-aligned splits x_f <= t chosen greedily to
maximise the weighted impurity decrease (Breiman, Friedman, Olshen & Stone, 1984,
*Classification and Regression Trees*); a leaf predicts its class fractions or its
mean (median for ``absolute_error``) target. The split search and the whole growth
loop are the ``tree_build`` kernel (NumPy reference, Cython twin).
"""

from __future__ import annotations

import numpy as np

from ..base import ClassifierMixin, RegressorMixin
from ..utils._params import store_params, with_params_doc
from ..utils.validation import check_classification_targets
from ._base import BaseDecisionTree, validate_X_y_weights


def class_weight_vector(class_weight, classes, y_codes, est: str) -> np.ndarray:
    """Weight of each sample's class: ``"balanced"`` (n / (K n_k)), a dict, or ones."""
    if class_weight is None:
        return np.ones(len(y_codes))
    if class_weight == "balanced":
        counts = np.bincount(y_codes, minlength=len(classes))
        per_class = len(y_codes) / (len(classes) * np.maximum(counts, 1))
    elif isinstance(class_weight, dict):
        per_class = np.array([float(class_weight.get(c, class_weight.get(
            c.item() if hasattr(c, "item") else c, 1.0))) for c in classes])
    else:
        raise ValueError(f"class_weight={class_weight!r} is invalid for {est}: use None, "
                         "'balanced' or a dict {class: weight}.")
    return per_class[y_codes]


_PARAMS_DOC = """
    splitter : {"best", "random"}, default="best"
        "best" tries every threshold; "random" one uniform threshold per feature.
    max_depth : int or None, default=None
        Deepest a leaf may be; None grows until leaves are pure or too small.
    min_samples_split : int or float, default=2
        Fewest samples (or fraction of them) a node needs to be split.
    min_samples_leaf : int or float, default=1
        Fewest samples (or fraction) each child must keep.
    min_weight_fraction_leaf : float in [0, 0.5], default=0.0
        Fewest total sample weight (fraction of the whole) each leaf must keep.
    max_features : int, float, "sqrt", "log2" or None, default=None
        Features drawn (without replacement) and tried at each split.
    random_state : int, Generator or None, default=None
        Seeds the draw of features (and thresholds when ``splitter="random"``).
    max_leaf_nodes : int or None, default=None
        Grow best-first (largest impurity decrease first) up to this many leaves.
    min_impurity_decrease : float, default=0.0
        Split only when the weighted impurity decrease is at least this.
    ccp_alpha : float, default=0.0
        Minimal cost-complexity pruning parameter (0: no pruning).
"""


_with_params = with_params_doc(_PARAMS_DOC)


@_with_params
class DecisionTreeClassifier(ClassifierMixin, BaseDecisionTree):
    """CART classification tree.

    A split maximises the decrease of the weighted impurity, with class fractions p_k:
    gini 1 − Σ p_k², entropy (= log_loss) −Σ p_k log₂ p_k. A leaf predicts its
    (weighted) class fractions. Missing values (NaN) are allowed in X: at each split
    they follow the side that gave the better impurity during fit
    (``tree_.missing_go_to_left``); with no NaN seen there, the side with more samples.

    Parameters
    ----------
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
    {params}
    class_weight : dict, "balanced" or None, default=None
        Weights multiplied into the sample weights per class.

    Attributes
    ----------
    tree_ : Tree
        The fitted tree as flat arrays (see :class:`scratchml.tree._tree.Tree`).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    max_features_ : int
    n_features_in_ : int
    feature_importances_ : ndarray of shape (n_features,)
        Impurity-based importances, summing to 1.

    Examples
    --------
    >>> from scratchml.tree import DecisionTreeClassifier
    >>> clf = DecisionTreeClassifier(random_state=0).fit([[0.0], [1.0], [2.0]], [0, 0, 1])
    >>> clf.predict([[1.8]]).tolist(), clf.get_depth()
    ([1], 1)
    """

    _criteria = ("gini", "entropy", "log_loss")

    def __init__(self, criterion: str = "gini", splitter: str = "best", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf: float = 0.0,
                 max_features=None, random_state=None, max_leaf_nodes=None,
                 min_impurity_decrease: float = 0.0, class_weight=None, ccp_alpha: float = 0.0):
        store_params(self, locals())

    def fit(self, X, y, sample_weight=None) -> DecisionTreeClassifier:
        """Grow the tree on X (NaN allowed) and class labels y."""
        X, y, w = validate_X_y_weights(self, X, y, sample_weight)
        self.classes_, codes = check_classification_targets(y, self)
        self.n_classes_ = len(self.classes_)
        w = w * class_weight_vector(self.class_weight, self.classes_, codes, type(self).__name__)
        return self._fit(X, codes, w, self.n_classes_)

    def predict_proba(self, X) -> np.ndarray:
        """Class fractions of the leaf each sample falls in, shape (n_samples, n_classes)."""
        return self._leaf_values(X, "predict_proba")

    def predict_log_proba(self, X) -> np.ndarray:
        """Natural log of :meth:`predict_proba` (−inf for a class absent from the leaf)."""
        with np.errstate(divide="ignore"):
            return np.log(self._leaf_values(X, "predict_log_proba"))

    def predict(self, X) -> np.ndarray:
        """The most frequent (weighted) class of each sample's leaf."""
        proba = self._leaf_values(X, "predict")
        return self.classes_[np.argmax(proba, axis=1)]


@_with_params
class DecisionTreeRegressor(RegressorMixin, BaseDecisionTree):
    """CART regression tree.

    Impurity: squared_error (the variance Σ w (y − ȳ)² / W), friedman_mse (the same
    impurity; splits ranked by Friedman's (W_R s_L − W_L s_R)² / (W_L W_R)) or
    absolute_error (Σ w |y − median| / W; leaves predict the weighted median; this
    criterion runs on the NumPy reference only and is O(n²) per node: for small data).
    NaN in X is handled as in :class:`DecisionTreeClassifier`.

    Parameters
    ----------
    criterion : {"squared_error", "friedman_mse", "absolute_error"}, default="squared_error"
    {params}
    Attributes
    ----------
    tree_ : Tree
    max_features_ : int
    n_features_in_ : int
    feature_importances_ : ndarray of shape (n_features,)

    Examples
    --------
    >>> from scratchml.tree import DecisionTreeRegressor
    >>> reg = DecisionTreeRegressor(max_depth=1).fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> reg.predict([[0.2], [2.7]]).tolist()
    [0.0, 1.0]
    """

    _criteria = ("squared_error", "friedman_mse", "absolute_error")

    def __init__(self, criterion: str = "squared_error", splitter: str = "best", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf: float = 0.0,
                 max_features=None, random_state=None, max_leaf_nodes=None,
                 min_impurity_decrease: float = 0.0, ccp_alpha: float = 0.0):
        store_params(self, locals())

    def fit(self, X, y, sample_weight=None) -> DecisionTreeRegressor:
        """Grow the tree on X (NaN allowed) and real targets y."""
        X, y, w = validate_X_y_weights(self, X, y, sample_weight)
        y = np.asarray(y, dtype=np.float64)
        if y.dtype.kind not in "f" or not np.all(np.isfinite(y)):
            raise ValueError(f"y contains NaN or infinity ({int(np.sum(~np.isfinite(y)))} "
                             f"values) in {type(self).__name__}; drop those samples first.")
        return self._fit(X, y, w, 0)

    def predict(self, X) -> np.ndarray:
        """The mean (median for absolute_error) target of each sample's leaf."""
        return self._leaf_values(X, "predict")[:, 0]
