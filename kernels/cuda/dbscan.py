"""Numba CUDA twin of the ``radius_count`` kernel: DBSCAN's neighbourhood sizes on a GPU.

NumPy reference: ``scratchml.cluster._dbscan._radius_count_numpy``. For every row
x_i of X it counts the rows x_j (itself included) that pass the reference's
decision, the exact-difference test in float64,

    Σ_f (x_if − x_jf)² ≤ fl(ε²)      (features in order, each operation rounded),

so the counts equal the reference's bit for bit. The GPU has the arithmetic to
spare, so it applies that test to every pair instead of filtering with dot
products first as the CPU backends do. The square and the sum use libdevice's
``dmul_rn``/``dadd_rn``: a plain ``acc += t * t`` may be contracted into one
fused multiply-add by the GPU compiler, which rounds once instead of twice and
can flip a pair lying at exactly ε. A count ≥ min_samples makes x_i a core
point (unweighted DBSCAN), the step that costs n² p.

Work split
----------
One thread per row i (grid-stride); the thread walks j = 0..n−1 in order and
adds 1 when the test passes. No n x n block and no neighbour list is stored, so
memory is O(n). The rows of X are read through the cache by the whole warp at
the same moment (the same x_j for 32 rows: a broadcast), and the thread's own
row comes from L1. Counts are integers, so the result is exact and independent
of the launch configuration.

Speed it is designed for
------------------------
n² p float64 subtract/multiply/adds: for 20,000 x 10 (the DBSCAN benchmark) that
is 12 GFLOP, a few milliseconds on an H100's float64 units. For
the neighbour lists themselves (border points and cluster links) DBSCAN still
needs the CPU pass; counting first lets a GPU run decide the core points.
Run it on a real GPU with numba-cuda installed and
``scratchml._backend.get_kernel("radius_count", backend="cuda")``, or through
``benchmarks/gpu_check.sh`` (its tests run with ``NUMBA_ENABLE_CUDASIM=0``).
"""

from __future__ import annotations

import numpy as np
from numba import config, cuda
from numba.cuda import libdevice

if config.ENABLE_CUDASIM:
    # The simulator runs the kernel as Python, whose float arithmetic is never fused
    # (and its libdevice entries are stubs).
    def _mul_rn(a, b):
        return a * b

    def _add_rn(a, b):
        return a + b
else:
    _mul_rn, _add_rn = libdevice.dmul_rn, libdevice.dadd_rn

THREADS_PER_BLOCK = 256
MAX_BLOCKS = 4096


@cuda.jit
def _count(X, eps2, counts):
    n, p = X.shape
    for i in range(cuda.grid(1), n, cuda.gridsize(1)):
        c = 0
        for j in range(n):
            acc = 0.0
            for f in range(p):
                t = X[i, f] - X[j, f]
                acc = _add_rn(acc, _mul_rn(t, t))  # never fused into an FMA
            if acc <= eps2:
                c += 1
        counts[i] = c


def radius_count(X, eps, n_jobs=None):
    """Number of rows of X within distance ``eps`` of each row (itself included), on a GPU.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64
    eps : float > 0
    n_jobs : ignored (the GPU decides its own parallelism)

    Returns
    -------
    counts : ndarray of shape (n_samples,), intp, on the host
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    n = X.shape[0]
    counts = np.zeros(n, dtype=np.intp)
    if n == 0:
        return counts
    counts_dev = cuda.device_array(n, dtype=np.intp)
    blocks = max(1, min(-(-n // THREADS_PER_BLOCK), MAX_BLOCKS))
    eps = float(eps)
    _count[blocks, THREADS_PER_BLOCK](cuda.to_device(X), eps * eps, counts_dev)
    counts_dev.copy_to_host(counts)
    return counts
