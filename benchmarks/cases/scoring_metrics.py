"""Scoring metrics: classification, ranking, regression and clustering scores.

Each case calls one ``scratchml.metrics`` function and scikit-learn's function
of the same name on the same arrays (validation included: that is what users
pay for). Sizes (full / quick):

* classification: 1,000,000 / 200,000 samples, 20 classes, 70 % correct
  predictions (accuracy_score, f1_score macro, confusion_matrix,
  classification_report, adjusted_rand_score); log_loss on a
  (n, 20) probability matrix;
* roc_auc_score: binary labels and continuous scores, same n;
* mean_squared_error and r2_score: (n, 20) multioutput targets;
* silhouette_score: 10,000 / 5,000 points in 20 dimensions, 10 clusters.

Score: the metric's value (for a report, the number of characters); compare:
the absolute difference between the two values (0 for equal reports).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_FULL, N_QUICK = 1_000_000, 200_000
N_CLASSES = 20


@functools.lru_cache(maxsize=1)
def labels_data(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, N_CLASSES, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, N_CLASSES, n))
    return {"y_true": y_true, "y_pred": y_pred}


@functools.lru_cache(maxsize=1)
def proba_data(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, N_CLASSES, n)
    logits = rng.normal(size=(n, N_CLASSES))
    logits[np.arange(n), y_true] += 1.5
    proba = np.exp(logits)
    proba /= proba.sum(axis=1, keepdims=True)
    return {"y_true": y_true, "proba": proba}


@functools.lru_cache(maxsize=1)
def binary_scores_data(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, n)
    return {"y_true": y_true, "score": y_true + 1.5 * rng.normal(size=n)}


@functools.lru_cache(maxsize=1)
def regression_data(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    y_true = rng.normal(size=(n, 20))
    return {"y_true": y_true, "y_pred": y_true + 0.5 * rng.normal(size=(n, 20))}


@functools.lru_cache(maxsize=1)
def blobs_data(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    centres = 4 * rng.normal(size=(10, 20))
    return {"X": centres[labels] + rng.normal(size=(n, 20)), "labels": labels}


def _metric(name: str, args, library: str, **kwargs):
    """A side's callable: ``library.metrics.<name>(*data[args], **kwargs)``."""

    def call(data):
        if library == "scratchml":
            from scratchml import metrics
        else:
            from sklearn import metrics
        return getattr(metrics, name)(*(data[a] for a in args), **kwargs)

    return call


def _value(output, data) -> float:
    if isinstance(output, str):
        return float(len(output))
    if isinstance(output, np.ndarray):
        return float(np.trace(output)) if output.ndim == 2 else float(output.sum())
    return float(output)


def _compare(ours, ref, data) -> dict:
    if isinstance(ref, str):
        return {"report text equal": float(ours == ref)}
    return {"max |ours - ref|": float(np.max(np.abs(np.asarray(ours) - np.asarray(ref))))}


def _register(name, metric, args, data, full, quick, description, **kwargs):
    register(Case(
        name=f"scoring_{name}",
        family="scoring_metrics",
        description=description,
        data=data,
        params=dict(n=full, seed=0),
        quick_params=dict(n=quick, seed=0),
        ours=Side("scratchml", call=_metric(metric, args, "scratchml", **kwargs)),
        ref=Side("scikit-learn", call=_metric(metric, args, "sklearn", **kwargs),
                 requires=("sklearn",)),
        score=_value,
        score_name="metric value",
        compare=_compare,
    ))


_LABELS = ("y_true", "y_pred")
_CLASSIFICATION = f"{N_CLASSES} classes"
# Cases sharing a data set are registered next to each other (one cached data set).
_register("accuracy_score", "accuracy_score", _LABELS, labels_data, N_FULL, N_QUICK,
          f"accuracy_score, {_CLASSIFICATION}")
_register("f1_macro", "f1_score", _LABELS, labels_data, N_FULL, N_QUICK,
          f"f1_score(average='macro'), {_CLASSIFICATION}", average="macro")
_register("confusion_matrix", "confusion_matrix", _LABELS, labels_data, N_FULL, N_QUICK,
          f"confusion_matrix, {_CLASSIFICATION}")
_register("classification_report", "classification_report", _LABELS, labels_data, N_FULL,
          N_QUICK, f"classification_report (text), {_CLASSIFICATION}")
_register("adjusted_rand_score", "adjusted_rand_score", _LABELS, labels_data, N_FULL,
          N_QUICK, f"adjusted_rand_score, {_CLASSIFICATION} vs noisy copies")
_register("log_loss", "log_loss", ("y_true", "proba"), proba_data, N_FULL, N_QUICK,
          f"log_loss on an (n, {N_CLASSES}) probability matrix")
_register("roc_auc_binary", "roc_auc_score", ("y_true", "score"), binary_scores_data,
          N_FULL, N_QUICK, "roc_auc_score, binary labels, continuous scores")
_register("mean_squared_error", "mean_squared_error", _LABELS, regression_data, N_FULL,
          N_QUICK, "mean_squared_error, (n, 20) multioutput")
_register("r2_score", "r2_score", _LABELS, regression_data, N_FULL, N_QUICK,
          "r2_score, (n, 20) multioutput")
_register("silhouette_score", "silhouette_score", ("X", "labels"), blobs_data, 10_000, 5_000,
          "silhouette_score, 20 features, 10 clusters (euclidean)")
