"""The benchmark core: ``Case`` and ``Side``, the registry, timing, memory, report.

A *case* benchmarks one thing two ways: the scratchml side (``ours``) and a
reference side (``ref``: scikit-learn, later PyTorch), on the same data, in the
same process. The runner (``benchmarks/run.py``) does, per case:

1. build the data once with ``case.data(**params)`` (``quick_params`` under ``--quick``);
2. one warm-up run of each side (imports, caches, JIT); their outputs are scored;
3. ``repeats`` timed runs, alternating ours, ref, ours, ref, ...;
4. one more run of each side under ``tracemalloc`` for its peak memory;
5. report the median time of each phase, the ratio ours / ref (< 1: scratchml is
   faster), each side's score and their difference, and the peak memories.

Adding a case
-------------
Put it in ``benchmarks/cases/<family>.py`` (any module there is imported by the
runner) and register it::

    from benchmarks.harness import Case, Side, register

    def make_data(n, seed):                      # seeded; returns anything
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((n, 10)); y = (X[:, 0] > 0).astype(int)
        return {"X": X, "y": y}

    def ours_fit(d):                              # import inside: listing stays cheap
        from scratchml.linear_model import LogisticRegression
        return LogisticRegression().fit(d["X"], d["y"])

    def ref_fit(d):
        from sklearn.linear_model import LogisticRegression
        return LogisticRegression().fit(d["X"], d["y"])

    register(Case(
        name="logreg", family="linear_model", data=make_data,
        params=dict(n=100_000, seed=0), quick_params=dict(n=10_000, seed=0),
        ours=Side("scratchml", fit=ours_fit, predict=lambda m, d: m.predict(d["X"])),
        ref=Side("scikit-learn", fit=ref_fit, predict=lambda m, d: m.predict(d["X"]),
                 requires=("sklearn",)),
        score=lambda pred, d: float((pred == d["y"]).mean()), score_name="accuracy",
    ))

A side has ``fit(data) -> model`` and/or ``predict(model, data) -> output``, or,
for a function-style case (a kernel), a single ``call(data) -> output``. Its
output (predict's or call's result, else the fitted model) goes to
``score(output, data) -> float`` per side and to
``compare(ours_output, ref_output, data) -> {name: number}``. A callable may
return ``SelfTimed(value, seconds)`` when it measures its own time (for example
in a subprocess). ``Side.requires`` names modules that must be importable (a
missing one skips the case); ``Case.skip_if()`` returns a reason to skip, or None.
``Case.extra(data, result)`` may add numbers to the report after the timing.
"""

from __future__ import annotations

import datetime
import fnmatch
import gc
import importlib
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = Path(__file__).resolve().parent / "results"
PHASES = ("fit", "predict", "call")

RATIO_NOTE = (
    "**ratio** = scratchml median time / reference median time for the same phase, "
    "measured in one process on the same data with the two sides run alternately "
    "(A, B, A, B, ...) after one warm-up run each. **< 1 means scratchml is faster**, "
    "> 1 means it is slower. Absolute times depend on the machine and its load; the "
    "ratio is the number to compare."
)
MEMORY_NOTE = (
    "**peak mem** is tracemalloc-based: the peak of Python and NumPy allocations traced "
    "by `tracemalloc` during one extra run of each side (fit + predict/call), after the "
    "data was built. Memory that native code allocates outside Python's and NumPy's "
    "allocators (C/C++ `malloc`, BLAS buffers, GPU memory) is not counted."
)
THREADS_NOTE = (
    "Both sides use all cores with their default thread settings (scratchml's `n_jobs=None`, "
    "scikit-learn's OpenMP and BLAS defaults); the BLAS/OpenMP pools are listed above."
)


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class SelfTimed:
    """Returned by a side's callable that timed itself: ``value`` is its result."""

    value: Any
    seconds: float


@dataclass
class Side:
    """One implementation of a case: scratchml's or the reference's."""

    label: str
    fit: Callable[[Any], Any] | None = None
    predict: Callable[[Any, Any], Any] | None = None
    call: Callable[[Any], Any] | None = None
    requires: tuple[str, ...] = ()

    def __post_init__(self):
        if self.call is not None and (self.fit is not None or self.predict is not None):
            raise ValueError(f"side {self.label!r}: give call, or fit and/or predict, not both")
        if self.call is None and self.fit is None and self.predict is None:
            raise ValueError(f"side {self.label!r} has nothing to run: give fit, predict or call")

    @property
    def phases(self) -> tuple[str, ...]:
        if self.call is not None:
            return ("call",)
        return tuple(p for p in ("fit", "predict") if getattr(self, p) is not None)


@dataclass
class Case:
    """A benchmark: data factory, two sides, and how to score their outputs."""

    name: str
    family: str
    data: Callable[..., Any]
    ours: Side
    ref: Side
    params: dict = field(default_factory=dict)
    quick_params: dict | None = None  # None: the same as params
    score: Callable[[Any, Any], float] | None = None
    score_name: str = "score"
    compare: Callable[[Any, Any, Any], dict] | None = None
    skip_if: Callable[[], str | None] | None = None
    extra: Callable[[Any, dict], dict] | None = None
    repeats: int | None = None  # per-case defaults; --repeats overrides them
    quick_repeats: int | None = None
    measure_memory: bool = True
    description: str = ""

    def params_for(self, quick: bool) -> dict:
        return dict(self.quick_params if quick and self.quick_params is not None else self.params)


CASES: dict[str, Case] = {}


def register(case: Case) -> Case:
    """Add ``case`` to the registry (names are unique) and return it."""
    if case.name in CASES:
        raise ValueError(f"a benchmark case named {case.name!r} is already registered")
    CASES[case.name] = case
    return case


def case(**fields) -> Callable:
    """Decorator form of ``register``: the decorated function is the data factory.

    ``@case(name="x", family="f", ours=Side(...), ref=Side(...))`` over
    ``def make_data(**params)`` registers ``Case(data=make_data, **fields)``.
    """

    def decorate(make_data):
        register(Case(data=make_data, **fields))
        return make_data

    return decorate


def load_cases() -> list[tuple[str, str]]:
    """Import every module of ``benchmarks.cases``; return ``(module, error)`` for failures."""
    import pkgutil

    from benchmarks import cases as package

    errors = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = f"{package.__name__}.{info.name}"
        try:
            importlib.import_module(module)
        except Exception:
            errors.append((module, traceback.format_exc()))
    return errors


def select(cases, patterns) -> list[Case]:
    """Cases whose name contains a pattern or matches it as an fnmatch pattern."""
    if not patterns:
        return list(cases)
    return [
        c for c in cases
        if any(p in c.name or fnmatch.fnmatchcase(c.name, p) for p in patterns)
    ]


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


# --------------------------------------------------------------------------- report


def fmt_time(s) -> str:
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_ratio(r) -> str:
    if r is None:
        return "—"
    return f"{r:.2g}" if r < 0.1 else f"{r:.2f}" if r < 100 else f"{r:.0f}"


def fmt_bytes(b) -> str:
    if b is None:
        return "n/a"
    if b < 1 << 20:
        return f"{b / 1024:.0f} KiB"
    return f"{b / (1 << 20):.1f} MiB"


def fmt_num(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, bool) or isinstance(x, str):
        return str(x)
    if isinstance(x, int):
        return str(x)
    return f"{x:.6g}"


def _phase_cell(r, key, phase_group):
    side = r["sides"].get(key)
    if not side:
        return "—"
    med = side["median"]
    return fmt_time(med.get("fit") if phase_group == "fit" else med.get("predict", med.get("call")))


def _ratio_cell(r, phase_group):
    ratio = r["ratio"]
    return fmt_ratio(ratio.get("fit") if phase_group == "fit"
                     else ratio.get("predict", ratio.get("call")))


def _score_cell(r):
    s = r["score"]
    if not s:
        return "—"
    return f"{fmt_num(s.get('ours'))} vs {fmt_num(s.get('ref'))} (Δ {fmt_num(s.get('diff'))})"


def _compare_cell(r):
    items = list(r["compare"].items())
    return "; ".join(f"{k} {fmt_num(v)}" for k, v in items) if items else "—"


def table_rows(results) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the summary table (used by stdout and REPORT.md)."""
    header = ["case", "status", "reference", "fit ours", "fit ref", "fit ratio",
              "predict/call ours", "predict/call ref", "predict/call ratio",
              "score ours vs ref", "compare", "peak mem ours", "peak mem ref"]
    rows = []
    for r in results:
        if r["status"] != "ok":
            why = r["reason"] if len(r["reason"]) <= 80 else r["reason"][:77] + "..."
            rows.append([r["name"], f"{r['status']}: {why}"] + [""] * (len(header) - 2))
            continue
        rows.append([
            r["name"], "ok", r["sides"]["ref"]["label"],
            _phase_cell(r, "ours", "fit"), _phase_cell(r, "ref", "fit"), _ratio_cell(r, "fit"),
            _phase_cell(r, "ours", "predict"), _phase_cell(r, "ref", "predict"),
            _ratio_cell(r, "predict"),
            _score_cell(r), _compare_cell(r),
            fmt_bytes(r["sides"]["ours"]["peak_bytes"]), fmt_bytes(r["sides"]["ref"]["peak_bytes"]),
        ])
    return header, rows


def text_table(results) -> str:
    """A plain fixed-width table for the terminal (the compact columns only)."""
    header, rows = table_rows(results)
    keep = [0, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10]
    short = ["case", "ref", "fit ours", "fit ref", "ratio", "pred/call ours", "pred/call ref",
             "ratio", "score ours vs ref", "mem ours", "mem ref", "compare"]
    lines_src = []
    for row in rows:
        if row[1] != "ok":
            lines_src.append((row[0], row[1]))
        else:
            lines_src.append([row[i] for i in keep])
    widths = [len(h) for h in short]
    for row in lines_src:
        if isinstance(row, list):
            widths = [max(w, len(c)) for w, c in zip(widths, row)]
    widths[0] = max([widths[0]] + [len(row[0]) for row in lines_src])

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(short), line(["-" * w for w in widths])]
    for row in lines_src:
        out.append(line(row) if isinstance(row, list) else f"{row[0].ljust(widths[0])}  {row[1]}")
    return "\n".join(out)


def fmt_counts(counts: dict) -> str:
    return ", ".join(f"{n} {status}" for status, n in counts.items())


def extras_text(results) -> str:
    """One line per extra number a case added (e.g. import scratchml / import numpy)."""
    return "\n".join(f"{r['name']}: {k} = {fmt_num(v)}"
                     for r in results if r["status"] == "ok" for k, v in r["extra"].items())


def _md_escape(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_report(results, env, meta, plot_note: str) -> str:
    header, rows = table_rows(results)
    lines = [
        "# scratchml benchmark report", "",
        f"Mode: **{meta['mode']}**, repeats: {meta['repeats']}, "
        f"cases: {fmt_counts(meta['counts'])}, total wall time {meta['wall_s']:.1f} s, "
        f"{env['date']}.", "",
        "## Environment", "",
        "| | |", "| --- | --- |",
    ]
    for key in ("python", "platform", "cpu", "cpu_count", "cpus_usable", "OPENBLAS_CORETYPE",
                "numpy", "sklearn", "scratchml", "scratchml_path", "scratchml_backends",
                "thread_env"):
        if key in env:
            lines.append(f"| {key} | {_md_escape(env[key])} |")
    lines += ["", "BLAS / OpenMP thread pools (threadpoolctl):", ""]
    if isinstance(env.get("threadpools"), list):
        for p in env["threadpools"]:
            lines.append(f"- {p['user_api']}: {p['internal_api']} {p.get('version') or ''} "
                         f"({p['prefix']}), {p['num_threads']} threads"
                         + (f", {p['architecture']}" if p.get("architecture") else ""))
    else:
        lines.append(f"- {env.get('threadpools')}")
    for note in meta.get("notes", []):
        lines += ["", f"> {note}"]
    lines += ["", "## How to read this", "", RATIO_NOTE, "", MEMORY_NOTE, "", THREADS_NOTE, "",
              "Function-style cases (kernels) time one call, shown in the predict/call columns. "
              "**score ours vs ref** is each side's score on its own output (Δ = ours − ref); "
              "**compare** compares the two outputs directly.", "",
              "## Results", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in rows:
        lines.append("| " + " | ".join(_md_escape(c) for c in row) + " |")
    lines += ["", plot_note, ""]
    detailed = [r for r in results if r["status"] == "ok" and (r["extra"] or r["description"])]
    if detailed:
        lines += ["## Details", ""]
        for r in detailed:
            about = f": {r['description']}" if r["description"] else ""
            lines.append(f"- **{r['name']}**{about}")
            for k, v in r["extra"].items():
                lines.append(f"  - {k}: {fmt_num(v)}")
            score = f"score: {r['score_name']}; " if r["score"] else ""
            lines.append(f"  - {score}params: `{r['params']}`; repeats: {r['repeats']}")
        lines.append("")
    failed = [r for r in results if r["status"] == "failed"]
    if failed:
        lines += ["## Failures", ""]
        for r in failed:
            lines += [f"### {r['name']}", "", "```", r["error"].rstrip(), "```", ""]
    return "\n".join(lines)


def write_plot(results, path: Path) -> str:
    """Horizontal bars of the fit and predict/call ratios on a log axis; returns a note."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no ratios.png (pip install matplotlib)."
    bars = []  # (label, ratio, phase)
    for r in results:
        if r["status"] != "ok":
            continue
        for phase in ("fit", "predict", "call"):
            if phase in r["ratio"]:
                group = "fit" if phase == "fit" else "predict/call"
                bars.append((r["name"], r["ratio"][phase], group))
    if not bars:
        return "No ratios to plot."
    colours = {"fit": "tab:blue", "predict/call": "tab:orange"}
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.32 * len(bars)))
    y = list(range(len(bars)))[::-1]
    # Bars grow from the line at 1: to the left when scratchml is faster.
    ax.barh(y, [b[1] - 1.0 for b in bars], left=1.0, color=[colours[b[2]] for b in bars])
    for yi, (_, ratio, _) in zip(y, bars):
        ax.annotate(fmt_ratio(ratio), (ratio, yi), xytext=(3 if ratio >= 1 else -3, 0),
                    textcoords="offset points", va="center", fontsize=7,
                    ha="left" if ratio >= 1 else "right")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{b[0]} ({b[2]})" for b in bars], fontsize=8)
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xlabel("scratchml time / reference time (log; < 1: scratchml faster)")
    ax.set_title("scratchml vs reference, median time ratio")
    present = [p for p in colours if any(b[2] == p for b in bars)]
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[p]) for p in present]
    ax.legend(handles, present, loc="best", fontsize=8)
    lo = min(b[1] for b in bars + [("", 1.0, "")])
    hi = max(b[1] for b in bars + [("", 1.0, "")])
    ax.set_xlim(lo / 3, hi * 3)  # room for the labels
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return "![ratios](ratios.png)"


def write_outputs(results, env, meta, out_dir: Path, plot: bool = True):
    """Write results.json, REPORT.md and ratios.png into ``out_dir``: ``(paths, plot_note)``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "results.json", "report": out_dir / "REPORT.md"}
    plot_path = out_dir / "ratios.png"
    plot_path.unlink(missing_ok=True)  # never leave a stale plot next to a new report
    if plot:
        plot_note = write_plot(results, plot_path)
        if plot_path.exists() and plot_note.startswith("!"):
            paths["plot"] = plot_path
    else:
        plot_note = "Plot not requested."
    meta = dict(meta, plot_note=plot_note)
    payload = {"meta": meta, "environment": env, "notes": {
        "ratio": RATIO_NOTE, "memory": MEMORY_NOTE, "threads": THREADS_NOTE}, "cases": results}
    paths["json"].write_text(json.dumps(payload, indent=2, default=str))
    paths["report"].write_text(markdown_report(results, env, meta, plot_note))
    return paths, plot_note


__all__ = [
    "CASES", "Case", "SelfTimed", "Side", "case", "environment", "load_cases",
    "prefer_installed_scratchml", "register", "run_case", "select", "text_table",
    "write_outputs",
]
