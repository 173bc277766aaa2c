"""Constructor and docstring plumbing shared by the estimators.

Each public estimator keeps its own explicit ``__init__`` signature (``get_params``
reads it, and it is the one place a reader finds the parameters and their defaults);
what the siblings share is only the body that stores the arguments and the
parameter descriptions pasted into their docstrings.
"""

from __future__ import annotations


def store_params(est, values: dict) -> None:
    """Store every ``__init__`` argument on ``est`` unchanged, under its own name.

    Call it first thing in ``__init__`` as ``store_params(self, locals())``: the
    locals are then exactly ``self`` and the signature's parameters.
    """
    for name, value in values.items():
        if name not in ("self", "__class__"):
            setattr(est, name, value)


def with_params_doc(text: str):
    """Class decorator: put ``text`` where the class docstring says ``{params}``."""

    def decorate(cls):
        if cls.__doc__ and "{params}" in cls.__doc__:
            cls.__doc__ = cls.__doc__.replace("{params}", text.strip())
        return cls

    return decorate
