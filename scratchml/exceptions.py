"""Exceptions and warnings raised by scratchml."""


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit``.

    Inherits from ``ValueError`` and ``AttributeError`` as scikit-learn's does, so
    code written for either library catches it.
    """


class DataValidationError(ValueError):
    """Input data is malformed (NaN, wrong shape, strings where numbers are needed)."""


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped at its iteration limit before converging."""


class BackendFallbackWarning(UserWarning):
    """``backend="auto"`` wanted a native kernel that is not built and used NumPy instead."""


class FitFailedWarning(RuntimeWarning):
    """Some fits failed during cross-validation; their scores are ``error_score``."""
