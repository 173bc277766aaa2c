"""Toy generators for clustering and 2-D classification: blobs, moons, circles."""

from __future__ import annotations

import numbers

import numpy as np

from ..utils.validation import check_random_state
from ._checks import check_bool, check_int, check_real, check_two_sizes


def _blob_centers(n_samples, n_features, centers, center_box, rng):
    """Resolve (per-centre sample counts, centres) from make_blobs' arguments."""
    where = "make_blobs"
    low, high = center_box
    if isinstance(n_samples, (numbers.Integral, np.integer)) and not isinstance(n_samples, bool):
        n_samples = check_int("n_samples", n_samples, 1, where)
        if centers is None:
            centers = 3
        if isinstance(centers, (numbers.Integral, np.integer)) and not isinstance(centers, bool):
            n_centers = check_int("centers", centers, 1, where)
            centers = rng.uniform(low, high, size=(n_centers, n_features))
        else:
            centers = _center_array(centers)
        # An equal share each; the first n_samples % k centres get one more.
        k = centers.shape[0]
        counts = np.full(k, n_samples // k)
        counts[: n_samples % k] += 1
        return counts, centers
    counts = np.asarray(n_samples)
    if counts.ndim != 1 or counts.size == 0 or not np.issubdtype(counts.dtype, np.integer) \
            or np.any(counts < 0):
        raise ValueError(f"{where}: n_samples must be an int or a list of non-negative ints "
                         f"(samples per centre), got {n_samples!r}.")
    if centers is None:
        centers = rng.uniform(low, high, size=(counts.size, n_features))
    elif isinstance(centers, (numbers.Number, np.number)):
        raise ValueError(f"{where}: with n_samples a list, centers must be None or an array of "
                         f"{counts.size} centres, got centers={centers!r}.")
    centers = _center_array(centers)
    if centers.shape[0] != counts.size:
        raise ValueError(f"{where}: n_samples lists {counts.size} clusters but centers has "
                         f"{centers.shape[0]} rows; give one centre per entry of n_samples.")
    return counts.astype(np.int64), centers


def _center_array(centers) -> np.ndarray:
    arr = np.asarray(centers, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] == 0 or not np.all(np.isfinite(arr)):
        raise ValueError(f"make_blobs: centers must be an int or a finite 2-D array "
                         f"(n_centers, n_features), got an array of shape {arr.shape}.")
    return arr


def make_blobs(
    n_samples=100,
    n_features: int = 2,
    *,
    centers=None,
    cluster_std=1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    shuffle: bool = True,
    random_state=None,
    return_centers: bool = False,
):
    """Generate isotropic Gaussian blobs for clustering.

    Sample i of cluster k is x = c_k + σ_k z with z ~ N(0, I): every cluster is a
    round Gaussian around its centre c_k with standard deviation σ_k.

    Parameters
    ----------
    n_samples : int or array-like of int, default=100
        Total number of points, shared equally among the centres, or the number
        of points of each centre.
    n_features : int, default=2
        Dimension of the points when the centres are drawn at random.
    centers : int, array-like of shape (n_centers, n_features) or None, default=None
        Number of centres to draw uniformly in ``center_box`` (3 when None and
        n_samples is an int), or the centres themselves.
    cluster_std : float or array-like of shape (n_centers,), default=1.0
        Standard deviation of each cluster.
    center_box : (float, float), default=(-10.0, 10.0)
        Bounds of the box random centres are drawn from.
    shuffle : bool, default=True
        Shuffle the samples (else they come cluster by cluster).
    random_state : None, int or numpy.random.Generator
    return_centers : bool, default=False
        Also return the centres.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,), the cluster index of each point
    centers : ndarray of shape (n_centers, n_features), if ``return_centers``

    Examples
    --------
    >>> from scratchml.datasets import make_blobs
    >>> X, y = make_blobs(n_samples=[3, 3, 4], random_state=0)
    >>> X.shape, sorted(y.tolist())
    ((10, 2), [0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    """
    where = "make_blobs"
    n_features = check_int("n_features", n_features, 1, where)
    shuffle = check_bool("shuffle", shuffle, where)
    return_centers = check_bool("return_centers", return_centers, where)
    try:
        low, high = (float(v) for v in center_box)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: center_box must be a pair (min, max), got {center_box!r}.") \
            from None
    if not (np.isfinite(low) and np.isfinite(high) and low <= high):
        raise ValueError(f"{where}: center_box={center_box!r} must be finite with min <= max.")
    rng = check_random_state(random_state)
    counts, centers = _blob_centers(n_samples, n_features, centers, (low, high), rng)
    n_centers, n_features = centers.shape

    std = np.asarray(cluster_std, dtype=np.float64)
    if std.ndim == 0:
        std = np.full(n_centers, float(std))
    elif std.shape[0] != n_centers or std.shape[1:] not in ((), (n_features,)):
        raise ValueError(f"{where}: cluster_std has shape {std.shape} but there are "
                         f"{n_centers} centres; give one standard deviation per centre.")
    if not np.all(np.isfinite(std)) or np.any(std < 0):
        raise ValueError(f"{where}: cluster_std must be finite and >= 0, got {cluster_std!r}.")

    y = np.repeat(np.arange(n_centers), counts)
    # All clusters in one draw: broadcast each row's centre and spread.
    spread = std[y] if std.ndim > 1 else std[y][:, None]
    X = centers[y] + spread * rng.standard_normal((y.size, n_features))
    if shuffle:
        perm = rng.permutation(y.size)
        X, y = X[perm], y[perm]
    return (X, y, centers) if return_centers else (X, y)


def _finish_2d(x, y_coord, n_first, n_second, shuffle, noise, rng):
    X = np.column_stack([x, y_coord])
    y = np.repeat(np.array([0, 1], dtype=np.intp), [n_first, n_second])
    if shuffle:
        perm = rng.permutation(y.size)
        X, y = X[perm], y[perm]
    if noise is not None:
        X += rng.normal(scale=noise, size=X.shape)
    return X, y


def make_moons(n_samples=100, *, shuffle: bool = True, noise: float | None = None,
               random_state=None):
    """Generate two interleaving half circles (a 2-D problem no line can separate).

    Class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t), t evenly spaced
    in [0, π]; then Gaussian noise of standard deviation ``noise``.

    Parameters
    ----------
    n_samples : int or (int, int), default=100
        Total number of points (class 0 gets n // 2), or the count of each moon.
    shuffle : bool, default=True
    noise : float ≥ 0 or None, default=None
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), labels 0 and 1

    Examples
    --------
    >>> from scratchml.datasets import make_moons
    >>> X, y = make_moons(n_samples=10, noise=0.1, random_state=0)
    >>> X.shape, int(y.sum())
    ((10, 2), 5)
    """
    where = "make_moons"
    n_out, n_in = check_two_sizes(n_samples, where)
    shuffle = check_bool("shuffle", shuffle, where)
    if noise is not None:
        noise = check_real("noise", noise, where, low=0.0)
    rng = check_random_state(random_state)
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    x = np.concatenate([np.cos(t_out), 1 - np.cos(t_in)])
    y_coord = np.concatenate([np.sin(t_out), 1 - np.sin(t_in) - 0.5])
    return _finish_2d(x, y_coord, n_out, n_in, shuffle, noise, rng)


def make_circles(n_samples=100, *, shuffle: bool = True, noise: float | None = None,
                 random_state=None, factor: float = 0.8):
    """Generate a large circle containing a smaller one (2-D, not linearly separable).

    Class 0 lies on the unit circle, class 1 on the circle of radius ``factor``,
    at evenly spaced angles in [0, 2π) (the end point excluded so no point is
    repeated); then Gaussian noise of standard deviation ``noise``.

    Parameters
    ----------
    n_samples : int or (int, int), default=100
        Total number of points (the inner circle gets the odd one), or the
        counts (outer, inner).
    shuffle : bool, default=True
    noise : float ≥ 0 or None, default=None
    random_state : None, int or numpy.random.Generator
    factor : float in [0, 1), default=0.8
        Radius of the inner circle relative to the outer one.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), 0 for the outer circle, 1 for the inner

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.datasets import make_circles
    >>> X, y = make_circles(n_samples=8, factor=0.5, random_state=0)
    >>> np.round(np.hypot(X[:, 0], X[:, 1]), 6)[y == 1]
    array([0.5, 0.5, 0.5, 0.5])
    """
    where = "make_circles"
    n_out, n_in = check_two_sizes(n_samples, where)
    shuffle = check_bool("shuffle", shuffle, where)
    factor = check_real("factor", factor, where, low=0.0, high=1.0, high_open=True)
    if noise is not None:
        noise = check_real("noise", noise, where, low=0.0)
    rng = check_random_state(random_state)
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    x = np.concatenate([np.cos(t_out), np.cos(t_in) * factor])
    y_coord = np.concatenate([np.sin(t_out), np.sin(t_in) * factor])
    return _finish_2d(x, y_coord, n_out, n_in, shuffle, noise, rng)
