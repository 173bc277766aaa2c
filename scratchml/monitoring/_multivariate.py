"""Drift of the joint distribution: MMD, a classifier two-sample test, PCA reconstruction error.

Univariate tests miss changes in how features relate (a rotated cloud keeps every
marginal). These three look at all features at once.
"""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_array, check_random_state
from ._result import DriftResult, check_threshold, make_result
from ._univariate import ks_pvalue, ks_statistic


def _table(X, name: str, where: str, n_features: int | None = None) -> np.ndarray:
    X = np.asarray(X)
    if X.ndim == 1:
        X = X[:, None]
    X = check_array(X, input_name=name)
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{where}: {name} has {X.shape[1]} features, but reference has "
                         f"{n_features}; pass the same columns in the same order.")
    return X


_MEDIAN_ROWS = 700  # the bandwidth's median uses the pairs of at most this many rows


def _check_count(value, name: str, where: str, minimum: int) -> int:
    if not (isinstance(value, (int, np.integer)) and not isinstance(value, bool)
            and value >= minimum):
        raise ValueError(f"{where}: {name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _subsample(X: np.ndarray, max_samples: int, rng) -> np.ndarray:
    if X.shape[0] <= max_samples:
        return X
    return X[np.sort(rng.choice(X.shape[0], max_samples, replace=False))]


def _sq_distances(Z: np.ndarray) -> np.ndarray:
    """‖z_i − z_j‖² by the GEMM identity ‖a‖² + ‖b‖² − 2 a·b, clipped at 0 (rounding); in place."""
    sq = np.einsum("ij,ij->i", Z, Z)
    d2 = Z @ Z.T
    d2 *= -2.0
    d2 += sq[:, None]
    d2 += sq[None, :]
    np.maximum(d2, 0.0, out=d2)
    np.fill_diagonal(d2, 0.0)  # exact zeros: _median_off_diagonal counts on them
    return d2


def _median_off_diagonal(d2: np.ndarray) -> float:
    """Median of the N(N−1)/2 distinct pairs of a symmetric matrix with a zero diagonal.

    Sorted, the whole matrix is N zeros then every pair twice, so pair k (0-based) sits
    at position N + 2k: one partition finds the median without copying a triangle out.
    """
    n = d2.shape[0]
    m = n * (n - 1) // 2
    if m % 2:
        k = [n + m - 1]
    else:
        k = [n + m - 2, n + m]
    flat = np.partition(d2.ravel(), k)
    return float(np.mean(flat[k]))


def mmd_test(reference, current, *, alpha: float = 0.05, n_permutations: int = 100,
             max_samples: int = 1000, random_state=None) -> DriftResult:
    """Kernel two-sample test: maximum mean discrepancy with an RBF kernel (Gretton et al. 2012).

        MMD² = ‖μ_ref − μ_cur‖²_H = mean k(x, x') + mean k(y, y') − 2 mean k(x, y),
        k(a, b) = exp(−‖a − b‖² / (2σ²)),  σ = median pairwise distance of the pooled sample

    (the biased V-statistic, s K s with s = +1/m on reference rows, −1/n on current
    ones). Above 700 pooled rows, σ is the median over the pairs of 700 random rows.
    The p-value is a permutation test: the pooled rows are relabelled at random
    ``n_permutations`` times, p = (1 + #{MMD²_perm ≥ MMD²}) / (1 + n_permutations).
    Features should share a scale (standardize first); samples above ``max_samples``
    rows are subsampled (the kernel matrix is quadratic in size).

    Parameters
    ----------
    reference, current : array-like of shape (n, n_features)
    alpha : float, default=0.05
    n_permutations : int, default=100
    max_samples : int, default=1000
        Rows kept from each sample.
    random_state : None, int or numpy Generator, default=None
        Seeds the subsampling and the permutations.

    Returns
    -------
    DriftResult
        statistic = MMD², effect_size = MMD = √MMD² (in [0, √2]).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.normal(size=(200, 3)), rng.normal(0.5, size=(200, 3))
    >>> mmd_test(X, Y, random_state=0).drifted
    True
    """
    where = "mmd_test"
    alpha = check_threshold(alpha, "alpha", where, upper=1.0)
    n_permutations = _check_count(n_permutations, "n_permutations", where, 1)
    max_samples = _check_count(max_samples, "max_samples", where, 2)
    rng = check_random_state(random_state)
    X = _table(reference, "reference", where)
    Y = _table(current, "current", where, X.shape[1])
    X, Y = _subsample(X, max_samples, rng), _subsample(Y, max_samples, rng)
    m, n = X.shape[0], Y.shape[0]
    d2 = _sq_distances(np.vstack([X, Y]))
    if m + n <= _MEDIAN_ROWS:
        sigma2 = _median_off_diagonal(d2)
    else:  # the median of ~250,000 pairs estimates that of all pairs to ~0.3%
        sub = np.sort(rng.choice(m + n, _MEDIAN_ROWS, replace=False))
        sigma2 = _median_off_diagonal(d2[np.ix_(sub, sub)])
    if sigma2 <= 0:
        sigma2 = 1.0  # more than half the pairs coincide: any positive width separates the rest
    d2 *= -1.0 / (2.0 * sigma2)
    K = np.exp(d2, out=d2)  # reuses the distance matrix's memory
    s = np.concatenate([np.full(m, 1.0 / m), np.full(n, -1.0 / n)])
    observed = float(s @ K @ s)
    S = rng.permuted(np.broadcast_to(s, (n_permutations, m + n)), axis=1)
    perm = np.einsum("pi,pi->p", S @ K, S)
    # Ties count as "as extreme" (≥); a relative 1e-12 absorbs rounding of equal sums.
    p = (1.0 + np.sum(perm >= observed * (1 - 1e-12))) / (1.0 + n_permutations)
    return make_result("mmd", observed, p, np.sqrt(max(observed, 0.0)), alpha, by_p=True,
                       details={"bandwidth": float(np.sqrt(sigma2)), "n_reference": m,
                                "n_current": n, "n_permutations": n_permutations})


def _average_ranks(x: np.ndarray) -> np.ndarray:
    s = np.sort(x)
    return (np.searchsorted(s, x, "left") + np.searchsorted(s, x, "right") + 1) / 2.0


def classifier_test(reference, current, *, estimator=None, alpha: float = 0.05,
                    n_permutations: int = 200, random_state=None) -> DriftResult:
    """Classifier two-sample test: can a model tell current rows from reference rows?

    Half of each sample trains ``estimator`` to predict "current" (1) vs "reference" (0);
    on the other half its scores give the ROC AUC (from ranks: Mann–Whitney U / (m n)).
    Without drift the AUC is 0.5 up to noise; the p-value is the share of label
    permutations of the held-out half whose AUC reaches the observed one (one-sided),
    p = (1 + #{AUC_perm ≥ AUC}) / (1 + n_permutations).

    Parameters
    ----------
    reference, current : array-like of shape (n, n_features)
        At least 4 rows each.
    estimator : scratchml classifier with predict_proba, default=None
        Cloned before fitting; None uses ``GaussianNB()``.
    alpha : float, default=0.05
    n_permutations : int, default=200
    random_state : None, int or numpy Generator, default=None

    Returns
    -------
    DriftResult
        statistic = held-out AUC, effect_size = 2 AUC − 1 (Gini; 0 = indistinguishable).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.normal(size=(300, 2)), rng.normal(1.0, size=(300, 2))
    >>> classifier_test(X, Y, random_state=0).statistic > 0.7
    True
    """
    from ..base import clone

    where = "classifier_test"
    alpha = check_threshold(alpha, "alpha", where, upper=1.0)
    n_permutations = _check_count(n_permutations, "n_permutations", where, 1)
    rng = check_random_state(random_state)
    X = _table(reference, "reference", where)
    Y = _table(current, "current", where, X.shape[1])
    if X.shape[0] < 4 or Y.shape[0] < 4:
        raise ValueError(f"{where}: each sample needs at least 4 rows (half to train, half to "
                         f"score), got {X.shape[0]} and {Y.shape[0]}.")
    if estimator is None:
        from ..naive_bayes import GaussianNB

        estimator = GaussianNB()
    # A stratified split: half of each sample trains, the other half scores.
    ix, iy = rng.permutation(X.shape[0]), rng.permutation(Y.shape[0])
    hx, hy = X.shape[0] // 2, Y.shape[0] // 2
    train = np.vstack([X[ix[:hx]], Y[iy[:hy]]])
    test = np.vstack([X[ix[hx:]], Y[iy[hy:]]])
    y_train = np.r_[np.zeros(hx, int), np.ones(hy, int)]
    y_test = np.r_[np.zeros(X.shape[0] - hx), np.ones(Y.shape[0] - hy)]
    model = clone(estimator).fit(train, y_train)
    score = model.predict_proba(test)[:, list(model.classes_).index(1)]
    ranks = _average_ranks(score)
    n_pos, n_neg = float(y_test.sum()), float(y_test.size - y_test.sum())

    def auc(labels):  # rows of labels -> AUC of each row
        return (labels @ ranks - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)

    observed = float(auc(y_test))
    perm = auc(rng.permuted(np.broadcast_to(y_test, (n_permutations, y_test.size)), axis=1))
    p = (1.0 + np.sum(perm >= observed - 1e-12)) / (1.0 + n_permutations)
    return make_result("classifier", observed, p, 2 * observed - 1, alpha, by_p=True,
                       details={"estimator": type(estimator).__name__,
                                "n_permutations": n_permutations})


def pca_drift(reference, current, *, n_components: float | int = 0.9, alpha: float = 0.05,
              random_state=None) -> DriftResult:
    """Drift of the correlation structure, seen through PCA reconstruction error.

    Features are standardized with the reference's mean and standard deviation; PCA
    is fitted on a random half of the reference, and each row's error is
    e(x) = ‖(x − μ) − (x − μ) V Vᵀ‖² (the part outside the kept components). New
    relations between features push the current rows' errors up; the held-out half
    of the reference gives the errors' null distribution, compared with the current
    errors by a two-sample KS test.

    Parameters
    ----------
    reference, current : array-like of shape (n, n_features)
        At least 4 reference rows.
    n_components : int or float in (0, 1), default=0.9
        As PCA's: a float keeps the components explaining that share of variance.
    alpha : float, default=0.05
    random_state : None, int or numpy Generator, default=None

    Returns
    -------
    DriftResult
        statistic = mean current error / mean held-out reference error,
        effect_size = that ratio − 1, p_value = the KS test's.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=(400, 1))
    >>> X = np.hstack([z, z + 0.1 * rng.normal(size=(400, 1))])
    >>> Y = rng.normal(size=(400, 2))  # same marginals (nearly), correlation gone
    >>> pca_drift(X, Y, n_components=1, random_state=0).drifted
    True
    """
    from ..decomposition import PCA

    where = "pca_drift"
    alpha = check_threshold(alpha, "alpha", where, upper=1.0)
    rng = check_random_state(random_state)
    X = _table(reference, "reference", where)
    Y = _table(current, "current", where, X.shape[1])
    if X.shape[0] < 4:
        raise ValueError(f"{where}: reference needs at least 4 rows, got {X.shape[0]}.")
    mu, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd == 0] = 1.0
    X, Y = (X - mu) / sd, (Y - mu) / sd
    order = rng.permutation(X.shape[0])
    half = X.shape[0] // 2
    fit_rows, held = X[order[:half]], X[order[half:]]
    pca = PCA(n_components=n_components, random_state=rng).fit(fit_rows)
    V = pca.components_

    def errors(Z):
        C = Z - pca.mean_
        return np.sum((C - (C @ V.T) @ V) ** 2, axis=1)

    e_ref, e_cur = errors(held), errors(Y)
    d = ks_statistic(e_ref, e_cur)
    _, p, used = ks_pvalue(d, e_ref.size, e_cur.size)
    base = float(np.mean(e_ref))
    ratio = float(np.mean(e_cur)) / base if base > 0 else float(np.mean(e_cur) > 0) + 1.0
    return make_result("pca_reconstruction", ratio, p, ratio - 1.0, alpha, by_p=True,
                       details={"n_components": int(pca.n_components_), "ks_statistic": d,
                                "ks_method": used})
