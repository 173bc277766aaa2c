"""Scaling and encoding transformers."""

from ._scalers import StandardScaler

__all__ = ["StandardScaler"]
