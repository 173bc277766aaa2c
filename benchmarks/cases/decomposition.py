"""Decomposition: PCA and TruncatedSVD against scikit-learn.

``pca_fit_transform[k=10]``: ``PCA(n_components=10).fit_transform(X)`` with the
'auto' solver on both sides (tall data: both pick 'covariance_eigh'), X of
100,000 x 100 float64 standard normal values with per-column scales (quick:
50,000 x 100).

``truncated_svd[k=10]``: ``TruncatedSVD(n_components=10, random_state=0)
.fit_transform(X)`` (randomized, 5 power iterations) on the same data.

Compare: the largest absolute difference of the explained variances (the solvers
agree to rounding for PCA; TruncatedSVD's random test matrices differ, so its
difference measures the convergence of both), and the smallest cosine of the
principal angles between the two component subspaces.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_FEATURES = 100


@functools.lru_cache(maxsize=1)
def make_data(n: int, d: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * rng.uniform(0.1, 10.0, d) + rng.uniform(-5, 5, d)
    return {"X": X}


def _run(library: str, name: str, params: dict):
    def call(data):
        if library == "scratchml":
            import scratchml.decomposition as module
        else:
            import sklearn.decomposition as module
        model = getattr(module, name)(**params)
        Z = model.fit_transform(data["X"])
        return model, Z

    return call


def compare(ours, ref, data) -> dict:
    (a, _), (b, _) = ours, ref
    qa = np.linalg.qr(a.components_.T)[0]
    qb = np.linalg.qr(b.components_.T)[0]
    cosines = np.linalg.svd(qa.T @ qb, compute_uv=False)
    return {
        "max |explained_variance_ diff|": float(
            np.max(np.abs(a.explained_variance_ - b.explained_variance_))
        ),
        "min cos(principal angle)": float(cosines.min()),
    }


for _name, _params in (
    ("PCA", {"n_components": 10}),
    ("TruncatedSVD", {"n_components": 10, "random_state": 0}),
):  # one data set for both: consecutive cases share the cache
    _case = "pca_fit_transform" if _name == "PCA" else "truncated_svd"
    register(Case(
        name=f"{_case}[k=10]",
        family="decomposition",
        description=f"{_name}(n_components=10).fit_transform(X), X 100,000 x {N_FEATURES} "
                    "float64 (quick: 50,000 rows)",
        data=make_data,
        params=dict(n=100_000, d=N_FEATURES, seed=0),
        quick_params=dict(n=50_000, d=N_FEATURES, seed=0),
        ours=Side("scratchml", call=_run("scratchml", _name, _params)),
        ref=Side("scikit-learn", call=_run("sklearn", _name, _params), requires=("sklearn",)),
        compare=compare,
    ))
