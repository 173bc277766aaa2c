"""``scratchml.nn.init`` as an attribute of the lazily loaded package."""

from . import _init as init

__all__ = ["init"]
