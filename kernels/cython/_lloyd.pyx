# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""One fused Lloyd step: nearest centre and per-cluster sums, in one pass over X.

NumPy reference: ``scratchml.cluster._lloyd._lloyd_step_numpy``.

Rows are processed in tiles of SM_MR rows. For each tile the register-tiled
micro-kernel of ``_tile.h`` (the one ``_distances.pyx`` uses) finds every row's
nearest centre, argmin_j (||c_j||² − 2 x·c_j), without writing the n x k product
to memory. The tile's rows are still in L1 cache right after that, so they are
added into their clusters' sums at once:

    sums[label] += w x,   counts[label] += w,   inertia += w ||x − c_label||²

and X is read from memory once per iteration. ||x||² for the inertia is summed
in that same pass (``_rowadd.h``, float64 vector code), not in the micro-kernel,
whose hot loop is then one broadcast multiply-add per row and feature. For a few centres that halves the
memory traffic of "assign, then accumulate", which is what bounds the step.

Determinism: the caller cuts the rows into fixed chunks (their size depends on
n only) and gives each chunk its own partial sums; the partials are then added
in chunk order. Which thread ran a chunk changes nothing, so results are
identical for any number of threads. Sums and counts are accumulated in float64
for both input dtypes (float32 rows are widened as they are added).
"""

from libc.stdlib cimport free

from _tile_decl cimport (
    SM_MR, TILE_PAIR, _check_packed, _tile, _tile_mode, _tile_rows, floating,
)


cdef extern from "_rowadd.h" nogil:
    # s[f] += w x[f] for every feature, returning ||x||² (both in float64).
    double sm_rowadd_f64(const double* x, double w, double* s, Py_ssize_t p)
    double sm_rowadd_f32(const float* x, double w, double* s, Py_ssize_t p)


cdef int _chunk(
    const floating* X, const floating* w, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t p,
    const floating* packed, const floating* csq, Py_ssize_t n_blocks, int mode, Py_ssize_t k,
    Py_ssize_t* labels, double* sums, double* counts, double* inertia,
) noexcept nogil:
    """Rows [start, stop): labels, and their sums/counts/inertia added into one partial.

    Returns -1 when out of memory (the buffer for a last partial tile).
    """
    cdef Py_ssize_t i, r, j, n_rows
    cdef floating tile_best[SM_MR]
    cdef Py_ssize_t tile_labels[SM_MR]
    cdef floating* tail = NULL
    cdef const floating* x
    cdef const floating* xr
    cdef double wr, x_sq, d
    cdef double acc = 0
    i = start
    while i < stop:
        x = _tile_rows(X, i, stop, p, &tail, &n_rows)
        if x == NULL:
            return -1
        # tile_best[r] = min_j (||c_j||² − 2 x·c_j); ||x||² comes from _rowadd below.
        _tile(mode, x, packed, csq, p, n_blocks, False, tile_best, tile_labels)
        # The tile's rows are in L1 now: accumulate them while they are hot.
        for r in range(n_rows):
            j = tile_labels[r]
            if j >= k:  # only if every distance overflowed; never index past the sums
                j = 0
            labels[i + r] = j
            wr = w[i + r]
            counts[j] += wr
            xr = X + (i + r) * p
            if floating is double:
                x_sq = sm_rowadd_f64(xr, wr, sums + j * p, p)
            else:
                x_sq = sm_rowadd_f32(xr, wr, sums + j * p, p)
            d = x_sq + tile_best[r]
            if d < 0:  # rounding below 0 (a row on its centre); NaN passes through
                d = 0
            acc += wr * d
        i += n_rows
    free(tail)
    inertia[0] += acc
    return 0


def tile_layout(dtype, Py_ssize_t n_centres):
    """``(mode, width)``: the packed layout, as ``_distances.tile_layout`` (the same rule)."""
    import numpy as np

    cdef Py_ssize_t width
    mode = _tile_mode(np.dtype(dtype) == np.float32, n_centres, &width)
    return mode, width


def lloyd_chunks(
    const floating[:, ::1] X,
    const floating[::1] w,
    const floating[:, :, ::1] packed,
    const floating[::1] csq,
    int mode,
    Py_ssize_t[::1] labels,
    double[:, :, ::1] sums,
    double[:, ::1] counts,
    double[::1] inertia,
    Py_ssize_t chunk_rows,
    Py_ssize_t first_chunk,
    Py_ssize_t last_chunk,
):
    """Run chunks ``first_chunk:last_chunk`` of ``chunk_rows`` rows each.

    Chunk c covers rows [c*chunk_rows, min((c+1)*chunk_rows, n)) and adds into
    ``sums[c]`` (k x p), ``counts[c]`` (k) and ``inertia[c]``, which the caller
    zeroes and later reduces in chunk order. ``packed`` and ``csq`` are the
    centres and their padded squared norms (+inf for padding centres) in layout
    ``mode``, as for ``_distances.argmin_rows``. Releases the GIL.
    """
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1]
    cdef Py_ssize_t k = sums.shape[1]
    cdef Py_ssize_t c, start, stop
    cdef int status = 0
    problem = _check_packed(mode, floating is float, p, packed.shape[0], packed.shape[1],
                            packed.shape[2], csq.shape[0])
    if problem is not None:
        raise ValueError(problem)
    if k > (csq.shape[0] // 2 if mode == TILE_PAIR else csq.shape[0]):
        raise ValueError("sums has more centres than the packed centres")
    if w.shape[0] != n or labels.shape[0] != n or sums.shape[2] != p or counts.shape[1] != k:
        raise ValueError("w, labels, sums or counts do not match X and the centres")
    if chunk_rows < 1 or not (0 <= first_chunk <= last_chunk <= sums.shape[0]):
        raise ValueError("chunk range out of bounds")
    if counts.shape[0] < last_chunk or inertia.shape[0] < last_chunk:
        raise ValueError("chunk range out of bounds")
    if last_chunk * chunk_rows < n and last_chunk == sums.shape[0]:
        raise ValueError("the chunks do not cover X")
    if n == 0 or p == 0 or packed.shape[0] == 0 or first_chunk == last_chunk:
        return
    with nogil:
        for c in range(first_chunk, last_chunk):
            start = c * chunk_rows
            stop = start + chunk_rows
            if stop > n:
                stop = n
            if start >= stop:
                break
            status = _chunk(&X[0, 0], &w[0], start, stop, p, &packed[0, 0, 0], &csq[0],
                            packed.shape[0], mode, k, &labels[0], &sums[c, 0, 0],
                            &counts[c, 0], &inertia[c])
            if status != 0:
                break
    if status != 0:
        raise MemoryError("out of memory in the Lloyd kernel")
