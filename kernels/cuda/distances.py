"""Numba CUDA twin of the ``sqeuclidean_argmin`` kernel: the nearest centre on a GPU.

NumPy reference: ``scratchml.metrics._pairwise._sqeuclidean_argmin_numpy``.

For a row x of X and centres c_j (the rows of C), the nearest centre minimises

    ||x - c_j||^2 = ||x||^2 - 2 x.c_j + ||c_j||^2,

and ||x||^2 is the same for every j, so the GPU only computes, for each row,

    label = argmin_j d_j,   min_j d_j,   where d_j = ||c_j||^2 - 2 x.c_j.

The host then adds ||x||^2 and clips at 0, exactly as the reference does, so the
two implementations differ only in the order in which each dot product is summed.

Work split
----------
One thread per row of X. Each thread keeps its running ``(best d, its index)``
in registers and never writes the n x k matrix of dot products anywhere. The
rows are walked with a grid-stride loop, so any grid size covers any n.

The kernel reads X in column-major (Fortran) order: the 32 threads of a warp
read the same feature of 32 consecutive rows at the same time, and in that
layout those are 32 consecutive words, one coalesced memory transaction instead
of up to 32. X is copied to the GPU as it is (row-major) and reordered there by
a small kernel: on an H100 that pass costs well under a millisecond for a
million rows, while reordering on the host costs more than the copy itself.

Shared-memory tiling
--------------------
Every thread of a block needs every centre. Rather than each of them fetching
all k x p centre values from global memory, the block copies a *tile* of T
centres and their squared norms into shared memory together (consecutive threads
copy consecutive values, so those loads coalesce), waits at ``syncthreads``, and
then every thread folds the tile into its running minimum. All threads of a warp
read the same shared word at the same moment, which the hardware serves as one
broadcast, free of bank conflicts. A second ``syncthreads`` keeps the next tile
from overwriting one that a slower warp is still reading. T is ``TILE_CENTRES``,
or fewer when T centres of p features would not fit in ``SHARED_MEMORY_BYTES``
(48 KiB, what any block may use without opting in). When p is so large that not
even one centre fits, a plain kernel reads the centres from global memory, where
the L1/L2 caches serve the warp's identical reads.

Ties and precision
------------------
Centres are visited in increasing index order and replace the running best only
when strictly smaller, so the lowest index wins a tie, as with ``numpy.argmin``.
All arithmetic is in X's dtype: float32 input is accumulated in float32 (the
constants below are typed so that Numba never promotes to float64), as the
reference's float32 matrix product does.

Numba compiles one specialisation per argument type, so float32 and float64
each get their own machine code. The kernels are built once per dtype (a shared
array's element type must be a compile-time constant) and cached in ``_KERNELS``.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import cuda

# Centres staged per shared-memory tile. 64 keeps a tile of float64 centres with
# up to 95 features inside 48 KiB; tests lower it to force several tiles.
TILE_CENTRES = 64
# Shared memory one block may use without the opt-in for larger carve-outs.
SHARED_MEMORY_BYTES = 48 * 1024
# 256 threads = 8 warps per block: enough warps to hide memory latency while a
# block's tile is being read, few enough for several blocks per multiprocessor.
THREADS_PER_BLOCK = 256
# The grid-stride loop makes any grid correct; this caps the launch for huge n
# (an H100 has 132 multiprocessors, so 4096 blocks still keep every one busy).
MAX_BLOCKS = 4096

_KERNELS: dict[np.dtype, tuple] = {}


def _build_kernels(dtype: np.dtype):
    """Compile-on-first-launch kernels for one float dtype.

    Returns (argmin_tiled, argmin_untiled, row_sq_norms, to_column_major).
    """
    ftype = numba.from_dtype(dtype)
    # Typed constants: a bare ``2`` or ``math.inf`` would make Numba compute in float64.
    zero = dtype.type(0)
    two = dtype.type(2)
    inf = dtype.type(math.inf)

    @cuda.jit
    def argmin_tiled(X, C, c_sq, tile, labels, best):
        n, p = X.shape
        k = C.shape[0]
        # Dynamic shared memory, sized at launch: tile*p centre values (centre j's
        # features at j*p ... j*p + p - 1), then the tile's squared norms.
        shared = cuda.shared.array(0, dtype=ftype)
        tile_c = shared[: tile * p]
        tile_sq = shared[tile * p : tile * p + tile]
        tid = cuda.threadIdx.x
        n_threads = cuda.blockDim.x
        # Both loops' bounds are the same for every thread of the block (rows past
        # the end are masked with ``active``, not skipped), so every thread reaches
        # every syncthreads, as CUDA requires.
        for block_row in range(cuda.blockIdx.x * n_threads, n, cuda.gridDim.x * n_threads):
            i = block_row + tid
            active = i < n
            best_d = inf
            best_j = 0
            for start in range(0, k, tile):
                count = min(tile, k - start)
                cuda.syncthreads()  # nobody is still reading the previous tile
                for e in range(tid, count * p, n_threads):
                    tile_c[e] = C[start + e // p, e % p]
                for e in range(tid, count, n_threads):
                    tile_sq[e] = c_sq[start + e]
                cuda.syncthreads()  # the whole tile has arrived
                if active:
                    for j in range(count):
                        dot = zero
                        for f in range(p):
                            dot += X[i, f] * tile_c[j * p + f]
                        d = tile_sq[j] - two * dot
                        if d < best_d:  # strict: the first minimum wins
                            best_d = d
                            best_j = start + j
            if active:
                labels[i] = best_j
                best[i] = best_d

    @cuda.jit
    def argmin_untiled(X, C, c_sq, labels, best):
        n, p = X.shape
        k = C.shape[0]
        start = cuda.grid(1)
        for i in range(start, n, cuda.gridsize(1)):
            best_d = inf
            best_j = 0
            for j in range(k):
                dot = zero
                for f in range(p):
                    dot += X[i, f] * C[j, f]
                d = c_sq[j] - two * dot
                if d < best_d:
                    best_d = d
                    best_j = j
            labels[i] = best_j
            best[i] = best_d

    @cuda.jit
    def row_sq_norms(X, out):
        n, p = X.shape
        for i in range(cuda.grid(1), n, cuda.gridsize(1)):
            s = zero
            for f in range(p):
                s += X[i, f] * X[i, f]
            out[i] = s

    @cuda.jit
    def to_column_major(X, out):
        # Consecutive threads write consecutive words of ``out`` (column-major),
        # so the writes coalesce; the strided reads are gathered by the caches.
        n, p = X.shape
        for e in range(cuda.grid(1), n * p, cuda.gridsize(1)):
            i = e % n
            f = e // n
            out[i, f] = X[i, f]

    return argmin_tiled, argmin_untiled, row_sq_norms, to_column_major


def _kernels(dtype) -> tuple:
    dtype = np.dtype(dtype)
    if dtype not in _KERNELS:
        _KERNELS[dtype] = _build_kernels(dtype)
    return _KERNELS[dtype]


def _tile_centres(k: int, p: int, itemsize: int) -> int:
    """Centres per shared-memory tile: at most TILE_CENTRES, k, and what fits (0: none fits)."""
    fits = SHARED_MEMORY_BYTES // ((p + 1) * itemsize)
    return min(TILE_CENTRES, k, fits)


def _grid(n: int) -> int:
    return max(1, min(-(-n // THREADS_PER_BLOCK), MAX_BLOCKS))


def _column_major(X_dev, to_column_major):
    """X_dev itself if it is column-major already, else a column-major copy made on the GPU."""
    if X_dev.flags["F_CONTIGUOUS"]:
        return X_dev
    n, p = X_dev.shape
    out = cuda.device_array((n, p), dtype=X_dev.dtype, order="F")
    to_column_major[_grid(n * p), THREADS_PER_BLOCK](X_dev, out)
    return out


def _on_gpu(a):
    """``a`` as a Numba device array if it already lives on the GPU, else None."""
    if getattr(a, "__cuda_ndarray__", False):  # Numba's own (the simulator's too)
        return a
    if hasattr(a, "__cuda_array_interface__"):  # CuPy, PyTorch, ...: a view, no copy
        return cuda.as_cuda_array(a)
    return None


def sqeuclidean_argmin(X, C, n_jobs=None):
    """Index of and squared distance to the nearest row of C, for each row of X, on a GPU.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float32 or float64
        NumPy array, or a GPU array (any object with ``__cuda_array_interface__``:
        Numba, CuPy, PyTorch), which is not copied to the host; a row-major one
        is reordered into a column-major copy on the GPU (see the module docstring).
    C : ndarray of shape (n_centres, n_features), same dtype as X
        NumPy or GPU array. Its squared norms are computed on the host, so a GPU
        array C is copied back once (C is small next to X in k-means).
    n_jobs : ignored
        Present for the common kernel signature; the GPU decides its own parallelism.

    Returns
    -------
    labels : ndarray of shape (n_samples,), dtype intp
        ``argmin_j ||x - c_j||^2``, lowest index on ties.
    min_sqdist : ndarray of shape (n_samples,), dtype of X
        ``||x||^2 + min_j (||c_j||^2 - 2 x.c_j)``, clipped at 0.

    Both results are NumPy arrays on the host, also for GPU inputs. For a NumPy X,
    ||x||^2 is ``np.einsum`` on the host, as in the reference; for a GPU X it is
    summed on the GPU, feature by feature, which may differ in the last bits.
    """
    X_dev = _on_gpu(X)
    x_on_gpu = X_dev is not None
    if not x_on_gpu:
        X_dev = cuda.to_device(np.ascontiguousarray(X))
    C_dev = _on_gpu(C)
    if C_dev is not None:
        C_host = C_dev.copy_to_host()
    else:
        C_host = np.ascontiguousarray(C)
        C_dev = cuda.to_device(C_host)
    dtype = np.dtype(X_dev.dtype)
    if dtype not in (np.float32, np.float64) or C_host.dtype != dtype:
        raise ValueError(
            f"X and C must share one float dtype, float32 or float64; got {dtype} and "
            f"{C_host.dtype}. Convert one with .astype()."
        )
    n, p = X_dev.shape
    k = C_host.shape[0]
    if k == 0:
        raise ValueError("C has no rows: at least one centre is needed.")
    if C_host.shape[1] != p:
        raise ValueError(f"X has {p} features but C has {C_host.shape[1]}.")
    labels = np.zeros(n, dtype=np.intp)
    best = np.empty(n, dtype=dtype)
    if n == 0:
        return labels, best

    argmin_tiled, argmin_untiled, row_sq_norms, to_column_major = _kernels(dtype)
    X_dev = _column_major(X_dev, to_column_major)
    c_sq = cuda.to_device(np.einsum("ij,ij->i", C_host, C_host))
    labels_dev = cuda.device_array(n, dtype=np.intp)
    best_dev = cuda.device_array(n, dtype=dtype)
    blocks = _grid(n)
    tile = _tile_centres(k, p, dtype.itemsize)
    if tile > 0:
        shared_bytes = tile * (p + 1) * dtype.itemsize
        argmin_tiled[blocks, THREADS_PER_BLOCK, 0, shared_bytes](
            X_dev, C_dev, c_sq, tile, labels_dev, best_dev
        )
    else:
        argmin_untiled[blocks, THREADS_PER_BLOCK](X_dev, C_dev, c_sq, labels_dev, best_dev)
    if x_on_gpu:
        x_sq_dev = cuda.device_array(n, dtype=dtype)
        row_sq_norms[blocks, THREADS_PER_BLOCK](X_dev, x_sq_dev)
        x_sq = x_sq_dev.copy_to_host()
    else:
        x_sq = np.einsum("ij,ij->i", X, X)
    labels_dev.copy_to_host(labels)
    best_dev.copy_to_host(best)
    best += x_sq
    np.maximum(best, 0, out=best)
    return labels, best
