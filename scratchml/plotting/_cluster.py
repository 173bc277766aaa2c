"""Plots for clustering and PCA: clusters with their centres, explained variance, the elbow."""

from __future__ import annotations

import numpy as np

from ._common import as_1d, get_ax, require_matplotlib, same_length


def plot_clusters(X, labels, centers=None, *, ax=None):
    """Scatter the samples coloured by cluster, with the cluster centres on top.

    Draws the first two columns of X (project first, e.g. with ``PCA(2)``, for
    more features). Noise points (label −1, as DBSCAN gives) are drawn in grey.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features >= 2)
    labels : array-like of shape (n_samples,)
        Cluster of each sample, e.g. ``KMeans().fit(X).labels_``.
    centers : array-like of shape (n_clusters, n_features), default=None
        Drawn as black crosses, e.g. ``cluster_centers_``.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        One scatter of the samples (plus one of the noise points if any) and, with
        ``centers``, one of the centres.

    Examples
    --------
    >>> from scratchml.cluster import KMeans
    >>> from scratchml.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=100, centers=3, random_state=0)
    >>> km = KMeans(3, random_state=0).fit(X)
    >>> ax = plot_clusters(X, km.labels_, km.cluster_centers_)  # doctest: +SKIP
    """
    require_matplotlib()
    X = np.asarray(X, dtype=np.float64)
    labels = as_1d("labels", labels, "plot_clusters")
    if X.ndim != 2 or X.shape[1] < 2:
        raise ValueError(f"plot_clusters: X must be 2-D with at least 2 columns, got shape "
                         f"{X.shape}; project it first, e.g. with PCA(n_components=2).")
    same_length("plot_clusters", X=X, labels=labels)
    ax = get_ax(ax)
    noise = labels == -1
    if np.any(noise):
        ax.scatter(X[noise, 0], X[noise, 1], c="lightgrey", s=12, label="noise")
    _, codes = np.unique(labels[~noise], return_inverse=True)
    ax.scatter(X[~noise, 0], X[~noise, 1], c=codes, cmap="tab10", s=12, label="samples")
    if centers is not None:
        C = np.asarray(centers, dtype=np.float64)
        if C.ndim != 2 or C.shape[1] != X.shape[1]:
            raise ValueError(f"plot_clusters: centers has shape {C.shape}; it needs "
                             f"{X.shape[1]} columns like X.")
        ax.scatter(C[:, 0], C[:, 1], c="black", marker="x", s=120, linewidths=3,
                   label="centres")
    ax.set_xlabel("feature 0")
    ax.set_ylabel("feature 1")
    ax.legend(loc="best")
    return ax


def plot_explained_variance(pca_or_ratios, *, ax=None):
    """Bar per component of its explained-variance ratio, and their running total as a line.

    Parameters
    ----------
    pca_or_ratios : fitted PCA / TruncatedSVD, or array-like of shape (n_components,)
        Anything with ``explained_variance_ratio_``, or the ratios themselves.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        One bar per component and one step line of the cumulative ratio.

    Examples
    --------
    >>> ax = plot_explained_variance([0.6, 0.3, 0.1])  # doctest: +SKIP
    """
    require_matplotlib()
    ratios = getattr(pca_or_ratios, "explained_variance_ratio_", pca_or_ratios)
    ratios = as_1d("explained_variance_ratio_", np.asarray(ratios, dtype=np.float64),
                   "plot_explained_variance")
    ax = get_ax(ax)
    components = np.arange(1, len(ratios) + 1)
    ax.bar(components, ratios, label="per component")
    ax.step(components, np.cumsum(ratios), where="mid", color="black", label="cumulative")
    ax.set_xlabel("principal component")
    ax.set_ylabel("explained variance ratio")
    ax.set_ylim(0, max(1.0, float(np.sum(ratios))) * 1.05)
    ax.legend(loc="center right")
    return ax


def plot_elbow(X, ks=range(2, 9), *, random_state=None, ax=None):
    """Inertia and silhouette score of k-means against the number of clusters k.

    The inertia always falls as k grows; its "elbow", where the fall slows down,
    and the peak of the silhouette (mean of (b − a)/max(a, b) over samples) are
    two usual hints for k. Fits ``KMeans(k, random_state=random_state)`` per k.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    ks : iterable of int >= 2, default=range(2, 9)
    random_state : None, int or numpy.random.Generator
    ax : matplotlib Axes, default=None
        Inertia on this Axes, silhouette on a twin y axis on its right.

    Returns
    -------
    ax : matplotlib Axes
        The inertia Axes (its twin holds the silhouette line).

    Examples
    --------
    >>> from scratchml.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=200, centers=3, random_state=0)
    >>> ax = plot_elbow(X, range(2, 6), random_state=0)  # doctest: +SKIP
    """
    require_matplotlib()
    from ..cluster import KMeans
    from ..metrics import silhouette_score

    ks = [int(k) for k in ks]
    if not ks or min(ks) < 2:
        raise ValueError(f"plot_elbow: ks={ks} must be a non-empty list of integers >= 2 "
                         "(the silhouette needs at least 2 clusters).")
    inertias, silhouettes = [], []
    for k in ks:
        km = KMeans(k, random_state=random_state).fit(X)
        inertias.append(km.inertia_)
        silhouettes.append(silhouette_score(X, km.labels_))
    ax = get_ax(ax)
    ax.plot(ks, inertias, marker="o", color="tab:blue", label="inertia")
    ax.set_xlabel("number of clusters k")
    ax.set_ylabel("inertia", color="tab:blue")
    twin = ax.twinx()
    twin.plot(ks, silhouettes, marker="s", color="tab:orange", label="silhouette")
    twin.set_ylabel("silhouette score", color="tab:orange")
    return ax
