"""Linear models against scikit-learn: fit time, and the quality check the issue names.

Regression data: X standard normal (n x 100), y = X w + noise with 30 % of w nonzero.
Classification data: X standard normal (n x 50), y = [X w + noise > 0].

* ``linear_regression``: LinearRegression().fit; compare: max relative coefficient
  difference to scikit-learn's (target 1e-8).
* ``ridge``: Ridge(alpha=1.0).fit; compare: the same.
* ``lasso`` / ``elastic_net``: alpha=0.1; compare: relative difference of scikit-learn's
  objective 1/(2n)||y − Xw − b||² + α ρ||w||₁ + α(1−ρ)/2 ||w||² (target 1e-6).
* ``logistic_lbfgs_binary``: LogisticRegression().fit on 100,000 x 50; compare: relative
  log-loss difference (target 1e-4).
* ``logistic_multinomial_digits``: LogisticRegression().fit on standardised digits
  (1,797 x 64, 10 classes); score: training accuracy (target: the same).
* ``sgd_classifier``: SGDClassifier(random_state=0).fit on 100,000 x 50; score: accuracy.

Full sizes as in the issue's table; ``--quick`` uses 10,000 rows.
"""

from __future__ import annotations

import functools
import importlib
import warnings

import numpy as np

from benchmarks.harness import Case, Side, register


@functools.lru_cache(maxsize=2)
def make_data(n: int, d: int, kind: str, seed: int = 0) -> dict:
    if kind == "digits":
        from scratchml.datasets import load_digits

        X, y = load_digits(return_X_y=True)
        std = X.std(axis=0)
        X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
        return {"X": np.ascontiguousarray(X), "y": y}
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w = rng.standard_normal(d) * (rng.random(d) < 0.3)
    s = X @ w + rng.standard_normal(n)
    y = (s > 0).astype(np.int64) if kind == "classification" else s
    return {"X": X, "y": y}


def _fit(library: str, cls: str, **params):
    def fit(data):
        module = importlib.import_module(
            "scratchml.linear_model" if library == "scratchml" else "sklearn.linear_model")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence notes are part of the comparison
            return getattr(module, cls)(**params).fit(data["X"], data["y"])

    return fit


def _coef_rel_diff(ours, ref, data) -> dict:
    diff = np.abs(np.asarray(ours.coef_) - ref.coef_).max() / np.abs(ref.coef_).max()
    return {"max rel coef diff": float(diff)}


def _enet_objective(alpha, l1_ratio):
    def objective(model, data):
        r = data["y"] - data["X"] @ model.coef_ - model.intercept_
        w = np.asarray(model.coef_)
        return float(r @ r / (2 * len(r)) + alpha * l1_ratio * np.abs(w).sum()
                     + alpha * (1 - l1_ratio) / 2 * w @ w)

    def compare(ours, ref, data) -> dict:
        a, b = objective(ours, data), objective(ref, data)
        return {"objective rel diff": (a - b) / abs(b), **_coef_rel_diff(ours, ref, data)}

    return objective, compare


def _log_loss(model, data) -> float:
    p = np.clip(model.predict_proba(data["X"]), 1e-15, 1)
    return float(-np.mean(np.log(p[np.arange(len(data["y"])), data["y"]])))


def _log_loss_compare(ours, ref, data) -> dict:
    a, b = _log_loss(ours, data), _log_loss(ref, data)
    return {"log-loss rel diff": (a - b) / b, "iterations": float(ours.n_iter_[0]),
            "sklearn iterations": float(ref.n_iter_[0])}


def _accuracy(model, data) -> float:
    return float(np.mean(model.predict(data["X"]) == data["y"]))


def _add(name, cls, params, data_params, quick, score=None, score_name="score", compare=None,
         description=""):
    register(Case(
        name=name,
        family="linear_model",
        description=description,
        data=make_data,
        params=data_params,
        quick_params=quick,
        ours=Side("scratchml", fit=_fit("scratchml", cls, **params)),
        ref=Side("scikit-learn", fit=_fit("sklearn", cls, **params), requires=("sklearn",)),
        score=score,
        score_name=score_name,
        compare=compare,
    ))


REG = dict(n=100_000, d=100, kind="regression", seed=0)
REG_QUICK = dict(n=10_000, d=100, kind="regression", seed=0)
CLF = dict(n=100_000, d=50, kind="classification", seed=0)
CLF_QUICK = dict(n=10_000, d=50, kind="classification", seed=0)
DIGITS = dict(n=0, d=0, kind="digits", seed=0)

_add("linear_regression", "LinearRegression", {}, REG, REG_QUICK, compare=_coef_rel_diff,
     description="LinearRegression().fit, 100,000 x 100")
_add("ridge", "Ridge", {"alpha": 1.0}, REG, REG_QUICK, compare=_coef_rel_diff,
     description="Ridge(alpha=1).fit, 100,000 x 100")
for _name, _cls, _rho in (("lasso", "Lasso", 1.0), ("elastic_net", "ElasticNet", 0.5)):
    _obj, _cmp = _enet_objective(0.1, _rho)
    _add(_name, _cls, {"alpha": 0.1}, REG, REG_QUICK, score=_obj,
         score_name="objective (sklearn's scaling)", compare=_cmp,
         description=f"{_cls}(alpha=0.1).fit, 100,000 x 100")
_add("logistic_lbfgs_binary", "LogisticRegression", {}, CLF, CLF_QUICK, score=_log_loss,
     score_name="training log-loss", compare=_log_loss_compare,
     description="LogisticRegression(solver='lbfgs').fit, binary, 100,000 x 50")
_add("logistic_multinomial_digits", "LogisticRegression", {}, DIGITS, DIGITS,
     score=_accuracy, score_name="training accuracy", compare=_log_loss_compare,
     description="LogisticRegression().fit, standardised digits 1,797 x 64, 10 classes")
_add("sgd_classifier", "SGDClassifier", {"random_state": 0}, CLF, CLF_QUICK, score=_accuracy,
     score_name="training accuracy",
     description="SGDClassifier(random_state=0).fit (hinge, l2, optimal), 100,000 x 50")
