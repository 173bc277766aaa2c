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

The code lives in ``benchmarks/registry.py`` (the data model and the registry),
``benchmarks/timing.py`` (running a case, memory, environment) and
``benchmarks/reporting.py`` (table, REPORT.md, results.json, plot); every public
name is re-exported here.
"""

from __future__ import annotations

# The core is split by topic; everything is re-exported here, so that case modules
# keep ``from benchmarks.harness import Case, Side, register`` and run.py ``harness.X``.
from benchmarks.registry import (  # noqa: F401
    CASES,
    DEFAULT_OUT,
    PHASES,
    REPO_ROOT,
    Case,
    SelfTimed,
    Side,
    case,
    load_cases,
    register,
    select,
)
from benchmarks.reporting import (  # noqa: F401
    MEMORY_NOTE,
    RATIO_NOTE,
    THREADS_NOTE,
    extras_text,
    fmt_bytes,
    fmt_counts,
    fmt_num,
    fmt_ratio,
    fmt_time,
    markdown_report,
    table_rows,
    text_table,
    write_outputs,
    write_plot,
)
from benchmarks.timing import (  # noqa: F401
    environment,
    peak_memory,
    prefer_installed_scratchml,
    run_case,
    run_side,
)

__all__ = [
    "CASES", "Case", "SelfTimed", "Side", "case", "environment", "load_cases",
    "prefer_installed_scratchml", "register", "run_case", "select", "text_table",
    "write_outputs",
]
