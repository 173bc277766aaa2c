"""Minibatches: the index bookkeeping of a training loop, seeded by a Generator."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..utils.validation import check_random_state


def minibatches(*arrays, batch_size: int = 32, shuffle: bool = True, generator=None,
                drop_last: bool = False) -> Iterator[tuple]:
    """Yield aligned batches ``(a[idx], b[idx], ...)`` covering the rows once.

    The order is a permutation drawn from ``generator`` (a ``numpy.random.Generator``
    or a seed) when ``shuffle``; ``drop_last`` skips a final short batch.

    Examples
    --------
    >>> import numpy as np
    >>> from scratchml.nn import minibatches
    >>> X, y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> [len(yb) for _, yb in minibatches(X, y, batch_size=2, shuffle=False)]
    [2, 2, 1]
    """
    if not arrays:
        raise ValueError("minibatches needs at least one array.")
    n = len(arrays[0])
    for a in arrays[1:]:
        if len(a) != n:
            lengths = [len(a) for a in arrays]
            raise ValueError(f"minibatches: arrays have different lengths {lengths}.")
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size} must be >= 1.")
    order = check_random_state(generator).permutation(n) if shuffle else None
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        if order is None:
            sl = slice(start, start + batch_size)
            yield tuple(a[sl] for a in arrays)
        else:
            idx = order[start:start + batch_size]
            yield tuple(np.take(a, idx, axis=0) for a in arrays)
