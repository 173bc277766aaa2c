"""Turning per-token column codes into CSR arrays with NumPy (no per-document dicts).

A document-term matrix is built from the column code of every token, in
*bundles* of whole documents (a few tens of thousands of tokens). In a bundle,
each token becomes a key ``row << 32 | code``; sorting the keys groups equal
(row, code) pairs, and the run lengths are the counts. Only the distinct pairs
are kept, so memory follows the number of stored entries, not of tokens.

When the vocabulary is complete, ``finish`` maps codes to their final columns
(sorted term order), re-sorts each bundle's pairs by (row, column) -- CSR order
-- and writes them into the exactly sized output arrays, freeing each bundle as
it goes.
"""

from __future__ import annotations

import numpy as np

_CHUNK = 1 << 16  # tokens per bundle / entries per block: bounds every temporary


def _runs(sorted_keys: np.ndarray):
    """Start index of each run of equal values in a sorted array, and the run lengths."""
    n = sorted_keys.size
    change = np.empty(n, dtype=bool)
    change[:1] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    lengths = np.diff(starts, append=n)
    return starts, lengths


class PairCounter:
    """Distinct (document, code) pairs and their counts, bundle by bundle.

    ``add(codes, lengths)`` takes the codes of every token of some consecutive
    documents (negative codes: unknown terms, skipped) and the number of tokens
    of each; with ``signs`` (True where a token counts -1) the values are signed
    sums, as a hashing vectorizer with alternating signs needs. A cell whose
    signs cancel stays stored as an explicit zero, as in scikit-learn.
    """

    def __init__(self):
        self.bundles = []  # (entries per document, codes, values) for each bundle
        self.nnz = 0

    def add(self, codes: np.ndarray, lengths: np.ndarray, signs=None) -> None:
        n_docs = lengths.size
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        keys = codes.astype(np.int64)
        keep = keys >= 0
        if not keep.all():
            rows, keys, signs = rows[keep], keys[keep], None if signs is None else signs[keep]
        keys |= rows << 32
        if signs is not None:
            # The lowest bit holds the sign, so that + and - tokens of one cell sort
            # next to each other; a second pass merges them into a signed sum.
            keys = (keys << 1) | signs
        keys.sort()
        starts, values = _runs(keys)
        keys = keys[starts]
        if signs is not None:
            values[(keys & 1).astype(bool)] *= -1
            keys >>= 1
            starts, _ = _runs(keys)
            values = np.add.reduceat(values, starts) if starts.size else values
            keys = keys[starts]
        rows = keys >> 32
        row_nnz = np.bincount(rows, minlength=n_docs)
        self.bundles.append((row_nnz, (keys & 0xFFFFFFFF).astype(np.int32),
                             values.astype(np.int32)))
        self.nnz += keys.size

    def finish(self, n_cols: int, remap=None, dtype=np.int64):
        """``(data, indices, indptr)`` with columns ``remap[code]`` (or the codes), sorted.

        Consumes the bundles: each is freed once written to the output arrays.
        """
        idx_dtype = np.int32 if max(n_cols, self.nnz) < 2**31 else np.int64
        data = np.empty(self.nnz, dtype=dtype)
        indices = np.empty(self.nnz, dtype=idx_dtype)
        n_docs = sum(b[0].size for b in self.bundles)
        indptr = np.zeros(n_docs + 1, dtype=idx_dtype)
        pos = row = 0
        while self.bundles:
            row_nnz, cols, values = self.bundles.pop(0)
            n = cols.size
            if remap is not None:
                cols = remap[cols]
                rows = np.repeat(np.arange(row_nnz.size, dtype=np.int64), row_nnz)
                order = np.argsort(rows * n_cols + cols)
                cols, values = cols[order], values[order]
            indices[pos : pos + n] = cols
            data[pos : pos + n] = values
            np.cumsum(row_nnz, out=indptr[row + 1 : row + 1 + row_nnz.size])
            indptr[row + 1 : row + 1 + row_nnz.size] += pos
            pos += n
            row += row_nnz.size
        return data, indices, indptr


def row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sum of ``values`` over each row's slice (0 for empty rows)."""
    n = indptr.size - 1
    out = np.zeros(n, dtype=np.float64 if values.dtype.kind != "f" else values.dtype)
    nonempty = indptr[1:] > indptr[:-1]
    if nonempty.any():
        # reduceat over the starts of non-empty rows only: each segment then ends
        # exactly where the next non-empty row begins.
        out[nonempty] = np.add.reduceat(values, indptr[:-1][nonempty])
    return out


def row_blocks(indptr: np.ndarray, size: int = _CHUNK):
    """Row ranges ``(r0, r1, lo, hi)`` holding about ``size`` stored entries each."""
    n = indptr.size - 1
    r0 = 0
    while r0 < n:
        r1 = int(np.searchsorted(indptr, indptr[r0] + size, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n)
        yield r0, r1, int(indptr[r0]), int(indptr[r1])
        r0 = r1


def scale_columns(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, scale) -> None:
    """``data *= scale[indices]`` in place, a block at a time (no nnz-sized temporary)."""
    for _, _, lo, hi in row_blocks(indptr):
        data[lo:hi] *= scale[indices[lo:hi]]


def normalize_rows(data: np.ndarray, indptr: np.ndarray, norm: str | None) -> np.ndarray:
    """Divide each row by its l2 or l1 norm in place (rows of norm 0 stay as they are)."""
    if norm is None:
        return data
    for r0, r1, lo, hi in row_blocks(indptr):
        block, ptr = data[lo:hi], indptr[r0 : r1 + 1] - lo
        norms = row_sums(block * block if norm == "l2" else np.abs(block), ptr)
        if norm == "l2":
            np.sqrt(norms, out=norms)
        norms[norms == 0] = 1.0
        block /= np.repeat(norms, np.diff(ptr))
    return data
