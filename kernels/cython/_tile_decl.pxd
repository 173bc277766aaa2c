"""Cython view of the register-tiled nearest-centre micro-kernel in ``_tile.h``,
shared by the kernels that use it (``_distances.pyx``, ``_lloyd.pyx``).

Layouts of the packed centres (``tile_layout`` picks one; the Python packer,
``scratchml.metrics._pairwise_native.pack_centres``, builds it):

* ``TILE_ONE`` / ``TILE_TWO``: blocks of one or two SIMD vectors of centres,
  stored feature by feature, shape (n_blocks, p, width);
* ``TILE_PAIR`` (float32, at most lanes / 2 centres, GCC builds): one block in
  which each lane pair holds a centre's two consecutive features, shape
  (1, ceil(p / 2), lanes); see ``_tile_pair.h``.
"""

from libc.stdlib cimport malloc
from libc.string cimport memcpy, memset


cdef extern from "_tile.h" nogil:
    enum:
        SM_MR
        SM_LANES_F64
        SM_LANES_F32
        SM_HAVE_PAIR
    # One tile of SM_MR rows against every packed block, with blocks of two
    # SIMD vectors of centres (sm_rows2_*) or one (sm_rows1_*).
    void sm_rows2_f64(const double*, const double*, const double*, Py_ssize_t, Py_ssize_t,
                      int, double*, Py_ssize_t*)
    void sm_rows1_f64(const double*, const double*, const double*, Py_ssize_t, Py_ssize_t,
                      int, double*, Py_ssize_t*)
    void sm_rows2_f32(const float*, const float*, const float*, Py_ssize_t, Py_ssize_t,
                      int, float*, Py_ssize_t*)
    void sm_rows1_f32(const float*, const float*, const float*, Py_ssize_t, Py_ssize_t,
                      int, float*, Py_ssize_t*)
    void sm_rows_pair_f32(const float*, const float*, const float*, Py_ssize_t, int,
                          float*, Py_ssize_t*)
    # Cache hint for the rows a few tiles ahead (one request per 64-byte line).
    void sm_prefetch(const void* ptr, Py_ssize_t n_bytes)

ctypedef fused floating:
    float
    double

cdef enum:
    # Tiles of rows prefetched ahead of the one being computed: the kernels wait
    # on memory otherwise (measured: 15% faster Lloyd steps on 100,000 x 50).
    PREFETCH_TILES = 4
    TILE_ONE = 0
    TILE_TWO = 1
    TILE_PAIR = 2


cdef inline int _tile_mode(bint single, Py_ssize_t n_centres, Py_ssize_t* width) noexcept nogil:
    """Layout for ``n_centres`` centres (float32 if ``single``); sets the lanes per block."""
    cdef Py_ssize_t lanes = SM_LANES_F32 if single else SM_LANES_F64
    width[0] = lanes
    if single and SM_HAVE_PAIR and 2 * n_centres <= lanes:
        return TILE_PAIR
    if n_centres <= lanes:
        return TILE_ONE
    width[0] = 2 * lanes
    return TILE_TWO


cdef inline void _tile(int mode, const floating* x, const floating* packed,
                       const floating* csq, Py_ssize_t p, Py_ssize_t n_blocks,
                       bint with_xsq, floating* best, Py_ssize_t* labels) noexcept nogil:
    # with_xsq: best is the squared distance (||x||² added, clipped at 0); without,
    # it is min_j (||c_j||² − 2 x·c_j) and the caller adds ||x||² itself.
    if floating is double:
        if mode == TILE_TWO:
            sm_rows2_f64(x, packed, csq, p, n_blocks, with_xsq, best, labels)
        else:
            sm_rows1_f64(x, packed, csq, p, n_blocks, with_xsq, best, labels)
    else:
        if mode == TILE_PAIR:
            sm_rows_pair_f32(x, packed, csq, p, with_xsq, best, labels)
        elif mode == TILE_TWO:
            sm_rows2_f32(x, packed, csq, p, n_blocks, with_xsq, best, labels)
        else:
            sm_rows1_f32(x, packed, csq, p, n_blocks, with_xsq, best, labels)


cdef inline str _check_packed(int mode, bint single, Py_ssize_t p, Py_ssize_t n_blocks,
                              Py_ssize_t steps, Py_ssize_t width, Py_ssize_t n_csq):
    """Why packed centres of shape (n_blocks, steps, width) do not fit ``mode``, or None."""
    cdef Py_ssize_t lanes = SM_LANES_F32 if single else SM_LANES_F64
    if mode == TILE_PAIR:
        if not (single and SM_HAVE_PAIR) or n_blocks != 1 or steps != (p + 1) // 2 \
                or width != lanes:
            return "packed centres do not match the paired layout"
    elif mode == TILE_ONE or mode == TILE_TWO:
        if steps != p or width != (lanes if mode == TILE_ONE else 2 * lanes):
            return "packed centres do not match X's features or the block width"
    else:
        return f"unknown tile layout {mode}"
    if n_csq != n_blocks * width:
        return "csq must hold one value per packed lane"
    return None


cdef inline const floating* _tile_rows(const floating* X, Py_ssize_t i, Py_ssize_t stop,
                                       Py_ssize_t p, floating** tail,
                                       Py_ssize_t* n_rows) noexcept nogil:
    """The SM_MR rows of the tile that starts at row i of X, for the micro-kernel.

    A full tile is X itself; a partial last tile (fewer than SM_MR rows before
    ``stop``) is copied into ``tail[0]``, a zero-padded buffer of SM_MR rows that
    this allocates and the caller frees (its zero rows' results are ignored).
    Sets ``n_rows`` (the tile's real rows) and prefetches the rows PREFETCH_TILES
    tiles ahead. Returns NULL when the buffer cannot be allocated.
    """
    n_rows[0] = stop - i
    if n_rows[0] >= SM_MR:
        n_rows[0] = SM_MR
        if i + PREFETCH_TILES * SM_MR + SM_MR <= stop:
            sm_prefetch(X + (i + PREFETCH_TILES * SM_MR) * p, SM_MR * p * sizeof(floating))
        return X + i * p
    tail[0] = <floating*> malloc(SM_MR * p * sizeof(floating))
    if tail[0] == NULL:
        return NULL
    memset(tail[0], 0, SM_MR * p * sizeof(floating))
    memcpy(tail[0], X + i * p, n_rows[0] * p * sizeof(floating))
    return tail[0]
