"""Metrics: pairwise distances, classification / regression / ranking / clustering
scores, and scorers for model selection (names and semantics as in scikit-learn).

The distance kernels load with the package; every other function loads its
module on first access (PEP 562), so ``import scratchml.metrics`` stays cheap.
"""

from ..utils._lazy import lazy_attributes
from ._pairwise import (  # noqa: F401  (re-exported: listed in __all__ below)
    euclidean_distances,
    pairwise_distances,
    pairwise_distances_argmin,
    pairwise_distances_argmin_min,
)

# Public name -> submodule that defines it, imported on first access.
_LAZY = {
    **dict.fromkeys(
        ["UndefinedMetricWarning", "accuracy_score", "balanced_accuracy_score",
         "cohen_kappa_score", "confusion_matrix", "matthews_corrcoef"], "_classification"),
    **dict.fromkeys(["f1_score", "fbeta_score", "precision_recall_fscore_support",
                     "precision_score", "recall_score"], "_precision_recall"),
    "classification_report": "_classification_report",
    **dict.fromkeys(["brier_score_loss", "log_loss"], "_classification_proba"),
    **dict.fromkeys(["auc", "precision_recall_curve", "roc_curve"], "_ranking_curves"),
    **dict.fromkeys(["average_precision_score", "roc_auc_score"], "_ranking"),
    **dict.fromkeys(["explained_variance_score", "mean_absolute_error",
                     "mean_absolute_percentage_error", "mean_squared_error",
                     "median_absolute_error", "r2_score", "root_mean_squared_error"],
                    "_regression"),
    **dict.fromkeys(["adjusted_rand_score", "davies_bouldin_score",
                     "normalized_mutual_info_score", "silhouette_samples",
                     "silhouette_score"], "_cluster"),
    **dict.fromkeys(["check_scoring", "get_scorer", "get_scorer_names", "make_scorer"],
                    "_scorer"),
}

__getattr__, __dir__, __all__ = lazy_attributes(
    __name__,
    _LAZY,
    globals(),
    eager=["euclidean_distances", "pairwise_distances", "pairwise_distances_argmin",
           "pairwise_distances_argmin_min"],
)
