"""Numba CUDA twin of the ``lloyd_step`` kernel: one fused Lloyd step on a GPU.

NumPy reference: ``scratchml.cluster._lloyd._lloyd_step_numpy``. For rows x_i
with weights w_i and centres c_j it returns the nearest centre of every row and,
per cluster, Σ w_i x_i, Σ w_i, and the inertia Σ w_i ||x_i − c_label||².

Work split (one kernel launch does both halves of the step)
-----------------------------------------------------------
A block of T threads walks the rows in tiles of T (grid-stride, so any grid
covers any n):

1. *assign*: thread t takes row i = tile + t, computes d_j = ||c_j||² − 2 x·c_j
   for every centre (in increasing j; strictly smaller wins, so the lowest index
   wins ties, as ``numpy.argmin``) and ||x||² in the same pass over the row, and
   writes the label and the clipped distance ||x||² + min d to global memory;
2. ``syncthreads`` (after it, the block sees every label of the tile);
3. *accumulate*: thread t now owns feature f = t (t + T, ...) and adds
   w_i x_if for the tile's rows, in row order, into its block's partial sums
   ``part[b, label_i, f]``; consecutive threads touch consecutive features, so
   the reads of X (row-major) and the writes of ``part`` are coalesced, and the
   tile was just read in step 1, so it comes from L1/L2, not from HBM.

Each (block, feature) column of ``part`` has exactly one writer, which adds its
rows in a fixed order, and no atomics are used: a second small kernel then adds
the blocks' partials in block order. The grid size depends on n and the module
constants only, so results are bitwise reproducible run to run and identical to
themselves on any GPU. Sums, counts and inertia are float64 (float32 rows are
widened as they are added), as in the reference.

Speed it is designed for
------------------------
One pass over X per Lloyd iteration, with the centres (k x p) read through the
cache by every thread, which all read the same centre at the same time (a
broadcast). For small k the step is bound by reading X: about 3 TB/s on an
H100, i.e. well under a millisecond per iteration for 1,000,000 x 50 float32.
For large k (hundreds) the assignment's k p multiply-adds per row dominate and
the kernel runs near the untiled ``sqeuclidean_argmin`` speed; the tiled
shared-memory variant of ``distances.py`` would be the next step. The
accumulation phase uses min(T, p) threads of each block, which is fine for the
tens of features k-means usually sees.

Running on a real GPU: ``pip install 'scratchml[cuda]'`` (numba-cuda) on a
machine with an NVIDIA driver, then ``scratchml.config_context(backend="cuda")``
(``KMeans`` picks the kernel up), or ``benchmarks/gpu_check.sh``, which runs the
CUDA tests with ``NUMBA_ENABLE_CUDASIM=0``.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import cuda

# 256 threads = 8 warps: enough to hide memory latency, several blocks per SM.
THREADS_PER_BLOCK = 256
# Blocks, and thus partial-sum slabs (MAX_BLOCKS x k x p float64): 264 keeps an
# H100's 132 multiprocessors busy with two blocks each. Tests lower it.
MAX_BLOCKS = 264

_KERNELS: dict[np.dtype, tuple] = {}


def _build_kernels(dtype: np.dtype):
    """Compile-on-first-launch kernels for one float dtype: (fused_step, reduce_blocks)."""
    zero = dtype.type(0)
    two = dtype.type(2)
    inf = dtype.type(math.inf)
    f64 = numba.float64

    @cuda.jit
    def fused_step(X, C, c_sq, w, labels, dist, part_sums, part_counts, part_inertia):
        n, p = X.shape
        k = C.shape[0]
        tid = cuda.threadIdx.x
        n_threads = cuda.blockDim.x
        b = cuda.blockIdx.x
        # Each block zeroes its own slab of partials (k*p sums, k counts, 1 inertia).
        for e in range(tid, k * p, n_threads):
            part_sums[b, e] = 0.0
        for e in range(tid, k, n_threads):
            part_counts[b, e] = 0.0
        if tid == 0:
            part_inertia[b] = 0.0
        # Loop bounds are the same for every thread of the block, so all of them
        # reach every syncthreads (rows past the end are masked, not skipped).
        for tile in range(b * n_threads, n, cuda.gridDim.x * n_threads):
            i = tile + tid
            if i < n:
                best_d = inf
                best_j = 0
                x_sq = zero
                for f in range(p):
                    x_sq += X[i, f] * X[i, f]
                for j in range(k):
                    dot = zero
                    for f in range(p):
                        dot += X[i, f] * C[j, f]
                    d = c_sq[j] - two * dot
                    if d < best_d:  # strict: the first minimum wins
                        best_d = d
                        best_j = j
                labels[i] = best_j
                d = x_sq + best_d
                dist[i] = d if d > zero else zero
            cuda.syncthreads()  # this tile's labels are visible to the whole block
            rows = min(n_threads, n - tile)
            for f in range(tid, p, n_threads):
                for r in range(rows):
                    i = tile + r
                    part_sums[b, labels[i] * p + f] += f64(w[i]) * f64(X[i, f])
            if tid == 0:
                for r in range(rows):
                    i = tile + r
                    part_counts[b, labels[i]] += f64(w[i])
                    part_inertia[b] += f64(w[i]) * f64(dist[i])
            cuda.syncthreads()  # done with this tile's labels before the next tile

    @cuda.jit
    def reduce_blocks(part, out):
        # One thread per column, adding the blocks' partials in block order.
        n_blocks, m = part.shape
        for e in range(cuda.grid(1), m, cuda.gridsize(1)):
            s = 0.0
            for b in range(n_blocks):
                s += part[b, e]
            out[e] = s

    return fused_step, reduce_blocks


def _kernels(dtype) -> tuple:
    dtype = np.dtype(dtype)
    if dtype not in _KERNELS:
        _KERNELS[dtype] = _build_kernels(dtype)
    return _KERNELS[dtype]


def lloyd_step(X, C, w, n_jobs=None):
    """One fused Lloyd step on the GPU: labels, per-cluster sums and weights, inertia.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float32 or float64
    C : ndarray of shape (n_clusters, n_features), same dtype
    w : ndarray of shape (n_samples,), same dtype
    n_jobs : ignored (the GPU decides its own parallelism)

    Returns
    -------
    labels : ndarray of shape (n_samples,), intp
    sums : ndarray of shape (n_clusters, n_features), float64
    counts : ndarray of shape (n_clusters,), float64
    inertia : float

    All results are NumPy arrays on the host.
    """
    X = np.ascontiguousarray(X)
    C = np.ascontiguousarray(C)
    w = np.ascontiguousarray(w)
    dtype = X.dtype
    if dtype not in (np.float32, np.float64) or C.dtype != dtype or w.dtype != dtype:
        raise ValueError(
            f"X, C and w must share one float dtype, float32 or float64; got {dtype}, "
            f"{C.dtype} and {w.dtype}. Convert with .astype()."
        )
    n, p = X.shape
    k = C.shape[0]
    if k == 0:
        raise ValueError("C has no rows: at least one centre is needed.")
    if C.shape[1] != p or w.shape != (n,):
        raise ValueError(f"X is {X.shape}, C {C.shape} and w {w.shape}: they do not match.")
    if n == 0 or p == 0:
        from scratchml.cluster._lloyd import _lloyd_step_numpy

        return _lloyd_step_numpy(X, C, w)
    fused_step, reduce_blocks = _kernels(dtype)
    threads = THREADS_PER_BLOCK
    blocks = max(1, min(-(-n // threads), MAX_BLOCKS))
    X_dev, C_dev, w_dev = cuda.to_device(X), cuda.to_device(C), cuda.to_device(w)
    c_sq = cuda.to_device(np.einsum("ij,ij->i", C, C))
    labels_dev = cuda.device_array(n, dtype=np.intp)
    dist_dev = cuda.device_array(n, dtype=dtype)
    part_sums = cuda.device_array((blocks, k * p), dtype=np.float64)
    part_counts = cuda.device_array((blocks, k), dtype=np.float64)
    part_inertia = cuda.device_array(blocks, dtype=np.float64)
    fused_step[blocks, threads](X_dev, C_dev, c_sq, w_dev, labels_dev, dist_dev,
                                part_sums, part_counts, part_inertia)
    sums_dev = cuda.device_array(k * p, dtype=np.float64)
    reduce_blocks[max(1, min(-(-(k * p) // threads), MAX_BLOCKS)), threads](part_sums, sums_dev)
    # Counts and inertia are tiny (blocks x k): add them on the host, in block order.
    counts = np.add.reduce(part_counts.copy_to_host(), axis=0)
    inertia = float(np.add.reduce(part_inertia.copy_to_host()))
    return (labels_dev.copy_to_host(), sums_dev.copy_to_host().reshape(k, p), counts, inertia)
