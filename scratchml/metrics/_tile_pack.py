"""Packing of centres for the register-tiled nearest-centre micro-kernel (``_tile.h``).

One packer for every kernel built on that micro-kernel (``sqeuclidean_argmin``
in ``_distances.pyx``, ``lloyd_step`` in ``_lloyd.pyx``), so they all see the
centres in the same layout and give the same labels. The compiled module says
which layout suits a dtype and a number of centres (``tile_layout``); this
module only arranges the numbers. Pure NumPy: importing it needs no extension.
"""

from __future__ import annotations

import numpy as np

# Layout codes, as in kernels/cython/_tile_decl.pxd.
TILE_ONE, TILE_TWO, TILE_PAIR = 0, 1, 2


def pack_centres(C: np.ndarray, mode: int, width: int):
    """``(packed, c_sq)`` for centres C (k x p) in layout ``mode`` with ``width`` lanes.

    * ``TILE_ONE`` / ``TILE_TWO``: ``packed[b, f, w]`` is feature f of centre
      ``b*width + w`` (blocks stored feature by feature) and ``c_sq[b*width + w]``
      its squared norm.
    * ``TILE_PAIR``: one block, ``packed[0, g, 2j + h]`` is feature ``2g + h`` of
      centre j (zero past the last feature), and ``c_sq[2j + h]`` is ||c_j||² for
      both lanes of the pair.

    Padding centres are zero with squared norm +inf, so they never win the argmin.
    """
    k, p = C.shape
    norms = np.einsum("ij,ij->i", C, C)
    if mode == TILE_PAIR:
        per_block, n_steps = width // 2, -(-p // 2)
        if k > per_block:
            raise ValueError(f"{k} centres do not fit the paired layout of {per_block}")
        padded = np.zeros((per_block, 2 * n_steps), dtype=C.dtype)
        padded[:k, :p] = C
        # (centre, pair, h) -> (pair, centre, h): lane 2j + h of step g.
        packed = padded.reshape(per_block, n_steps, 2).transpose(1, 0, 2)
        packed = np.ascontiguousarray(packed.reshape(1, n_steps, width))
        c_sq = np.full(per_block, np.inf, dtype=C.dtype)
        c_sq[:k] = norms
        return packed, np.repeat(c_sq, 2)
    n_blocks = -(-k // width)
    padded = np.zeros((n_blocks * width, p), dtype=C.dtype)
    padded[:k] = C
    packed = np.ascontiguousarray(padded.reshape(n_blocks, width, p).transpose(0, 2, 1))
    c_sq = np.full(n_blocks * width, np.inf, dtype=C.dtype)
    c_sq[:k] = norms
    return packed, c_sq
