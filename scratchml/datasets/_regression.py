"""make_regression and make_low_rank_matrix: linear targets on (optionally low-rank) inputs."""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_random_state
from ._checks import check_bool, check_int, check_real


def make_low_rank_matrix(
    n_samples: int = 100,
    n_features: int = 100,
    *,
    effective_rank: int = 10,
    tail_strength: float = 0.5,
    random_state=None,
) -> np.ndarray:
    """Generate a mostly low-rank matrix with a bell-shaped singular value profile.

    X = U diag(s) Vᵀ with U, V random orthonormal (QR of Gaussian matrices) and,
    for i = 0 .. min(n_samples, n_features) − 1,

        s_i = (1 − tail_strength) · exp(−(i / effective_rank)²)      (signal)
            + tail_strength · exp(−0.1 · i / effective_rank)         (fat noisy tail)

    so about ``effective_rank`` directions explain most of X, as in face images
    or TF-IDF matrices.

    Parameters
    ----------
    n_samples, n_features : int, default=100
    effective_rank : int, default=10
        Approximate number of singular vectors that explain most of the data.
    tail_strength : float in [0, 1], default=0.5
        Relative weight of the slowly decaying tail.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.datasets import make_low_rank_matrix
    >>> X = make_low_rank_matrix(50, 25, effective_rank=5, tail_strength=0.0, random_state=0)
    >>> s = np.linalg.svd(X, compute_uv=False)
    >>> bool(np.isclose(s[0], 1.0))
    True
    """
    where = "make_low_rank_matrix"
    n_samples = check_int("n_samples", n_samples, 1, where)
    n_features = check_int("n_features", n_features, 1, where)
    effective_rank = check_int("effective_rank", effective_rank, 1, where)
    tail_strength = check_real("tail_strength", tail_strength, where, low=0.0, high=1.0)
    rng = check_random_state(random_state)
    return _low_rank(n_samples, n_features, effective_rank, tail_strength, rng)


def _low_rank(n_samples, n_features, effective_rank, tail_strength, rng) -> np.ndarray:
    n = min(n_samples, n_features)
    u, _ = np.linalg.qr(rng.standard_normal((n_samples, n)))
    v, _ = np.linalg.qr(rng.standard_normal((n_features, n)))
    i = np.arange(n, dtype=np.float64)
    s = ((1 - tail_strength) * np.exp(-((i / effective_rank) ** 2))
         + tail_strength * np.exp(-0.1 * i / effective_rank))
    # U diag(s) is a column scaling: no need to build the n x n diagonal matrix.
    return (u * s) @ v.T


def make_regression(
    n_samples: int = 100,
    n_features: int = 100,
    *,
    n_informative: int = 10,
    n_targets: int = 1,
    bias: float = 0.0,
    effective_rank: int | None = None,
    tail_strength: float = 0.5,
    noise: float = 0.0,
    shuffle: bool = True,
    coef: bool = False,
    random_state=None,
):
    """Generate a random linear regression problem.

        y = X w + bias + ε,   ε ~ N(0, noise²),

    where only ``n_informative`` entries of each column of w are non-zero (drawn
    uniformly from [0, 100)), so a sparse model can recover them. X is standard
    normal (well conditioned), or with ``effective_rank`` a low-rank matrix with
    a fat singular tail (see :func:`make_low_rank_matrix`).

    Parameters
    ----------
    n_samples : int, default=100
    n_features : int, default=100
    n_informative : int, default=10
        Number of features with a non-zero coefficient (capped at n_features).
    n_targets : int, default=1
        Number of output columns.
    bias : float, default=0.0
        Intercept of the linear model.
    effective_rank : int or None, default=None
        None: X ~ N(0, 1). An int: the approximate rank of X.
    tail_strength : float in [0, 1], default=0.5
        Weight of the singular-value tail when ``effective_rank`` is set.
    noise : float ≥ 0, default=0.0
        Standard deviation of the Gaussian noise on y.
    shuffle : bool, default=True
        Shuffle samples and features (coefficients follow their features).
    coef : bool, default=False
        Also return the true coefficients w.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,) or (n_samples, n_targets)
    coef : ndarray of shape (n_features,) or (n_features, n_targets), if ``coef``

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.datasets import make_regression
    >>> X, y, w = make_regression(20, 5, n_informative=2, coef=True, random_state=0)
    >>> bool(np.allclose(X @ w, y)), int((w != 0).sum())
    (True, 2)
    """
    where = "make_regression"
    n_samples = check_int("n_samples", n_samples, 1, where)
    n_features = check_int("n_features", n_features, 1, where)
    n_informative = min(n_features, check_int("n_informative", n_informative, 0, where))
    n_targets = check_int("n_targets", n_targets, 1, where)
    bias = check_real("bias", bias, where)
    if effective_rank is not None:
        effective_rank = check_int("effective_rank", effective_rank, 1, where)
    tail_strength = check_real("tail_strength", tail_strength, where, low=0.0, high=1.0)
    noise = check_real("noise", noise, where, low=0.0)
    shuffle = check_bool("shuffle", shuffle, where)
    coef = check_bool("coef", coef, where)
    rng = check_random_state(random_state)

    if effective_rank is None:
        X = rng.standard_normal((n_samples, n_features))
    else:
        X = _low_rank(n_samples, n_features, effective_rank, tail_strength, rng)
    w = np.zeros((n_features, n_targets))
    w[:n_informative] = 100 * rng.random((n_informative, n_targets))
    y = X @ w + bias
    if noise > 0.0:
        y += rng.normal(scale=noise, size=y.shape)

    if shuffle:
        rows = rng.permutation(n_samples)
        cols = rng.permutation(n_features)
        X, y, w = X[np.ix_(rows, cols)], y[rows], w[cols]
    if n_targets == 1:
        y, w = y[:, 0], w[:, 0]
    return (X, y, w) if coef else (X, y)
