"""Running a case: alternating timed runs, tracemalloc peak memory, and the environment.

``run_case`` benchmarks one registered case (see :mod:`benchmarks.harness`) and
returns its result dict; ``environment`` describes the machine it ran on.
"""

from __future__ import annotations

import datetime
import gc
import importlib
import importlib.util
import os
import platform
import statistics
import sys
import time
import traceback
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks.registry import REPO_ROOT, Case, SelfTimed, Side


def prefer_installed_scratchml() -> str:
    """Import scratchml from the installed package rather than the source tree.

    The runner runs from the repository root, where ``scratchml/`` is the source
    folder without its compiled kernels. If an installed scratchml exists, import
    that one (as the tests do); else fall back to the source tree. Returns a note.
    """
    if "scratchml" in sys.modules:
        return ""
    here = {str(REPO_ROOT), ""}

    def is_repo(entry: str) -> bool:
        try:
            return entry in here or Path(entry or ".").resolve() == REPO_ROOT
        except OSError:
            return False

    saved = list(sys.path)
    sys.path[:] = [p for p in saved if not is_repo(p)]
    try:
        importlib.invalidate_caches()
        found = importlib.util.find_spec("scratchml") is not None
        if found:
            importlib.import_module("scratchml")
    finally:
        sys.path[:] = saved
    if found:
        return ""
    importlib.import_module("scratchml")
    return ("scratchml is not installed; benchmarking the source tree, whose Cython kernels "
            "are not built (pip install --no-deps . to build them)")


# --------------------------------------------------------------------------- timing


def _timed(fn, *args):
    gc.collect()
    start = time.perf_counter()
    value = fn(*args)
    seconds = time.perf_counter() - start
    if isinstance(value, SelfTimed):
        return value.value, value.seconds
    return value, seconds


def run_side(side: Side, data) -> tuple[dict[str, float], Any]:
    """Run a side once: ``({phase: seconds}, output)``."""
    times = {}
    if side.call is not None:
        output, times["call"] = _timed(side.call, data)
        return times, output
    model = None
    if side.fit is not None:
        model, times["fit"] = _timed(side.fit, data)
    if side.predict is not None:
        output, times["predict"] = _timed(side.predict, model, data)
        return times, output
    return times, model


def peak_memory(side: Side, data) -> int:
    """Peak bytes traced by tracemalloc during one run of ``side``."""
    gc.collect()
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        run_side(side, data)
        return max(0, tracemalloc.get_traced_memory()[1] - base)
    finally:
        if not already:
            tracemalloc.stop()


def _missing(modules) -> list[str]:
    missing = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):
            missing.append(name)
    return missing


def _median(values):
    return float(statistics.median(values)) if values else None


def _number(x):
    """A JSON-friendly version of a number (NumPy scalars included)."""
    if x is None or isinstance(x, (bool, str)):
        return x
    try:
        return float(x) if not isinstance(x, int) else x
    except (TypeError, ValueError):
        return str(x)


def run_case(case: Case, *, quick: bool = False, repeats: int | None = None) -> dict:
    """Benchmark one case; never raises (except KeyboardInterrupt): see ``status``."""
    if repeats is None:
        repeats = (case.quick_repeats if quick else case.repeats) or (3 if quick else 5)
    params = case.params_for(quick)
    result = {
        "name": case.name, "family": case.family, "description": case.description,
        "status": "ok", "reason": "", "error": "", "params": params, "repeats": repeats,
        "sides": {}, "ratio": {}, "score_name": case.score_name, "score": {},
        "compare": {}, "extra": {}, "wall_s": None,
    }
    started = time.perf_counter()
    try:
        missing = _missing(case.ours.requires + case.ref.requires)
        reason = (f"not installed: {', '.join(missing)}" if missing
                  else case.skip_if() if case.skip_if is not None else None)
        if reason:
            result.update(status="skipped", reason=reason)
            return result
        data = case.data(**params)
        sides = {"ours": case.ours, "ref": case.ref}
        outputs = {key: run_side(side, data)[1] for key, side in sides.items()}  # warm-up
        if case.score is not None:
            ours_s, ref_s = (_number(case.score(outputs[k], data)) for k in ("ours", "ref"))
            diff = ours_s - ref_s if None not in (ours_s, ref_s) else None
            result["score"] = {"ours": ours_s, "ref": ref_s, "diff": diff}
        if case.compare is not None:
            result["compare"] = {k: _number(v) for k, v in
                                 case.compare(outputs["ours"], outputs["ref"], data).items()}
        del outputs
        times = {key: {p: [] for p in side.phases} for key, side in sides.items()}
        for _ in range(repeats):
            for key, side in sides.items():  # alternate: ours, ref, ours, ref, ...
                for phase, seconds in run_side(side, data)[0].items():
                    times[key][phase].append(seconds)
        for key, side in sides.items():
            result["sides"][key] = {
                "label": side.label,
                "times": times[key],
                "median": {p: _median(v) for p, v in times[key].items()},
                "peak_bytes": peak_memory(side, data) if case.measure_memory else None,
            }
        ours_m, ref_m = (result["sides"][k]["median"] for k in ("ours", "ref"))
        result["ratio"] = {p: ours_m[p] / ref_m[p] for p in ours_m
                           if p in ref_m and ref_m[p] and ours_m[p] is not None}
        if case.extra is not None:
            result["extra"] = {k: _number(v) for k, v in case.extra(data, result).items()}
    except Exception as exc:
        result.update(status="failed", reason=f"{type(exc).__name__}: {exc}",
                      error=traceback.format_exc())
    finally:
        result["wall_s"] = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------- environment


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(module: str, distribution: str | None = None) -> str:
    """The version of the loaded module, else of the installed distribution (no import)."""
    if module in sys.modules:
        return str(getattr(sys.modules[module], "__version__", "?"))
    from importlib import metadata

    try:
        return metadata.version(distribution or module)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment() -> dict:
    """Machine, library versions, BLAS/OpenMP pools (threadpoolctl) and thread settings."""
    env = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
        "thread_env": {k: os.environ[k] for k in (
            "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
            "SCRATCHML_BACKEND", "SCRATCHML_N_JOBS") if k in os.environ},
        "numpy": _version("numpy"),
        "sklearn": _version("sklearn", "scikit-learn"),
        "scratchml": _version("scratchml"),
    }
    try:
        import scratchml
        from scratchml._backend import available_backends

        env["scratchml_path"] = str(Path(scratchml.__file__).parent)
        env["scratchml_backends"] = available_backends()
    except Exception as exc:
        env["scratchml_backends"] = f"unknown ({type(exc).__name__}: {exc})"
    try:
        from threadpoolctl import threadpool_info

        env["threadpools"] = [
            {k: pool.get(k) for k in ("user_api", "internal_api", "prefix", "version",
                                      "num_threads", "threading_layer", "architecture")}
            for pool in threadpool_info()
        ]
    except ImportError:
        env["threadpools"] = "threadpoolctl is not installed"
    return env


__all__ = ["environment", "peak_memory", "prefer_installed_scratchml", "run_case", "run_side"]
