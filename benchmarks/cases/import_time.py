"""``import_time``: ``import scratchml`` vs ``import sklearn`` in fresh interpreters.

Each run starts ``sys.executable -c "..."`` in a neutral folder and times the
``import`` statement inside the child (interpreter start-up excluded). The extra
numbers compare ``import scratchml`` with ``import numpy``, timed alternately the
same way: the project requires that ratio to stay at or below 1.5.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Case, SelfTimed, Side, register

LIMIT_VS_NUMPY = 1.5
_CODE = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def _child_env() -> dict:
    """The environment for a child that imports the scratchml this process uses."""
    import scratchml

    env = dict(os.environ)
    wanted = Path(scratchml.__file__).resolve().parent
    probe = subprocess.run(
        [sys.executable, "-c", "import scratchml; print(scratchml.__file__)"],
        capture_output=True, text=True, cwd=tempfile.gettempdir(), env=env,
    )
    if probe.returncode != 0 or Path(probe.stdout.strip()).resolve().parent != wanted:
        # Not installed (the runner fell back to the source tree): point the child at it.
        env["PYTHONPATH"] = os.pathsep.join(
            [str(wanted.parent)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def make_data():
    return {"env": _child_env(), "cwd": tempfile.gettempdir()}


def time_import(module: str, data) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _CODE.format(module)], capture_output=True, text=True,
        cwd=data["cwd"], env=data["env"],
    )
    if out.returncode != 0:
        raise RuntimeError(f"import {module} failed in a fresh interpreter:\n{out.stderr}")
    return float(out.stdout.strip().splitlines()[-1])


def _importer(module: str):
    def call(data):
        seconds = time_import(module, data)
        return SelfTimed(seconds, seconds)

    return call


def vs_numpy(data, result) -> dict:
    """Time ``import numpy`` and ``import scratchml`` alternately; their ratio vs the limit."""
    numpy_s, ours_s = [], []
    for _ in range(result["repeats"]):
        numpy_s.append(time_import("numpy", data))
        ours_s.append(time_import("scratchml", data))
    ratio = statistics.median(ours_s) / statistics.median(numpy_s)
    return {
        "import numpy, median (s)": statistics.median(numpy_s),
        "import scratchml, median (s), same loop": statistics.median(ours_s),
        "ratio import scratchml / import numpy": ratio,
        f"ratio <= {LIMIT_VS_NUMPY} (project requirement)": bool(ratio <= LIMIT_VS_NUMPY),
    }


register(Case(
    name="import_time",
    family="package",
    description="time of the `import` statement in a fresh `python -c` process "
                "(interpreter start-up excluded), median over the repeats",
    data=make_data,
    ours=Side("scratchml", call=_importer("scratchml")),
    ref=Side("scikit-learn", call=_importer("sklearn"), requires=("sklearn",)),
    extra=vs_numpy,
    repeats=9,
    quick_repeats=5,
    measure_memory=False,
))
