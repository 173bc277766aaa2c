"""Numba CUDA twin of the ``knn_topk`` kernel: the k nearest training rows on a GPU.

NumPy reference: ``scratchml.neighbors._topk._knn_topk_numpy``. For each query
row q it returns the indices of the k training rows x_j of smallest

    v_j = ||x_j||² − 2 q·x_j    (the squared distance minus ||q||², same order),

sorted by (v, index), so equal values keep the lower index first.

Work split
----------
One thread per query row, grid-stride over the rows. The thread walks the
training rows in increasing index order, computes v_j in float64 (features in
order), and keeps its k best (value, index) pairs sorted in a thread-local array
(registers/local memory). A value enters only if strictly smaller than the k-th
best and slides in after equal values, which is the reference's tie rule. No
n_q x n_x matrix is ever written. Training rows are read through the cache by
the whole warp at the same moment (the same x_j for 32 queries: a broadcast);
the query row is read once per training row from L1.

Numba needs the local array's size at compile time, so a kernel is compiled per
k (cached in ``_KERNELS``).

Speed it is designed for
------------------------
The n_q n_x p multiply-adds dominate, in float64: an H100 (~60 TFLOP/s FP64)
does the benchmark's 10,000 x 10,000 x 50 (10 GFLOP) in well under 10 ms of
arithmetic; the insertion costs one comparison for most j. For large k (hundreds)
the local lists spill to local memory and the kernel slows down; tiled dot
products in shared memory would be the next step. Run it on a real GPU with
``scratchml.config_context(backend="cuda")`` around ``kneighbors``/``predict``
(numba-cuda and an NVIDIA driver needed), or ``benchmarks/gpu_check.sh``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import cuda

# 128 threads (4 warps): each thread holds k (value, index) pairs, so smaller
# blocks than distances.py leave registers for them. Tests lower it.
THREADS_PER_BLOCK = 128
MAX_BLOCKS = 4096

_KERNELS: dict[int, object] = {}


def _build(k: int):
    inf = math.inf

    @cuda.jit
    def topk(Q, X, xx, exclude_self, out):
        n_q, p = Q.shape
        n_x = X.shape[0]
        vals = cuda.local.array(k, dtype=np.float64)
        idx = cuda.local.array(k, dtype=np.int64)
        for i in range(cuda.grid(1), n_q, cuda.gridsize(1)):
            count = 0
            for t in range(k):
                vals[t] = inf
                idx[t] = 0
            for j in range(n_x):
                if exclude_self and j == i:
                    continue
                dot = 0.0
                for f in range(p):
                    dot += Q[i, f] * X[j, f]
                v = xx[j] - 2.0 * dot
                if count == k:
                    if not (v < vals[k - 1]):
                        continue
                    t = k - 1
                else:
                    t = count
                    count += 1
                # Slide larger values right; equal ones stay first (lower index).
                while t > 0 and vals[t - 1] > v:
                    vals[t] = vals[t - 1]
                    idx[t] = idx[t - 1]
                    t -= 1
                vals[t] = v
                idx[t] = j
            for t in range(k):
                out[i, t] = idx[t]

    return topk


def knn_topk(Q, X, k, exclude_self=False, n_jobs=None):
    """Indices of the k nearest rows of X for each row of Q, sorted by (v, index).

    Parameters
    ----------
    Q : ndarray of shape (n_queries, n_features), float64
    X : ndarray of shape (n_train, n_features), float64
    k : int, 1 <= k <= n_train (minus one with ``exclude_self``)
    exclude_self : bool
        Q is X: query i never returns training row i.
    n_jobs : ignored (the GPU decides its own parallelism)

    Returns
    -------
    ndarray of shape (n_queries, k), intp, on the host.
    """
    Q = np.ascontiguousarray(Q, dtype=np.float64)
    X = np.ascontiguousarray(X, dtype=np.float64)
    n_q, n_x = len(Q), len(X)
    k = int(k)
    if k < 1 or k + int(bool(exclude_self)) > n_x:
        raise ValueError(f"k={k} must be between 1 and the number of training rows ({n_x}).")
    if Q.shape[1] != X.shape[1]:
        raise ValueError(f"Q has {Q.shape[1]} features but X has {X.shape[1]}.")
    out = np.empty((n_q, k), dtype=np.intp)
    if n_q == 0:
        return out
    if k not in _KERNELS:
        _KERNELS[k] = _build(k)
    xx = cuda.to_device(np.einsum("ij,ij->i", X, X))
    out_dev = cuda.device_array((n_q, k), dtype=np.intp)
    blocks = max(1, min(-(-n_q // THREADS_PER_BLOCK), MAX_BLOCKS))
    _KERNELS[k][blocks, THREADS_PER_BLOCK](cuda.to_device(Q), cuda.to_device(X), xx,
                                           bool(exclude_self), out_dev)
    out_dev.copy_to_host(out)
    return out
