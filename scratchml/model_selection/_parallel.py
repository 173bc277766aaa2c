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
import uuid
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


def _resolve_executor(executor):
    """The executor option: the argument when given, else the configuration's."""
    if executor is None:
        executor = get_config()["executor"]
    if executor is None or executor in ("threads", "processes") or hasattr(executor, "submit"):
        return executor
    raise ValueError(f"executor={executor!r} is not supported; set the executor option of "
                     f"scratchml.set_config (or the search's executor) to {_EXECUTOR_CHOICES}.")


def _dask_client(executor):
    """The Dask ``Client`` behind ``client.get_executor()``, or None (duck-typed)."""
    client = getattr(executor, "_client", None)
    return client if client is not None and hasattr(client, "scatter") else None


# Shared data installed in a worker process once, by the pool's initializer.
_WORKER_SHARED: dict = {}


def _install_shared(token: str, shared: tuple) -> None:
    _WORKER_SHARED[token] = shared


def _call_shared(config: dict, token: str, func, args: tuple):
    """Run ``func(*shared, *args)`` in a worker process that holds ``shared`` already."""
    with config_context(**config):
        return func(*_WORKER_SHARED[token], *args)


class TaskRunner:
    """Run batches of tasks ``func(*shared, *args)``, reusing one pool across batches.

    ``shared`` (typically ``(X, y)``) is shipped to the workers once, not once per
    task: threads simply share it; an owned process pool installs it in every
    worker through its initializer; a Dask client's executor gets it scattered
    (``broadcast=True``) and passes the futures, which Dask resolves on the
    worker. Any other executor receives it with each task.

    Use as a context manager; owned pools are shut down on exit, a user's
    executor is left open.
    """

    def __init__(self, n_jobs=None, executor=None, shared: tuple = ()):
        self.shared = tuple(shared)
        # An executor object given explicitly is used even when n_jobs is None.
        explicit = executor is not None and not isinstance(executor, str)
        self.serial = (n_jobs is None or n_jobs == 1) and not explicit
        if n_jobs is not None:
            _n_workers(n_jobs, 1)  # reject n_jobs=0 and non-integers early
        self.n_jobs = n_jobs
        self.executor = _resolve_executor(executor)
        self._pool = None
        self._owned = False
        self._token = None
        self._remote_shared = None

    @property
    def n_workers(self) -> int:
        if self.serial:
            return 1
        if isinstance(self.executor, str) or self.executor is None:
            return _n_workers(self.n_jobs, 1 << 30)
        client = _dask_client(self.executor)
        if client is not None:
            try:
                return max(1, sum(client.nthreads().values()))
            except Exception:  # a client without a scheduler to ask
                return 1
        fallback = 1 if self.n_jobs is None else _n_workers(self.n_jobs, 1 << 30)
        return max(1, int(getattr(self.executor, "_max_workers", 0) or fallback))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self._owned and self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def _start(self, n_tasks: int):
        if self._pool is not None:
            return
        ex = self.executor
        workers = _n_workers(self.n_jobs or 1, max(n_tasks, 1))
        if ex is None or ex == "threads":
            self._pool, self._owned = ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix="scratchml-cv"), True
        elif ex == "processes":
            self._token = uuid.uuid4().hex
            self._pool, self._owned = ProcessPoolExecutor(
                max_workers=workers, initializer=_install_shared,
                initargs=(self._token, self.shared)), True
        else:
            self._pool, self._owned = ex, False
            client = _dask_client(ex)
            if client is not None and self.shared:
                # hash=False: unique keys per search. With content-hashed keys, a search that
                # scatters an object equal to one a finished search is releasing (the
                # same unfitted estimator, say) races with that release and its tasks
                # are cancelled.
                self._remote_shared = tuple(
                    client.scatter(list(self.shared), broadcast=True, hash=False))

    def map(self, func, tasks: list[tuple]) -> list:
        """``[func(*shared, *args) for args in tasks]``, results in task order."""
        tasks = list(tasks)
        if self.serial or (len(tasks) <= 1 and self._pool is None):
            return [func(*self.shared, *args) for args in tasks]
        self._start(len(tasks))
        config = get_config()
        # Tasks never start executors of their own from inside a worker.
        inner = {"backend": config["backend"], "n_jobs": config["n_jobs"], "executor": None}
        if self._token is not None:
            futures = [self._pool.submit(_call_shared, inner, self._token, func, args)
                       for args in tasks]
        else:
            shared = self._remote_shared if self._remote_shared is not None else self.shared
            futures = [self._pool.submit(_call_with_config, inner, func, (*shared, *args))
                       for args in tasks]
        return [f.result() for f in futures]


def run_tasks(func, tasks: list[tuple], n_jobs=None, *, shared: tuple = (),
              executor=None) -> list:
    """``[func(*shared, *args) for args in tasks]``, in parallel per the module rule above."""
    with TaskRunner(n_jobs, executor, shared) as runner:
        return runner.map(func, tasks)
