"""Searches on a Dask cluster give the serial run's cv_results_; X and y are scattered once."""

import numpy as np
import pytest

from scratchml.model_selection import BayesSearchCV, GridSearchCV, RandomizedSearchCV, randint
from scratchml.neighbors import KNeighborsClassifier

distributed = pytest.importorskip("distributed")


def _same(a, b):
    assert a["params"] == b["params"]
    for key in a:
        if "time" not in key and key != "params":
            np.testing.assert_array_equal(np.asarray(a[key]), np.asarray(b[key]))


@pytest.fixture(scope="module")
def client():
    # Two in-process workers: real Dask scheduling (scatter, futures as task arguments)
    # without the start-up cost of worker processes.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_dask_executor_results_equal_serial(client):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 3))
    y = (X[:, 0] + 0.5 * rng.standard_normal(80) > 0).astype(int)
    grid = {"n_neighbors": [1, 3, 5, 7], "weights": ["uniform", "distance"]}
    serial = GridSearchCV(KNeighborsClassifier(), grid, cv=4).fit(X, y)
    on_dask = GridSearchCV(KNeighborsClassifier(), grid, cv=4,
                           executor=client.get_executor()).fit(X, y)
    _same(serial.cv_results_, on_dask.cv_results_)
    assert on_dask.best_params_ == serial.best_params_
    space = {"n_neighbors": randint(1, 20)}
    r1 = RandomizedSearchCV(KNeighborsClassifier(), space, n_iter=5, cv=3, random_state=2)
    r2 = RandomizedSearchCV(KNeighborsClassifier(), space, n_iter=5, cv=3, random_state=2,
                            n_jobs=2, executor=client.get_executor())
    _same(r1.fit(X, y).cv_results_, r2.fit(X, y).cv_results_)
    b1 = BayesSearchCV(KNeighborsClassifier(), space, n_iter=5, n_initial_points=2,
                       n_points=2, cv=3, random_state=2)
    b2 = BayesSearchCV(KNeighborsClassifier(), space, n_iter=5, n_initial_points=2,
                       n_points=2, cv=3, random_state=2, executor=client.get_executor())
    _same(b1.fit(X, y).cv_results_, b2.fit(X, y).cv_results_)


def test_data_is_scattered_once_not_shipped_per_task(client, monkeypatch):
    calls = []
    original = type(client).scatter

    def counting_scatter(self, data, *args, **kwargs):
        calls.append(len(data))
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(type(client), "scatter", counting_scatter)
    X = np.random.default_rng(1).standard_normal((40, 2))
    y = (X[:, 0] > 0).astype(int)
    GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3, 5]}, cv=4,
                 executor=client.get_executor()).fit(X, y)
    assert len(calls) == 1  # one scatter for the whole 12-task search
