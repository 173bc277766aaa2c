"""Metrics: the nearest-centre kernel behind k-means and nearest neighbours.

``sqeuclidean_argmin[<backend>,<dtype>,k=<k>]``: scratchml's
``metrics.pairwise_distances_argmin_min`` under ``config_context(backend=...)``
against scikit-learn's function of the same name, X of 100,000 x 50 standard
normal values (full and quick alike: it is fast) against 8 or 256 centres.

Scores: each side's fraction of labels equal to those of scratchml's NumPy
reference (computed once per data set); compare: the fraction of scratchml's
labels equal to scikit-learn's and the largest absolute distance difference.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_SAMPLES, N_FEATURES = 100_000, 50
BACKENDS = ("numpy", "cython", "cuda")


@functools.lru_cache(maxsize=1)
def make_data(n: int, d: int, k: int, dtype: str, seed: int = 0) -> dict:
    from scratchml import config_context
    from scratchml.metrics import pairwise_distances_argmin_min

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(dtype)
    C = rng.standard_normal((k, d)).astype(dtype)
    with config_context(backend="numpy"):
        ref_labels, _ = pairwise_distances_argmin_min(X, C)
    return {"X": X, "C": C, "ref_labels": ref_labels}


def _ours(backend: str):
    def call(data):
        from scratchml import config_context
        from scratchml.metrics import pairwise_distances_argmin_min

        with config_context(backend=backend):
            return pairwise_distances_argmin_min(data["X"], data["C"])

    return call


def _sklearn(data):
    from sklearn.metrics import pairwise_distances_argmin_min

    return pairwise_distances_argmin_min(data["X"], data["C"])


def _unavailable(backend: str):
    def reason():
        from scratchml._backend import available_backends, cuda_unavailable_reason

        if available_backends().get(backend):
            return None
        if backend == "cuda":
            return f"cuda backend unavailable: {cuda_unavailable_reason()}"
        return f"{backend} backend unavailable (Cython kernels not built)"

    return reason


def same_as_numpy_reference(output, data) -> float:
    return float(np.mean(output[0] == data["ref_labels"]))


def compare(ours, ref, data) -> dict:
    return {
        "labels == sklearn": float(np.mean(ours[0] == ref[0])),
        "max |dist diff|": float(np.max(np.abs(ours[1].astype(np.float64) - ref[1]))),
    }


for _dtype in ("float64", "float32"):  # data-set order: consecutive cases share the cache
    for _k in (8, 256):
        for _backend in BACKENDS:
            _params = dict(n=N_SAMPLES, d=N_FEATURES, k=_k, dtype=_dtype, seed=0)
            register(Case(
                name=f"sqeuclidean_argmin[{_backend},{_dtype},k={_k}]",
                family="metrics",
                description=f"pairwise_distances_argmin_min, X {N_SAMPLES:,} x {N_FEATURES} "
                            f"vs {_k} centres, {_dtype}, scratchml backend={_backend}",
                data=make_data,
                params=_params,
                quick_params=_params,
                ours=Side(f"scratchml[{_backend}]", call=_ours(_backend)),
                ref=Side("scikit-learn", call=_sklearn, requires=("sklearn",)),
                score=same_as_numpy_reference,
                score_name="fraction of labels equal to scratchml's NumPy reference",
                compare=compare,
                skip_if=_unavailable(_backend),
            ))
