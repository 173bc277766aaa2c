"""Kernel registry: one name, up to three implementations (numpy, cython, cuda).

A *kernel* is a hot loop with a fixed signature. Its NumPy implementation sits
next to the algorithm that uses it and is the definition of correct; its Cython
and CUDA twins must agree with it. Implementations are registered as callables
or as ``"module:attribute"`` strings so that native modules (and Numba, which is
slow to import) load only when first used.

Selection, per call: ``config_context(backend=...)`` > ``set_config`` >
``SCRATCHML_BACKEND`` > ``"auto"``.

* ``"auto"`` uses the Cython twin when it is built, else NumPy. If a Cython twin
  is registered but was not built, one :class:`BackendFallbackWarning` says so.
  ``"auto"`` never picks CUDA: moving data to a GPU is the user's decision.
* A backend named explicitly must be available, or ``RuntimeError`` explains how
  to get it: nothing falls back silently when the user asked for something.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
import warnings
from collections.abc import Callable

from ._config import get_config
from .exceptions import BackendFallbackWarning

NATIVE_BACKENDS = ("cython", "cuda")

_registry: dict[str, dict[str, Callable | str]] = {}
_resolved: dict[tuple[str, str], Callable] = {}
_failed: dict[tuple[str, str], str] = {}
_warned: set[str] = set()
_lock = threading.Lock()

# Modules that register kernels; imported by show_config / list_kernels only.
# Modules whose import registers kernels. A module listed here that is not part
# of this build (a family still being written) registers nothing; any other
# import error propagates, so a broken kernel module is never hidden.
KERNEL_MODULES = (
    "scratchml.metrics._pairwise",
    "scratchml.cluster._lloyd",
    "scratchml.neighbors._topk",
    "scratchml.neighbors._kd_tree",
    "scratchml.cluster._dbscan",
    "scratchml.linear_model._kernels",
    "scratchml.svm._kernels",
    "scratchml.tree._kernels",
    "scratchml.ensemble._hist_kernels",
    "scratchml.sparse._kernels",
    "scratchml.feature_extraction._kernels",
)


def register(kernel: str, backend: str, impl: Callable | str) -> None:
    """Register ``impl`` as the ``backend`` implementation of ``kernel``."""
    if backend not in ("numpy", *NATIVE_BACKENDS):
        raise ValueError(f"unknown backend {backend!r} for kernel {kernel!r}")
    _registry.setdefault(kernel, {})[backend] = impl


def _load(kernel: str, backend: str) -> Callable | None:
    key = (kernel, backend)
    if key in _resolved:
        return _resolved[key]
    if key in _failed:
        return None
    impl = _registry.get(kernel, {}).get(backend)
    if impl is None:
        return None
    if isinstance(impl, str):
        if backend == "cuda" and not cuda_available():
            _failed[key] = _cuda_reason
            return None
        module_name, _, attr = impl.partition(":")
        try:
            impl = getattr(importlib.import_module(module_name), attr)
        except Exception as exc:  # not built, or Numba missing
            _failed[key] = f"{type(exc).__name__}: {exc}"
            return None
    with _lock:
        _resolved[key] = impl
    return impl


_cuda_state: bool | None = None
_cuda_reason = ""


def cuda_available() -> bool:
    """True when Numba's CUDA target works here: a GPU, or ``NUMBA_ENABLE_CUDASIM=1``."""
    global _cuda_state, _cuda_reason
    if _cuda_state is None:
        if importlib.util.find_spec("numba") is None:
            _cuda_state = False
            _cuda_reason = "numba-cuda is not installed (pip install 'scratchml[cuda]')"
        else:
            try:
                from numba import cuda

                _cuda_state = bool(cuda.is_available())
                if not _cuda_state:
                    _cuda_reason = (
                        "Numba found no CUDA GPU; set NUMBA_ENABLE_CUDASIM=1 to run the CUDA "
                        "kernels on Numba's (slow) CPU simulator"
                    )
            except Exception as exc:
                _cuda_state = False
                _cuda_reason = f"numba.cuda failed to load ({type(exc).__name__}: {exc})"
    return _cuda_state


def cuda_unavailable_reason() -> str:
    """Why the CUDA backend is unavailable ("" when it is available)."""
    cuda_available()
    return _cuda_reason


def cython_available() -> bool:
    """True when compiled Cython kernels are present (scratchml was built with them)."""
    from . import _cython

    folder = os.path.dirname(_cython.__file__)
    return any(name.endswith((".so", ".pyd")) for name in os.listdir(folder))


def get_kernel(kernel: str, backend: str | None = None) -> tuple[Callable, str]:
    """Return ``(implementation, backend_name)`` for ``kernel`` under the current config."""
    if kernel not in _registry:
        _import_kernel_modules()
    if kernel not in _registry:
        raise KeyError(f"no kernel named {kernel!r}; known: {sorted(_registry)}")
    requested = (backend or get_config()["backend"]).lower()
    impls = _registry[kernel]
    if requested == "auto":
        if "cython" in impls:
            fn = _load(kernel, "cython")
            if fn is not None:
                return fn, "cython"
            if kernel not in _warned:
                _warned.add(kernel)
                warnings.warn(
                    f"scratchml's Cython kernel {kernel!r} is not available "
                    f"({_failed.get((kernel, 'cython'), 'not built')}); using the NumPy "
                    "reference, which is slower. Reinstall with a C compiler present "
                    "(pip install --force-reinstall --no-deps .) to build it, or set "
                    "SCRATCHML_BACKEND=numpy to silence this warning.",
                    BackendFallbackWarning,
                    stacklevel=3,
                )
        return _load(kernel, "numpy"), "numpy"
    if requested not in ("numpy", *NATIVE_BACKENDS):
        raise ValueError(
            f"backend={requested!r} is not a known backend; use auto, numpy, cython or cuda."
        )
    if requested not in impls:
        raise RuntimeError(
            f"kernel {kernel!r} has no {requested} implementation (it has: "
            f"{', '.join(sorted(impls))}); use backend='auto' or one of those."
        )
    fn = _load(kernel, requested)
    if fn is None:
        reason = _failed.get((kernel, requested), "unavailable")
        hint = (
            "reinstall scratchml with a C compiler present so the Cython kernels build"
            if requested == "cython"
            else "install numba-cuda and run on a CUDA GPU (or set NUMBA_ENABLE_CUDASIM=1)"
        )
        raise RuntimeError(
            f"backend={requested!r} was requested for kernel {kernel!r}, but it is not "
            f"available: {reason}. To fix: {hint}, or use backend='auto'."
        )
    return fn, requested


def _import_kernel_modules() -> None:
    for module in KERNEL_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            # Missing is fine only when it is the listed module (or its package).
            if exc.name is None or not (module + ".").startswith(exc.name + "."):
                raise


def list_kernels() -> dict[str, dict[str, bool]]:
    """``{kernel: {backend: available}}`` for every registered kernel."""
    _import_kernel_modules()
    return {
        kernel: {b: _load(kernel, b) is not None for b in impls}
        for kernel, impls in sorted(_registry.items())
    }


def available_backends() -> dict[str, bool]:
    """Which backends can run here: ``{"numpy": True, "cython": ..., "cuda": ...}``."""
    _import_kernel_modules()
    return {"numpy": True, "cython": cython_available(), "cuda": cuda_available()}
