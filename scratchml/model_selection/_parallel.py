"""Run independent tasks (one per fold) sequentially or on a ``concurrent.futures`` executor.

The rule, for every ``n_jobs`` argument of model selection:

* ``n_jobs`` None or 1: the tasks run one after the other in the calling thread.
* ``n_jobs`` > 1, or negative (-1 = every core, -2 = all but one): the tasks run
  on the executor named by ``scratchml.get_config()["executor"]``:

  - None or ``"threads"``: a ``ThreadPoolExecutor`` of ``n_jobs`` workers
    (NumPy and scratchml's native kernels release the GIL);
  - ``"processes"``: a ``ProcessPoolExecutor`` of ``n_jobs`` workers (the
    estimator, data and scorer must be picklable);
  - any ``concurrent.futures.Executor`` (or object with ``submit``) supplied by
    the user: used as is, with its own number of workers, and left open.

Results come back in task order and each task is deterministic, so the output
is identical whichever executor runs it. The caller's configuration (backend,
n_jobs of the native kernels) is passed to every task, since a worker thread or
process would otherwise see only the process-wide defaults.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from .._config import config_context, get_config

_EXECUTOR_CHOICES = "None, 'threads', 'processes' or a concurrent.futures.Executor"


def _n_workers(n_jobs: int, n_tasks: int) -> int:
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0:
        raise ValueError(f"n_jobs={n_jobs!r} is invalid; use None or 1 (sequential), a number "
                         "of workers > 1, or -1 for every core.")
    cpus = os.cpu_count() or 1
    workers = n_jobs if n_jobs > 0 else max(1, cpus + 1 + n_jobs)
    return max(1, min(workers, n_tasks))


def _call_with_config(config: dict, func, args: tuple):
    """Run ``func(*args)`` under the caller's configuration (module-level: picklable)."""
    with config_context(**config):
        return func(*args)


def run_tasks(func, tasks: list[tuple], n_jobs=None) -> list:
    """``[func(*args) for args in tasks]``, in parallel per the module rule above."""
    tasks = list(tasks)
    if n_jobs is None or n_jobs == 1 or len(tasks) <= 1:
        if n_jobs is not None:
            _n_workers(n_jobs, 1)  # still reject n_jobs=0 and non-integers
        return [func(*args) for args in tasks]
    workers = _n_workers(n_jobs, len(tasks))
    config = get_config()
    executor = config["executor"]
    # Tasks never start executors of their own from inside a worker.
    inner = {"backend": config["backend"], "n_jobs": config["n_jobs"],
             "executor": executor if isinstance(executor, str) else None}
    if executor is None or executor == "threads":
        owned = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scratchml-cv")
    elif executor == "processes":
        owned = ProcessPoolExecutor(max_workers=workers)
    elif hasattr(executor, "submit"):
        owned = None
    else:
        raise ValueError(f"executor={executor!r} is not supported; set the executor option of "
                         f"scratchml.set_config to {_EXECUTOR_CHOICES}.")
    pool = owned if owned is not None else executor
    try:
        futures = [pool.submit(_call_with_config, inner, func, args) for args in tasks]
        return [f.result() for f in futures]
    finally:
        if owned is not None:
            owned.shutdown(wait=True, cancel_futures=True)
