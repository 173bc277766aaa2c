"""The fused Lloyd step: assign every row to its nearest centre and sum the clusters, one pass.

Kernel ``"lloyd_step"``. For rows x_i with weights w_i and centres c_j it returns

    label_i  = argmin_j ||x_i − c_j||²             (lowest j on ties, as numpy.argmin)
    sums_j   = Σ_{i: label_i = j} w_i x_i          (float64)
    counts_j = Σ_{i: label_i = j} w_i              (float64)
    inertia  = Σ_i w_i min_j ||x_i − c_j||²        (float64; distances in X's dtype)

so that the next centres are ``sums_j / counts_j``. Distances use the expansion
||x||² − 2 x·c + ||c||² (one matrix product per chunk), clipped at 0, exactly as
the ``"sqeuclidean_argmin"`` kernel does, so both give the same labels.

Why fused: for a few centres the assignment costs about as much as reading X,
and so does a separate accumulation pass; doing both while a chunk of rows is in
cache reads X from memory once per iteration instead of twice (for small k one
Lloyd iteration is bound by memory bandwidth, not arithmetic).

Signature of every implementation (NumPy here, Cython ``kernels/cython/_lloyd.pyx``
through ``_lloyd_native.py``, CUDA ``kernels/cuda/lloyd.py``)::

    kernel(X, C, w, n_jobs=None) -> (labels: intp[n], sums: float64[k, p],
                                     counts: float64[k], inertia: float)

X, C and w are C-contiguous and share one float dtype (float32 or float64),
already validated. The native twins sum fixed chunks of rows into per-chunk
partial sums and add the partials in chunk order, so their results do not depend
on the number of threads.
"""

from __future__ import annotations

import numpy as np

from .._backend import register

# Rows per chunk: one chunk's n_rows x k block of distances holds at most this
# many values (8 MiB in float64), as in the sqeuclidean_argmin reference.
_CHUNK_VALUES = 1 << 20


def _lloyd_step_numpy(X: np.ndarray, C: np.ndarray, w: np.ndarray, n_jobs=None):
    """NumPy reference: per chunk, GEMM-trick distances, argmin, then per-cluster sums."""
    n, p = X.shape
    k = C.shape[0]
    if k == 0:
        raise ValueError("C has no rows: at least one centre is needed.")
    labels = np.empty(n, dtype=np.intp)
    sums = np.zeros((k, p), dtype=np.float64)
    counts = np.zeros(k, dtype=np.float64)
    inertia = 0.0
    c_sq = np.einsum("ij,ij->i", C, C)
    chunk = max(1, _CHUNK_VALUES // k)
    for start in range(0, n, chunk):
        Xc, wc = X[start:start + chunk], w[start:start + chunk]
        # d_ij = ||c_j||² − 2 x_i·c_j; ||x_i||² does not change the argmin.
        d = Xc @ C.T
        d *= -2
        d += c_sq
        lab = np.argmin(d, axis=1)
        labels[start:start + chunk] = lab
        best = np.take_along_axis(d, lab[:, None], axis=1)[:, 0]
        best += np.einsum("ij,ij->i", Xc, Xc)
        np.maximum(best, 0, out=best)
        inertia += float(best.astype(np.float64) @ wc)
        # Per-cluster sums without a per-row loop: sort the chunk's rows by
        # label, then add each run of equal labels with one reduceat.
        order = np.argsort(lab, kind="stable")
        sorted_lab = lab[order]
        starts = np.flatnonzero(np.r_[True, sorted_lab[1:] != sorted_lab[:-1]])
        present = sorted_lab[starts]
        weighted = Xc[order].astype(np.float64) * wc[order, None]
        sums[present] += np.add.reduceat(weighted, starts, axis=0)
        counts += np.bincount(lab, weights=wc.astype(np.float64), minlength=k)
    return labels, sums, counts, inertia


register("lloyd_step", "numpy", _lloyd_step_numpy)
register("lloyd_step", "cython", "scratchml.cluster._lloyd_native:lloyd_step")
register("lloyd_step", "cuda", "scratchml._cuda.lloyd:lloyd_step")
