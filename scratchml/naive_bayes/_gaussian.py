"""Gaussian naive Bayes: one normal distribution per class and feature.

    log P(c | x) ∝ log P(c) − ½ Σ_j log(2π σ²_cj) − ½ Σ_j (x_j − μ_cj)² / σ²_cj

The means μ and variances σ² are weighted per-class moments, updated batch by
batch with Chan, Golub & LeVeque's pairwise formula so that ``partial_fit`` over
a stream gives the moments of the whole. ``var_smoothing`` adds a small fraction
of the largest feature variance to every σ² so that a constant feature within a
class does not divide by zero.
"""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_sample_weight
from ._base import _BaseNB, _check_partial_fit_classes, _encode_labels, _fit_classes

# Rows of X handled at once in the likelihood: bounds the (rows x features)
# temporary and keeps it in cache.
_CHUNK = 4096


def _batch_moments(X, idx, n_classes, sample_weight):
    """Weighted count, mean and variance of every class in batch X (two passes, stable).

    A weighted one-hot matrix W (samples x classes) turns the per-class sums into
    matrix products: m = W.T @ X / n, v = W.T @ (X − m_y)² / n.
    """
    n_samples = X.shape[0]
    W = np.zeros((n_samples, n_classes))
    W[np.arange(n_samples), idx] = 1.0 if sample_weight is None else sample_weight
    n_new = W.sum(axis=0)
    safe = np.where(np.isclose(n_new, 0.0), 1.0, n_new)[:, None]
    new_mu = (W.T @ X) / safe
    # Gather each row's class mean (np.take is the fast gather), then X − m_y in place.
    diff = np.take(new_mu, idx, axis=0)
    np.subtract(X, diff, out=diff)
    np.square(diff, out=diff)
    return n_new, new_mu, (W.T @ diff) / safe


def _merge_moments(n_past, mu, var, n_new, new_mu, new_var):
    """Chan, Golub & LeVeque (1983): merge (n_a, μ_a, σ²_a) with a batch's (n_b, m_b, v_b).

        n = n_a + n_b,   μ = (n_a μ_a + n_b m_b) / n,
        n σ² = n_a σ²_a + n_b v_b + (n_a n_b / n)(μ_a − m_b)².
    """
    # Classes absent from the batch (or of zero total weight) keep their moments.
    seen = ~np.isclose(n_new, 0.0)
    total = n_past + n_new
    first = seen & (n_past == 0)
    merge = seen & (n_past > 0)
    mu, var = mu.copy(), var.copy()
    mu[first], var[first] = new_mu[first], new_var[first]
    if np.any(merge):
        na, nb, nt = n_past[merge, None], n_new[merge, None], total[merge, None]
        delta = mu[merge] - new_mu[merge]
        ssd = na * var[merge] + nb * new_var[merge] + (nb * na / nt) * delta**2
        mu[merge] = (nb * new_mu[merge] + na * mu[merge]) / nt
        var[merge] = ssd / nt
    return mu, var, np.where(seen, n_new, 0.0)


def _column_variance(X: np.ndarray) -> np.ndarray:
    """np.var(X, axis=0) as two BLAS mat-vecs (ones @ X), faster on C-ordered X."""
    ones = np.ones(X.shape[0])
    d = X - (ones @ X) / X.shape[0]
    np.square(d, out=d)
    return (ones @ d) / X.shape[0]


class GaussianNB(_BaseNB):
    """Naive Bayes with a normal likelihood per class and feature.

    P(x | c) = Π_j N(x_j; μ_cj, σ²_cj): features are independent given the class,
    each normal with the class's weighted mean and variance (plus ``epsilon_``).

    Parameters
    ----------
    priors : array-like of shape (n_classes,), default=None
        Prior probabilities of the classes; None estimates them from the data.
    var_smoothing : float, default=1e-9
        Fraction of the largest feature variance added to every variance.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : ndarray of shape (n_classes,)
        Weighted number of training samples per class.
    class_prior_ : ndarray of shape (n_classes,)
    theta_ : ndarray of shape (n_classes, n_features)
        Per-class feature means.
    var_ : ndarray of shape (n_classes, n_features)
        Per-class feature variances, ``epsilon_`` included.
    epsilon_ : float
        The variance added for stability.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.naive_bayes import GaussianNB
    >>> X = np.array([[-1.0, -1.0], [-2.0, -1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> GaussianNB().fit(X, [0, 0, 1, 1]).predict([[-0.8, -1.0]])
    array([0])
    """

    def __init__(self, *, priors=None, var_smoothing: float = 1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X, y, sample_weight=None) -> GaussianNB:
        """Fit the per-class means and variances (weighted by ``sample_weight``)."""
        X, y = self._validate_data(X, y)
        classes, _ = _fit_classes(self, y)
        self.classes_ = None
        return self._partial_fit(X, y, classes, sample_weight, first=True)

    def partial_fit(self, X, y, classes=None, sample_weight=None) -> GaussianNB:
        """Update the model with one batch; ``classes`` (all labels) is required the first time."""
        first = _check_partial_fit_classes(self, classes)
        X, y = self._validate_data(X, y, reset=first)
        return self._partial_fit(X, y, self.classes_, sample_weight, first=first)

    def _check_params(self, n_classes: int) -> np.ndarray | None:
        vs = self.var_smoothing
        if isinstance(vs, bool) or not isinstance(vs, (int, float, np.number)) or not vs >= 0:
            raise ValueError(f"var_smoothing must be a float >= 0, got {vs!r}.")
        if self.priors is None:
            return None
        priors = np.asarray(self.priors, dtype=np.float64)
        if priors.ndim != 1 or len(priors) != n_classes:
            raise ValueError(
                f"priors has {priors.size} values but there are {n_classes} classes; "
                "give one prior per class."
            )
        if not np.isclose(priors.sum(), 1.0):
            raise ValueError(f"priors must sum to 1, they sum to {priors.sum()!r}.")
        if np.any(priors < 0):
            raise ValueError("priors must be non-negative.")
        return priors

    def _partial_fit(self, X, y, classes, sample_weight, *, first: bool) -> GaussianNB:
        if first:
            self.classes_ = classes
        n_classes = len(self.classes_)
        priors = self._check_params(n_classes)
        idx = _encode_labels(self, y, self.classes_)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X.shape[0], estimator=self)
        n_new, new_mu, new_var = _batch_moments(X, idx, n_classes, sample_weight)
        if sample_weight is None:
            # Law of total variance: the columns' variance from the class moments, which
            # saves a pass over X (it only sets the 1e-9-sized epsilon_).
            grand = n_new @ new_mu / X.shape[0]
            column_var = n_new @ (new_var + (new_mu - grand) ** 2) / X.shape[0]
        else:
            column_var = _column_variance(X)  # scikit-learn uses the unweighted variance
        new_epsilon = self.var_smoothing * float(column_var.max())
        if first:
            self.theta_ = np.zeros((n_classes, X.shape[1]))
            self.var_ = np.zeros((n_classes, X.shape[1]))
            self.class_count_ = np.zeros(n_classes)
            var = self.var_
        else:
            # As scikit-learn does: strip the smoothing (the new one, a quirk kept for
            # agreement) from the stored variances, merge, then add the new one back.
            var = self.var_ - new_epsilon  # scikit-learn removes the new epsilon
        self.epsilon_ = new_epsilon
        self.theta_, var, n_new = _merge_moments(
            self.class_count_, self.theta_, var, n_new, new_mu, new_var
        )
        self.class_count_ = self.class_count_ + n_new
        self.var_ = var + self.epsilon_
        if priors is not None:
            self.class_prior_ = priors
        else:
            self.class_prior_ = self.class_count_ / self.class_count_.sum()
        return self

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        # The direct form Σ (x − μ)²/σ², not the expanded ‖x‖² − 2x·μ + ‖μ‖² GEMM: the
        # expansion cancels catastrophically when |x| ≫ σ and would lose agreement.
        # Per chunk and class: subtract, square in place, then one BLAS mat-vec with 1/σ².
        with np.errstate(divide="ignore"):
            log_prior = np.log(self.class_prior_)
        var = self.var_
        if not np.all(var > 0):
            # A zero variance (every column constant, so epsilon_ is 0 too; or a
            # declared class not seen yet) would give 0 * inf = NaN. scikit-learn
            # returns NaN there; a floor of one machine epsilon keeps the Gaussian
            # (a spike) and gives finite probabilities instead.
            var = np.where(var > 0, var, np.finfo(np.float64).eps)
        const = log_prior - 0.5 * np.sum(np.log(2.0 * np.pi * var), axis=1)
        inv_var = 1.0 / var
        n = X.shape[0]
        jll = np.empty((n, len(self.classes_)))
        buf = np.empty((min(_CHUNK, n), X.shape[1]))
        for start in range(0, n, _CHUNK):
            rows = X[start:start + _CHUNK]
            d = buf[: len(rows)]
            for c in range(len(self.classes_)):
                np.subtract(rows, self.theta_[c], out=d)
                np.square(d, out=d)
                jll[start:start + len(rows), c] = d @ inv_var[c]
        jll *= -0.5
        jll += const
        return jll
