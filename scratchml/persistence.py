"""Save and load estimators without pickle.

A pickle file runs whatever code it names when it is loaded, so a model file
from someone else is a program from someone else. This module stores a fitted
estimator as *data only* and rebuilds it from that data, so loading a file
can never run code that the file chose.

Format
------
A model file is a zip archive (``ZIP_DEFLATED``) holding:

``manifest.json``
    ``{"format": "scratchml-model", "format_version": 1,
    "scratchml_version": "0.1.0", "estimator": NODE}``
``arrays/<n>.npy``
    one NumPy array per entry, written by ``np.save(..., allow_pickle=False)``.

An estimator ``NODE`` is ``{"type": "estimator", "class": {"module", "qualname"},
"params": {...}, "state": {...}}``: ``params`` are ``get_params(deep=False)``;
``state`` is every instance attribute whose name ends in ``_`` (and does not
start with ``__``), plus the private ones a class lists in ``_persist_private``.
``module`` is the public package that exposes the class (``scratchml.preprocessing``
for ``StandardScaler``), or the defining module where no public package does, so
a class can move between private modules without breaking saved files; files
that name a private module (``scratchml.preprocessing._scalers``) load as long as
that module still provides the class.
Values are encoded recursively:

* ``None``, ``bool``, ``int``, ``str``, finite ``float`` and ``list``: as JSON.
* nan and ±inf (JSON has no spelling for them): ``{"type": "float", "value": "nan"}``.
* ``complex``, ``tuple``, ``dict``: ``{"type": ...}`` nodes; a dict whose keys are
  not all strings is stored as a list of ``[key, value]`` pairs.
* NumPy scalars keep their dtype: ``{"type": "numpy_scalar", "dtype": "<f4", "value": ...}``.
* numeric, bool and fixed-width string arrays go to an ``.npy`` entry:
  ``{"type": "ndarray", "file": "arrays/0.npy", "dtype": "<f8", "shape": [3, 2]}``;
  object arrays are encoded element-wise in the manifest (``"object_array"``).
* nested estimators are nested ``NODE`` s; scratchml estimator classes used as
  parameters are ``{"type": "class", "module", "qualname"}``; NumPy scalar
  types and dtypes used as parameters (``dtype=np.float64``) are
  ``{"type": "numpy_type" | "numpy_dtype", "dtype": "<f8"}``.

Anything else (a ``numpy.random.Generator``, a function, an open file...) makes
:func:`save` raise ``TypeError`` naming the attribute, before any file is written.

Safety rules of :func:`load`
----------------------------
* The only code run is ``cls(**params)`` followed by ``setattr`` of the state, and
  ``cls`` must be a subclass of :class:`~scratchml.base.BaseEstimator` found in
  ``scratchml`` or one of its submodules. Any other class is refused.
* Arrays are read with ``allow_pickle=False``; their dtype (never ``object``) and
  shape must agree between the manifest, the ``.npy`` header and the result.
* Sizes are checked before anything is read: every zip entry's declared size
  must match what the manifest says it holds, and the archive's total declared
  size may not exceed :data:`MAX_TOTAL_UNCOMPRESSED` (the zip reader never
  inflates an entry past its declared size).
* Nesting deeper than :data:`MAX_DEPTH` levels is refused.
* Any problem -- truncated or corrupt zip, bad JSON, unknown format version,
  missing entry, mismatched header -- is reported as ``ValueError``.

Examples
--------
>>> import scratchml
>>> scratchml.save(model, "model.zip")            # doctest: +SKIP
>>> model = scratchml.load("model.zip")           # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import importlib
import json
import math
import os
import zipfile
from typing import IO, Any, Union

import numpy as np

from ._persistence_encode import (  # the saving half, split off to keep files short
    _NPY_KINDS,
    _PLAIN_SCALARS,
    _SCALAR_KINDS,
    _Encoder,
    _is_state_name,
)
from .base import BaseEstimator

FORMAT_NAME = "scratchml-model"
FORMAT_VERSION = 1
#: Largest total uncompressed size an archive may declare (bytes).
MAX_TOTAL_UNCOMPRESSED = 16 * 2**30
#: Largest manifest accepted (bytes).
MAX_MANIFEST_BYTES = 256 * 2**20
#: Deepest nesting of values accepted, on save and on load.
MAX_DEPTH = 100

# An .npy header (format 1.0/2.0, plain dtypes) is at most a few hundred bytes.
_NPY_HEADER_SLACK = 2**16
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same model always gives the same bytes

PathOrFile = Union[str, "os.PathLike[str]", IO[bytes]]


def save(estimator: BaseEstimator, path: PathOrFile) -> None:
    """Save an estimator (fitted or not) as a model file.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator to save; its parameters and fitted state must be plain data.
    path : str, os.PathLike or binary file object
        Where to write the zip archive.

    Raises
    ------
    TypeError
        If a parameter or fitted attribute has a type the format cannot hold; the
        message names the attribute. Nothing is written in that case.
    """
    if not isinstance(estimator, BaseEstimator):
        raise TypeError(f"save expects a scratchml estimator, got {type(estimator).__name__}")
    from . import __version__

    encoder = _Encoder(MAX_DEPTH)
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "scratchml_version": __version__,
        "estimator": encoder.estimator(estimator, "", 0),
    }
    text = json.dumps(manifest, allow_nan=False, indent=1)
    with _opened(path, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_entry("manifest.json"), text)
        for name, array in encoder.arrays:
            with zf.open(_entry(name), "w", force_zip64=array.nbytes > 2**30) as out:
                np.save(out, array, allow_pickle=False)


def load(path: PathOrFile) -> BaseEstimator:
    """Load an estimator written by :func:`save`, running no code from the file.

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        The model file.

    Returns
    -------
    BaseEstimator
        A new instance of the saved class, built as ``cls(**params)`` with the
        fitted attributes then set one by one.

    Raises
    ------
    ValueError
        If the file is corrupt, truncated, tampered with, too large, from a newer
        format version, or names a class that is not a scratchml estimator.
    """
    with _opened(path, "rb") as f:
        try:
            with zipfile.ZipFile(f) as zf:
                return _Decoder(zf).load()
        except _LoadError as exc:
            raise ValueError(f"cannot load scratchml model: {exc}") from None
        except Exception as exc:  # whatever else a corrupt file provokes, reported alike
            raise ValueError(
                "cannot load scratchml model: the file is corrupt or not a scratchml model "
                f"({type(exc).__name__}: {exc})"
            ) from exc


def _opened(path: PathOrFile, mode: str) -> contextlib.AbstractContextManager[IO[bytes]]:
    """``open(path)`` for a file name; a caller's file object is used as is and left open."""
    if isinstance(path, (str, os.PathLike)):
        return open(path, mode)
    return contextlib.nullcontext(path)


# -- saving -------------------------------------------------------------------------


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


# The encoder (estimator -> manifest nodes) is in _persistence_encode.py.


# -- loading ------------------------------------------------------------------------


class _LoadError(ValueError):
    """A check of the file failed; :func:`load` re-raises it as a plain ValueError."""


def _reject_constant(name: str) -> None:
    raise _LoadError(f"the manifest contains {name}, which is not valid JSON")


def _dtype(spec: Any, kinds: str) -> np.dtype:
    dtype = np.dtype(spec) if isinstance(spec, str) else None
    if dtype is None or dtype.kind not in kinds:
        raise _LoadError(f"dtype {spec!r} is not allowed in a model file")
    return dtype


def _shape(spec: Any) -> tuple[int, ...]:
    if (not isinstance(spec, list) or len(spec) > 64
            or not all(type(n) is int and n >= 0 for n in spec)):
        raise _LoadError(f"invalid array shape {spec!r}")
    return tuple(spec)


def _resolve_class(module: Any, qualname: Any) -> type:
    """The scratchml estimator class named by (module, qualname), or _LoadError."""
    where = f"{module}.{qualname}"
    refused = _LoadError(f"{where!r} is not a scratchml estimator class; refusing to load")
    if not (isinstance(module, str) and isinstance(qualname, str)):
        raise refused
    parts = module.split(".") + qualname.split(".")
    if parts[0] != "scratchml" or not all(p.isidentifier() and p[:2] != "__" for p in parts):
        raise refused
    try:
        obj = importlib.import_module(module)
    except ImportError:
        raise refused from None
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    if not (isinstance(obj, type) and issubclass(obj, BaseEstimator)):
        raise refused
    return obj


class _Decoder:
    """Rebuilds values from manifest nodes, reading arrays only after checking them."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.entries = {info.filename: info for info in zf.infolist()}
        self.declared = 0  # array bytes the manifest has claimed so far

    def load(self) -> BaseEstimator:
        total = sum(info.file_size for info in self.entries.values())
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise _LoadError(f"the archive declares {total} uncompressed bytes, more than the "
                             f"limit MAX_TOTAL_UNCOMPRESSED = {MAX_TOTAL_UNCOMPRESSED}")
        info = self.entries.get("manifest.json")
        if info is None:
            raise _LoadError("the archive has no manifest.json")
        if info.file_size > MAX_MANIFEST_BYTES:
            raise _LoadError(f"manifest.json declares {info.file_size} bytes, more than "
                             f"MAX_MANIFEST_BYTES = {MAX_MANIFEST_BYTES}")
        manifest = json.loads(self.zf.read(info).decode("utf-8"),
                              parse_constant=_reject_constant)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
            raise _LoadError(f"the manifest's format is not {FORMAT_NAME!r}")
        version = manifest.get("format_version")
        if type(version) is not int or not 1 <= version <= FORMAT_VERSION:
            raise _LoadError(f"format_version {version!r} is not supported: this scratchml "
                             f"reads versions 1 to {FORMAT_VERSION}; upgrade scratchml")
        node = manifest.get("estimator")
        if not isinstance(node, dict) or node.get("type") != "estimator":
            raise _LoadError("the manifest does not describe an estimator")
        return self.value(node, 0)

    def value(self, x: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _LoadError(f"the manifest nests values more than {MAX_DEPTH} levels deep")
        if x is None or isinstance(x, (bool, int, float, str)):
            return x
        if isinstance(x, list):
            return [self.value(v, depth + 1) for v in x]
        kind = x.get("type")
        if kind == "float" and x["value"] in ("nan", "inf", "-inf"):
            return float(x["value"])
        if kind == "complex":
            return complex(self._plain(x["real"], depth, float),
                           self._plain(x["imag"], depth, float))
        if kind == "tuple":
            return tuple(self.value(x["items"], depth + 1))
        if kind == "dict" and isinstance(x.get("items"), dict):
            return {k: self.value(v, depth + 1) for k, v in x["items"].items()}
        if kind == "dict":
            return {self.value(k, depth + 1): self.value(v, depth + 1) for k, v in x["pairs"]}
        if kind == "numpy_scalar":
            dtype = _dtype(x["dtype"], _SCALAR_KINDS)
            return dtype.type(self._plain(x["value"], depth, _PLAIN_SCALARS))
        if kind == "ndarray":
            return self.ndarray(x["file"], _dtype(x["dtype"], _NPY_KINDS), _shape(x["shape"]))
        if kind == "object_array":
            shape, items = _shape(x["shape"]), x["items"]
            if not isinstance(items, list) or len(items) != math.prod(shape):
                raise _LoadError(f"object array of shape {shape} has a wrong number of items")
            out = np.empty(len(items), dtype=object)
            for i, item in enumerate(items):
                out[i] = self.value(item, depth + 1)
            return out.reshape(shape)
        if kind == "class":
            return _resolve_class(x["module"], x["qualname"])
        if kind == "slice":
            items = self.value(x["items"], depth + 1)
            if len(items) != 3 or not all(v is None or type(v) is int for v in items):
                raise _LoadError(f"invalid slice {str(x)[:80]!r} in the manifest")
            return slice(*items)
        if kind == "numpy_type":
            return _dtype(x["dtype"], _SCALAR_KINDS).type
        if kind == "numpy_dtype":
            return _dtype(x["dtype"], _SCALAR_KINDS)
        if kind == "csr_matrix":
            from .sparse import CSRMatrix

            arrays = [self.value(x[name], depth + 1) for name in ("data", "indices", "indptr")]
            if not all(type(a) is np.ndarray for a in arrays):
                raise _LoadError("a csr_matrix node must hold three arrays")
            try:  # the constructor checks lengths, index ranges and indptr's order
                return CSRMatrix(tuple(arrays), shape=_shape(x["shape"]))
            except ValueError as exc:
                raise _LoadError(f"invalid sparse matrix in the manifest: {exc}") from None
        if kind == "estimator":
            return self.estimator(x, depth)
        raise _LoadError(f"unknown value node {str(x)[:80]!r} in the manifest")

    def _plain(self, x: Any, depth: int, types: Any) -> Any:
        value = self.value(x, depth + 1)
        if not isinstance(value, types):
            raise _LoadError(f"expected a number in the manifest, got {str(x)[:80]!r}")
        return value

    def estimator(self, node: dict, depth: int) -> BaseEstimator:
        cls = _resolve_class(node["class"]["module"], node["class"]["qualname"])
        params = self.value({"type": "dict", "items": node["params"]}, depth)
        unknown = set(params) - set(cls._get_param_names())
        if unknown:
            raise _LoadError(f"{cls.__name__} has no parameters {sorted(unknown)}")
        estimator = cls(**params)
        state = self.value({"type": "dict", "items": node["state"]}, depth)
        for name, value in state.items():
            if not (name.isidentifier() and _is_state_name(cls, name)):
                raise _LoadError(f"{name!r} is not a fitted attribute of {cls.__name__}")
            setattr(estimator, name, value)
        return estimator

    def ndarray(self, name: Any, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
        nbytes = math.prod(shape) * dtype.itemsize
        self.declared += nbytes
        if self.declared > MAX_TOTAL_UNCOMPRESSED:
            raise _LoadError(f"the manifest declares more than MAX_TOTAL_UNCOMPRESSED = "
                             f"{MAX_TOTAL_UNCOMPRESSED} bytes of arrays")
        info = self.entries.get(name) if isinstance(name, str) else None
        if info is None:
            raise _LoadError(f"array entry {name!r} is missing from the archive")
        # The zip reader never inflates past file_size, so this bounds what is read.
        if not nbytes < info.file_size <= nbytes + _NPY_HEADER_SLACK:
            raise _LoadError(f"{name!r} should hold {nbytes} bytes ({dtype}, shape {shape}) "
                             f"but the archive declares {info.file_size} bytes")
        fmt = np.lib.format
        with self.zf.open(info) as f:
            version = fmt.read_magic(f)
            read_header = {(1, 0): fmt.read_array_header_1_0,
                           (2, 0): fmt.read_array_header_2_0}.get(version)
            if read_header is None:
                raise _LoadError(f"{name!r} has unsupported .npy version {version}")
            header_shape, _, header_dtype = read_header(f)
            if header_dtype != dtype or header_shape != shape:
                raise _LoadError(f"{name!r} holds {header_dtype} of shape {header_shape}, "
                                 f"but the manifest says {dtype} of shape {shape}")
            if f.tell() + nbytes != info.file_size:
                raise _LoadError(f"{name!r} has {info.file_size - f.tell()} bytes of data "
                                 f"where {nbytes} are expected")
        with self.zf.open(info) as f:
            array = np.load(f, allow_pickle=False)
        if type(array) is not np.ndarray or array.dtype != dtype or array.shape != shape:
            raise _LoadError(f"{name!r} did not read back as {dtype} of shape {shape}")
        return array
