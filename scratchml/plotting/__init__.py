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
:func:`plot_residuals`, :func:`plot_search_results`, :func:`plot_convergence`,
:func:`plot_drift`, :func:`plot_tree`, :func:`plot_feature_importances`,
:func:`plot_clusters`, :func:`plot_explained_variance`, :func:`plot_elbow`.
"""

from ._boundary import plot_decision_boundary
from ._classification import plot_confusion_matrix, plot_precision_recall_curve, plot_roc_curve
from ._cluster import plot_clusters, plot_elbow, plot_explained_variance
from ._curves import plot_learning_curve, plot_residuals, plot_validation_curve
from ._drift import plot_drift
from ._search import plot_convergence, plot_search_results
from ._tree import plot_feature_importances, plot_tree

__all__ = [
    "plot_clusters",
    "plot_elbow",
    "plot_explained_variance",
    "plot_feature_importances",
    "plot_tree",
    "plot_drift",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_learning_curve",
    "plot_precision_recall_curve",
    "plot_residuals",
    "plot_roc_curve",
    "plot_validation_curve",
    "plot_convergence",
    "plot_search_results",
]
