"""The report of one DriftMonitor check: a per-feature table and a dataset verdict."""

from __future__ import annotations

import math

from ._result import DriftResult

_COLUMNS = ("feature", "kind", "test", "statistic", "p_value", "effect_size", "threshold",
            "drifted", "note")


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "**yes**" if value else "no"
    if isinstance(value, float):
        return "inf" if math.isinf(value) else f"{value:.4g}"
    return str(value).replace("|", "\\|")


class DriftReport:
    """What :meth:`DriftMonitor.check` found: one row per feature and a dataset verdict.

    Attributes
    ----------
    features : list of dict
        One row per column: ``feature``, ``kind`` ('numeric' / 'categorical'), ``test``,
        ``statistic``, ``p_value`` (None for distances), ``effect_size``, ``threshold``,
        ``drifted`` and a ``note`` (unseen categories, missing values, ...).
    drifted_features : list
        Names (or indices, for arrays) of the drifted columns, in column order.
    share_drifted : float
        Drifted columns / all columns.
    dataset_drift : bool
        ``share_drifted >= drift_share`` or the multivariate test drifted.
    multivariate : DriftResult or None
        The joint-distribution test (MMD by default) on the numeric columns.
    n_reference, n_current : int
        Rows compared.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.monitoring import DriftMonitor
    >>> rng = np.random.default_rng(0)
    >>> mon = DriftMonitor(random_state=0).fit(rng.normal(size=(300, 2)))
    >>> report = mon.check(np.c_[rng.normal(size=300), rng.normal(2.0, size=300)])
    >>> report.drifted_features
    [1]
    """

    def __init__(self, features: list[dict], multivariate: DriftResult | None, *,
                 n_reference: int, n_current: int, drift_share: float):
        self.features = features
        self.multivariate = multivariate
        self.n_reference = n_reference
        self.n_current = n_current
        self.drift_share = drift_share
        self.drifted_features = [row["feature"] for row in features if row["drifted"]]
        self.share_drifted = len(self.drifted_features) / max(len(features), 1)
        self.dataset_drift = bool(self.share_drifted >= drift_share
                                  or (multivariate is not None and multivariate.drifted))

    def __getitem__(self, feature) -> dict:
        """The row of one feature, by name (or index for arrays)."""
        for row in self.features:
            if row["feature"] == feature:
                return row
        raise KeyError(f"no feature {feature!r} in this report; features: "
                       f"{[r['feature'] for r in self.features]}")

    def to_dict(self) -> dict:
        """The report as plain Python data (JSON-serializable)."""
        return {
            "n_reference": self.n_reference,
            "n_current": self.n_current,
            "drifted_features": list(self.drifted_features),
            "share_drifted": self.share_drifted,
            "drift_share": self.drift_share,
            "dataset_drift": self.dataset_drift,
            "multivariate": None if self.multivariate is None else self.multivariate.to_dict(),
            "features": [dict(row) for row in self.features],
        }

    def to_markdown(self) -> str:
        """A Markdown summary: the verdict, the multivariate test, the per-feature table."""
        lines = [
            f"## Drift report: {len(self.drifted_features)} of {len(self.features)} features "
            f"drifted ({self.share_drifted:.0%})",
            "",
            f"Reference rows: {self.n_reference}, current rows: {self.n_current}. "
            f"Dataset drift: **{'yes' if self.dataset_drift else 'no'}** "
            f"(threshold: {self.drift_share:.0%} of the features).",
        ]
        if self.multivariate is not None:
            mv = self.multivariate
            lines.append(
                f"Multivariate ({mv.test}): statistic {_fmt(mv.statistic)}, p-value "
                f"{_fmt(mv.p_value)}, drifted: {'yes' if mv.drifted else 'no'}."
            )
        lines += ["", "| " + " | ".join(_COLUMNS) + " |",
                  "|" + "|".join("---" for _ in _COLUMNS) + "|"]
        for row in self.features:
            lines.append("| " + " | ".join(_fmt(row[c]) for c in _COLUMNS) + " |")
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return (f"DriftReport(n_features={len(self.features)}, "
                f"drifted_features={self.drifted_features!r}, "
                f"dataset_drift={self.dataset_drift})")
