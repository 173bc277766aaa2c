"""Concept drift: change detectors on a stream of losses, and a performance monitor.

When the relation between inputs and target changes, the model's error rises even if
the inputs look the same. These detectors watch the per-sample loss of labelled
predictions and raise an alert when its level shifts up.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

_LOSSES = ("zero_one", "absolute", "squared")


def _positive(value, name: str, where: str) -> float:
    ok = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
    if not ok or not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{where}: {name} must be a positive finite number, got {value!r}.")
    return float(value)


class PageHinkley:
    """Page–Hinkley test for an increase in the mean of a stream (Page 1954).

        m_t = Σ_{i≤t} (x_i − x̄_i − δ),   M_t = min_{i≤t} m_i,   drift when m_t − M_t > λ

    x̄_i is the running mean; δ is the size of change tolerated; λ the alarm
    threshold (larger: fewer false alarms, later detection). The state restarts after
    each detection.

    Parameters
    ----------
    delta : float, default=0.005
    threshold : float, default=50.0
        λ, in units of the stream (e.g. 50 misclassifications above the running rate).
    min_instances : int, default=30
        Values seen before an alarm is allowed.

    Attributes
    ----------
    drift_detected : bool
        Whether the latest value raised an alarm.
    n_seen : int
        Values since the last restart.

    Examples
    --------
    >>> ph = PageHinkley(threshold=5)
    >>> alarms = [ph.update(x) for x in [0.0] * 100 + [1.0] * 20]
    >>> alarms.index(True) > 100
    True
    """

    def __init__(self, delta: float = 0.005, threshold: float = 50.0, min_instances: int = 30):
        self.delta = delta
        self.threshold = threshold
        self.min_instances = min_instances
        _positive(threshold, "threshold", "PageHinkley")
        if not (isinstance(delta, (int, float)) and delta >= 0):
            raise ValueError(f"PageHinkley: delta must be a number >= 0, got {delta!r}.")
        self.reset()

    def reset(self) -> None:
        """Forget the stream (called after each detection)."""
        self.n_seen, self._mean, self._cum, self._min = 0, 0.0, 0.0, 0.0
        self.drift_detected = False

    def update(self, x: float) -> bool:
        """Add one value; return True when it signals drift."""
        if self.drift_detected:
            self.reset()
        self.n_seen += 1
        self._mean += (x - self._mean) / self.n_seen
        self._cum += x - self._mean - self.delta
        self._min = min(self._min, self._cum)
        self.drift_detected = (self.n_seen >= self.min_instances
                               and self._cum - self._min > self.threshold)
        return self.drift_detected


class DDM:
    """Drift Detection Method (Gama, Medas, Castillo & Rodrigues 2004) for error streams.

    The errors are Bernoulli: after i predictions the error rate is p_i with standard
    deviation s_i = √(p_i (1 − p_i) / i). With (p_min, s_min) the values where
    p + s was lowest, the level is

        warning when p_i + s_i ≥ p_min + w s_min,   drift when p_i + s_i ≥ p_min + d s_min

    (w = 2, d = 3 by default: two and three standard deviations). The state restarts
    after a drift.

    Parameters
    ----------
    warning_level : float, default=2.0
    drift_level : float, default=3.0
    min_instances : int, default=30

    Attributes
    ----------
    drift_detected, in_warning : bool
    n_seen : int

    Examples
    --------
    >>> ddm = DDM()
    >>> rng = __import__("numpy").random.default_rng(0)
    >>> errors = list(rng.random(500) < 0.1) + list(rng.random(500) < 0.5)
    >>> alarms = [ddm.update(e) for e in errors]
    >>> alarms.index(True) > 500
    True
    """

    def __init__(self, warning_level: float = 2.0, drift_level: float = 3.0,
                 min_instances: int = 30):
        self.warning_level = warning_level
        self.drift_level = drift_level
        self.min_instances = min_instances
        _positive(warning_level, "warning_level", "DDM")
        _positive(drift_level, "drift_level", "DDM")
        if drift_level <= warning_level:
            raise ValueError(f"DDM: drift_level ({drift_level}) must exceed warning_level "
                             f"({warning_level}).")
        self.reset()

    def reset(self) -> None:
        """Forget the stream (called after each detection)."""
        self.n_seen, self._p = 0, 0.0
        self._p_min, self._s_min = math.inf, math.inf
        self.drift_detected = self.in_warning = False

    def update(self, error) -> bool:
        """Add one prediction outcome (1 / True = wrong); return True on drift."""
        if self.drift_detected:
            self.reset()
        self.n_seen += 1
        self._p += (float(error) - self._p) / self.n_seen
        s = math.sqrt(self._p * (1 - self._p) / self.n_seen)
        if self.n_seen < self.min_instances:
            return False
        if self._p + s <= self._p_min + self._s_min:
            self._p_min, self._s_min = self._p, s
        level = self._p + s
        self.drift_detected = level >= self._p_min + self.drift_level * self._s_min
        self.in_warning = not self.drift_detected and \
            level >= self._p_min + self.warning_level * self._s_min
        return self.drift_detected


class PerformanceMonitor:
    """Track a model's loss on labelled predictions and alert on concept drift.

    Each labelled prediction gives a loss (0/1 error, absolute or squared error); the
    mean loss of every full window of ``window_size`` predictions is recorded in
    ``history_``, and every loss goes to the detector (Page–Hinkley or DDM). When it
    fires, an alert is appended to ``alerts_`` and passed to ``on_alert``.

    Parameters
    ----------
    detector : {'page_hinkley', 'ddm'} or detector object, default='page_hinkley'
        An object needs ``update(x) -> bool``. DDM needs ``loss='zero_one'``.
    loss : {'zero_one', 'absolute', 'squared'}, default='zero_one'
    window_size : int, default=100
    on_alert : callable or None, default=None
        Called with the alert dict: ``index`` (prediction count), ``detector``,
        ``window_loss`` (mean loss of the current partial window) and ``baseline_loss``.

    Attributes
    ----------
    history_ : list of dict
        ``{"window": i, "end": index, "loss": mean loss}`` per full window.
    alerts_ : list of dict
    n_seen_ : int

    Examples
    --------
    >>> import numpy as np
    >>> seen = []
    >>> mon = PerformanceMonitor(detector="ddm", on_alert=seen.append)
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 2000)
    >>> pred = y.copy()
    >>> flip = rng.random(2000) < np.where(np.arange(2000) < 1000, 0.05, 0.4)
    >>> pred[flip] = 1 - pred[flip]
    >>> _ = mon.update(y, pred)
    >>> len(seen) > 0 and seen[0]["index"] > 1000
    True
    """

    def __init__(self, detector="page_hinkley", *, loss: str = "zero_one",
                 window_size: int = 100, on_alert: Callable | None = None):
        self.detector = detector
        self.loss = loss
        self.window_size = window_size
        self.on_alert = on_alert
        where = "PerformanceMonitor"
        if loss not in _LOSSES:
            raise ValueError(f"{where}: loss must be one of {_LOSSES}, got {loss!r}.")
        if not (isinstance(window_size, (int, np.integer)) and window_size >= 1):
            raise ValueError(f"{where}: window_size must be an integer >= 1, got {window_size!r}.")
        if detector == "page_hinkley":
            self._detector = PageHinkley()
        elif detector == "ddm":
            if loss != "zero_one":
                raise ValueError(f"{where}: the DDM detector needs loss='zero_one' (it models "
                                 f"errors as Bernoulli), got loss={loss!r}.")
            self._detector = DDM()
        elif hasattr(detector, "update"):
            self._detector = detector
        else:
            raise ValueError(f"{where}: detector must be 'page_hinkley', 'ddm' or an object "
                             f"with update(x) -> bool, got {detector!r}.")
        if on_alert is not None and not callable(on_alert):
            raise ValueError(f"{where}: on_alert must be callable or None, got {on_alert!r}.")
        self.history_, self.alerts_, self.n_seen_ = [], [], 0
        self._window: list[float] = []
        self._total = 0.0

    def _losses(self, y_true, y_pred) -> np.ndarray:
        y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
        if y_true.shape != y_pred.shape:
            raise ValueError(f"PerformanceMonitor.update: y_true has {y_true.size} values but "
                             f"y_pred has {y_pred.size}; pass one prediction per label.")
        if self.loss == "zero_one":
            return (y_true != y_pred).astype(np.float64)
        diff = y_true.astype(np.float64) - y_pred.astype(np.float64)
        if not np.isfinite(diff).all():
            raise ValueError("PerformanceMonitor.update: y_true / y_pred contain NaN or inf.")
        return np.abs(diff) if self.loss == "absolute" else diff**2

    def update(self, y_true, y_pred) -> list[dict]:
        """Add a batch of labelled predictions; return the alerts it raised."""
        new_alerts = []
        name = self.detector if isinstance(self.detector, str) else type(self.detector).__name__
        for value in self._losses(y_true, y_pred).tolist():  # detectors are sequential
            self.n_seen_ += 1
            self._total += value
            self._window.append(value)
            if self._detector.update(value):
                alert = {"index": self.n_seen_, "detector": name,
                         "window_loss": float(np.mean(self._window)),
                         "baseline_loss": self._total / self.n_seen_}
                self.alerts_.append(alert)
                new_alerts.append(alert)
                if self.on_alert is not None:
                    self.on_alert(alert)
            if len(self._window) == self.window_size:
                self.history_.append({"window": len(self.history_), "end": self.n_seen_,
                                      "loss": float(np.mean(self._window))})
                self._window = []
        return new_alerts
