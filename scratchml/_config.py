"""Global, thread-local configuration: which kernel backend runs, how many threads.

Precedence, highest first: an active ``config_context`` (this thread only),
``set_config`` (the whole process), the ``SCRATCHML_BACKEND`` /
``SCRATCHML_N_JOBS`` environment variables read at import, then the defaults.
"""

import os
import threading
from contextlib import contextmanager

BACKENDS = ("auto", "numpy", "cython", "cuda")

_global_defaults = {
    "backend": os.environ.get("SCRATCHML_BACKEND", "auto").strip().lower() or "auto",
    # None: native kernels use every core (as scikit-learn's OpenMP kernels do).
    "n_jobs": int(os.environ["SCRATCHML_N_JOBS"]) if os.environ.get("SCRATCHML_N_JOBS")
    else None,
    # How meta-estimators (cross-validation, searches) run work in parallel when
    # n_jobs > 1: None or "threads", "processes", or a concurrent.futures-style
    # Executor instance that is used as is.
    "executor": None,
}
_local = threading.local()


def _check(name: str, value):
    if name == "backend":
        if not isinstance(value, str) or value.lower() not in BACKENDS:
            raise ValueError(
                f"backend={value!r} is not a known backend; use one of {', '.join(BACKENDS)}."
            )
        return value.lower()
    if name == "n_jobs":
        bad_type = not isinstance(value, int) or isinstance(value, bool)
        if value is not None and (bad_type or value == 0):
            raise ValueError(
                f"n_jobs={value!r} is invalid; use None (all cores), a positive thread count, "
                "or a negative number (-1 = all cores, -2 = all but one)."
            )
        return value
    if name == "executor":
        return value
    raise ValueError(
        f"unknown configuration option {name!r}; known: {', '.join(_global_defaults)}."
    )


# Validate the environment once so a typo in SCRATCHML_BACKEND fails loudly.
_global_defaults["backend"] = _check("backend", _global_defaults["backend"])


def _overrides() -> dict:
    if not hasattr(_local, "overrides"):
        _local.overrides = {}
    return _local.overrides


def get_config() -> dict:
    """Return a copy of the current configuration (``backend``, ``n_jobs``, ``executor``)."""
    return {**_global_defaults, **_overrides()}


def set_config(backend: str | None = None, n_jobs=..., executor=...) -> None:
    """Set configuration options for the whole process.

    ``config_context`` overrides these temporarily in one thread.

    Parameters
    ----------
    backend : {"auto", "numpy", "cython", "cuda"}, optional
        Kernel implementation. ``"auto"`` uses Cython when it is built and NumPy
        otherwise; a named backend that is unavailable raises ``RuntimeError``.
    n_jobs : int or None, optional
        Threads for native kernels; None or -1 means every core.
    executor : None, "threads", "processes" or an Executor, optional
        How meta-estimators run parallel work when ``n_jobs > 1``: threads
        (None, the default), processes, or a ``concurrent.futures``-style
        executor instance used as is (a Dask client's executor, for example).
    """
    if backend is not None:
        _global_defaults["backend"] = _check("backend", backend)
    if n_jobs is not ...:
        _global_defaults["n_jobs"] = _check("n_jobs", n_jobs)
    if executor is not ...:
        _global_defaults["executor"] = _check("executor", executor)


@contextmanager
def config_context(**options):
    """Temporarily change configuration in this thread, e.g. ``config_context(backend="numpy")``."""
    checked = {name: _check(name, value) for name, value in options.items()}
    overrides = _overrides()
    old = dict(overrides)
    overrides.update(checked)
    try:
        yield
    finally:
        overrides.clear()
        overrides.update(old)


def effective_n_jobs(n_jobs=None) -> int:
    """Resolve an ``n_jobs`` value (argument, else configuration) to a thread count >= 1."""
    if n_jobs is None:
        n_jobs = get_config()["n_jobs"]
    cpus = os.cpu_count() or 1
    if n_jobs is None:
        return cpus
    if n_jobs < 0:
        return max(1, cpus + 1 + n_jobs)
    return n_jobs
