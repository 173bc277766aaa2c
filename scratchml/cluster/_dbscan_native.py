"""Cython twin of the ``radius_count`` kernel, and the neighbour lists DBSCAN.fit needs.

The compiled part (``kernels/cython/_radius.pyx``) handles one range of rows; this
adapter builds the reference's filter once (``_dbscan._euclidean_filter``: the
points [x, −‖x‖²/2] and the band [lo, hi) per row), packs the points column-major in
blocks of ``BLOCK`` (zero padding, masked off by the kernel) and splits the rows
between threads in ranges of equal work. Each pair i < j is tested once; what a
range adds to other ranges' rows goes to private count arrays (summed as integers)
or to list slots fixed by the counting pass, so counts and lists are identical for
any thread count. Importing this module fails
if the extension was not built, which is how the backend registry learns that the
Cython backend is unavailable.
"""

from __future__ import annotations

import numpy as np

from .._cython import _radius
from ..utils._parallel import row_ranges, run_ranges
from ._dbscan import _euclidean_filter


def _as_float(X: np.ndarray) -> np.ndarray:
    # float32 is read as is by the exact test (converted exactly); the rest as float64.
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    return np.ascontiguousarray(X)


def _prepare(X: np.ndarray, eps: float) -> tuple:
    """``(X, Xq, packed, lo, hi, eps²)``: the kernel's arguments besides the rows."""
    X = _as_float(X)
    Xq, Y, lo, hi = _euclidean_filter(X.astype(np.float64, copy=False), eps)
    n, pf = Y.shape
    n_blocks = -(-n // _radius.BLOCK)
    padded = np.zeros((n_blocks * _radius.BLOCK, pf))
    padded[:n] = Y
    packed = np.ascontiguousarray(padded.reshape(n_blocks, _radius.BLOCK, pf).transpose(0, 2, 1))
    return X, np.ascontiguousarray(Xq), packed, lo, hi, eps * eps


def _balanced_ranges(n: int, n_jobs) -> list[tuple[int, int]]:
    """As many ranges as ``row_ranges`` gives, of equal work for half-pair passes.

    Row i tests the n − i points after it, so equal work means equal triangle area:
    bounds at n(1 − √(1 − k/T)), not at n·k/T.
    """
    n_ranges = len(row_ranges(n, n_jobs))
    bounds = [round(n * (1 - np.sqrt(1 - k / n_ranges))) for k in range(n_ranges + 1)]
    return [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def _half_counts(args: tuple, n: int, ranges) -> tuple[np.ndarray, dict]:
    """``own`` (pairs i < j counted at i) and, per range start, its ``other`` array."""
    own = np.zeros(n, dtype=np.intp)
    other = {start: np.zeros(n, dtype=np.intp) for start, _ in ranges}

    def work(start, stop):
        _radius.count_upper(*args, start, stop, own, other[start])

    run_ranges(work, ranges)
    return own, other


def radius_count(X: np.ndarray, eps: float, n_jobs=None) -> np.ndarray:
    """|N(i)| for every row of X (itself included): the rows x_j with ‖x_i − x_j‖ ≤ ε.

    Same decision as the NumPy reference (``_dbscan._radius_count_numpy``), so the
    same counts for every input: the exact-difference test Σ_k (x_ik − x_jk)² ≤ ε²,
    in float64, left to right, which a filter settles for all pairs not within
    rounding of ε. Each pair is tested once and counted for both ends.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float32 or float64
    eps : float > 0
    n_jobs : int or None
        Threads (None: the configured default); the counts do not depend on it.

    Returns
    -------
    counts : ndarray of shape (n_samples,), intp

    Examples
    --------
    >>> import numpy as np
    >>> radius_count(np.array([[0.0], [1.0], [3.0]]), 1.0)
    array([2, 2, 1])
    """
    n = X.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    ranges = _balanced_ranges(n, n_jobs)
    own, other = _half_counts(_prepare(X, float(eps)), n, ranges)
    # Integer sums: the same total for any split into ranges.
    return own + sum(other.values()) + 1  # every point is its own neighbour


def counts_and_lists(X: np.ndarray, eps: float, select, n_jobs=None):
    """Counts of every row, then the neighbour lists of the rows ``select(counts)`` picks.

    Both passes test each pair i < j once. The list of a picked row i is laid out as
    [neighbours j < i | i | neighbours j > i]; the counting pass says how many of
    the j < i each range of rows contributes, so every range writes its own part of
    every list, in increasing order, without locks, and the result is the same for
    any number of threads.

    Returns ``counts`` (n,), and CSR ``indptr`` (n + 1,), ``indices``: the lists of
    the picked rows, increasing; every other row's list is empty.
    """
    n = X.shape[0]
    indptr = np.zeros(n + 1, dtype=np.intp)
    if n == 0:
        return np.zeros(0, dtype=np.intp), indptr, np.zeros(0, dtype=np.intp)
    args = _prepare(X, float(eps))
    ranges = _balanced_ranges(n, n_jobs)
    own, other = _half_counts(args, n, ranges)
    lower = sum(other.values())
    counts = own + lower + 1
    need = np.asarray(select(counts), dtype=bool)
    np.cumsum(np.where(need, counts, 0), out=indptr[1:])
    indices = np.empty(indptr[-1], dtype=np.intp)
    picked = np.flatnonzero(need)
    indices[indptr[picked] + lower[picked]] = picked  # each row is its own neighbour
    up_cur = indptr[:-1] + lower + 1
    low = {}
    before = indptr[:-1].copy()
    for start, _ in ranges:  # ranges in row order: their parts of j's list in i order
        low[start] = (before.copy(), before + other[start])
        before += other[start]
    need8 = need.view(np.uint8)

    def work(start, stop):
        cur, end = low[start]
        _radius.lists_upper(*args, start, stop, need8, up_cur, indptr[1:], cur, end, indices)

    run_ranges(work, ranges)
    # Every slot written: the passes agreed (they make the same decisions).
    full = np.array_equal(up_cur[need], indptr[1:][need]) and all(
        np.array_equal(cur[need], end[need]) for cur, end in low.values())
    if not full:
        raise RuntimeError("radius kernel: the list pass disagreed with the counting pass")
    return counts, indptr, indices
