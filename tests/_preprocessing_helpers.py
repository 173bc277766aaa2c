"""Shared helpers of the preprocessing tests.

Exact comparisons for the encoders (tests/test_preprocessing_encoders*.py) and a
matrix strategy for the transformers (tests/test_preprocessing_transformers.py,
tests/test_preprocessing_kbins.py).
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def _is_nan(v):
    return isinstance(v, (float, np.floating)) and v != v


def assert_same(ours, theirs):
    """Element-wise equality where None matches None and NaN matches NaN only."""
    a, b = np.asarray(ours, dtype=object), np.asarray(theirs, dtype=object)
    assert a.shape == b.shape
    for x, y in zip(a.ravel(), b.ravel()):
        if x is None or y is None:
            assert x is y, (x, y)
        elif _is_nan(x) or _is_nan(y):
            assert _is_nan(x) and _is_nan(y), (x, y)
        else:
            assert x == y and isinstance(x, str) == isinstance(y, str), (x, y)


def assert_same_categories(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        assert_same(a, b)


@st.composite
def matrices(draw, min_rows=1, max_rows=25, max_cols=4, bound=1e3):
    """Float64 matrices; columns may be constant, zero or hold repeated values."""
    n = draw(st.integers(min_rows, max_rows))
    p = draw(st.integers(1, max_cols))
    X = draw(hnp.arrays(np.float64, (n, p), elements=st.floats(
        -bound, bound, allow_nan=False, allow_subnormal=False)))
    for j in range(p):
        kind = draw(st.sampled_from(["data", "data", "data", "constant", "zero"]))
        if kind == "constant":
            X[:, j] = draw(st.floats(-bound, bound, allow_subnormal=False))
        elif kind == "zero":
            X[:, j] = 0.0
    return X
