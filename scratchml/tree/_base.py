"""Shared machinery of the decision-tree estimators: checking parameters, growing, querying.

Forests reuse :meth:`BaseDecisionTree._grow` with data prepared once for all trees
(feature-major ``Xt``, encoded targets, weights), so each tree costs only its kernel call.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._backend import get_kernel
from ..base import BaseEstimator
from ..utils.validation import check_is_fitted, check_random_state, check_sample_weight
from ._splitter_numpy import CRITERIA
from ._tree import Tree, prune, pruning_path

_INT_MAX = 2**31 - 1


def _int_or_frac(name, value, n, low_int, est, frac_high_inclusive):
    """Resolve an int-or-fraction parameter (min_samples_split/leaf) to a count."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < low_int:
            raise ValueError(f"{name}={value!r} is invalid for {est}: use an int >= {low_int} "
                             "or a float fraction in (0, 1].")
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        ok = 0.0 < value <= 1.0 if frac_high_inclusive else 0.0 < value < 1.0
        if ok:
            return max(1, int(math.ceil(value * n)))
    raise ValueError(f"{name}={value!r} is invalid for {est}: use an int >= {low_int} "
                     "or a float fraction in (0, 1].")


def resolve_max_features(max_features, n_features: int, est: str) -> int:
    """Number of features to try per split: int, fraction, 'sqrt', 'log2' or None (all)."""
    mf = max_features
    if mf is None:
        return n_features
    if isinstance(mf, str):
        if mf == "sqrt":
            return max(1, int(math.sqrt(n_features)))
        if mf == "log2":
            return max(1, int(math.log2(n_features)))
    elif isinstance(mf, numbers.Integral) and not isinstance(mf, bool):
        if 1 <= mf <= n_features:
            return int(mf)
        raise ValueError(f"max_features={mf} is invalid for {est}: X has {n_features} features; "
                         f"use an int in [1, {n_features}], a fraction, 'sqrt', 'log2' or None.")
    elif isinstance(mf, numbers.Real) and not isinstance(mf, bool) and 0.0 < mf <= 1.0:
        return max(1, int(mf * n_features))
    raise ValueError(f"max_features={mf!r} is invalid for {est}: use an int in "
                     f"[1, {n_features}], a float in (0, 1], 'sqrt', 'log2' or None.")


def validate_X_y_weights(est, X, y, sample_weight):
    """Validated (X, y, weights) for fitting a tree or a forest ``est``.

    NaN in X is allowed (missing values), not in y.
    """
    X, y = est._validate_data(X, y, ensure_all_finite="allow-nan")
    w = check_sample_weight(sample_weight, len(X), estimator=est)
    return X, y, w


class BaseDecisionTree(BaseEstimator):
    """Parameters, growth and queries shared by the classifier and the regressor."""

    _criteria: tuple = ()

    def _check_params(self, n_samples: int, n_features: int) -> dict:
        est = type(self).__name__
        if self.criterion not in self._criteria:
            raise ValueError(f"criterion={self.criterion!r} is invalid for {est}; use one of "
                             f"{', '.join(map(repr, self._criteria))}.")
        if self.splitter not in ("best", "random"):
            raise ValueError(f"splitter={self.splitter!r} is invalid for {est}; use 'best' or "
                             "'random'.")
        md = self.max_depth
        if md is not None and (not isinstance(md, numbers.Integral) or isinstance(md, bool)
                               or md < 1):
            raise ValueError(f"max_depth={md!r} is invalid for {est}: use None (unlimited) or "
                             "an int >= 1.")
        mln = self.max_leaf_nodes
        if mln is not None and (not isinstance(mln, numbers.Integral) or isinstance(mln, bool)
                                or mln < 2):
            raise ValueError(f"max_leaf_nodes={mln!r} is invalid for {est}: use None or an "
                             "int >= 2.")
        msl = _int_or_frac("min_samples_leaf", self.min_samples_leaf, n_samples, 1, est, False)
        mss = _int_or_frac("min_samples_split", self.min_samples_split, n_samples, 2, est, True)
        for name in ("min_weight_fraction_leaf", "min_impurity_decrease", "ccp_alpha"):
            v = getattr(self, name)
            high = 0.5 if name == "min_weight_fraction_leaf" else np.inf
            if not isinstance(v, numbers.Real) or isinstance(v, bool) or not 0.0 <= v <= high:
                raise ValueError(f"{name}={v!r} is invalid for {est}: use a float in "
                                 f"[0, {high}].")
        return dict(
            criterion=CRITERIA[self.criterion], random_split=self.splitter == "random",
            max_features=resolve_max_features(self.max_features, n_features, est),
            max_depth=_INT_MAX if md is None else int(md), min_samples_split=max(mss, 2 * msl),
            min_samples_leaf=msl, min_impurity_decrease=float(self.min_impurity_decrease),
            max_leaf_nodes=-1 if mln is None else int(mln))

    def _grow(self, Xt, y_codes, w, n_classes, seed, params, backend=None):
        """Grow one tree on prepared data (``params`` from ``_check_params``) as ``tree_``."""
        p = params
        samples = np.flatnonzero(w > 0)
        if samples.size == 0:
            raise ValueError(f"{type(self).__name__}: every sample_weight is 0; at least one "
                             "sample needs a positive weight.")
        min_weight_leaf = float(self.min_weight_fraction_leaf) * float(w.sum())
        build, used = get_kernel("tree_build", backend)
        arrays = build(Xt, y_codes, w, samples, n_classes, p["criterion"], p["random_split"],
                       p["max_features"], p["max_depth"], p["min_samples_split"],
                       p["min_samples_leaf"], min_weight_leaf, p["min_impurity_decrease"],
                       p["max_leaf_nodes"], seed)
        tree = Tree.from_arrays(arrays, Xt.shape[0], max(n_classes, 1))
        if self.ccp_alpha > 0:
            tree = prune(tree, float(self.ccp_alpha))
        self.tree_ = tree
        self.max_features_ = p["max_features"]
        self.n_outputs_ = 1
        return self

    def _fit(self, X, y_codes, w, n_classes):
        params = self._check_params(*X.shape)
        rng = check_random_state(self.random_state)
        seed = int(rng.integers(0, 2**63))
        Xt = np.ascontiguousarray(X.T)
        y_codes = np.ascontiguousarray(y_codes, dtype=np.float64)
        return self._grow(Xt, y_codes, w, n_classes, seed, params)

    # -- queries ------------------------------------------------------------------------

    def _X_predict(self, X):
        return self._validate_data(X, reset=False, ensure_all_finite="allow-nan")

    def apply(self, X) -> np.ndarray:
        """Index of the leaf each sample ends in."""
        check_is_fitted(self, method="apply")
        return self.tree_.apply(self._X_predict(X))

    def decision_path(self, X) -> np.ndarray:
        """Dense int array (n_samples, node_count): 1 for each node a sample passes through.

        (scikit-learn returns a sparse CSR matrix; scratchml has no SciPy, and
        ``np.flatnonzero(path[i])`` lists the nodes of sample i.)
        """
        check_is_fitted(self, method="decision_path")
        return self.tree_.decision_path(self._X_predict(X))

    def get_depth(self) -> int:
        """Depth of the tree: the largest number of edges from the root to a leaf."""
        check_is_fitted(self, method="get_depth")
        return self.tree_.max_depth

    def get_n_leaves(self) -> int:
        """Number of leaves."""
        check_is_fitted(self, method="get_n_leaves")
        return self.tree_.n_leaves

    @property
    def feature_importances_(self) -> np.ndarray:
        """Impurity-based importances (mean decrease in impurity), normalized to sum to 1."""
        check_is_fitted(self, "tree_", method="feature_importances_")
        return self.tree_.compute_feature_importances()

    def cost_complexity_pruning_path(self, X, y, sample_weight=None) -> dict:
        """Effective alphas of minimal cost-complexity pruning and the leaves' total impurity.

        Fits an unpruned tree (the same parameters with ``ccp_alpha=0``) and returns
        ``{"ccp_alphas": ndarray, "impurities": ndarray}``, increasing alphas from 0
        to the one that leaves only the root.
        """
        from ..base import clone

        est = clone(self).set_params(ccp_alpha=0.0).fit(X, y, sample_weight=sample_weight)
        return pruning_path(est.tree_)

    def _leaf_values(self, X, method: str) -> np.ndarray:
        check_is_fitted(self, "tree_", method=method)
        X = self._X_predict(X)
        return self.tree_.value[self.tree_.apply(X), 0, :]
