"""Threads over ``nogil`` native kernels.

Native kernels release the GIL, so plain Python threads run them in parallel.
Work is split into contiguous row ranges; each row's result never depends on
which range it falls in, so results are identical for any thread count.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from .._config import effective_n_jobs

_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def _get_pool(n_threads: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < n_threads:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=n_threads, thread_name_prefix="scratchml")
            _pool_size = n_threads
        return _pool


def row_ranges(n_rows: int, n_jobs=None, min_rows: int = 2048) -> list[tuple[int, int]]:
    """Split ``range(n_rows)`` into at most ``effective_n_jobs(n_jobs)`` contiguous ranges."""
    n_threads = max(1, min(effective_n_jobs(n_jobs), n_rows // max(min_rows, 1)))
    bounds = [n_rows * i // n_threads for i in range(n_threads + 1)]
    return [(bounds[i], bounds[i + 1]) for i in range(n_threads)]


def run_ranges(func, ranges: list[tuple[int, int]]) -> None:
    """Call ``func(start, stop)`` for each range, in threads when there are several."""
    if len(ranges) == 1:
        func(*ranges[0])
        return
    pool = _get_pool(len(ranges))
    futures = [pool.submit(func, start, stop) for start, stop in ranges[1:]]
    func(*ranges[0])  # the calling thread does a share too
    for fut in futures:
        fut.result()
