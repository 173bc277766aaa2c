"""Decision trees and forests against scikit-learn (fit and predict, same n_jobs).

* ``decision_tree_classifier``: ``DecisionTreeClassifier()`` (full depth) on
  ``make_classification`` 100,000 x 50 (quick: 20,000 x 50); predict on 20,000 held-out rows.
* ``decision_tree_regressor``: ``DecisionTreeRegressor(max_depth=12)`` on
  ``make_regression`` 100,000 x 50 (quick: 20,000 x 50).
* ``tree_regressor[absolute_error]``: ``DecisionTreeRegressor(criterion="absolute_error")``
  (full depth) on ``make_regression`` 20,000 x 10 (quick: 5,000 x 10).
* ``random_forest_classifier`` / ``extra_trees_classifier``: 100 trees, ``n_jobs=2`` on
  50,000 x 20 (quick: 10,000 x 20, 20 trees); predict on 100,000 held-out rows (quick 20,000).

Score: held-out accuracy (R² for the regressor). Compare: the fraction of equal
predictions.
"""

from __future__ import annotations

import functools
import importlib

import numpy as np

from benchmarks.harness import Case, Side, register


@functools.lru_cache(maxsize=1)
def make_data(kind: str, n: int, d: int, n_test: int, trees: int = 0, seed: int = 0) -> dict:
    from scratchml.datasets import make_classification, make_regression

    if kind == "classification":
        X, y = make_classification(n + n_test, d, n_informative=min(d, 10), random_state=seed)
    else:
        X, y = make_regression(n + n_test, d, n_informative=min(d, 10), noise=10.0,
                               random_state=seed)
    return {"X": X[:n], "y": y[:n], "X_test": X[n:], "y_test": y[n:], "trees": trees}


def _fit(library: str, module: str, cls: str, params: dict):
    def fit(data):
        mod = importlib.import_module(f"{'scratchml' if library == 'ours' else 'sklearn'}."
                                      f"{module}")
        trees = {"n_estimators": data["trees"]} if data["trees"] else {}
        return getattr(mod, cls)(**{**params, **trees}).fit(data["X"], data["y"])

    return fit


def _predict(model, data):
    return model.predict(data["X_test"])


def held_out(output, data) -> float:
    y = data["y_test"]
    if np.issubdtype(np.asarray(y).dtype, np.floating) and len(np.unique(y)) > 50:
        resid = y - output
        return float(1 - resid @ resid / np.sum((y - y.mean()) ** 2))
    return float(np.mean(output == y))


def compare(ours, ref, data) -> dict:
    return {"predictions equal": float(np.mean(ours == ref))}


_CASES = (
    # name, module, class, params, kind, (n, d, n_test), quick (n, d, n_test), quick params
    ("decision_tree_classifier", "tree", "DecisionTreeClassifier", {"random_state": 0},
     "classification", (100_000, 50, 20_000), (20_000, 50, 20_000), {}),
    ("decision_tree_regressor", "tree", "DecisionTreeRegressor",
     {"max_depth": 12, "random_state": 0}, "regression", (100_000, 50, 20_000),
     (20_000, 50, 20_000), {}),
    ("tree_regressor[absolute_error]", "tree", "DecisionTreeRegressor",
     {"criterion": "absolute_error", "random_state": 0}, "regression", (20_000, 10, 5_000),
     (5_000, 10, 5_000), {}),
    ("random_forest_classifier", "ensemble", "RandomForestClassifier",
     {"n_estimators": 100, "n_jobs": 2, "random_state": 0}, "classification",
     (50_000, 20, 100_000), (10_000, 20, 20_000), {"n_estimators": 20}),
    ("extra_trees_classifier", "ensemble", "ExtraTreesClassifier",
     {"n_estimators": 100, "n_jobs": 2, "random_state": 0}, "classification",
     (50_000, 20, 100_000), (10_000, 20, 20_000), {"n_estimators": 20}),
)

for _name, _module, _cls, _params, _kind, _full, _quick, _quick_over in _CASES:
    # Quick runs use less data and fewer trees: the tree count travels with the data
    # parameters so both sides read it.
    register(Case(
        name=_name,
        family="tree",
        description=f"{_cls}({', '.join(f'{k}={v}' for k, v in _params.items())}).fit then "
                    f"predict, {_kind} {_full[0]:,} x {_full[1]}",
        data=make_data,
        params={"kind": _kind, "n": _full[0], "d": _full[1], "n_test": _full[2]},
        quick_params={"kind": _kind, "n": _quick[0], "d": _quick[1], "n_test": _quick[2],
                      "trees": _quick_over.get("n_estimators", 0)},
        ours=Side("scratchml", fit=_fit("ours", _module, _cls, _params), predict=_predict),
        ref=Side("scikit-learn", fit=_fit("sklearn", _module, _cls, _params),
                 predict=_predict, requires=("sklearn",)),
        score=held_out,
        score_name="held-out accuracy (R² for regression)",
        compare=compare,
        quick_repeats=1,
        repeats=3,
    ))
