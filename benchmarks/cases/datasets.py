"""Datasets: the synthetic generators and the bundled loaders against scikit-learn's.

``make_classification`` (Guyon's algorithm, 20 features of which 5 informative
and 5 redundant, 3 classes), ``make_regression`` (100 features, 10 informative,
noise 1), ``make_blobs`` (10 features, 8 centres) and ``make_moons`` (noise 0.1):
full size 200,000 samples (1,000,000 for moons), quick size 20,000. The loaders
(``load_digits``, ``load_breast_cancer``) have one fixed size.

Generators draw different numbers than scikit-learn (a numpy Generator against
a RandomState), so scores check structure: for make_classification the class
sizes (a deterministic function of the parameters when ``flip_y=0``) must equal
scikit-learn's, for make_regression ``y = X coef + bias`` must hold; for the
loaders the arrays must be identical.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Case, Side, register


def _params(n: int) -> dict:
    return {"n": n, "seed": 0}


def _data(n: int, seed: int) -> dict:
    return {"n": n, "seed": seed}


def _generator_case(name, description, ours, ref, score, score_name, full, quick, compare=None):
    register(Case(
        name=name, family="datasets", description=description, data=_data,
        params=_params(full), quick_params=_params(quick),
        ours=Side("scratchml", call=ours),
        ref=Side("scikit-learn", call=ref, requires=("sklearn",)),
        score=score, score_name=score_name, compare=compare,
    ))


# -- make_classification ----------------------------------------------------------

_CLS = dict(n_features=20, n_informative=5, n_redundant=5, n_classes=3, flip_y=0.0)


def _cls_ours(d):
    from scratchml.datasets import make_classification

    return make_classification(d["n"], random_state=d["seed"], **_CLS)


def _cls_ref(d):
    from sklearn.datasets import make_classification

    return make_classification(d["n"], random_state=d["seed"], **_CLS)


def _cls_compare(ours, ref, data):
    return {"class sizes == sklearn": float(np.array_equal(np.bincount(ours[1]),
                                                           np.bincount(ref[1])))}


_generator_case(
    "make_classification", "make_classification, 20 features (5 informative, 5 redundant), "
    "3 classes x 2 clusters", _cls_ours, _cls_ref,
    score=lambda out, d: float(out[0].shape == (d["n"], 20) and np.isfinite(out[0]).all()),
    score_name="right shape and finite", full=200_000, quick=20_000, compare=_cls_compare)


# -- make_regression --------------------------------------------------------------

_REG = dict(n_features=100, n_informative=10, bias=3.0, coef=True)


def _reg_ours(d):
    from scratchml.datasets import make_regression

    return make_regression(d["n"], random_state=d["seed"], **_REG)


def _reg_ref(d):
    from sklearn.datasets import make_regression

    return make_regression(d["n"], random_state=d["seed"], **_REG)


def _reg_score(out, d):
    X, y, coef = out
    return float(np.max(np.abs(X @ coef + 3.0 - y)))


_generator_case(
    "make_regression", "make_regression, 100 features (10 informative), coef=True",
    _reg_ours, _reg_ref, score=_reg_score, score_name="max |X coef + bias - y|",
    full=200_000, quick=20_000)


# -- make_blobs / make_moons ------------------------------------------------------


def _blobs_ours(d):
    from scratchml.datasets import make_blobs

    return make_blobs(d["n"], n_features=10, centers=8, random_state=d["seed"])


def _blobs_ref(d):
    from sklearn.datasets import make_blobs

    return make_blobs(d["n"], n_features=10, centers=8, random_state=d["seed"])


def _counts_compare(ours, ref, data):
    return {"cluster sizes == sklearn": float(np.array_equal(np.bincount(ours[1]),
                                                             np.bincount(ref[1])))}


_generator_case(
    "make_blobs", "make_blobs, 10 features, 8 centres", _blobs_ours, _blobs_ref,
    score=lambda out, d: float(out[0].shape == (d["n"], 10)), score_name="right shape",
    full=200_000, quick=20_000, compare=_counts_compare)


def _moons_ours(d):
    from scratchml.datasets import make_moons

    return make_moons(d["n"], noise=0.1, random_state=d["seed"])


def _moons_ref(d):
    from sklearn.datasets import make_moons

    return make_moons(d["n"], noise=0.1, random_state=d["seed"])


_generator_case(
    "make_moons", "make_moons, noise 0.1", _moons_ours, _moons_ref,
    score=lambda out, d: float(out[0].shape == (d["n"], 2)), score_name="right shape",
    full=1_000_000, quick=20_000, compare=_counts_compare)


# -- loaders ----------------------------------------------------------------------


def _loader_case(name: str):
    def ours(_):
        from scratchml import datasets

        return getattr(datasets, f"load_{name}")()

    def ref(_):
        from sklearn import datasets

        return getattr(datasets, f"load_{name}")()

    def compare(o, r, _):
        return {"data == sklearn": float(np.array_equal(o.data, r.data)),
                "target == sklearn": float(np.array_equal(o.target, r.target))}

    register(Case(
        name=f"load_{name}", family="datasets", description=f"load_{name}() from the package",
        data=lambda: None, ours=Side("scratchml", call=ours),
        ref=Side("scikit-learn", call=ref, requires=("sklearn",)),
        score=lambda out, _: float(np.isfinite(out.data).all()), score_name="finite data",
        compare=compare,
    ))


for _name in ("digits", "breast_cancer"):
    _loader_case(_name)
