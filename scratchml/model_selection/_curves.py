"""Learning and validation curves: cross-validated scores as one quantity varies.

* :func:`learning_curve` varies the number of training samples m: for each
  split and each m, fit on the first m training rows and score on the train
  subset and on the test fold.
* :func:`validation_curve` varies one hyperparameter θ: for each split and each
  θ in ``param_range``, fit with θ and score both ways.

Comparing the train and test curves separates bias (both low) from variance
(a large gap).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..base import clone
from ..utils.validation import check_random_state
from ._parallel import run_tasks
from ._scoring import check_scoring
from ._split import check_cv
from ._utils import _is_classifier
from ._validation import _check_error_score, _fit_and_score, _warn_or_raise_about_fit_failures


def _translate_train_sizes(train_sizes, n_max: int) -> np.ndarray:
    """Absolute, unique training sizes from fractions in (0, 1] or counts in [1, n_max]."""
    sizes = np.asarray(train_sizes)
    n_ticks = sizes.shape[0]
    lo, hi = np.min(sizes), np.max(sizes)
    if np.issubdtype(sizes.dtype, np.floating):
        if lo <= 0.0 or hi > 1.0:
            raise ValueError(
                "train_sizes has been interpreted as fractions of the maximum number of "
                f"training samples and must be within (0, 1], but is within [{lo:f}, {hi:f}]."
            )
        sizes = np.clip((sizes * n_max).astype(int), 1, n_max)
    elif lo <= 0 or hi > n_max:
        raise ValueError(
            "train_sizes has been interpreted as absolute numbers of training samples and "
            f"must be within (0, {n_max}], but is within [{lo}, {hi}]."
        )
    sizes = np.unique(sizes)
    if n_ticks > sizes.shape[0]:
        warnings.warn(
            f"Removed duplicate entries from 'train_sizes'. Number of ticks will be less than "
            f"the size of 'train_sizes': {sizes.shape[0]} instead of {n_ticks}.",
            RuntimeWarning, stacklevel=3)
    return sizes


# scikit-learn's default ticks: 10%, 32.5%, 55%, 77.5% and 100% of the largest training set.
_DEFAULT_TRAIN_SIZES = np.linspace(0.1, 1.0, 5)


def _grid(results, key: str, n_cols: int) -> np.ndarray:
    """Scores laid out as (n_values, n_splits) from results ordered split-major."""
    return np.asarray([r[key] for r in results], dtype=float).reshape(-1, n_cols).T


def learning_curve(estimator, X, y=None, *, groups=None,
                   train_sizes=_DEFAULT_TRAIN_SIZES, cv=None, scoring=None,
                   exploit_incremental_learning: bool = False, n_jobs=None,
                   pre_dispatch="all", verbose: int = 0, shuffle: bool = False,
                   random_state=None, error_score=np.nan, return_times: bool = False,
                   params: dict | None = None):
    """Training and test scores for increasing training-set sizes.

    For split j and size m, the estimator is fitted on the first m indices of
    train_j (shuffled first with ``shuffle=True``) and scored on those rows and
    on test_j.

    Parameters
    ----------
    estimator, X, y, groups, cv, scoring, n_jobs, params :
        As in :func:`cross_validate` (one metric).
    train_sizes : array-like, default=np.linspace(0.1, 1.0, 5)
        Fractions in (0, 1] of the largest training set, or absolute counts.
    exploit_incremental_learning : bool, default=False
        Not supported (must be False): every size is a fresh fit.
    shuffle : bool, default=False
        Shuffle each training set before taking prefixes.
    random_state : None, int or numpy.random.Generator
        Seeds that shuffle (orders differ from scikit-learn's for the same seed).
    error_score : 'raise' or number, default=nan
    return_times : bool, default=False
    pre_dispatch, verbose :
        Accepted for scikit-learn compatibility; ignored.

    Returns
    -------
    train_sizes_abs : ndarray of shape (n_unique_ticks,)
    train_scores, test_scores : ndarray of shape (n_ticks, n_splits)
    fit_times, score_times : ndarray of shape (n_ticks, n_splits)
        Only with ``return_times=True``.

    Examples
    --------
    >>> from scratchml.model_selection import learning_curve
    >>> from scratchml.neighbors import NearestCentroid
    >>> X, y = [[0], [10], [1], [11], [2], [12], [3], [13]], [0, 1, 0, 1, 0, 1, 0, 1]
    >>> sizes, train, test = learning_curve(NearestCentroid(), X, y, cv=2,
    ...                                     train_sizes=[2, 4])
    >>> sizes
    array([2, 4])
    >>> test
    array([[1., 1.],
           [1., 1.]])
    """
    if exploit_incremental_learning:
        raise ValueError("exploit_incremental_learning=True is not supported by scratchml; "
                         "every training size is a fresh fit. Leave it False.")
    _check_error_score(error_score)
    cv = check_cv(cv, y, classifier=_is_classifier(estimator))
    splits = list(cv.split(X, y, groups))
    scorer = check_scoring(estimator, scoring)
    sizes = _translate_train_sizes(train_sizes, len(splits[0][0]))
    if shuffle:
        rng = check_random_state(random_state)
        splits = [(rng.permutation(train), test) for train, test in splits]
    tasks = [(clone(estimator), X, y, scorer, train[:m], test, params, None, True, False,
              error_score) for train, test in splits for m in sizes]
    results = run_tasks(_fit_and_score, tasks, n_jobs)
    _warn_or_raise_about_fit_failures(results, error_score)
    out = (sizes, _grid(results, "train_scores", len(sizes)),
           _grid(results, "test_scores", len(sizes)))
    if return_times:
        out += (_grid(results, "fit_time", len(sizes)), _grid(results, "score_time", len(sizes)))
    return out


def validation_curve(estimator, X, y=None, *, param_name: str, param_range, groups=None,
                     cv=None, scoring=None, n_jobs=None, pre_dispatch="all", verbose: int = 0,
                     error_score=np.nan, params: dict | None = None):
    """Training and test scores as one hyperparameter takes each value of a range.

    Parameters
    ----------
    estimator, X, y, groups, cv, scoring, n_jobs, params :
        As in :func:`cross_validate` (one metric).
    param_name : str
        Parameter to vary, nested ones as ``step__param``.
    param_range : array-like
        Values to try.
    error_score : 'raise' or number, default=nan
    pre_dispatch, verbose :
        Accepted for scikit-learn compatibility; ignored.

    Returns
    -------
    train_scores, test_scores : ndarray of shape (n_values, n_splits)

    Examples
    --------
    >>> from scratchml.model_selection import validation_curve
    >>> from scratchml.neighbors import NearestCentroid
    >>> X, y = [[0], [1], [2], [3], [10], [11], [12], [13]], [0, 0, 0, 0, 1, 1, 1, 1]
    >>> train, test = validation_curve(NearestCentroid(), X, y, param_name="metric",
    ...                                param_range=["euclidean", "manhattan"], cv=2)
    >>> test.shape
    (2, 2)
    """
    _check_error_score(error_score)
    cv = check_cv(cv, y, classifier=_is_classifier(estimator))
    splits = list(cv.split(X, y, groups))
    scorer = check_scoring(estimator, scoring)
    values = list(param_range)
    tasks = [(clone(estimator), X, y, scorer, train, test, params, {param_name: v}, True, False,
              error_score) for train, test in splits for v in values]
    results = run_tasks(_fit_and_score, tasks, n_jobs)
    _warn_or_raise_about_fit_failures(results, error_score)
    return _grid(results, "train_scores", len(values)), _grid(results, "test_scores", len(values))
