# cython: boundscheck=False, wraparound=False, cdivision=True
"""Cython twin of the ``murmurhash3_32`` kernel (scratchml/feature_extraction/_kernels.py).

MurmurHash3_x86_32 of every token in a buffer of concatenated UTF-8 bytes.
Blocks are assembled byte by byte, so the result is the little-endian hash on
any CPU and no unaligned load is ever made. One tight nogil loop: hashing is
cheaper than the Python work that produces the tokens, so no threads.
"""

import numpy as np

from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t


cdef inline uint32_t _rotl(uint32_t x, int r) noexcept nogil:
    return (x << r) | (x >> (32 - r))


cdef inline uint32_t _mix_k(uint32_t k) noexcept nogil:
    k *= 0xCC9E2D51u
    k = _rotl(k, 15)
    return k * 0x1B873593u


cdef uint32_t _murmur(const uint8_t* key, int64_t n, uint32_t seed) noexcept nogil:
    cdef uint32_t h = seed, k
    cdef int64_t i, n_blocks = n // 4
    cdef const uint8_t* p
    for i in range(n_blocks):
        p = key + 4 * i
        k = p[0] | (<uint32_t> p[1] << 8) | (<uint32_t> p[2] << 16) | (<uint32_t> p[3] << 24)
        h ^= _mix_k(k)
        h = _rotl(h, 13)
        h = h * 5 + 0xE6546B64u
    p = key + 4 * n_blocks
    k = 0
    if n & 3 == 3:
        k ^= <uint32_t> p[2] << 16
    if n & 3 >= 2:
        k ^= <uint32_t> p[1] << 8
    if n & 3 >= 1:
        k ^= p[0]
        h ^= _mix_k(k)
    h ^= <uint32_t> n
    h ^= h >> 16
    h *= 0x85EBCA6Bu
    h ^= h >> 13
    h *= 0xC2B2AE35u
    h ^= h >> 16
    return h


def murmurhash3_32(const uint8_t[::1] buf, const int64_t[::1] starts,
                   const int64_t[::1] lengths, seed=0):
    """Signed 32-bit MurmurHash3 of ``buf[starts[i]:starts[i] + lengths[i]]`` for every i."""
    cdef Py_ssize_t i, n = starts.shape[0]
    cdef uint32_t s = <uint32_t> (int(seed) & 0xFFFFFFFF)
    if lengths.shape[0] != n:
        raise ValueError(f"starts has {n} entries but lengths has {lengths.shape[0]}")
    for i in range(n):  # validate first: the hashing loop below reads without checks
        if starts[i] < 0 or lengths[i] < 0 or starts[i] + lengths[i] > buf.shape[0]:
            raise ValueError(f"token {i} (start {starts[i]}, length {lengths[i]}) lies "
                             f"outside buf of {buf.shape[0]} bytes")
    out = np.empty(n, dtype=np.int32)
    cdef int32_t[::1] o = out
    cdef const uint8_t* base = &buf[0] if buf.shape[0] > 0 else NULL
    with nogil:
        for i in range(n):
            o[i] = <int32_t> _murmur(base + starts[i], lengths[i], s)
    return out
