"""Lazy attributes for packages (PEP 562), so importing a package stays cheap.

A package lists which private module defines each public name; the module is
imported the first time one of its names is used::

    __getattr__, __dir__, __all__ = lazy_attributes(
        __name__, {"StandardScaler": "_scalers"}, globals()
    )
"""

from __future__ import annotations

import importlib


def lazy_attributes(package: str, names: dict[str, str], namespace: dict, eager=()):
    """Return ``(__getattr__, __dir__, __all__)`` for ``package``.

    ``names`` maps each public name to the submodule (relative to ``package``)
    that defines it; ``namespace`` is the package's ``globals()``, where a loaded
    name is cached so that later lookups skip the hook; ``eager`` lists public
    names the package imports itself.
    """
    public = sorted([*names, *eager])

    def __getattr__(name: str):
        if name in names:
            value = getattr(importlib.import_module(f"{package}.{names[name]}"), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return public

    return __getattr__, __dir__, public
