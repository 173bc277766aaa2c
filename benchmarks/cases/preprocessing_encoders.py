"""Categorical encoders: one-hot and ordinal encoding of string columns.

``one_hot_encoder[str]``: ``OneHotEncoder().fit_transform(X)`` (dense output) against
scikit-learn's ``OneHotEncoder(sparse_output=False)``; ``ordinal_encoder[str]``: the
same with ``OrdinalEncoder``. X is an object array (what a pandas DataFrame of text
columns gives) of 1,000,000 rows (quick: 200,000) x 5 string columns with 50
categories each. ``*_transform`` cases time ``transform`` alone on a fitted encoder.

Scores: compare reports whether the two outputs are exactly equal (1.0) or not (0.0).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_FULL, N_QUICK, N_COLUMNS, N_CATEGORIES = 1_000_000, 200_000, 5, 50


@functools.lru_cache(maxsize=1)
def make_data(n: int, p: int = N_COLUMNS, k: int = N_CATEGORIES, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    X = np.empty((n, p), dtype=object)
    for j in range(p):
        names = np.array([f"f{j}_cat{c:02d}" for c in range(k)], dtype=object)
        X[:, j] = names[rng.integers(0, k, n)]
    return {"X": X}


def _ours(name: str):
    def make():
        from scratchml import preprocessing

        return getattr(preprocessing, name)()

    return make


def _ref(name: str):
    def make():
        from sklearn import preprocessing

        return getattr(preprocessing, name)(
            **({"sparse_output": False} if name == "OneHotEncoder" else {}))

    return make


def exactly_equal(ours, ref, data) -> dict:
    return {"outputs equal": float(np.array_equal(ours, ref))}


for _name, _label in (("OneHotEncoder", "one_hot_encoder"), ("OrdinalEncoder", "ordinal_encoder")):
    _params = dict(n=N_FULL)
    _quick = dict(n=N_QUICK)
    _mk_ours, _mk_ref = _ours(_name), _ref(_name)
    register(Case(
        name=f"{_label}[str]",
        family="preprocessing",
        description=f"{_name} fit_transform, {N_FULL:,} x {N_COLUMNS} object strings, "
                    f"{N_CATEGORIES} categories per column",
        data=make_data, params=_params, quick_params=_quick,
        ours=Side("scratchml", call=lambda d, mk=_mk_ours: mk().fit_transform(d["X"])),
        ref=Side("scikit-learn", call=lambda d, mk=_mk_ref: mk().fit_transform(d["X"]),
                 requires=("sklearn",)),
        compare=exactly_equal,
    ))
    register(Case(
        name=f"{_label}_transform[str]",
        family="preprocessing",
        description=f"{_name} transform of a fitted encoder, {N_FULL:,} x {N_COLUMNS} "
                    f"object strings, {N_CATEGORIES} categories per column",
        data=make_data, params=_params, quick_params=_quick,
        ours=Side("scratchml", fit=lambda d, mk=_mk_ours: mk().fit(d["X"]),
                  predict=lambda m, d: m.transform(d["X"])),
        ref=Side("scikit-learn", fit=lambda d, mk=_mk_ref: mk().fit(d["X"]),
                 predict=lambda m, d: m.transform(d["X"]), requires=("sklearn",)),
        compare=exactly_equal,
    ))
