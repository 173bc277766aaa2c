"""The saving half of :mod:`scratchml.persistence`: estimators to manifest nodes.

Split from ``persistence.py`` (which keeps the format description, :func:`save`,
:func:`load` and every load-time safety check) so that each file stays readable.
The value kinds the format allows are defined here, next to the code that writes
them, and the loader imports them.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

import numpy as np

from .base import BaseEstimator

_NPY_KINDS = "biufcSU"  # bool, ints, floats, complex, bytes, str: no pickles possible
_SCALAR_KINDS = "biufc"
_PLAIN_SCALARS = (bool, int, float, complex)


def _is_state_name(cls: type, name: str) -> bool:
    if name in getattr(cls, "_persist_private", ()):
        return True
    return name.endswith("_") and not name.startswith("__")


def _is_plain_dtype(x) -> bool:
    """True for bool, integer, float and complex NumPy types (no objects, strings, records)."""
    try:
        return np.dtype(x).kind in _SCALAR_KINDS
    except TypeError:
        return False


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _encode_float(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {"type": "float", "value": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def _public_module(cls: type) -> str:
    """The module a file should name for ``cls``: its public package when that exposes it.

    A class defined in a private module (``scratchml.preprocessing._scalers``) is
    recorded under the nearest public ancestor package that exposes the very same
    object (``scratchml.preprocessing``), so that a later version may move it
    between private modules without breaking the files saved before. Anything else
    (a public module, a class no public package exposes, a class outside scratchml)
    keeps ``cls.__module__``. Looking a name up on a lazy package imports the
    submodule that defines it, which is already imported here.
    """
    module = cls.__module__
    parts = module.split(".")
    if parts[0] != "scratchml" or not any(p.startswith("_") for p in parts):
        return module
    for n in range(len(parts) - 1, 0, -1):
        if any(p.startswith("_") for p in parts[:n]):
            continue
        package = ".".join(parts[:n])
        try:
            obj = importlib.import_module(package)
            for part in cls.__qualname__.split("."):
                obj = getattr(obj, part, None)
        except ImportError:
            continue
        if obj is cls:
            return package
    return module


class _Encoder:
    """Turns values into JSON-able nodes, collecting arrays for the .npy entries."""

    def __init__(self, max_depth: int) -> None:
        self.arrays: list[tuple[str, np.ndarray]] = []
        self.max_depth = max_depth  # persistence.MAX_DEPTH, read when save is called

    def estimator(self, est: BaseEstimator, path: str, depth: int) -> dict:
        cls = type(est)
        state = {k: v for k, v in vars(est).items() if _is_state_name(cls, k)}
        return {
            "type": "estimator",
            "class": {"module": _public_module(cls), "qualname": cls.__qualname__},
            "params": {
                k: self.value(v, _join(path, k), depth + 1)
                for k, v in est.get_params(deep=False).items()
            },
            "state": {k: self.value(v, _join(path, k), depth + 1) for k, v in state.items()},
        }

    def value(self, x: Any, path: str, depth: int) -> Any:
        if depth > self.max_depth:
            raise TypeError(
                f"cannot save attribute {path!r}: values nest more than {self.max_depth} levels "
                "deep (is there a reference cycle?)"
            )
        # NumPy scalars first: np.float64 is also a float, np.bool_ is not a bool.
        if isinstance(x, np.generic) and x.dtype.kind in _SCALAR_KINDS:
            item = x.item()
            if type(item) in _PLAIN_SCALARS:  # long double has no exact Python twin
                return {"type": "numpy_scalar", "dtype": x.dtype.str,
                        "value": self.value(item, path, depth + 1)}
        elif x is None or isinstance(x, bool):
            return x
        elif isinstance(x, int):
            return int(x)
        elif isinstance(x, str):
            return str(x)
        elif isinstance(x, float):
            return _encode_float(float(x))
        elif isinstance(x, complex):
            return {"type": "complex", "real": _encode_float(x.real),
                    "imag": _encode_float(x.imag)}
        elif type(x) in (list, tuple):
            items = [self.value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(x)]
            return items if type(x) is list else {"type": "tuple", "items": items}
        elif type(x) is dict:
            if all(isinstance(k, str) for k in x):
                items = {k: self.value(v, f"{path}[{k!r}]", depth + 1) for k, v in x.items()}
                return {"type": "dict", "items": items}
            pairs = [[self.value(k, f"{path} key", depth + 2),
                      self.value(v, f"{path}[{k!r}]", depth + 2)] for k, v in x.items()]
            return {"type": "dict", "pairs": pairs}
        elif type(x) is np.ndarray and x.dtype.kind in _NPY_KINDS:
            name = f"arrays/{len(self.arrays)}.npy"
            self.arrays.append((name, x))
            return {"type": "ndarray", "file": name, "dtype": x.dtype.str, "shape": list(x.shape)}
        elif type(x) is np.ndarray and x.dtype.kind == "O":
            items = [self.value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(x.flat)]
            return {"type": "object_array", "shape": list(x.shape), "items": items}
        elif type(x) is slice:
            return {"type": "slice", "items": [self.value(v, f"{path}.slice", depth + 1)
                                               for v in (x.start, x.stop, x.step)]}
        elif _is_csr_matrix(x):
            return {"type": "csr_matrix", "shape": list(x.shape),
                    **{name: self.value(getattr(x, name), f"{path}.{name}", depth + 1)
                       for name in ("data", "indices", "indptr")}}
        elif isinstance(x, BaseEstimator):
            return self.estimator(x, path, depth)
        elif isinstance(x, type) and issubclass(x, BaseEstimator):
            return {"type": "class", "module": _public_module(x), "qualname": x.__qualname__}
        elif isinstance(x, type) and issubclass(x, np.generic) and _is_plain_dtype(x):
            # A NumPy scalar type as a parameter, e.g. dtype=np.float64.
            return {"type": "numpy_type", "dtype": np.dtype(x).str}
        elif isinstance(x, np.dtype) and _is_plain_dtype(x):
            return {"type": "numpy_dtype", "dtype": x.str}
        kind = type(x)
        what = f"{kind.__module__}.{kind.__qualname__}"
        if isinstance(x, (np.ndarray, np.generic)):
            what += f" with dtype {x.dtype}"
        hint = " (pass an int random_state instead)" if isinstance(x, np.random.Generator) else ""
        raise TypeError(f"cannot save attribute {path!r}: type {what} is not supported{hint}")


def _is_csr_matrix(x) -> bool:
    from .sparse import CSRMatrix  # lazy package: cheap to import here

    return type(x) is CSRMatrix

