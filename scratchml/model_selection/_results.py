"""Turn per-candidate, per-fold results into scikit-learn's ``cv_results_`` table.

For a metric m, candidate i and split j with score s_ij:

    mean_test_m[i] = (1/k) Σ_j s_ij,   std_test_m[i] = sqrt((1/k) Σ_j (s_ij − mean)²),
    rank_test_m[i] = 1 + #{candidates with a strictly higher mean} (NaN means rank last).

``param_<name>`` columns are masked where a candidate has no such parameter
(lists of grids); they are kept here as a plain array plus a mask, so the fitted
search persists with :func:`scratchml.save`.
"""

from __future__ import annotations

import warnings

import numpy as np


def _rank_min(means: np.ndarray) -> np.ndarray:
    """Ranks of ``-means`` with ties sharing the smallest rank (rankdata's 'min' method)."""
    if np.isnan(means).all():
        return np.ones(len(means), dtype=np.int32)
    means = np.where(np.isnan(means), np.nanmin(means) - 1, means)
    order = np.sort(-means)
    return (np.searchsorted(order, -means, side="left") + 1).astype(np.int32)


def _param_columns(params: list[dict]) -> tuple[dict, dict]:
    n = len(params)
    names = sorted({k for p in params for k in p})
    data, masks = {}, {}
    for name in names:
        present = np.array([name in p for p in params])
        values = [p.get(name) for p in params]
        try:
            arr = np.array([v for v, ok in zip(values, present) if ok])
        except ValueError:
            dtype = np.dtype(object)
        else:
            dtype = arr.dtype if arr.dtype.kind != "U" and arr.ndim == 1 else np.dtype(object)
        col = np.empty(n, dtype=dtype)
        if dtype.kind == "O":
            for i, (v, ok) in enumerate(zip(values, present)):
                col[i] = v if ok else None
        else:
            col[present] = arr
            if not present.all():
                col[~present] = 0
        data[f"param_{name}"], masks[f"param_{name}"] = col, ~present
    return data, masks


def _by_metric(scores: list) -> dict:
    if isinstance(scores[0], dict):
        return {m: [s[m] for s in scores] for m in scores[0]}
    return {"score": scores}


def build_results(params: list[dict], extras: list[dict], per_candidate: list[list[dict]],
                  n_splits: int, return_train_score: bool) -> tuple[dict, dict]:
    """The ``cv_results_`` dict (plain arrays) and the masks of its ``param_*`` columns."""
    n = len(params)
    results: dict = {}

    def store(key, values, splits=False, rank=False):
        arr = np.asarray(values, dtype=np.float64).reshape(n, n_splits)
        if splits:
            for j in range(n_splits):
                results[f"split{j}_{key}"] = arr[:, j]
        means = np.average(arr, axis=1)
        if key.startswith(("train_", "test_")) and np.any(~np.isfinite(means)):
            warnings.warn(f"One or more of the {key.split('_')[0]} scores are non-finite: "
                          f"{means}", UserWarning, stacklevel=4)
        results[f"mean_{key}"] = means
        results[f"std_{key}"] = np.sqrt(np.average((arr - means[:, None]) ** 2, axis=1))
        if rank:
            results[f"rank_{key}"] = _rank_min(means)

    flat = [r for folds in per_candidate for r in folds]
    store("fit_time", [r["fit_time"] for r in flat])
    store("score_time", [r["score_time"] for r in flat])
    columns, masks = _param_columns(params)
    results.update(columns)
    results["params"] = [dict(p) for p in params]
    test = _by_metric([r["test_scores"] for r in flat])
    train = _by_metric([r["train_scores"] for r in flat]) if return_train_score else {}
    for name, values in test.items():
        store(f"test_{name}", values, splits=True, rank=True)
        if return_train_score:
            store(f"train_{name}", train[name], splits=True)
    for key in sorted({k for e in extras for k in e}):
        results[key] = np.asarray([e.get(key, -1) for e in extras])
    return results, masks
