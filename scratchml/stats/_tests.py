"""Comparing two models: McNemar's test, the 5×2cv paired t-test, the corrected resampled t-test.

Which to use (Dietterich 1998; Nadeau & Bengio 2003): McNemar when each model can be
trained once and scored on one test set; 5×2cv when retraining is affordable and the
data set is small; the corrected resampled t-test for scores from repeated random
splits or k-fold CV (a plain paired t-test on those is overconfident, because the
training sets overlap).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from ..utils._distributions import chi2_sf, t_sf
from ..utils._special import betainc


@dataclass
class TestResult:
    """A statistic and its p-value, with the method and the numbers behind them.

    Examples
    --------
    >>> TestResult(2.0, 0.1, "paired t").p_value
    0.1
    """

    __test__ = False  # not a pytest test class, despite the name

    statistic: float
    p_value: float
    method: str
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The result as plain Python data."""
        return asdict(self)


def _binom_cdf_half(k: int, n: int) -> float:
    """P(X ≤ k) for X ~ Binomial(n, ½): I_{½}(n − k, k + 1)."""
    return 1.0 if k >= n else float(betainc(n - k, k + 1, 0.5))


def mcnemar(y_true, y_pred_a, y_pred_b, *, exact: bool | str = "auto",
            correction: bool = True) -> TestResult:
    """McNemar's test: do two classifiers have the same error rate on one test set?

    Only the discordant pairs count: b = samples A gets right and B wrong, c = the
    reverse. Under the null hypothesis each discordant pair is a fair coin:

        exact:      p = min(1, 2 P(X ≤ min(b, c))),  X ~ Binomial(b + c, ½)
        chi-square: χ² = (|b − c| − 1)² / (b + c)  (without correction: (b − c)² / (b + c)),
                    df = 1

    Parameters
    ----------
    y_true, y_pred_a, y_pred_b : array-like of shape (n_samples,)
    exact : bool or 'auto', default='auto'
        'auto': the binomial test when b + c < 25, the χ² approximation otherwise.
    correction : bool, default=True
        Edwards' continuity correction of the χ² statistic.

    Returns
    -------
    TestResult
        ``details`` holds b, c and the 2×2 table [[both right, only A right],
        [only B right, both wrong]].

    Examples
    --------
    >>> y = [0] * 10 + [1] * 10
    >>> a = y[:]                                        # A is always right
    >>> b = [1] * 6 + [0] * 4 + [1] * 10                # B misses the first 6
    >>> round(mcnemar(y, a, b).p_value, 6)              # 2 * 0.5**6
    0.03125
    """
    y, a, b = (np.asarray(v).ravel() for v in (y_true, y_pred_a, y_pred_b))
    if not (y.size == a.size == b.size) or y.size == 0:
        raise ValueError(f"mcnemar: y_true, y_pred_a and y_pred_b need the same non-zero "
                         f"length, got {y.size}, {a.size} and {b.size}.")
    if exact not in (True, False, "auto"):
        raise ValueError(f"mcnemar: exact must be True, False or 'auto', got {exact!r}.")
    ra, rb = a == y, b == y
    n01, n10 = int(np.sum(ra & ~rb)), int(np.sum(~ra & rb))
    table = [[int(np.sum(ra & rb)), n01], [n10, int(np.sum(~ra & ~rb))]]
    n = n01 + n10
    details = {"b": n01, "c": n10, "table": table}
    if exact == "auto":
        exact = n < 25
    if n == 0:  # the models never disagree: no evidence of a difference
        return TestResult(0.0, 1.0, "exact binomial" if exact else "chi-square", details)
    if exact:
        k = min(n01, n10)
        return TestResult(float(k), min(1.0, 2 * _binom_cdf_half(k, n)), "exact binomial",
                          details)
    diff = abs(n01 - n10) - (1 if correction else 0)
    stat = max(diff, 0) ** 2 / n
    return TestResult(float(stat), float(chi2_sf(stat, 1)), "chi-square", details)


def _half_split(y: np.ndarray, stratify: bool, rng) -> tuple[np.ndarray, np.ndarray]:
    """Two halves of the rows; with ``stratify``, each class is halved separately."""
    n = y.shape[0]
    if not stratify:
        perm = rng.permutation(n)
        return perm[: n // 2], perm[n // 2:]
    first = []
    for cls in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == cls))
        first.append(idx[: idx.size // 2])
    first = np.sort(np.concatenate(first))
    mask = np.zeros(n, dtype=bool)
    mask[first] = True
    return np.flatnonzero(mask), np.flatnonzero(~mask)


def t_5x2cv(differences) -> tuple[float, float]:
    """Dietterich's statistic from a 5×2 array of score differences; returns ``(t, p)``.

        t = d_{1,1} / √(Σ_i s_i² / 5),  s_i² = Σ_j (d_{i,j} − d̄_i)²,  df = 5

    Examples
    --------
    >>> t, p = t_5x2cv([[0.1, 0.0]] * 5)  # 0.1 / sqrt(5 * 0.005 / 5)
    >>> round(t, 6)
    1.414214
    """
    d = np.asarray(differences, dtype=np.float64)
    if d.shape != (5, 2):
        raise ValueError(f"t_5x2cv: differences must have shape (5, 2), got {d.shape}.")
    s2 = np.sum((d - d.mean(axis=1, keepdims=True)) ** 2, axis=1)
    denom = math.sqrt(float(np.sum(s2)) / 5.0)
    if denom == 0:
        return (0.0, 1.0) if d[0, 0] == 0 else (math.copysign(math.inf, d[0, 0]), 0.0)
    t = float(d[0, 0] / denom)
    return t, float(min(1.0, 2 * t_sf(abs(t), 5)))


def paired_ttest_5x2cv(estimator_a, estimator_b, X, y, *, scoring=None,
                       random_state=None) -> TestResult:
    """Dietterich's 5×2-fold cross-validated paired t-test of two estimators.

    Five times, the data are split in two halves (stratified for classifiers); each
    model is trained on one half and scored on the other, then the other way round,
    giving differences d_{i,j} = score_A − score_B. See :func:`t_5x2cv` for the statistic,
    which follows Student's t with 5 degrees of freedom under the null hypothesis.

    Parameters
    ----------
    estimator_a, estimator_b : estimators
        Cloned before each fit.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    scoring : str, callable or None, default=None
        As in ``cross_val_score``; None uses each estimator's ``score``.
    random_state : None, int or numpy Generator, default=None

    Returns
    -------
    TestResult
        ``details["differences"]``: the 5×2 score differences.

    Examples
    --------
    >>> from scratchml.datasets import load_wine
    >>> from scratchml.naive_bayes import GaussianNB
    >>> from scratchml.neighbors import KNeighborsClassifier
    >>> X, y = load_wine(return_X_y=True)
    >>> res = paired_ttest_5x2cv(GaussianNB(), KNeighborsClassifier(), X, y, random_state=0)
    >>> res.p_value < 0.05  # naive Bayes beats 5-NN on unscaled wine
    True
    """
    from ..base import clone, is_classifier
    from ..metrics import check_scoring
    from ..utils.validation import check_random_state, check_X_y

    X, y = check_X_y(X, y, dtype=None)
    rng = check_random_state(random_state)
    scorer_a = check_scoring(estimator_a, scoring)
    scorer_b = check_scoring(estimator_b, scoring)
    diffs = np.empty((5, 2))
    for i in range(5):
        halves = _half_split(y, is_classifier(estimator_a), rng)
        for j in range(2):
            train, test = halves[j], halves[1 - j]
            ma = clone(estimator_a).fit(X[train], y[train])
            mb = clone(estimator_b).fit(X[train], y[train])
            diffs[i, j] = scorer_a(ma, X[test], y[test]) - scorer_b(mb, X[test], y[test])
    t, p = t_5x2cv(diffs)
    return TestResult(t, p, "5x2cv paired t", {"differences": diffs.tolist(), "df": 5})


def corrected_resampled_ttest(scores_a, scores_b, *, n_train: int, n_test: int) -> TestResult:
    """Nadeau & Bengio's corrected resampled t-test of paired scores from J resamples.

        d_j = a_j − b_j,  t = d̄ / √((1/J + n_test/n_train) σ̂²),  σ̂² = var(d, ddof=1),
        df = J − 1

    The n_test/n_train term inflates the variance for the overlap of the training sets
    of different resamples (k-fold CV or repeated random splits), which the plain paired
    t-test ignores and so finds differences too often.

    Parameters
    ----------
    scores_a, scores_b : array-like of shape (J,)
        The two models' scores on the same J splits (J ≥ 2).
    n_train, n_test : int
        Training and test set sizes of one split.

    Returns
    -------
    TestResult
        Two-sided p-value.

    Examples
    --------
    >>> res = corrected_resampled_ttest([0.9, 0.92, 0.91], [0.88, 0.9, 0.87],
    ...                                 n_train=80, n_test=20)
    >>> round(res.statistic, 4)
    3.0237
    """
    a, b = np.asarray(scores_a, float).ravel(), np.asarray(scores_b, float).ravel()
    if a.size != b.size or a.size < 2:
        raise ValueError(f"corrected_resampled_ttest: scores_a and scores_b need the same "
                         f"length >= 2, got {a.size} and {b.size}.")
    for name, v in (("n_train", n_train), ("n_test", n_test)):
        if not (isinstance(v, (int, np.integer)) and v >= 1):
            raise ValueError(f"corrected_resampled_ttest: {name} must be a positive integer, "
                             f"got {v!r}.")
    d = a - b
    j = d.size
    mean, var = float(d.mean()), float(d.var(ddof=1))
    denom = math.sqrt((1.0 / j + n_test / n_train) * var)
    details = {"mean_difference": mean, "df": j - 1}
    if denom == 0:
        t = 0.0 if mean == 0 else math.copysign(math.inf, mean)
        return TestResult(t, 1.0 if mean == 0 else 0.0, "corrected resampled t", details)
    t = mean / denom
    return TestResult(t, float(min(1.0, 2 * t_sf(abs(t), j - 1))), "corrected resampled t",
                      details)
