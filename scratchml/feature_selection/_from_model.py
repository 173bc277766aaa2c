"""Model-based selection: keep the features an estimator finds important."""

from __future__ import annotations

import copy
import numbers
from operator import attrgetter

import numpy as np

from ..base import BaseEstimator, clone
from ..exceptions import NotFittedError
from ..utils.validation import check_array, check_is_fitted
from ._base import SelectorMixin


def _importances(estimator, getter, norm_order) -> np.ndarray:
    """|coef_| (its norm across outputs when 2-D) or feature_importances_, per feature."""
    if isinstance(getter, str):
        if getter == "auto":
            if hasattr(estimator, "coef_"):
                getter = attrgetter("coef_")
            elif hasattr(estimator, "feature_importances_"):
                getter = attrgetter("feature_importances_")
            else:
                raise ValueError(
                    f"when importance_getter='auto', the estimator "
                    f"{type(estimator).__name__} should have a coef_ or feature_importances_ "
                    "attribute; pass a fitted estimator or call fit before transform, or name "
                    "the attribute with importance_getter."
                )
        else:
            getter = attrgetter(getter)
    elif not callable(getter):
        raise ValueError(
            f"importance_getter={getter!r} must be 'auto', an attribute name or a callable."
        )
    imp = np.asarray(getter(estimator), dtype=np.float64)
    if imp.ndim == 1:
        return np.abs(imp)
    return np.linalg.norm(imp, axis=0, ord=norm_order)


def _threshold_value(estimator, importances: np.ndarray, threshold) -> float:
    """The numeric threshold: a number, "mean", "median" or "<scale>*<mean|median>".

    None means 1e-5 for L1-penalised models (whose unused coefficients are exactly 0)
    and "mean" otherwise, as in scikit-learn.
    """
    if threshold is None:
        name = type(estimator).__name__
        l1_ratio = getattr(estimator, "l1_ratio", None)
        l1 = (getattr(estimator, "penalty", None) == "l1" or "Lasso" in name
              or (name in ("ElasticNet", "LogisticRegression") and l1_ratio is not None
                  and isinstance(l1_ratio, numbers.Real) and np.isclose(l1_ratio, 1.0)))
        threshold = 1e-5 if l1 else "mean"
    if isinstance(threshold, str):
        scale, star, reference = threshold.rpartition("*")
        reference = reference.strip()
        if reference not in ("mean", "median"):
            raise ValueError(
                f"threshold={threshold!r} is not understood; use a number, 'mean', 'median' "
                "or a scaled reference such as '1.25*mean'."
            )
        ref = np.mean(importances) if reference == "mean" else np.median(importances)
        try:
            factor = float(scale.strip()) if star else 1.0
        except ValueError:
            raise ValueError(
                f"threshold={threshold!r}: the scale before '*' must be a number."
            ) from None
        return factor * ref
    return float(threshold)


class SelectFromModel(SelectorMixin, BaseEstimator):
    """Keep the features whose importance in a fitted model reaches a threshold.

    The importance of feature j is |w_j| for a linear model (‖W[:, j]‖ with the
    ``norm_order`` norm for one coefficient row per class or output), or the
    model's ``feature_importances_``. Feature j is kept when

        importance_j ≥ threshold,

    and, with ``max_features``, only the ``max_features`` most important of those.

    Parameters
    ----------
    estimator : estimator
        Any estimator with ``fit`` and, once fitted, ``coef_`` or
        ``feature_importances_`` (or the attribute named by ``importance_getter``).
    threshold : float, str or None, default=None
        A number, "mean", "median", or a scaled one such as "1.25*mean" (of the
        importances). None: 1e-5 for L1-penalised models, else "mean".
    prefit : bool, default=False
        Use ``estimator`` as already fitted: ``fit`` copies it instead of refitting,
        and ``transform`` may be called without ``fit``.
    norm_order : int or float, default=1
        Order of the norm across rows of a 2-D ``coef_``.
    max_features : int, callable or None, default=None
        Keep at most this many features (a callable gets X and returns the number).
    importance_getter : "auto", str or callable, default="auto"
        "auto" reads ``coef_`` then ``feature_importances_``; another string names an
        attribute (dotted paths allowed); a callable gets the fitted estimator.

    Attributes
    ----------
    estimator_ : estimator
        The fitted copy of ``estimator``.
    max_features_ : int
        The resolved ``max_features`` (when it is not None).
    threshold_ : float
        The threshold in use (a property computed from ``estimator_``).
    n_features_in_ : int

    Notes
    -----
    Saving with :func:`scratchml.save` needs a scratchml inner estimator; X is
    validated (NaN rejected) before the inner estimator sees it. ``partial_fit`` is
    not offered.

    Examples
    --------
    Typically the estimator is a linear model or a forest (scikit-learn's work too).
    Here the per-class centroids of a NearestCentroid model serve as importances:
    feature 2 barely differs from 0 in either class and is dropped.

    >>> from scratchml.feature_selection import SelectFromModel
    >>> from scratchml.neighbors import NearestCentroid
    >>> X = [[0.0, 5.0, 1.0], [0.0, 5.0, 2.0], [10.0, 5.0, 1.0], [10.0, 5.0, 2.0]]
    >>> sel = SelectFromModel(NearestCentroid(), importance_getter="centroids_")
    >>> sel.fit(X, [0, 0, 1, 1]).get_support()
    array([ True,  True, False])
    """

    def __init__(self, estimator, *, threshold=None, prefit: bool = False, norm_order=1,
                 max_features=None, importance_getter="auto"):
        self.estimator = estimator
        self.threshold = threshold
        self.prefit = prefit
        self.norm_order = norm_order
        self.max_features = max_features
        self.importance_getter = importance_getter

    def _fitted_estimator(self):
        if hasattr(self, "estimator_"):
            return self.estimator_
        if self.prefit:
            try:
                check_is_fitted(self.estimator)
            except NotFittedError as exc:
                raise NotFittedError(
                    "When prefit=True, estimator is expected to be a fitted estimator."
                ) from exc
            return self.estimator
        raise NotFittedError(
            "This SelectFromModel instance is not fitted yet: call 'fit' with appropriate "
            "arguments before using 'transform'."
        )

    def _resolve_max_features(self, X) -> int | None:
        mf = self.max_features
        if mf is None:
            return None
        if callable(mf):
            mf = mf(X)
        if isinstance(mf, bool) or not isinstance(mf, numbers.Integral) or mf < 0:
            raise ValueError(f"max_features={mf!r} must be a non-negative integer or None.")
        return int(mf)

    def fit(self, X, y=None, **fit_params):
        """Fit (or, with ``prefit``, copy) the estimator; extra arguments go to its fit."""
        if not hasattr(self.estimator, "fit"):
            raise ValueError(
                f"estimator={self.estimator!r} must be an estimator with a fit method."
            )
        if y is None:
            X = self._validate_data(X)
        else:
            X, y = self._validate_data(X, y)
        mf = self._resolve_max_features(X)
        if mf is not None:
            self.max_features_ = mf
        elif hasattr(self, "max_features_"):
            del self.max_features_
        if self.prefit:
            self._fitted_estimator()  # raises if the given estimator is not fitted
            self.estimator_ = copy.deepcopy(self.estimator)
        else:
            self.estimator_ = clone(self.estimator)
            if y is None:
                self.estimator_.fit(X, **fit_params)
            else:
                self.estimator_.fit(X, y, **fit_params)
        return self

    @property
    def threshold_(self) -> float:
        """The numeric threshold applied to the importances."""
        est = self._fitted_estimator()
        return _threshold_value(est, _importances(est, self.importance_getter,
                                                  self.norm_order), self.threshold)

    def _get_support_mask(self) -> np.ndarray:
        est = self._fitted_estimator()
        scores = _importances(est, self.importance_getter, self.norm_order)
        threshold = _threshold_value(est, scores, self.threshold)
        max_features = getattr(self, "max_features_", None)
        if max_features is None and self.max_features is not None:
            if callable(self.max_features):
                raise NotFittedError(
                    "When max_features is a callable, call fit before transform."
                )
            max_features = self._resolve_max_features(None)
        mask = np.ones(scores.shape, dtype=bool)
        if max_features is not None:
            mask[:] = False
            mask[np.argsort(-scores, kind="stable")[:max_features]] = True
        mask[scores < threshold] = False
        return mask

    def transform(self, X) -> np.ndarray:
        """Keep only the selected columns of X."""
        if self.prefit and not hasattr(self, "estimator_"):
            # scikit-learn allows transform straight after construction with prefit=True.
            mask = self._get_support_mask()
            X = check_array(X, dtype="numeric", estimator=self)
            if X.shape[1] != mask.size:
                raise ValueError(
                    f"X has {X.shape[1]} features, but SelectFromModel's estimator was fitted "
                    f"with {mask.size} features."
                )
            return X[:, mask]
        return super().transform(X)

    def get_support(self, indices: bool = False) -> np.ndarray:
        """Boolean mask of the kept features, or their indices with ``indices=True``."""
        mask = self._get_support_mask()
        return np.flatnonzero(mask) if indices else mask
