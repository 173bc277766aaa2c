"""Clustering: k-means, density-based and hierarchical clustering, Gaussian mixtures.

Names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "KMeans": "_kmeans",
    "MiniBatchKMeans": "_kmeans",
    "DBSCAN": "_dbscan",
    "AgglomerativeClustering": "_agglomerative",
    "GaussianMixture": "_gaussian_mixture",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
