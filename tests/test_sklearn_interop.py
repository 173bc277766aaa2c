"""scratchml estimators inside scikit-learn's clone, Pipeline, GridSearchCV, cross_val_score."""

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone as sk_clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline

from scratchml.neighbors import NearestCentroid
from scratchml.preprocessing import StandardScaler


def _data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((90, 3))
    y = (X[:, 0] > 0).astype(int)
    X[y == 1, 0] += 1
    return X, y


def test_sklearn_clone_and_tags():
    from sklearn.base import is_classifier
    from sklearn.utils import get_tags

    est = NearestCentroid(metric="manhattan")
    c = sk_clone(est)
    assert type(c) is NearestCentroid and c.metric == "manhattan"
    assert is_classifier(est)
    assert get_tags(StandardScaler()).transformer_tags is not None


def test_pipeline_cross_val_and_grid_search():
    X, y = _data()
    pipe = Pipeline([("scale", StandardScaler()), ("clf", NearestCentroid())])
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.7
    grid = GridSearchCV(pipe, {"clf__metric": ["euclidean", "manhattan"]}, cv=3).fit(X, y)
    assert grid.best_params_["clf__metric"] in ("euclidean", "manhattan")
    assert grid.score(X, y) > 0.7


def test_matches_sklearn_estimators():
    from sklearn.neighbors import NearestCentroid as SkNC
    from sklearn.preprocessing import StandardScaler as SkSS

    X, y = _data()
    np.testing.assert_allclose(
        StandardScaler().fit_transform(X), SkSS().fit_transform(X), rtol=1e-12, atol=1e-12
    )
    for metric in ("euclidean", "manhattan"):
        ours = NearestCentroid(metric=metric).fit(X, y)
        theirs = SkNC(metric=metric).fit(X, y)
        np.testing.assert_allclose(ours.centroids_, theirs.centroids_, rtol=1e-12)
        np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    ours = NearestCentroid(shrink_threshold=0.5).fit(X, y)
    theirs = SkNC(shrink_threshold=0.5).fit(X, y)
    np.testing.assert_allclose(ours.centroids_, theirs.centroids_, rtol=1e-10)
