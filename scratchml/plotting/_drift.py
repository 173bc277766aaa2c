"""Per-feature reference vs current distributions, with the drift verdict of each feature."""

from __future__ import annotations

import math

import numpy as np

from ._common import require_matplotlib


def _finite(values) -> np.ndarray | None:
    """The column's finite values as floats, or None for labels (categories)."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iuf":
        arr = arr.astype(np.float64)
        return arr[np.isfinite(arr)]
    return None


def _labels(values) -> list:
    return [v for v in np.asarray(values, dtype=object).tolist()
            if v is not None and not (isinstance(v, float) and v != v)]


def _draw_numeric(ax, ref, cur, bins: int) -> None:
    both = np.concatenate([ref, cur])
    edges = np.histogram_bin_edges(both, bins=bins) if both.size else bins
    ax.hist(ref, bins=edges, density=True, alpha=0.5, label="reference")
    ax.hist(cur, bins=edges, density=True, alpha=0.5, label="current")


def _draw_categorical(ax, ref, cur) -> None:
    r, c = _labels(ref), _labels(cur)
    cats = sorted(set(r) | set(c), key=lambda v: (type(v).__name__, str(v)))[:30]
    pos = np.arange(len(cats))
    for offset, vals, label in ((-0.2, r, "reference"), (0.2, c, "current")):
        counts = {k: 0 for k in cats}
        for v in vals:
            if v in counts:
                counts[v] += 1
        share = np.array([counts[k] for k in cats], dtype=float) / max(len(vals), 1)
        ax.bar(pos + offset, share, width=0.4, alpha=0.7, label=label)
    ax.set_xticks(pos)
    ax.set_xticklabels([str(k) for k in cats], rotation=45, ha="right", fontsize=7)


def plot_drift(reference, current, *, report=None, features=None, bins: int = 30,
               n_cols: int = 3, axes=None):
    """Draw each feature's reference and current distributions side by side.

    Numeric features get two overlaid density histograms on shared bins, categorical
    features paired bars of category shares. With a :class:`~scratchml.monitoring.
    DriftReport`, each title names the test and its statistic, and a drifted feature's
    title is red and marked "DRIFT".

    Parameters
    ----------
    reference, current : DataFrame, dict of 1-D arrays, or array-like (n_rows, n_columns)
        The two tables (the same columns).
    report : DriftReport or None, default=None
        The verdicts to show (``DriftMonitor.check``'s result).
    features : list or None, default=None
        Columns to draw (names, or indices for arrays); None: all (at most 30).
    bins : int, default=30
        Histogram bins of numeric features.
    n_cols : int, default=3
        Panels per row.
    axes : array of matplotlib Axes or None, default=None
        At least one Axes per feature; None makes a new figure.

    Returns
    -------
    axes : ndarray of matplotlib Axes
        One per feature, in order (unused panels of a new figure are hidden).

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.plotting import plot_drift
    >>> rng = np.random.default_rng(0)
    >>> axes = plot_drift(rng.normal(size=(100, 2)), rng.normal(1, size=(100, 2)))  # doctest: +SKIP
    """
    from ..monitoring._columns import table_columns

    where = "plot_drift"
    require_matplotlib()
    names, ref_cols = table_columns(reference, "reference", where)
    cur_names, cur_cols = table_columns(current, "current", where)
    if cur_names != names:
        raise ValueError(f"{where}: reference and current must have the same columns; "
                         f"reference {names[:10]}, current {cur_names[:10]}.")
    chosen = names[:30] if features is None else list(features)
    unknown = [f for f in chosen if f not in names]
    if unknown:
        raise ValueError(f"{where}: features {unknown} are not columns of the tables {names}.")
    if not chosen:
        raise ValueError(f"{where}: there is no feature to draw.")
    rows = {} if report is None else {row["feature"]: row for row in report.features}
    if axes is None:
        import matplotlib.pyplot as plt

        n_cols = max(1, min(n_cols, len(chosen)))
        n_rows = math.ceil(len(chosen) / n_cols)
        fig, grid = plt.subplots(n_rows, n_cols, figsize=(4.2 * n_cols, 3.0 * n_rows),
                                 squeeze=False)
        flat = grid.ravel()
        for ax in flat[len(chosen):]:
            ax.set_visible(False)
    else:
        fig = None
        flat = np.asarray(axes, dtype=object).ravel()
        if flat.size < len(chosen):
            raise ValueError(f"{where}: {len(chosen)} features need as many axes, got "
                             f"{flat.size}.")
    for ax, name in zip(flat, chosen):
        j = names.index(name)
        ref, cur = _finite(ref_cols[j]), _finite(cur_cols[j])
        if ref is not None and cur is not None:
            _draw_numeric(ax, ref, cur, bins)
        else:
            _draw_categorical(ax, ref_cols[j], cur_cols[j])
        title, color = str(name), "black"
        row = rows.get(name)
        if row is not None:
            stat = row["statistic"]
            stat_text = "" if stat is None else f" {stat:.3g}"
            title = f"{name}: {row['test']}{stat_text}"
            if row["drifted"]:
                title, color = f"DRIFT  {title}", "tab:red"
        ax.set_title(title, color=color, fontsize=9)
        ax.legend(fontsize=7)
    if fig is not None:
        fig.tight_layout()
    return flat[:len(chosen)]
