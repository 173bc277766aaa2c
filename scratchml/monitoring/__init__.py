"""Model monitoring: data drift tests, drift and performance monitors.

Univariate tests (each ``f(reference, current) -> DriftResult`` with ``statistic``,
``p_value``, ``effect_size``, ``drifted`` and ``threshold``): :func:`ks_test`,
:func:`cvm_test`, :func:`chi2_test`, :func:`proportion_ztest`, :func:`psi`,
:func:`js_distance`, :func:`hellinger_distance`, :func:`wasserstein_distance`.
Multivariate: :func:`mmd_test`, :func:`classifier_test`, :func:`pca_drift`.
Monitors: :class:`DriftMonitor` (per-feature report, streaming window) and
:class:`PerformanceMonitor` with the :class:`PageHinkley` and :class:`DDM` detectors.
NumPy only; names load lazily from their module on first access (PEP 562).
"""

from ..utils._lazy import lazy_attributes

_MODULES = {
    "DriftResult": "_result",
    "ks_test": "_univariate",
    "cvm_test": "_univariate",
    "chi2_test": "_univariate",
    "proportion_ztest": "_univariate",
    "wasserstein_distance": "_univariate",
    "psi": "_distances",
    "js_distance": "_distances",
    "hellinger_distance": "_distances",
    "mmd_test": "_multivariate",
    "classifier_test": "_multivariate",
    "pca_drift": "_multivariate",
    "DriftMonitor": "_monitor",
    "DriftReport": "_report",
    "PerformanceMonitor": "_performance",
    "PageHinkley": "_performance",
    "DDM": "_performance",
}

__getattr__, __dir__, __all__ = lazy_attributes(__name__, _MODULES, globals())
