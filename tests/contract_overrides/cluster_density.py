"""Contract settings for scratchml.cluster's DBSCAN, AgglomerativeClustering, GaussianMixture."""

OVERRIDES = {
    "DBSCAN": {
        "skip": {
            "test_unfitted_use_raises_not_fitted": (
                "DBSCAN has no predict/transform (as in scikit-learn): it labels only the "
                "data it was fitted on, through labels_ and fit_predict"
            ),
        },
    },
    "AgglomerativeClustering": {
        "skip": {
            "test_unfitted_use_raises_not_fitted": (
                "AgglomerativeClustering has no predict/transform (as in scikit-learn): it "
                "labels only the data it was fitted on, through labels_ and fit_predict"
            ),
        },
    },
}
