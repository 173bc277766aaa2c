"""The ``murmurhash3_32`` kernel: MurmurHash3 (x86, 32-bit) of many byte strings at once.

Input is one buffer of UTF-8 bytes and where each token lies in it (token ``i``
is ``buf[starts[i]:starts[i] + lengths[i]]``); output is each token's hash as a
signed int32, the value scikit-learn's ``murmurhash3_32(token, seed)`` gives.

The hash (Austin Appleby's public-domain MurmurHash3_x86_32) reads the key in
4-byte little-endian blocks ``k``, mixing each into the state ``h``::

    k *= c1; k = rotl(k, 15); k *= c2;  h ^= k; h = rotl(h, 13); h = h * 5 + 0xe6546b64

then mixes the 1-3 tail bytes the same way (without the rotation of ``h``),
xors in the length and scrambles with the finalizer ``fmix32``. All arithmetic
is modulo 2**32. The NumPy reference below runs one block position at a time
for every token still that long, so it is vectorised across tokens.
"""

from __future__ import annotations

import numpy as np

from .._backend import register

_C1, _C2 = 0xCC9E2D51, 0x1B873593


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _mix_k(k: np.ndarray) -> np.ndarray:
    k = k * np.uint32(_C1)
    return _rotl(k, 15) * np.uint32(_C2)


def _murmurhash3_32_numpy(buf, starts, lengths, seed: int = 0) -> np.ndarray:
    """Reference: the signed 32-bit MurmurHash3 of every token of ``buf``."""
    buf = np.asarray(buf, dtype=np.uint8)
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    h = np.full(lengths.size, seed & 0xFFFFFFFF, dtype=np.uint32)
    n_blocks = lengths // 4
    for j in range(int(n_blocks.max(initial=0))):
        active = np.flatnonzero(n_blocks > j)
        p = starts[active] + 4 * j
        k = (buf[p].astype(np.uint32) | (buf[p + 1].astype(np.uint32) << np.uint32(8))
             | (buf[p + 2].astype(np.uint32) << np.uint32(16))
             | (buf[p + 3].astype(np.uint32) << np.uint32(24)))
        hh = _rotl(h[active] ^ _mix_k(k), 13)
        h[active] = hh * np.uint32(5) + np.uint32(0xE6546B64)
    # Tail: the last len % 4 bytes, little-endian, mixed without rotating h.
    tail = lengths & 3
    has_tail = np.flatnonzero(tail > 0)
    t0 = starts[has_tail] + 4 * n_blocks[has_tail]
    rem = tail[has_tail]
    k = buf[t0].astype(np.uint32)
    two = rem >= 2
    k[two] |= buf[t0[two] + 1].astype(np.uint32) << np.uint32(8)
    three = rem == 3
    k[three] |= buf[t0[three] + 2].astype(np.uint32) << np.uint32(16)
    h[has_tail] ^= _mix_k(k)
    # Finalization: fold in the length and avalanche (fmix32).
    h ^= lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def encode_tokens(tokens: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(buf, starts, lengths)``: the tokens' UTF-8 bytes in one buffer, and where each lies.

    The tokens are joined with NUL bytes, which no other UTF-8 character
    contains, so one vectorised search for zeros finds every boundary; tokens
    that themselves hold a NUL are encoded one by one instead.
    """
    joined = "\x00".join(tokens)
    n = len(tokens)
    if n and joined.count("\x00") == n - 1:
        buf = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
        ends = np.flatnonzero(buf == 0)
        starts = np.empty(n, dtype=np.int64)
        starts[:1] = 0
        starts[1:] = ends + 1
        lengths = np.empty(n, dtype=np.int64)
        lengths[: n - 1] = ends - starts[: n - 1]
        lengths[n - 1 :] = buf.size - starts[n - 1 :]
        return buf, starts, lengths
    encoded = [t.encode("utf-8") for t in tokens]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), starts, lengths


register("murmurhash3_32", "numpy", _murmurhash3_32_numpy)
register("murmurhash3_32", "cython", "scratchml._cython._text:murmurhash3_32")
