# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Squared Euclidean distance to the nearest centre: argmin and min, fused.

NumPy reference: ``scratchml.metrics._pairwise._sqeuclidean_argmin_numpy``.

For a row x and centres c_j the nearest centre minimises

    ||x - c_j||^2 = ||x||^2 - 2 x.c_j + ||c_j||^2,

and ||x||^2 is the same for every j, so the argmin only needs
d_j = ||c_j||^2 - 2 x.c_j: one dot product per (row, centre) pair, which is a
matrix product. The NumPy reference writes that product to memory chunk by
chunk and scans it; this kernel computes it tile by tile in SIMD registers
(``_tile.h``) and folds each tile straight into the running minimum of its
rows, so the n x k product never leaves the core.

Centres are packed by the caller as blocks of NR centres (``block_width``) stored feature by
feature (shape ``(n_blocks, n_features, NR)``), padded with zero centres whose
squared norm is +inf so that they never win. Rows of a partial last tile are
copied into a zero-padded tile. Each row's arithmetic is the same wherever it
falls, so results do not depend on how rows are split between threads.
"""

from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memset

from _tile_decl cimport SM_LANES_F32, SM_LANES_F64, SM_MR, _tile, floating


cdef int _rows(
    const floating* X, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t p,
    const floating* packed, const floating* csq, Py_ssize_t n_blocks, Py_ssize_t nr,
    bint wide, Py_ssize_t* labels, floating* best,
) noexcept nogil:
    """Nearest centre for rows [start, stop) of X. Returns -1 if out of memory."""
    cdef Py_ssize_t i, r, n_rows
    cdef floating tile_best[SM_MR]
    cdef Py_ssize_t tile_labels[SM_MR]
    cdef floating* tail = NULL
    cdef const floating* x
    i = start
    while i < stop:
        n_rows = stop - i
        if n_rows >= SM_MR:
            n_rows = SM_MR
            x = X + i * p
        else:
            # Last partial tile: its rows, then zero rows, in a buffer of SM_MR rows.
            tail = <floating*> malloc(SM_MR * p * sizeof(floating))
            if tail == NULL:
                return -1
            memset(tail, 0, SM_MR * p * sizeof(floating))
            memcpy(tail, X + i * p, n_rows * p * sizeof(floating))
            x = tail
        _tile(wide, x, packed, csq, p, n_blocks, tile_best, tile_labels)
        for r in range(n_rows):
            labels[i + r] = tile_labels[r]
            best[i + r] = tile_best[r]
        i += n_rows
    free(tail)
    return 0


def block_width(dtype, Py_ssize_t n_centres):
    """Centres per packed block for ``dtype`` and ``n_centres`` centres.

    Two SIMD vectors' worth (16 doubles / 32 floats with AVX-512), or one when
    the centres fit in one vector, so that few centres waste little work.
    """
    import numpy as np

    lanes = SM_LANES_F32 if np.dtype(dtype) == np.float32 else SM_LANES_F64
    return lanes if n_centres <= lanes else 2 * lanes


def argmin_rows(
    const floating[:, ::1] X,
    const floating[:, :, ::1] packed,
    const floating[::1] csq,
    Py_ssize_t[::1] labels,
    floating[::1] best,
    Py_ssize_t start,
    Py_ssize_t stop,
):
    """Fill ``labels[start:stop]`` and ``best[start:stop]`` for rows ``start:stop`` of X.

    ``packed[b, f, w]`` is feature ``f`` of centre ``b*NR + w``; ``csq`` holds the
    centres' squared norms (+inf for padding). ``best`` receives the squared
    distance to the nearest centre, ||x||^2 + min_j (||c_j||^2 - 2 x.c_j), clipped at 0.
    Releases the GIL, so threads can work on disjoint row ranges at once.
    """
    cdef Py_ssize_t p = X.shape[1]
    cdef Py_ssize_t nr = packed.shape[2]
    cdef Py_ssize_t lanes = SM_LANES_F64 if floating is double else SM_LANES_F32
    cdef int status
    if packed.shape[1] != p or (nr != lanes and nr != 2 * lanes):
        raise ValueError("packed centres do not match X's features or the block width")
    if csq.shape[0] != packed.shape[0] * nr:
        raise ValueError("csq must hold one value per packed centre")
    if not (0 <= start <= stop <= X.shape[0]) or labels.shape[0] < stop or best.shape[0] < stop:
        raise ValueError("row range out of bounds")
    if stop == start or packed.shape[0] == 0 or p == 0:
        return
    with nogil:
        status = _rows(&X[0, 0], start, stop, p, &packed[0, 0, 0], &csq[0],
                       packed.shape[0], nr, nr == 2 * lanes, &labels[0], &best[0])
    if status != 0:
        raise MemoryError("out of memory in the nearest-centre kernel")
