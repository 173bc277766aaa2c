"""Validation and randomness helpers shared by every estimator."""

from .validation import (
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_random_state,
    check_sample_weight,
    check_X_y,
    column_or_1d,
)

__all__ = [
    "check_X_y",
    "check_array",
    "check_classification_targets",
    "check_is_fitted",
    "check_random_state",
    "check_sample_weight",
    "column_or_1d",
]
