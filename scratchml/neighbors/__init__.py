"""Nearest-neighbour models."""

from ._nearest_centroid import NearestCentroid

__all__ = ["NearestCentroid"]
