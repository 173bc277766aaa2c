"""Statistical model comparison: is model A really better than model B?

:func:`mcnemar` (two classifiers, one test set), :func:`paired_ttest_5x2cv` (Dietterich's
5×2-fold CV t-test) with its statistic :func:`t_5x2cv`, :func:`corrected_resampled_ttest`
(Nadeau & Bengio, for scores from repeated splits or k-fold CV), :func:`bootstrap_ci`
(a confidence interval for any metric) and :func:`permutation_test` (paired permutation
test of two models' score difference). Results are :class:`TestResult` /
:class:`ConfidenceInterval`. The distribution tails behind the p-values are NumPy-only
(:mod:`scratchml.utils._distributions`). Names load lazily (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "TestResult": "_tests",
    "mcnemar": "_tests",
    "t_5x2cv": "_tests",
    "paired_ttest_5x2cv": "_tests",
    "corrected_resampled_ttest": "_tests",
    "ConfidenceInterval": "_resampling",
    "bootstrap_ci": "_resampling",
    "permutation_test": "_resampling",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
