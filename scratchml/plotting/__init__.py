"""Plotting helpers for scratchml results, drawn with matplotlib.

matplotlib is optional: it is imported inside each function, never when
``scratchml`` or ``scratchml.plotting`` is imported, and a missing install
raises ``ImportError: scratchml.plotting needs matplotlib: pip install
'scratchml[plot]'``. Every function takes ``ax=None`` (a new figure when None)
and returns the matplotlib Axes it drew on. The metrics behind the curves come
from :mod:`scratchml.metrics`.

Functions: :func:`plot_confusion_matrix`, :func:`plot_roc_curve`,
:func:`plot_precision_recall_curve`, :func:`plot_learning_curve`,
:func:`plot_validation_curve`, :func:`plot_decision_boundary`,
:func:`plot_residuals`.
"""

from ._boundary import plot_decision_boundary
from ._classification import plot_confusion_matrix, plot_precision_recall_curve, plot_roc_curve
from ._curves import plot_learning_curve, plot_residuals, plot_validation_curve

__all__ = [
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_learning_curve",
    "plot_precision_recall_curve",
    "plot_residuals",
    "plot_roc_curve",
    "plot_validation_curve",
]
