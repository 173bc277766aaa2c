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

Centres are packed by the caller (``scratchml.metrics._tile_pack.pack_centres``)
in the layout ``tile_layout`` names: blocks of NR centres stored feature by
feature, or for float32 with few centres the paired layout of ``_tile_pair.h``;
padding centres are zero with squared norm +inf so that they never win. Rows of a partial last tile are
copied into a zero-padded tile. Each row's arithmetic is the same wherever it
falls, so results do not depend on how rows are split between threads.
"""

from libc.stdlib cimport free

from _tile_decl cimport (
    SM_MR, _check_packed, _tile, _tile_mode, _tile_rows, floating,
)


cdef int _rows(
    const floating* X, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t p,
    const floating* packed, const floating* csq, Py_ssize_t n_blocks, int mode,
    Py_ssize_t* labels, floating* best,
) noexcept nogil:
    """Nearest centre for rows [start, stop) of X. Returns -1 if out of memory."""
    cdef Py_ssize_t i, r, n_rows
    cdef floating tile_best[SM_MR]
    cdef Py_ssize_t tile_labels[SM_MR]
    cdef floating* tail = NULL
    cdef const floating* x
    i = start
    while i < stop:
        x = _tile_rows(X, i, stop, p, &tail, &n_rows)
        if x == NULL:
            return -1
        _tile(mode, x, packed, csq, p, n_blocks, True, tile_best, tile_labels)
        for r in range(n_rows):
            labels[i + r] = tile_labels[r]
            best[i + r] = tile_best[r]
        i += n_rows
    free(tail)
    return 0


def tile_layout(dtype, Py_ssize_t n_centres):
    """``(mode, width)``: the packed layout for ``n_centres`` centres of ``dtype``.

    Blocks of two SIMD vectors' worth of centres (16 doubles / 32 floats with
    AVX-512), or one when the centres fit in one vector, so that few centres waste
    little work; float32 with at most half a vector of centres uses the paired
    layout (two features per lane pair, ``_tile_pair.h``) where it is built.
    """
    import numpy as np

    cdef Py_ssize_t width
    mode = _tile_mode(np.dtype(dtype) == np.float32, n_centres, &width)
    return mode, width


def argmin_rows(
    const floating[:, ::1] X,
    const floating[:, :, ::1] packed,
    const floating[::1] csq,
    int mode,
    Py_ssize_t[::1] labels,
    floating[::1] best,
    Py_ssize_t start,
    Py_ssize_t stop,
):
    """Fill ``labels[start:stop]`` and ``best[start:stop]`` for rows ``start:stop`` of X.

    ``packed`` and ``csq`` are the centres and their squared norms (+inf for
    padding) in layout ``mode`` (see ``tile_layout``). ``best`` receives the squared
    distance to the nearest centre, ||x||^2 + min_j (||c_j||^2 - 2 x.c_j), clipped at 0.
    Releases the GIL, so threads can work on disjoint row ranges at once.
    """
    cdef Py_ssize_t p = X.shape[1]
    cdef int status
    problem = _check_packed(mode, floating is float, p, packed.shape[0], packed.shape[1],
                            packed.shape[2], csq.shape[0])
    if problem is not None:
        raise ValueError(problem)
    if not (0 <= start <= stop <= X.shape[0]) or labels.shape[0] < stop or best.shape[0] < stop:
        raise ValueError("row range out of bounds")
    if stop == start or packed.shape[0] == 0 or p == 0:
        return
    with nogil:
        status = _rows(&X[0, 0], start, stop, p, &packed[0, 0, 0], &csq[0],
                       packed.shape[0], mode, &labels[0], &best[0])
    if status != 0:
        raise MemoryError("out of memory in the nearest-centre kernel")
