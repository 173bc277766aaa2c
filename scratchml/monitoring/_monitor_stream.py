"""DriftMonitor's parameter checks, sliding window and plot (kept apart to keep _monitor short)."""

from __future__ import annotations

import numpy as np

from ._report import DriftReport
from ._result import check_threshold

_NUMERIC_TESTS = ("auto", "ks", "cvm", "wasserstein", "psi", "js", "hellinger")
_CATEGORICAL_TESTS = ("auto", "chi2", "proportion_z", "psi", "js", "hellinger")
_MULTIVARIATE = ("mmd", "classifier", "pca", None)


def check_params(self) -> None:
    """Validate DriftMonitor's hyperparameters (ValueError naming the parameter)."""
    where = "DriftMonitor"
    check_threshold(self.alpha, "alpha", where, upper=1.0)
    check_threshold(self.drift_share, "drift_share", where, upper=1.0 + 1e-12)
    if self.distance_threshold is not None:
        check_threshold(self.distance_threshold, "distance_threshold", where)
    if self.numeric_test not in _NUMERIC_TESTS:
        raise ValueError(f"{where}: numeric_test must be one of {_NUMERIC_TESTS}, "
                         f"got {self.numeric_test!r}.")
    if self.categorical_test not in _CATEGORICAL_TESTS:
        raise ValueError(f"{where}: categorical_test must be one of {_CATEGORICAL_TESTS}, "
                         f"got {self.categorical_test!r}.")
    if self.multivariate not in _MULTIVARIATE:
        raise ValueError(f"{where}: multivariate must be one of {_MULTIVARIATE}, "
                         f"got {self.multivariate!r}.")
    for name in ("large_sample_threshold", "max_samples", "n_permutations"):
        v = getattr(self, name)
        if not (isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 2):
            raise ValueError(f"{where}: {name} must be an integer >= 2, got {v!r}.")
    w = self.window_size
    if w is not None and not (isinstance(w, (int, np.integer)) and not isinstance(w, bool)
                              and w >= 2):
        raise ValueError(f"{where}: window_size must be None or an integer >= 2, got {w!r}.")


class StreamingMixin:
    """``update`` (sliding window) and ``plot`` of DriftMonitor."""

    def update(self, batch) -> DriftReport:
        """Add a batch to the sliding window (the last ``window_size`` rows) and check it.

        Returns
        -------
        DriftReport
            The check of the whole current window.
        """
        if self.window_size is None:
            raise ValueError("DriftMonitor.update: set window_size (the rows the sliding "
                             "window keeps), e.g. DriftMonitor(window_size=1000).")
        cols = self._columns_of(batch, "DriftMonitor.update")
        if self._window is None:
            self._window = {c: v[-self.window_size:] for c, v in cols.items()}
        else:
            self._window = {c: np.concatenate([self._window[c], v])[-self.window_size:]
                            for c, v in cols.items()}
        return self.check(self._window)

    def plot(self, current=None, *, features=None, bins: int = 30, n_cols: int = 3, axes=None):
        """Draw reference vs current distributions per feature, drifted ones flagged.

        ``current`` defaults to the batch of the latest check; see
        :func:`scratchml.plotting.plot_drift`. Returns the array of Axes.
        """
        from ..plotting._drift import plot_drift

        if current is not None:
            report = self.check(current)
        elif self.last_report_ is not None:
            report = self.last_report_
        else:
            raise ValueError("DriftMonitor.plot: nothing checked yet; pass current or call "
                             "check(current) first.")
        reference = {c: (s["sorted"] if "sorted" in s else np.repeat(
            np.asarray(s["encoder"].categories, dtype=object), s["counts"].astype(np.int64)))
            for c, s in self._state.items()}
        return plot_drift(reference, self._last_current, report=report, features=features,
                          bins=bins, n_cols=n_cols, axes=axes)
