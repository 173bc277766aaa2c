"""Cython view of the register-tiled nearest-centre micro-kernel in ``_tile.h``,
shared by the kernels that use it (``_distances.pyx``, ``_lloyd.pyx``).
"""

cdef extern from "_tile.h" nogil:
    enum:
        SM_MR
        SM_LANES_F64
        SM_LANES_F32
    # One tile of SM_MR rows against every packed block, with blocks of two
    # SIMD vectors of centres (sm_rows2_*) or one (sm_rows1_*).
    void sm_rows2_f64(const double*, const double*, const double*, Py_ssize_t, Py_ssize_t,
                      double*, Py_ssize_t*)
    void sm_rows1_f64(const double*, const double*, const double*, Py_ssize_t, Py_ssize_t,
                      double*, Py_ssize_t*)
    void sm_rows2_f32(const float*, const float*, const float*, Py_ssize_t, Py_ssize_t,
                      float*, Py_ssize_t*)
    void sm_rows1_f32(const float*, const float*, const float*, Py_ssize_t, Py_ssize_t,
                      float*, Py_ssize_t*)

ctypedef fused floating:
    float
    double


cdef inline void _tile(bint wide, const floating* x, const floating* packed,
                       const floating* csq, Py_ssize_t p, Py_ssize_t n_blocks,
                       floating* best, Py_ssize_t* labels) noexcept nogil:
    if floating is double:
        if wide:
            sm_rows2_f64(x, packed, csq, p, n_blocks, best, labels)
        else:
            sm_rows1_f64(x, packed, csq, p, n_blocks, best, labels)
    else:
        if wide:
            sm_rows2_f32(x, packed, csq, p, n_blocks, best, labels)
        else:
            sm_rows1_f32(x, packed, csq, p, n_blocks, best, labels)
