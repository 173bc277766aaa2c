"""Density clustering: DBSCAN (and Gaussian mixtures) against scikit-learn.

``dbscan[blobs]``: DBSCAN(eps=2.5, min_samples=10), euclidean, on 20,000 x 10
(quick: 10,000 x 10) points drawn around 5 centres (uniform in [-10, 10]^10,
unit standard deviation), so most points are core points with a few dozen to a few
hundred neighbours and the rest are border points or noise.

Score: number of clusters found; compare: the fraction of labels equal to
scikit-learn's (1.0 expected: scratchml numbers clusters as scikit-learn does).

``gaussian_mixture[full,k=5]``: GaussianMixture(5, covariance_type='full',
random_state=0) with its default k-means initialization on 50,000 x 10 (quick:
20,000 x 10) points from 5 unit-variance blobs. Score: mean log-likelihood of the
training data (the starts differ: each library runs its own k-means).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register


@functools.lru_cache(maxsize=1)
def make_blobs(n: int, d: int, k: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, (k, d))
    X = centres[rng.integers(0, k, n)] + rng.standard_normal((n, d))
    return {"X": X}


DBSCAN_PARAMS = dict(eps=2.5, min_samples=10)


def _dbscan_ours(data):
    from scratchml.cluster import DBSCAN

    return DBSCAN(**DBSCAN_PARAMS).fit(data["X"]).labels_


def _dbscan_sklearn(data):
    from sklearn.cluster import DBSCAN

    return DBSCAN(**DBSCAN_PARAMS).fit(data["X"]).labels_


register(Case(
    name="dbscan[blobs]",
    family="cluster",
    description="DBSCAN(eps=2.5, min_samples=10), euclidean, 5 blobs in 10 dimensions",
    data=make_blobs,
    params=dict(n=20_000, d=10, k=5, seed=0),
    quick_params=dict(n=10_000, d=10, k=5, seed=0),
    ours=Side("scratchml", call=_dbscan_ours),
    ref=Side("scikit-learn", call=_dbscan_sklearn, requires=("sklearn",)),
    score=lambda labels, data: float(labels.max() + 1),
    score_name="number of clusters",
    compare=lambda ours, ref, data: {"labels == sklearn": float(np.mean(ours == ref))},
))


def _gmm_ours(data):
    from scratchml.cluster import GaussianMixture

    return GaussianMixture(5, covariance_type="full", random_state=0).fit(data["X"])


def _gmm_sklearn(data):
    from sklearn.mixture import GaussianMixture

    return GaussianMixture(5, covariance_type="full", random_state=0).fit(data["X"])


register(Case(
    name="gaussian_mixture[full,k=5]",
    family="cluster",
    description="GaussianMixture(5, 'full'), k-means init, 5 blobs in 10 dimensions",
    data=make_blobs,
    params=dict(n=50_000, d=10, k=5, seed=0),
    quick_params=dict(n=20_000, d=10, k=5, seed=0),
    ours=Side("scratchml", fit=_gmm_ours),
    ref=Side("scikit-learn", fit=_gmm_sklearn, requires=("sklearn",)),
    score=lambda model, data: float(model.score(data["X"])),
    score_name="mean log-likelihood",
))


# ``agglomerative[<linkage>]``: AgglomerativeClustering(5, linkage=...) on 3,000 x 10
# (quick: 1,500 x 10) blob points; O(n²) memory and time on both sides. Compare: the
# labels as the same partition (up to renaming) and children_ equality.

def _agglo(linkage: str, lib: str):
    def call(data):
        if lib == "ours":
            from scratchml.cluster import AgglomerativeClustering
        else:
            from sklearn.cluster import AgglomerativeClustering
        return AgglomerativeClustering(5, linkage=linkage).fit(data["X"])

    return call


def _same_tree(ours, ref, data) -> dict:
    pairs = np.unique(np.c_[ours.labels_, ref.labels_], axis=0)
    return {"same partition": float(len(pairs) == len(np.unique(ref.labels_))),
            "children_ equal": float(np.array_equal(ours.children_, ref.children_))}


for _linkage in ("ward", "average"):
    register(Case(
        name=f"agglomerative[{_linkage}]",
        family="cluster",
        description=f"AgglomerativeClustering(5, linkage={_linkage!r}), 5 blobs in 10 dimensions",
        data=make_blobs,
        params=dict(n=3_000, d=10, k=5, seed=0),
        quick_params=dict(n=1_500, d=10, k=5, seed=0),
        ours=Side("scratchml", fit=_agglo(_linkage, "ours")),
        ref=Side("scikit-learn", fit=_agglo(_linkage, "sklearn"), requires=("sklearn",)),
        score=lambda model, data: float(model.n_clusters_),
        score_name="clusters",
        compare=_same_tree,
    ))
