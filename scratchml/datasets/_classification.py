"""make_classification: Guyon's generator of n-class problems with known feature roles."""

from __future__ import annotations

import numpy as np

from ..utils.validation import check_random_state
from ._base import Bunch
from ._checks import check_bool, check_int, check_real

_WHERE = "make_classification"


def _generate_hypercube(n_vertices: int, n_dims: int, rng: np.random.Generator) -> np.ndarray:
    """``n_vertices`` distinct vertices of the {0, 1}^n_dims hypercube, as rows of 0/1.

    A vertex is an integer in [0, 2^d) read in binary, so drawing distinct
    integers without replacement gives distinct vertices. Beyond 30 dimensions
    the extra coordinates are free random bits: the last 30 already make the
    rows distinct, and 2^d would overflow the sampler.
    """
    if n_dims > 30:
        return np.hstack([rng.integers(2, size=(n_vertices, n_dims - 30)),
                          _generate_hypercube(n_vertices, 30, rng)])
    codes = rng.choice(2**n_dims, size=n_vertices, replace=False)
    # Most significant bit first, as in the binary expansion of each code.
    return (codes[:, None] >> np.arange(n_dims - 1, -1, -1)) & 1


def _class_weights(weights, n_classes: int) -> np.ndarray:
    if weights is None:
        return np.full(n_classes, 1.0 / n_classes)
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.shape[0] not in (n_classes, n_classes - 1):
        raise ValueError(
            f"{_WHERE}: weights has {w.shape[0]} values but n_classes={n_classes}; give "
            f"{n_classes} weights (or {n_classes - 1}, the last one is then 1 - their sum)."
        )
    if w.shape[0] == n_classes - 1:
        w = np.append(w, 1.0 - w.sum())
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(
            f"{_WHERE}: weights {w.tolist()} must be finite and non-negative (an inferred last "
            "weight is negative when the given ones sum to more than 1)."
        )
    return w


def _feature_vector(name: str, value, n_features: int, draw) -> np.ndarray | float:
    """A scalar or (n_features,) array for ``shift``/``scale``; None draws one at random."""
    if value is None:
        return draw()
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return float(arr)
    if arr.shape != (n_features,):
        raise ValueError(f"{_WHERE}: {name} has shape {arr.shape}; it must be a number, None "
                         f"or an array of shape ({n_features},) (one value per feature).")
    return arr


def make_classification(
    n_samples: int = 100,
    n_features: int = 20,
    *,
    n_informative: int = 2,
    n_redundant: int = 2,
    n_repeated: int = 0,
    n_classes: int = 2,
    n_clusters_per_class: int = 2,
    weights=None,
    flip_y: float = 0.01,
    class_sep: float = 1.0,
    hypercube: bool = True,
    shift=0.0,
    scale=1.0,
    shuffle: bool = True,
    random_state=None,
    return_X_y: bool = True,
):
    """Generate a random n-class classification problem (Guyon, 2003).

    The algorithm that made the NIPS 2003 "Madelon" data:

    1. Put ``n_classes * n_clusters_per_class`` centroids on distinct vertices of
       the hypercube [−class_sep, class_sep]^n_informative (with
       ``hypercube=False``, each is shrunk by random factors: a random polytope).
    2. For each cluster, draw its samples z ~ N(0, I) in the informative
       subspace and give them a random covariance: x = z A + centroid, with A
       uniform in [−1, 1]^(n_informative × n_informative). Cluster k gets label
       k mod n_classes; class c gets the fraction ``weights[c]`` of the samples.
    3. Redundant features: X_inf B, B uniform in [−1, 1]. Repeated features:
       copies of random informative/redundant columns. The rest: N(0, 1) noise.
    4. Flip the label of a fraction ``flip_y`` of samples to a random class,
       then x ← (x + shift) · scale, then shuffle samples and features.

    Without shuffling, the columns are [informative | redundant | repeated | noise].

    Parameters
    ----------
    n_samples : int, default=100
    n_features : int, default=20
        Total number of features; n_informative + n_redundant + n_repeated ≤ n_features.
    n_informative : int, default=2
        Dimension of the subspace the clusters live in; 2**n_informative must be
        at least n_classes * n_clusters_per_class.
    n_redundant : int, default=2
        Random linear combinations of the informative features.
    n_repeated : int, default=0
        Duplicates of informative or redundant features.
    n_classes : int, default=2
    n_clusters_per_class : int, default=2
    weights : array-like of shape (n_classes,) or (n_classes - 1,), default=None
        Class proportions (balanced if None); with n_classes − 1 values the last
        is 1 minus their sum.
    flip_y : float in [0, 1], default=0.01
        Fraction of samples whose label is replaced by a random one.
    class_sep : float > 0, default=1.0
        Half the side of the hypercube: larger is easier.
    hypercube : bool, default=True
        Centroids on hypercube vertices (True) or on a random polytope (False).
    shift : float, array of shape (n_features,) or None, default=0.0
        Added to every feature; None draws it uniformly from [−class_sep, class_sep].
    scale : float, array of shape (n_features,) or None, default=1.0
        Multiplies every feature after the shift; None draws it from [1, 101].
    shuffle : bool, default=True
        Shuffle the samples and the features.
    random_state : None, int or numpy.random.Generator
        Seed of the one Generator every draw comes from.
    return_X_y : bool, default=True
        Return ``(X, y)``; False returns a :class:`Bunch` that also says which
        column is which (``feature_info``) and echoes the ``parameters``.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,), int labels in [0, n_classes)

    References
    ----------
    I. Guyon, "Design of experiments for the NIPS 2003 variable selection benchmark", 2003.

    Examples
    --------
    >>> from scratchml.datasets import make_classification
    >>> X, y = make_classification(n_samples=50, n_features=5, random_state=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((50, 5), [0, 1])
    """
    params = dict(n_samples=n_samples, n_features=n_features, n_informative=n_informative,
                  n_redundant=n_redundant, n_repeated=n_repeated, n_classes=n_classes,
                  n_clusters_per_class=n_clusters_per_class, weights=weights, flip_y=flip_y,
                  class_sep=class_sep, hypercube=hypercube, shift=shift, scale=scale,
                  shuffle=shuffle, random_state=random_state, return_X_y=return_X_y)
    n_samples = check_int("n_samples", n_samples, 1, _WHERE)
    n_features = check_int("n_features", n_features, 1, _WHERE)
    n_inf = check_int("n_informative", n_informative, 1, _WHERE)
    n_red = check_int("n_redundant", n_redundant, 0, _WHERE)
    n_rep = check_int("n_repeated", n_repeated, 0, _WHERE)
    n_classes = check_int("n_classes", n_classes, 1, _WHERE)
    n_cpc = check_int("n_clusters_per_class", n_clusters_per_class, 1, _WHERE)
    flip_y = check_real("flip_y", flip_y, _WHERE, low=0.0, high=1.0)
    class_sep = check_real("class_sep", class_sep, _WHERE, low=0.0, low_open=True)
    hypercube = check_bool("hypercube", hypercube, _WHERE)
    shuffle = check_bool("shuffle", shuffle, _WHERE)
    return_X_y = check_bool("return_X_y", return_X_y, _WHERE)
    if n_inf + n_red + n_rep > n_features:
        raise ValueError(
            f"{_WHERE}: n_informative ({n_inf}) + n_redundant ({n_red}) + n_repeated ({n_rep}) "
            f"= {n_inf + n_red + n_rep} exceeds n_features ({n_features}); raise n_features or "
            "lower one of the three."
        )
    n_clusters = n_classes * n_cpc
    # Compare in log2 so a huge n_informative cannot overflow 2**n_informative.
    if n_inf < np.log2(n_clusters):
        raise ValueError(
            f"{_WHERE}: n_classes ({n_classes}) * n_clusters_per_class ({n_cpc}) = {n_clusters} "
            f"clusters need distinct hypercube vertices, but 2**n_informative = {2**n_inf}; "
            "raise n_informative or lower the number of clusters."
        )
    w = _class_weights(weights, n_classes)
    rng = check_random_state(random_state)

    # Samples per cluster: floor of the weighted share, the remainder dealt one by one.
    counts = (n_samples * w[np.arange(n_clusters) % n_classes] / n_cpc).astype(np.int64)
    extra = n_samples - int(counts.sum())
    if extra > 0:
        counts += extra // n_clusters
        counts[: extra % n_clusters] += 1
    # Weights summing above 1 would overflow the array: the last clusters get truncated.
    bounds = np.minimum(np.concatenate([[0], np.cumsum(counts)]), n_samples)

    centroids = _generate_hypercube(n_clusters, n_inf, rng).astype(np.float64)
    centroids = centroids * (2 * class_sep) - class_sep
    if not hypercube:
        centroids *= rng.random((n_clusters, 1))
        centroids *= rng.random((1, n_inf))

    X = np.empty((n_samples, n_features))
    y = np.zeros(n_samples, dtype=np.int64)
    X[:, :n_inf] = rng.standard_normal((n_samples, n_inf))
    for k in range(n_clusters):  # one small matrix product per cluster
        start, stop = bounds[k], bounds[k + 1]
        y[start:stop] = k % n_classes
        A = 2 * rng.random((n_inf, n_inf)) - 1
        X[start:stop, :n_inf] = X[start:stop, :n_inf] @ A + centroids[k]

    if n_red > 0:
        B = 2 * rng.random((n_inf, n_red)) - 1
        X[:, n_inf:n_inf + n_red] = X[:, :n_inf] @ B
    n_useful = n_inf + n_red
    if n_rep > 0:
        source = ((n_useful - 1) * rng.random(n_rep) + 0.5).astype(np.intp)
        X[:, n_useful:n_useful + n_rep] = X[:, source]
    n_noise = n_features - n_useful - n_rep
    if n_noise > 0:
        X[:, n_features - n_noise:] = rng.standard_normal((n_samples, n_noise))

    flip = rng.random(n_samples) < flip_y
    y[flip] = rng.integers(n_classes, size=int(flip.sum()))

    shift = _feature_vector("shift", shift, n_features,
                            lambda: (2 * rng.random(n_features) - 1) * class_sep)
    scale = _feature_vector("scale", scale, n_features, lambda: 1 + 100 * rng.random(n_features))
    X += shift
    X *= scale

    order = np.arange(n_features)
    if shuffle:
        rows = rng.permutation(n_samples)
        order = rng.permutation(n_features)
        X, y = X[np.ix_(rows, order)], y[rows]
    if return_X_y:
        return X, y

    roles = np.array(["informative"] * n_inf + ["redundant"] * n_red + ["repeated"] * n_rep
                     + ["random"] * n_noise)
    return Bunch(X=X, y=y, feature_info=roles[order].tolist(), parameters=params,
                 DESCR=make_classification.__doc__)
