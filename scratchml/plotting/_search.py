"""Plots of hyperparameter searches: score against a parameter, and convergence."""

from __future__ import annotations

import numpy as np

from ._common import get_ax, require_matplotlib


def _results(search_or_results, where: str) -> dict:
    results = getattr(search_or_results, "cv_results_", search_or_results)
    if not isinstance(results, dict) or "params" not in results:
        raise ValueError(f"{where}: expected a fitted search (with cv_results_) or its "
                         f"cv_results_ dict, got {type(search_or_results).__name__}.")
    return results


def plot_search_results(search, param_name: str, *, metric: str = "score",
                        log_scale: bool | None = None, ax=None):
    """Draw the mean test score against one hyperparameter, ± one std as error bars.

    For each value v of ``param_name``, the point is the best candidate with
    that value (the maximum mean test score over the other parameters), and its
    error bar is that candidate's standard deviation across CV folds:
    ŝ(v) = max_{θ: θ_param = v} mean_j s_j(θ).

    Parameters
    ----------
    search : fitted search (GridSearchCV, BayesSearchCV...) or its ``cv_results_``
    param_name : str
        A key of the candidates' params.
    metric : str, default='score'
        Which ``mean_test_<metric>`` column to plot.
    log_scale : bool or None
        Log x axis; None decides from the values (positive and spanning > 2 decades).
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> from scratchml.plotting import plot_search_results
    >>> ax = plot_search_results(search, "n_neighbors")  # doctest: +SKIP
    """
    where = "plot_search_results"
    require_matplotlib()
    results = _results(search, where)
    key = f"mean_test_{metric}"
    if key not in results:
        names = sorted(k[len("mean_test_"):] for k in results if k.startswith("mean_test_"))
        raise ValueError(f"{where}: no {key!r} in the results; metrics are {names}.")
    params = results["params"]
    mask = np.array([param_name in p for p in params])
    if not mask.any():
        valid = sorted({k for p in params for k in p})
        raise ValueError(f"{where}: no candidate has parameter {param_name!r}; "
                         f"parameters are {valid}.")
    means = np.asarray(results[key], dtype=float)
    stds = np.asarray(results[f"std_test_{metric}"], dtype=float)
    best: dict = {}
    for i in np.flatnonzero(mask):
        v = params[i][param_name]
        if v not in best or means[i] > means[best[v]]:
            best[v] = i
    values = list(best)
    numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                  for v in values)
    if numeric:
        order = np.argsort(np.asarray(values, dtype=float))
        values = [values[k] for k in order]
        x = np.asarray(values, dtype=float)
    else:
        x = np.arange(len(values), dtype=float)
    idx = [best[v] for v in values]
    ax = get_ax(ax)
    ax.errorbar(x, means[idx], yerr=stds[idx], marker="o", capsize=3)
    if numeric:
        if log_scale is None:
            log_scale = bool(x.min() > 0 and x.max() / x.min() > 100)
        if log_scale:
            ax.set_xscale("log")
    else:
        ax.set_xticks(x)
        ax.set_xticklabels([str(v) for v in values])
    ax.set(xlabel=param_name, ylabel=f"mean test {metric}")
    return ax


def plot_convergence(*searches, labels=None, metric: str = "score", ax=None):
    """Draw the best mean test score found so far against the number of evaluations.

    best_t = max_{i ≤ t} mean_test(θ_i): a flat tail means the search stopped
    finding better candidates. Several searches can share the axes to compare
    strategies (grid, random, halving, Bayesian); failed candidates (NaN) are skipped.

    Parameters
    ----------
    *searches : fitted searches or their ``cv_results_`` dicts
    labels : list of str or None
        Legend entries (default: the class names).
    metric : str, default='score'
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        One step line per search.

    Examples
    --------
    >>> from scratchml.plotting import plot_convergence
    >>> ax = plot_convergence(bayes_search, random_search)  # doctest: +SKIP
    """
    where = "plot_convergence"
    require_matplotlib()
    if not searches:
        raise ValueError(f"{where}: give at least one fitted search.")
    if labels is not None and len(labels) != len(searches):
        raise ValueError(f"{where}: {len(labels)} labels for {len(searches)} searches.")
    ax = get_ax(ax)
    for k, search in enumerate(searches):
        results = _results(search, where)
        scores = np.asarray(results[f"mean_test_{metric}"], dtype=float)
        best = np.fmax.accumulate(np.where(np.isnan(scores), -np.inf, scores))
        label = labels[k] if labels is not None else type(search).__name__
        ax.step(np.arange(1, len(best) + 1), best, where="post", label=label)
    ax.set(xlabel="Number of evaluations", ylabel=f"best mean test {metric} so far")
    ax.legend(loc="best")
    return ax
