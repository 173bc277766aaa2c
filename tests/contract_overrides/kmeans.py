"""Contract settings for scratchml.cluster's k-means estimators.

A fixed random_state: the contract compares two fits (lists vs arrays, save/load),
and a different k-means++ seeding would legitimately give other clusters.
"""

OVERRIDES = {
    "KMeans": {"params": {"n_clusters": 3, "random_state": 0}},
    "MiniBatchKMeans": {"params": {"n_clusters": 3, "random_state": 0}},
}
