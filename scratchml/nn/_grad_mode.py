"""Grad mode: whether operations record the autodiff graph (:class:`no_grad`).

One process-wide switch, read by every operation when it builds its output (see
``_result`` in :mod:`._tensor`); a one-element list so that it can be flipped in place.
"""

from __future__ import annotations

_GRAD_ENABLED = [True]


class no_grad:
    """Context manager (or decorator) under which operations record no graph.

    Examples
    --------
    >>> from scratchml.nn import Tensor, no_grad
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = (w * 2).sum()
    >>> y.requires_grad
    False
    """

    def __enter__(self):
        self._prev = _GRAD_ENABLED[0]
        _GRAD_ENABLED[0] = False
        return self

    def __exit__(self, *exc):
        _GRAD_ENABLED[0] = self._prev
        return False

    def __call__(self, fn):
        def wrapper(*args, **kwargs):
            with no_grad():
                return fn(*args, **kwargs)

        wrapper.__name__ = getattr(fn, "__name__", "wrapper")
        wrapper.__doc__ = getattr(fn, "__doc__", None)
        return wrapper


def is_grad_enabled() -> bool:
    """Whether operations currently record the graph (False inside ``no_grad``)."""
    return _GRAD_ENABLED[0]
