"""Permutation feature importance (Breiman, 2001; scikit-learn's ``permutation_importance``).

For a fitted model with score s on (X, y), the importance of feature j in
repeat r is

    i_{j,r} = s - s(X with column j shuffled by permutation pi_r),

the drop in score when the link between feature j and the target is broken
while its marginal distribution is kept. Every feature uses the same n_repeats
permutations (drawn from one seed), so results do not depend on ``n_jobs``.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..datasets._base import Bunch
from ..metrics import check_scoring
from ..model_selection._parallel import run_tasks
from ..utils.validation import _is_dataframe, check_random_state


def _score(scorer, estimator, X, y, sample_weight):
    if sample_weight is None:
        return float(scorer(estimator, X, y))
    return float(scorer(estimator, X, y, sample_weight=sample_weight))


def _shuffled_column(X, col, perm):
    """A copy of X whose column ``col`` is permuted by ``perm`` (DataFrames stay DataFrames)."""
    if _is_dataframe(X):
        out = X.copy()
        out.iloc[:, col] = X.iloc[perm, col].to_numpy()
        return out
    out = X.copy()
    out[:, col] = X[perm, col]
    return out


def _rows(X, rows):
    return X.iloc[rows] if _is_dataframe(X) else X[rows]


def _feature_scores(estimator, X, y, sample_weight, scorer, col, seed, n_repeats, n_rows):
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    out = np.empty(n_repeats)
    for r in range(n_repeats):
        rows = rng.choice(n, n_rows, replace=False) if n_rows < n else None
        Xr = X if rows is None else _rows(X, rows)
        yr = y if rows is None else y[rows]
        wr = sample_weight if rows is None or sample_weight is None else sample_weight[rows]
        perm = rng.permutation(Xr.shape[0])
        out[r] = _score(scorer, estimator, _shuffled_column(Xr, col, perm), yr, wr)
    return out


def permutation_importance(estimator, X, y, *, scoring=None, n_repeats: int = 5,
                           n_jobs: int | None = None, random_state=None,
                           sample_weight=None, max_samples: float | int = 1.0) -> Bunch:
    """Importance of each feature: the mean drop in score when its values are shuffled.

    importance_{j,r} = score(X, y) - score(X with column j permuted, y), r = 1..n_repeats.

    Parameters
    ----------
    estimator : fitted estimator
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    scoring : str, callable or None, default=None
        A scorer name (``scratchml.metrics.get_scorer_names()``) or callable
        ``scorer(estimator, X, y)``; None uses ``estimator.score``.
    n_repeats : int, default=5
        Permutations per feature.
    n_jobs : int or None
        Features scored in parallel (see ``scratchml.model_selection``); results
        do not depend on it.
    random_state : None, int or numpy.random.Generator
    sample_weight : array-like of shape (n_samples,) or None
        Passed to the scorer.
    max_samples : int or float, default=1.0
        Rows drawn (without replacement) per repeat: a count, or a fraction of n_samples.

    Returns
    -------
    result : Bunch (a dict with attribute access)
        ``importances_mean`` and ``importances_std``, shape (n_features,);
        ``importances``, shape (n_features, n_repeats).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.inspection import permutation_importance
    >>> from scratchml.neighbors import KNeighborsRegressor
    >>> X = np.c_[np.arange(20.0), np.zeros(20)]; y = X[:, 0]
    >>> model = KNeighborsRegressor(1).fit(X, y)
    >>> r = permutation_importance(model, X, y, random_state=0)
    >>> bool(r.importances_mean[0] > 1), float(r.importances_mean[1])
    (True, 0.0)
    """
    if not isinstance(n_repeats, numbers.Integral) or n_repeats < 1:
        raise ValueError(f"n_repeats={n_repeats!r} is invalid; use an integer >= 1.")
    if not _is_dataframe(X):
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2D (n_samples, n_features); got shape {X.shape}.")
    y = np.asarray(y)
    n = X.shape[0]
    if n == 0 or len(y) != n:
        raise ValueError(f"X has {n} samples and y has {len(y)}: both need the same, "
                         "non-zero number of samples.")
    if isinstance(max_samples, numbers.Integral) and not isinstance(max_samples, bool):
        n_rows = int(max_samples)
    elif isinstance(max_samples, numbers.Real) and 0 < max_samples <= 1:
        n_rows = max(1, int(max_samples * n))
    else:
        n_rows = -1
    if not 1 <= n_rows <= n:
        raise ValueError(f"max_samples={max_samples!r} is invalid; use a fraction in (0, 1] "
                         f"or a number of samples in [1, {n}].")
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
    scorer = check_scoring(estimator, scoring)
    seed = int(check_random_state(random_state).integers(2**32))
    baseline = _score(scorer, estimator, X, y, sample_weight)
    tasks = [(estimator, X, y, sample_weight, scorer, j, seed, n_repeats, n_rows)
             for j in range(X.shape[1])]
    scores = np.asarray(run_tasks(_feature_scores, tasks, n_jobs)).reshape(-1, n_repeats)
    importances = baseline - scores
    return Bunch(importances_mean=importances.mean(axis=1),
                 importances_std=importances.std(axis=1), importances=importances)
