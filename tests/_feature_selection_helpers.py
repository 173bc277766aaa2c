"""Shared hypothesis strategy of tests/test_feature_selection*.py."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@st.composite
def classification_data(draw, max_rows=40, max_cols=5, nonneg=False):
    """X (small integers or floats, so ties and duplicated columns occur) and labels."""
    n = draw(st.integers(4, max_rows))
    p = draw(st.integers(1, max_cols))
    lo = 0 if nonneg else -50
    values = st.one_of(st.integers(lo, 9).map(float), st.floats(lo, 100, allow_nan=False))
    X = draw(hnp.arrays(np.float64, (n, p), elements=values))
    if p > 1 and draw(st.booleans()):
        X[:, -1] = X[:, 0]  # a duplicated column: its score ties with the first
    n_classes = draw(st.integers(2, 4))
    y = draw(hnp.arrays(np.int64, n, elements=st.integers(0, n_classes - 1)))
    y[:2] = [0, 1]  # at least two classes
    return X, y
