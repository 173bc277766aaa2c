"""Metrics: pairwise distances (scores and losses arrive with the data-preparation work)."""

from ._pairwise import (
    euclidean_distances,
    pairwise_distances_argmin,
    pairwise_distances_argmin_min,
)

__all__ = ["euclidean_distances", "pairwise_distances_argmin", "pairwise_distances_argmin_min"]
