"""Elkan's k-means: Lloyd's iterations with most distance computations skipped.

Elkan (2003) keeps, for every sample i, an upper bound u_i ≥ ||x_i − c_{a(i)}||
on the distance to its assigned centre and lower bounds l_ij ≤ ||x_i − c_j|| for
every centre, and uses the triangle inequality twice:

* if u_i ≤ s_{a(i)} = ½ min_{j≠a(i)} ||c_{a(i)} − c_j||, no centre can be closer: skip i;
* centre j can only win if u_i ≥ l_ij and u_i ≥ ½ ||c_{a(i)} − c_j||; otherwise skip j.

When centres move by δ_j, the bounds stay valid as u_i += δ_{a(i)} and
l_ij = max(l_ij − δ_j, 0). Only the surviving (sample, centre) pairs are computed,
from differences (no cancellation), so a bound never exceeds the true distance.

Same labels as Lloyd: a row is skipped only when the bounds rule out every other
centre by more than tau_i = 64 eps (||x_i|| + max ||c||)² / u_i, which bounds how
far the rounding of Lloyd's ||x||² − 2x·c + ||c||² can move a comparison; every
other row is relabelled by the very nearest-centre kernel Lloyd uses (lowest
index on ties) and gets fresh bounds to all centres (one GEMM, widened by its
rounding error so that they stay bounds). So from
the same initial centres Elkan visits Lloyd's partitions and ends with Lloyd's
labels, and centres equal up to the summation order of the means. The bound
tests are vectorised over rows and centres (O(n k) per iteration, memory O(n k)
for the lower bounds); only re-examined rows pay the O(k p) distances.

Speed: in NumPy the bookkeeping costs about as much as it saves, so this Elkan
is slower than the fused Cython Lloyd kernel; use it where distances are costly
(many features and centres, well-separated clusters).
"""

from __future__ import annotations

import numpy as np

from .._backend import get_kernel
from ._kmeans_init import inertia, weighted_sums


def _distance_bounds(X, C):
    """Lower and upper bounds on the n x k distances ||x − c||, by one float64 GEMM.

    d² = ||x||² − 2 x·c + ||c||² is off by at most ~eps (||x|| + ||c||)² through
    rounding; widening by 64 times that keeps ``lower <= true <= upper`` (bounds
    only steer the pruning: labels come from the nearest-centre kernel).
    """
    X = X.astype(np.float64, copy=False)
    C = C.astype(np.float64, copy=False)
    x_sq = np.einsum("ij,ij->i", X, X)
    c_sq = np.einsum("ij,ij->i", C, C)
    d2 = X @ C.T
    d2 *= -2
    d2 += x_sq[:, None]
    d2 += c_sq[None, :]
    err = 64 * np.finfo(np.float64).eps * (np.sqrt(x_sq)[:, None] + np.sqrt(c_sq)[None, :]) ** 2
    return np.sqrt(np.maximum(d2 - err, 0.0)), np.sqrt(d2 + err)


def _elkan(X, w, centers, max_iter, tol, verbose=0, n_jobs=None):
    """One Elkan k-means run from ``centers``; returns (labels, inertia, centers, n_iter)."""
    from ._kmeans import _new_centres  # shared M-step (empty-cluster relocation)

    centers = np.ascontiguousarray(centers, dtype=X.dtype)
    k = len(centers)
    kernel, _ = get_kernel("sqeuclidean_argmin")
    x_norm = np.sqrt(np.einsum("ij,ij->i", X, X, dtype=np.float64))
    # Rounding of ||x||² − 2x·c + ||c||² in X's dtype: a few eps (||x|| + ||c||)².
    slack = 64 * float(np.finfo(X.dtype).eps)
    labels = kernel(X, centers, n_jobs=n_jobs)[0]
    lower, up = _distance_bounds(X, centers)
    upper = up[np.arange(len(X)), labels]
    # (w ⊙ X)ᵀ in float64, once: the per-cluster sums are then a GEMM or bincounts.
    XwT = np.ascontiguousarray((X * w[:, None]).T, dtype=np.float64)
    labels_old = np.full(X.shape[0], -1, dtype=np.intp)
    strict = False
    for i in range(max_iter):
        if i > 0:
            labels = labels.copy()  # labels_old keeps the previous partition
            _assign(X, centers, labels, upper, lower, kernel, x_norm, slack)
        sums = weighted_sums(XwT, labels, k)
        counts = np.bincount(labels, weights=w.astype(np.float64), minlength=k)
        new = _new_centres(X, w, labels, sums, counts, centers)
        delta = np.sqrt(((new.astype(np.float64) - centers) ** 2).sum(axis=1))
        shift = float(np.sum(delta**2))
        if verbose:
            print(f"Iteration {i}, inertia {inertia(X, w, centers, labels)}.")
        centers = new
        if np.array_equal(labels, labels_old):
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
        # The centres moved: loosen the bounds so they stay valid.
        upper = upper + delta[labels]
        lower = np.maximum(lower - delta[None, :], 0.0)
    if not strict:
        labels, _ = kernel(X, centers, n_jobs=n_jobs)
    return labels, inertia(X, w, centers, labels), centers, i + 1


def _assign(X, centers, labels, upper, lower, kernel, x_norm, slack):
    """One bounded assignment pass; updates labels/upper/lower in place.

    A row is re-examined unless every other centre is ruled out by a margin of at
    least tau_i (the rounding of the distance expansion, see the module docstring);
    re-examined rows get their label from the same nearest-centre kernel as Lloyd,
    and fresh exact distances to every centre as their bounds.
    """
    diff = centers[:, None, :].astype(np.float64) - centers[None]
    half = 0.5 * np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    s = np.where(np.eye(len(centers), dtype=bool), np.inf, half).min(axis=1)
    c_max = float(np.sqrt(np.einsum("ij,ij->i", centers, centers).max()))
    tau = slack * (x_norm + c_max) ** 2 / np.maximum(upper, np.finfo(np.float64).tiny)
    reach = upper + tau
    rows = np.flatnonzero(reach >= s[labels])         # first test: the nearest other centre
    if rows.size:
        a = labels[rows]
        maybe = (reach[rows, None] >= lower[rows]) & (reach[rows, None] >= half[a])
        maybe[np.arange(rows.size), a] = False
        rows = rows[maybe.any(axis=1)]                 # second test: centre by centre
    if rows.size:
        Xr = np.ascontiguousarray(X[rows])
        new = kernel(Xr, centers)[0]
        low, up = _distance_bounds(Xr, centers)
        labels[rows] = new
        upper[rows] = up[np.arange(rows.size), new]
        lower[rows] = low
    return rows.size
