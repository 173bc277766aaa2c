"""Numba CUDA twin of the ``hist_build`` kernel: gradient histograms on a GPU.

NumPy reference: ``scratchml.ensemble._hist_kernels._hist_build_numpy``. For
every feature f and bin b of a node's samples,

    hist[f, b] = (sum of g_i, sum of h_i, count)  over samples i with bin(x_if) = b.

Work split
----------
The grid is (n_features, n_chunks): block (f, c) takes feature f and the c-th
chunk of the node's samples. Its threads walk the chunk with a stride of the
block size (consecutive threads read consecutive samples, so the reads of
indices and gradients coalesce; bin codes are stored column by column, so a
feature's codes are contiguous too) and add each sample to a private
histogram of 256 x 3 doubles in *shared memory* with atomic adds: collisions
between the threads of one block are cheap there, and global memory sees only
one atomic add per non-empty bin per block when the block flushes its
histogram at the end.

Determinism
-----------
Atomic adds land in whatever order the threads arrive, so float sums may differ
from the reference in the last bits from run to run; with integer-valued
gradients (exact in float64) the result is exact. Counts are always exact.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

N_BINS = 256
# Values of one feature's histogram: (g, h, count) per bin. A module constant, so
# that Numba sees the shared array's shape as a compile-time constant.
HIST_VALUES = 3 * N_BINS
# 256 threads = 8 warps: enough to hide latency, and 6 KiB of shared memory per block.
THREADS_PER_BLOCK = 256
# Samples per block: large enough that flushing the shared histogram (768 values)
# is a small part of a block's work.
SAMPLES_PER_BLOCK = 8192


@cuda.jit
def _hist_kernel(X_binned, idx, use_idx, g, h, use_h, n, out):
    f = cuda.blockIdx.x
    chunk = cuda.blockIdx.y
    tid = cuda.threadIdx.x
    local = cuda.shared.array(HIST_VALUES, dtype=np.float64)
    for e in range(tid, HIST_VALUES, cuda.blockDim.x):
        local[e] = 0.0
    cuda.syncthreads()
    start = chunk * SAMPLES_PER_BLOCK
    stop = min(start + SAMPLES_PER_BLOCK, n)
    for i in range(start + tid, stop, cuda.blockDim.x):
        row = idx[i] if use_idx else i
        b = np.int64(X_binned[row, f])  # uint8 arithmetic would overflow at 3 * b
        cuda.atomic.add(local, 3 * b, np.float64(g[i]))
        if use_h:
            cuda.atomic.add(local, 3 * b + 1, np.float64(h[i]))
        cuda.atomic.add(local, 3 * b + 2, 1.0)
    cuda.syncthreads()
    for e in range(tid, HIST_VALUES, cuda.blockDim.x):
        v = local[e]
        if v != 0.0:
            cuda.atomic.add(out, (f, e // 3, e % 3), v)


def hist_build(X_binned, sample_indices, gradients, hessians, n_jobs=None):
    """Histogram of a node's samples, shape (n_features, 256, 3), float64, on a GPU.

    Same arguments as the reference; ``n_jobs`` is ignored (the GPU decides its
    own parallelism). The node's gradients are gathered on the host, so only
    the node's values (and all bin codes, once per call) cross the bus.
    """
    n_samples, n_features = X_binned.shape
    if sample_indices is None:
        idx = np.zeros(1, dtype=np.intp)
        g, h = gradients, hessians
        n = n_samples
    else:
        idx = np.ascontiguousarray(sample_indices, dtype=np.intp)
        g = gradients[idx]
        h = None if hessians is None else hessians[idx]
        n = len(idx)
    hist = np.zeros((n_features, N_BINS, 3), dtype=np.float64)
    if n == 0 or n_features == 0:
        return hist
    g = np.ascontiguousarray(g)
    h_arr = np.zeros(1, dtype=g.dtype) if h is None else np.ascontiguousarray(h)
    out = cuda.to_device(hist)
    grid = (n_features, -(-n // SAMPLES_PER_BLOCK))
    _hist_kernel[grid, THREADS_PER_BLOCK](
        cuda.to_device(np.asfortranarray(X_binned)), cuda.to_device(idx),
        sample_indices is not None, cuda.to_device(g), cuda.to_device(h_arr),
        h is not None, n, out)
    out.copy_to_host(hist)
    if hessians is None:
        hist[:, :, 1] = hist[:, :, 2]
    return hist
